// SPDX-License-Identifier: MIT
//
// Durations on the command line: "5s", "100ms", "1.5s", "2m".
#ifndef KTR_DURATION_H
#define KTR_DURATION_H

#include <chrono>
#include <string_view>

#include "ktr/result.h"

namespace ktr {

/// Parse a non-negative decimal number followed by a unit: ns, us, ms, s, m
/// or h ("5s", "100ms", "1.5s", "2m"). The unit is required: "-d 5" could
/// mean anything. Digits beyond nanosecond precision are truncated.
/// Errors: EINVAL (malformed, negative, unknown unit), ERANGE (more than
/// std::chrono::nanoseconds can hold, about 292 years).
Result<std::chrono::nanoseconds> parse_duration(std::string_view text);

} // namespace ktr

#endif // KTR_DURATION_H
