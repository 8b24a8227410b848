// SPDX-License-Identifier: MIT
//
// Markers as Perfetto draws them. Perfetto's importer turns a print event
// whose text is in atrace form ("B|tgid|name" begins a slice on the
// writing thread, "E|tgid" ends it, "C|tgid|name|value" is a counter...)
// into slices and counters; any other text is only listed in the raw
// ftrace table. A marker already in atrace form is kept as is (the user
// chose its slices); any other marker becomes a zero-length slice named by
// its text (drawn as an instant on the thread's track): "B|tgid|text" and
// "E|tgid" at its timestamp.
#ifndef KTR_PERFETTO_ATRACE_H
#define KTR_PERFETTO_ATRACE_H

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ktr::perfetto {

/// Whether @text is in atrace form: one of B E C S F I N G H, then '|'.
bool is_atrace(std::string_view text);

/// The print texts of a marker written by process @tgid: @text itself when
/// it is in atrace form, else the begin and end of a zero-length slice
/// named @text without its trailing newlines ("(empty marker)" when
/// nothing is left).
std::vector<std::string> marker_prints(std::string_view text, std::int32_t tgid);

} // namespace ktr::perfetto

#endif // KTR_PERFETTO_ATRACE_H
