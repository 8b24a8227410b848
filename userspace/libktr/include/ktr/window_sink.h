// SPDX-License-Identifier: MIT
//
// Time-window cuts (ktr report --from/--to, ktr hist --from/--to): a sink
// (sink.h) in front of another that passes on only the merged events and
// losses whose time lies in [from, to]; begin, flush, end and closed go
// through unchanged.
//
// A bound is absolute, in the seconds of CLOCK_MONOTONIC the text lines
// show ("5025.5", "5025.5s"), or relative to the first event of the trace
// ("+1.5s", "+200ms", "+2": seconds): the first item (event, or a loss
// reported before it) the window sink sees, since the merge hands them over
// in time order.
#ifndef KTR_WINDOW_SINK_H
#define KTR_WINDOW_SINK_H

#include <cstdint>
#include <optional>
#include <string_view>

#include "ktr/event_print.h"
#include "ktr/sink.h"

namespace ktr {

struct TimeBound {
	std::uint64_t ns = 0;	// CLOCK_MONOTONIC, or after the first event
	bool relative = false;
};

/// "5025.5", "5025.5s", "+1.5s", "+200ms", "+2" (a number without unit is
/// seconds; units: those of parse_duration()). Errors: EINVAL / ERANGE,
/// naming @option ("--from", or nothing when empty) and the text.
Result<TimeBound> parse_time_bound(std::string_view text, std::string_view option);

class WindowSink final : public Sink {
public:
	/// @inner must outlive the window.
	WindowSink(Sink &inner, std::optional<TimeBound> from, std::optional<TimeBound> to)
		: inner_(inner), from_(from), to_(to)
	{
	}

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override;
	Result<void> flush() override { return inner_.flush(); }
	[[nodiscard]] bool closed() const noexcept override { return inner_.closed(); }
	Result<void> end(const std::vector<ReadStats> &stats) override { return inner_.end(stats); }

private:
	// Whether @ts (local clock) is inside; the first call fixes the origin
	// of relative bounds.
	bool inside(std::uint64_t ts);

	Sink &inner_;
	std::optional<TimeBound> from_, to_;
	ClockMap clock_;
	std::optional<std::uint64_t> first_;	// local clock
};

} // namespace ktr

#endif // KTR_WINDOW_SINK_H
