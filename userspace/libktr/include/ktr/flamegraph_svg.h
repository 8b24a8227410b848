// SPDX-License-Identifier: MIT
//
// A flame graph of folded stacks (folded_stacks.h) as one self-contained,
// interactive SVG file, the kind FlameGraph's flamegraph.pl draws: each
// frame a rectangle as wide as its share of the samples, callers below
// their callees, the root "all" at the bottom, siblings in name order.
// Hovering a frame shows its function, samples and percentage (its
// <title>, also in the details line); clicking one zooms into it (its
// ancestors stay, dimmed; "Reset Zoom" or clicking "all" goes back);
// "Search" (or Ctrl-F) highlights the frames whose name matches a regular
// expression and shows the share of samples they cover. The JavaScript is
// embedded; nothing is loaded from elsewhere.
//
// Each frame is <g class="f"><title>NAME (N samples, P%)</title><rect
// data-n="N" .../><text>...</text></g>; names are escaped for XML; colors
// come from a hash of the name (the same function, the same color, in
// every graph). Frames narrower than min_width pixels are left out (their
// samples stay counted in their parent's width).
#ifndef KTR_FLAMEGRAPH_SVG_H
#define KTR_FLAMEGRAPH_SVG_H

#include <string>
#include <string_view>

#include "ktr/folded_stacks.h"

namespace ktr {

struct FlameGraphOptions {
	std::string title = "Flame Graph";
	std::string subtitle;		// one line under the title; empty: none
	double width = 1200;		// pixels
	double min_width = 0.1;		// pixels; 0: every frame
	unsigned frame_height = 16;	// pixels
};

/// The SVG document of @stacks.
std::string flamegraph_svg(const FoldedStacks &stacks, const FlameGraphOptions &opt = {});

/// @text with &, <, >, " and ' as XML entities, and control characters
/// other than tab as '?'.
std::string xml_escape(std::string_view text);

/// The fill of frame @name: "rgb(R,G,B)" in warm colors, from a hash of
/// the name.
std::string frame_color(std::string_view name);

} // namespace ktr

#endif // KTR_FLAMEGRAPH_SVG_H
