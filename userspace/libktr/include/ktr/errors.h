// SPDX-License-Identifier: MIT
//
// The control-plane failures a user can run into, each turned into one line
// that says what was wrong and what to do. Pure functions: unit-tested
// without a kernel.
#ifndef KTR_ERRORS_H
#define KTR_ERRORS_H

#include <cstdint>
#include <string>
#include <string_view>

#include "ktr/result.h"

namespace ktr {

/// The "ktr" generic netlink family does not exist (ENOENT).
Error module_not_loaded_error();

/// The module speaks another ABI major than this tool was built for (EPROTO).
Error abi_mismatch_error(std::uint32_t module_major, std::uint32_t module_minor);

/// The kernel answered @request with -@errnum, maybe with an extended-ack
/// message. EPERM/EACCES get the "needs CAP_PERFMON" advice.
/// @request names the request for the user, e.g. "KTR_CMD_GET_INFO".
Error kernel_error(int errnum, std::string_view request, std::string_view extack);

/// A reply that does not follow the ABI (EPROTO).
Error bad_reply_error(std::string_view request, std::string_view what);

/// The description of @errnum ("No such file or directory"), thread-safe.
std::string errno_text(int errnum);

/// Make @text safe to print on one line: control characters become spaces,
/// runs of whitespace collapse, leading/trailing whitespace goes.
std::string one_line(std::string_view text);

} // namespace ktr

#endif // KTR_ERRORS_H
