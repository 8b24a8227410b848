// SPDX-License-Identifier: MIT
//
// One generic netlink request/response exchange over libnl, with the kernel's
// errors (errno + extended-ack message) turned into ktr::Error.
#ifndef KTR_GENL_TRANSACT_H
#define KTR_GENL_TRANSACT_H

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ktr/result.h"

struct nl_msg;
struct nl_sock;

namespace ktr::nl {

/// Called for each reply message; an Error stops nothing (the exchange is
/// still read to its end so the socket stays in sync) but is what
/// transact() returns.
using ReplyHandler = std::function<Result<void>(nl_msg *reply)>;

/// Names attribute type @type of the request ("" if unknown), so that an
/// error the kernel pinned on an attribute (extack offset) can say which.
using AttrNamer = std::function<std::string(int type)>;

/// Send @request on @sock (auto port, sequence and ack), then read until the
/// kernel acknowledges or fails it. @name names the request in messages
/// ("KTR_CMD_GET_INFO"). A reply read timeout set on the socket
/// (SO_RCVTIMEO) ends the wait with ETIMEDOUT.
Result<void> transact(nl_sock *sock, nl_msg *request, std::string_view name,
		      const ReplyHandler &on_reply, const AttrNamer &attr_name = {});

/// The type of the top-level attribute of generic netlink message @request
/// that starts at byte @offset, or -1.
int attr_type_at(nl_msg *request, std::uint32_t offset);

} // namespace ktr::nl

#endif // KTR_GENL_TRANSACT_H
