// SPDX-License-Identifier: MIT
//
// Owning handles for libnl objects: every nl_sock, nl_msg and nl_cb that
// libktr creates lives in one of these, so no path can leak or double-free it.
#ifndef KTR_NL_HANDLES_H
#define KTR_NL_HANDLES_H

#include <memory>

#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

namespace ktr::nl {

struct SockFree {
	void operator()(nl_sock *sock) const noexcept { nl_socket_free(sock); }
};
struct MsgFree {
	void operator()(nl_msg *msg) const noexcept { nlmsg_free(msg); }
};
struct CbPut {
	void operator()(nl_cb *cb) const noexcept { nl_cb_put(cb); }
};

using SockPtr = std::unique_ptr<nl_sock, SockFree>;
using MsgPtr = std::unique_ptr<nl_msg, MsgFree>;
using CbPtr = std::unique_ptr<nl_cb, CbPut>;

} // namespace ktr::nl

#endif // KTR_NL_HANDLES_H
