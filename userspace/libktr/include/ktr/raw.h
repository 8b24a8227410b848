// SPDX-License-Identifier: MIT
//
// Raw attach (KTR_CMD_ATTACH_RAW / KTR_CMD_DETACH_RAW, uapi/ktr.h): what
// Control::attach_raw() and detach_raw() check before asking the module,
// and how their failures are worded. Pure functions, unit-tested.
#ifndef KTR_RAW_H
#define KTR_RAW_H

#include <cstdint>
#include <string_view>

#include "ktr/result.h"

namespace ktr {

/// Most arguments a raw event records (KTR_RAW_NARGS_MAX).
inline constexpr std::uint32_t raw_nargs_max = 6;

/// The system of raw events in `ktr list` ("raw:NAME").
inline constexpr std::string_view raw_system = "raw";

/// Checks a tracepoint name (EINVAL): not empty, shorter than 64 bytes, a
/// C identifier (letters, digits, '_'; not starting with a digit), as the
/// kernel's tracepoint names are.
Result<void> check_tracepoint_name(std::string_view name);

/// @arg without a leading "raw:" (how `ktr list` shows raw events).
std::string_view strip_raw_system(std::string_view arg);

/// How attach (@attach) or detach of tracepoint @name failed when the
/// module answered -@errnum with extended-ack message @extack: ENOENT,
/// EEXIST and EOPNOTSUPP (a module without raw attach) worded here,
/// anything else as kernel_error() words it, @extack included.
Error raw_request_error(bool attach, std::string_view name, int errnum,
			std::string_view extack);

} // namespace ktr

#endif // KTR_RAW_H
