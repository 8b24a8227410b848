// SPDX-License-Identifier: MIT
//
// Plain numbers on the command line.
#ifndef KTR_NUMBER_H
#define KTR_NUMBER_H

#include <cstdint>
#include <string_view>

#include "ktr/result.h"

namespace ktr {

/// A positive whole decimal number ("1", "1000"); rejects "", "0", "-1",
/// "+1", "1e3", " 1" (EINVAL) and values above UINT64_MAX (ERANGE).
Result<std::uint64_t> parse_count(std::string_view text);

} // namespace ktr

#endif // KTR_NUMBER_H
