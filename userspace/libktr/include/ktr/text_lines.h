// SPDX-License-Identifier: MIT
//
// Aligned "key: value" lines, the text form every ktr command prints.
#ifndef KTR_TEXT_LINES_H
#define KTR_TEXT_LINES_H

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ktr {

using TextLines = std::vector<std::pair<std::string_view, std::string>>;

/// One line per pair, values aligned one column after the longest key:
///	module version:  0.1.0
///	CPUs online:     2
std::string format_aligned_lines(const TextLines &lines);

} // namespace ktr

#endif // KTR_TEXT_LINES_H
