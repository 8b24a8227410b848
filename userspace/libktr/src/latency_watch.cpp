// SPDX-License-Identifier: MIT
#include "ktr/latency_watch.h"

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include <linux/genetlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <poll.h>
#include <sys/socket.h>

#include <ktr.h>

#include "ktr/errors.h"
#include "nl_errno.h"
#include "nl_handles.h"

namespace ktr {

struct LatencyWatch::Impl {
	nl::SockPtr sock;
};

LatencyWatch::LatencyWatch(std::unique_ptr<Impl> impl) noexcept : impl_(std::move(impl)) {}
LatencyWatch::LatencyWatch(LatencyWatch &&) noexcept = default;
LatencyWatch &LatencyWatch::operator=(LatencyWatch &&) noexcept = default;
LatencyWatch::~LatencyWatch() = default;

Result<LatencyWatch> LatencyWatch::open()
{
	nl::SockPtr sock{nl_socket_alloc()};
	if (!sock)
		return Error{ENOMEM, "out of memory"};
	if (const int rc = genl_connect(sock.get()); rc < 0)
		return nl::libnl_error(rc, "cannot open a generic netlink socket");
	const int grp = genl_ctrl_resolve_grp(sock.get(), KTR_GENL_NAME, KTR_GENL_MCGRP_NOTICES);
	if (grp < 0)
		return module_not_loaded_error();
	nl_socket_disable_seq_check(sock.get());
	if (const int rc = nl_socket_add_membership(sock.get(), grp); rc < 0)
		return nl::libnl_error(rc, "cannot join the ktr \"notices\" group");
	auto impl = std::make_unique<Impl>();
	impl->sock = std::move(sock);
	return LatencyWatch(std::move(impl));
}

Result<void> LatencyWatch::wait(std::chrono::milliseconds timeout,
				const std::function<void(const LatencyNotice &)> &on)
{
	const int fd = nl_socket_get_fd(impl_->sock.get());
	pollfd p{fd, POLLIN, 0};
	const int n = poll(&p, 1, static_cast<int>(timeout.count()));
	if (n < 0)
		return errno == EINTR ? Result<void>{}
				      : Result<void>{Error{errno, "poll on the notices socket"}};
	std::vector<unsigned char> buf(65536);
	for (;;) {
		const ssize_t got = recv(fd, buf.data(), buf.size(), MSG_DONTWAIT);
		if (got < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)
				return {};
			if (errno == ENOBUFS)
				return Error{ENOBUFS, "notices were lost (the socket buffer overflowed)"};
			return Error{errno, "reading the notices socket"};
		}
		int len = static_cast<int>(got);
		for (auto *nlh = reinterpret_cast<nlmsghdr *>(buf.data()); nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_len < NLMSG_HDRLEN + GENL_HDRLEN ||
			    static_cast<genlmsghdr *>(nlmsg_data(nlh))->cmd != KTR_CMD_GET_LATENCY)
				continue;
			nl::MsgPtr msg{nlmsg_convert(nlh)};
			if (!msg)
				return Error{ENOMEM, "out of memory"};
			Result<LatencyNotice> notice = parse_latency_notice(msg.get());
			if (!notice)
				return notice.error();
			on(*notice);
		}
	}
}

} // namespace ktr
