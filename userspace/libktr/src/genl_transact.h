// SPDX-License-Identifier: MIT
//
// One generic netlink request/response exchange over libnl, with the kernel's
// errors (errno + extended-ack message) turned into ktr::Error. A dump
// request (NLM_F_DUMP) is read to its NLMSG_DONE, whose error code (a dump
// that failed part-way) counts like an NLMSG_ERROR.
#ifndef KTR_GENL_TRANSACT_H
#define KTR_GENL_TRANSACT_H

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "ktr/result.h"

struct nl_msg;
struct nl_sock;
struct nlmsghdr;

namespace ktr::nl {

/// Called for each reply message; an Error stops nothing (the exchange is
/// still read to its end so the socket stays in sync) but is what
/// transact() returns.
using ReplyHandler = std::function<Result<void>(nl_msg *reply)>;

/// Names attribute type @type of the request ("" if unknown), so that an
/// error the kernel pinned on an attribute (extack offset) can say which.
using AttrNamer = std::function<std::string(int type)>;

/// How the kernel failed a request: its errno (positive) and extended-ack
/// message ("" if none).
struct KernelFailure {
	int errnum = 0;
	std::string extack;
};

/// Send @request on @sock (auto port, sequence and ack), then read until the
/// kernel acknowledges or fails it, or, for a dump, until its NLMSG_DONE.
/// @name names the request in messages ("KTR_CMD_GET_INFO"). A reply read
/// timeout set on the socket (SO_RCVTIMEO) ends the wait with ETIMEDOUT.
/// When the kernel fails the request, the Error is kernel_error()'s and, if
/// @failure is given, *@failure says what the kernel sent (for callers that
/// word some errors themselves).
Result<void> transact(nl_sock *sock, nl_msg *request, std::string_view name,
		      const ReplyHandler &on_reply, const AttrNamer &attr_name = {},
		      KernelFailure *failure = nullptr);

/// The error code of NLMSG_DONE message @nlh (whose nlmsg_len bytes must be
/// readable), as a positive errno (0: the dump completed), and the
/// NLMSGERR_ATTR_MSG the kernel appended to it, if any.
KernelFailure dump_done_status(const nlmsghdr *nlh);

/// The type of the top-level attribute of generic netlink message @request
/// that starts at byte @offset, or -1.
int attr_type_at(nl_msg *request, std::uint32_t offset);

} // namespace ktr::nl

#endif // KTR_GENL_TRANSACT_H
