// SPDX-License-Identifier: MIT
#include "genl_client.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <sys/socket.h>

#include <ktr.h>

namespace ktr_tools {

void die(const std::string &what)
{
	std::fprintf(stderr, "%s: %s\n", program_invocation_short_name, what.c_str());
	std::exit(2);
}

Sock::Sock(int fd)
{
	sk = nl_socket_alloc();
	if (!sk)
		die("cannot allocate a netlink socket");
	if (fd >= 0 ? nl_socket_set_fd(sk, NETLINK_GENERIC, fd) < 0 : genl_connect(sk) < 0)
		die("cannot open a generic netlink socket");
	const int one = 1;
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	setsockopt(nl_socket_get_fd(sk), SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
	family = genl_ctrl_resolve(sk, KTR_GENL_NAME);
	if (family < 0)
		die("the ktr family does not exist (module not loaded?)");
}

Sock::~Sock()
{
	nl_socket_free(sk);
}

namespace {

std::string extack_of(const nlmsghdr *nlh, std::size_t off)
{
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS) || nlh->nlmsg_len <= off)
		return {};
	auto *head = reinterpret_cast<nlattr *>(const_cast<char *>(
		reinterpret_cast<const char *>(nlh) + off));
	nlattr *m = nla_find(head, static_cast<int>(nlh->nlmsg_len - off), NLMSGERR_ATTR_MSG);
	if (!m)
		return {};
	return {static_cast<const char *>(nla_data(m)),
		strnlen(static_cast<const char *>(nla_data(m)), static_cast<std::size_t>(nla_len(m)))};
}

} // namespace

void send_request(Sock &s, int cmd, bool dump, const Fill &fill)
{
	nl_msg *m = nlmsg_alloc();
	if (!m || !genlmsg_put(m, NL_AUTO_PORT, NL_AUTO_SEQ, s.family, 0,
			       dump ? NLM_F_DUMP : 0, static_cast<std::uint8_t>(cmd),
			       KTR_GENL_VERSION))
		die("cannot build a message");
	if (fill)
		fill(m);
	if (nl_send_auto(s.sk, m) < 0)
		die("cannot send");
	nlmsg_free(m);
}

Answer receive_answer(Sock &s)
{
	Answer a;
	for (;;) {
		unsigned char *buf = nullptr;
		sockaddr_nl from{};
		const int n = nl_recv(s.sk, &from, &buf, nullptr);
		if (n <= 0)
			die("cannot receive: " + std::to_string(n));
		bool end = false;
		int len = n;
		for (auto *nlh = reinterpret_cast<nlmsghdr *>(buf); nlmsg_ok(nlh, len) && !end;
		     nlh = nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type == NLMSG_ERROR) {
				const auto *e = static_cast<const nlmsgerr *>(nlmsg_data(nlh));
				a.err = -e->error;
				a.msg = extack_of(nlh, NLMSG_HDRLEN + sizeof(nlmsgerr));
				end = true;
			} else if (nlh->nlmsg_type == NLMSG_DONE) {
				int err = 0;
				std::memcpy(&err, nlmsg_data(nlh), sizeof(err));
				a.err = -err;
				a.msg = extack_of(nlh, NLMSG_HDRLEN + sizeof(int));
				end = true;
			} else {
				const char *p = reinterpret_cast<const char *>(nlh);
				a.replies.emplace_back(p, p + nlh->nlmsg_len);
			}
		}
		std::free(buf);
		if (end)
			return a;
	}
}

Answer transact(Sock &s, int cmd, bool dump, const Fill &fill)
{
	send_request(s, cmd, dump, fill);
	return receive_answer(s);
}


} // namespace ktr_tools
