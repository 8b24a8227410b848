// SPDX-License-Identifier: MIT
//
// Resolving a generic netlink family name to its id (CTRL_CMD_GETFAMILY).
//
// libnl's genl_ctrl_resolve() reports every failure, out-of-memory and socket
// errors included, as NLE_OBJ_NOTFOUND; ktr must tell "module not loaded"
// (the kernel answers ENOENT) apart from everything else, so it asks nlctrl
// itself through the same path as its own requests.
#ifndef KTR_GENL_FAMILY_H
#define KTR_GENL_FAMILY_H

#include <cstdint>
#include <string_view>

#include "ktr/result.h"

struct nl_msg;
struct nl_sock;

namespace ktr::nl {

/// Family id from a CTRL_CMD_NEWFAMILY reply naming family @name.
Result<std::uint16_t> parse_family_reply(nl_msg *reply, std::string_view name);

/// Family id of @name; the kernel's ENOENT comes back as errnum ENOENT.
Result<std::uint16_t> resolve_family(nl_sock *sock, std::string_view name);

} // namespace ktr::nl

#endif // KTR_GENL_FAMILY_H
