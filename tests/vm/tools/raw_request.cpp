// SPDX-License-Identifier: MIT
//
// ktr-raw-request: send one request built by hand, including requests
// libktr and the CLI refuse to build: KTR_CMD_ATTACH_RAW / _DETACH_RAW for
// the bad-input checks of tests/vm/events-raw.sh, KTR_CMD_ADD_PROBE /
// _DEL_PROBE for those of tests/vm/probes-*.sh (a definition sent as is,
// never parsed by user space first).
//
//   ktr-raw-request attach|detach [name=STR] [nargs=U32] [nargs8=U8]
//   ktr-raw-request probe-add [def=STR]
//   ktr-raw-request probe-del [name=STR] [all=U8]
//
// Prints the kernel's answer as "errno=N msg=EXTACK" (N = 0 for success)
// and exits 0 whenever an answer came.
#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

#include <linux/netlink.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include <ktr.h>

namespace {

int answer_errno = -1;
std::string answer_msg;

int on_error(sockaddr_nl *, nlmsgerr *err, void *)
{
	answer_errno = -err->error;
	const auto *nlh = reinterpret_cast<const nlmsghdr *>(err) - 1;
	nlattr *tb[NLMSGERR_ATTR_MAX + 1] = {};
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		const std::size_t off = sizeof(*err) +
			((nlh->nlmsg_flags & NLM_F_CAPPED) ? 0 : err->msg.nlmsg_len - sizeof(err->msg));
		auto *attrs = reinterpret_cast<nlattr *>(reinterpret_cast<char *>(err) + off);
		const int len = static_cast<int>(nlh->nlmsg_len - NLMSG_HDRLEN - off);
		if (len > 0 && nla_parse(tb, NLMSGERR_ATTR_MAX, attrs, len, nullptr) == 0 &&
		    tb[NLMSGERR_ATTR_MSG])
			answer_msg = nla_get_string(tb[NLMSGERR_ATTR_MSG]);
	}
	return NL_STOP;
}

int on_ack(nl_msg *, void *)
{
	answer_errno = 0;
	return NL_STOP;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: ktr-raw-request attach|detach|probe-add|probe-del [name=S] [nargs=N] [nargs8=N] [def=S] [all=N]\n");
		return 2;
	}
	const std::string verb = argv[1];
	std::uint8_t cmd = KTR_CMD_DETACH_RAW;
	if (verb == "attach")
		cmd = KTR_CMD_ATTACH_RAW;
	else if (verb == "probe-add")
		cmd = KTR_CMD_ADD_PROBE;
	else if (verb == "probe-del")
		cmd = KTR_CMD_DEL_PROBE;
	nl_sock *sock = nl_socket_alloc();
	if (!sock || genl_connect(sock) < 0) {
		std::perror("genl_connect");
		return 2;
	}
	int one = 1;
	setsockopt(nl_socket_get_fd(sock), SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	const int family = genl_ctrl_resolve(sock, KTR_GENL_NAME);
	if (family < 0) {
		std::fprintf(stderr, "no ktr family\n");
		return 2;
	}
	nl_msg *msg = nlmsg_alloc();
	genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, NLM_F_ACK,
		    cmd, KTR_GENL_VERSION);
	const bool probe = cmd == KTR_CMD_ADD_PROBE || cmd == KTR_CMD_DEL_PROBE;
	for (int i = 2; i < argc; i++) {
		const std::string a = argv[i];
		if (a.starts_with("name="))
			nla_put_string(msg, probe ? KTR_ATTR_PROBE_NAME : KTR_ATTR_RAW_TRACEPOINT,
				       a.c_str() + 5);
		else if (a.starts_with("def="))
			nla_put_string(msg, KTR_ATTR_PROBE_DEF, a.c_str() + 4);
		else if (a.starts_with("all="))
			nla_put_u8(msg, KTR_ATTR_PROBE_ALL,
				   static_cast<std::uint8_t>(std::strtoul(a.c_str() + 4, nullptr, 0)));
		else if (a.starts_with("nargs="))
			nla_put_u32(msg, KTR_ATTR_RAW_NARGS,
				    static_cast<std::uint32_t>(std::strtoul(a.c_str() + 6, nullptr, 0)));
		else if (a.starts_with("nargs8="))
			nla_put_u8(msg, KTR_ATTR_RAW_NARGS,
				   static_cast<std::uint8_t>(std::strtoul(a.c_str() + 7, nullptr, 0)));
	}
	nl_socket_modify_err_cb(sock, NL_CB_CUSTOM, on_error, nullptr);
	nl_socket_modify_cb(sock, NL_CB_ACK, NL_CB_CUSTOM, on_ack, nullptr);
	nl_socket_disable_auto_ack(sock);
	if (nl_send_auto(sock, msg) < 0) {
		std::fprintf(stderr, "send failed\n");
		return 2;
	}
	while (answer_errno < 0)
		if (nl_recvmsgs_default(sock) < 0 && answer_errno < 0)
			break;
	std::printf("errno=%d msg=%s\n", answer_errno, answer_msg.c_str());
	nlmsg_free(msg);
	nl_socket_free(sock);
	return answer_errno < 0 ? 2 : 0;
}
