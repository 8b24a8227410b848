// SPDX-License-Identifier: MIT
//
// The real Transport: a libnl generic netlink socket with extended acks
// and a reply timeout. One exchange = send, then read until the kernel's
// ack or error, or, for a dump (NLM_F_DUMP), its NLMSG_DONE, whose error
// code (a dump that failed part-way) counts like an NLMSG_ERROR.
#ifndef KTR_PROTO_NETLINK_TRANSPORT_H
#define KTR_PROTO_NETLINK_TRANSPORT_H

#include <chrono>
#include <memory>

#include "nl_handles.h"
#include "proto/transport.h"

struct nlmsghdr;

namespace ktr::proto {

class NetlinkTransport final : public Transport {
public:
	/// A connected generic netlink socket with extended acks on and
	/// @timeout as its reply timeout.
	static Result<std::unique_ptr<NetlinkTransport>> open(std::chrono::milliseconds timeout);

	Result<KernelAnswer> exchange(nl_msg *request, std::string_view name,
				      const MessageSink &sink) override;
	Result<void> set_reply_timeout(std::chrono::milliseconds timeout) override;

	explicit NetlinkTransport(nl::SockPtr sock) noexcept : sock_(std::move(sock)) {}

private:
	nl::SockPtr sock_;
};

/// The error code of NLMSG_DONE message @nlh (whose nlmsg_len bytes must be
/// readable), as a positive errno (0: the dump completed), and the
/// NLMSGERR_ATTR_MSG the kernel appended to it, if any.
KernelAnswer dump_done_status(const nlmsghdr *nlh);

} // namespace ktr::proto

#endif // KTR_PROTO_NETLINK_TRANSPORT_H
