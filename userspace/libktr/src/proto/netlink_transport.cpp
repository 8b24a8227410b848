// SPDX-License-Identifier: MIT
#include "proto/netlink_transport.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <string>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/handlers.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "extack.h"
#include "nl_errno.h"

namespace ktr::proto {

namespace {

// NLMSG_DONE (see netlink_dump_done() in the kernel):
//
//   struct nlmsghdr          type NLMSG_DONE, flags NLM_F_MULTI [| NLM_F_ACK_TLVS]
//   int                      0, or the -errno that ended the dump
//   struct nlattr ...        NLMSGERR_ATTR_MSG (only with NLM_F_ACK_TLVS)
constexpr std::size_t done_err_offset = NLMSG_HDRLEN;
constexpr std::size_t done_tlv_offset = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(int));

int done_errnum(const nlmsghdr *nlh) noexcept
{
	if (nlh->nlmsg_type != NLMSG_DONE || nlh->nlmsg_len < done_err_offset + sizeof(int))
		return 0;	// an old kernel's bare NLMSG_DONE: the dump completed
	int err = 0;
	std::memcpy(&err, reinterpret_cast<const unsigned char *>(nlh) + done_err_offset,
		    sizeof(err));
	if (err >= 0)
		return 0;
	return err > -4096 ? -err : EPROTO;	// not an errno: never negate INT_MIN
}

std::string done_extack(const nlmsghdr *nlh)
{
	if (nlh->nlmsg_type != NLMSG_DONE || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS) ||
	    nlh->nlmsg_len <= done_tlv_offset)
		return {};
	const auto *attrs = reinterpret_cast<const nlattr *>(
		reinterpret_cast<const unsigned char *>(nlh) + done_tlv_offset);
	const nlattr *msg = nla_find(attrs, static_cast<int>(nlh->nlmsg_len - done_tlv_offset),
				     NLMSGERR_ATTR_MSG);
	if (!msg || nla_len(msg) <= 0)
		return {};
	const auto *text = static_cast<const char *>(nla_data(msg));
	return {text, strnlen(text, static_cast<std::size_t>(nla_len(msg)))};
}

struct Exchange {
	explicit Exchange(const MessageSink &s) : sink(&s) {}

	const MessageSink *sink;
	bool done = false;
	KernelAnswer answer;
	std::exception_ptr exception;	// thrown by the sink
};

// The callbacks run inside libnl (C): no exception may cross them. One
// thrown by the sink is carried over and rethrown by exchange().

int on_valid(nl_msg *msg, void *arg) noexcept
{
	auto *ex = static_cast<Exchange *>(arg);
	try {
		(*ex->sink)(msg);
	} catch (...) {
		ex->exception = std::current_exception();
		return NL_STOP;
	}
	return NL_OK;
}

int on_ack(nl_msg *, void *arg) noexcept
{
	static_cast<Exchange *>(arg)->done = true;
	return NL_STOP;
}

// The end of a dump: its error code, if any, fails the request.
int on_finish(nl_msg *msg, void *arg) noexcept
{
	auto *ex = static_cast<Exchange *>(arg);
	ex->done = true;
	try {
		ex->answer = dump_done_status(nlmsg_hdr(msg));
	} catch (const std::bad_alloc &) {
		ex->answer.errnum = done_errnum(nlmsg_hdr(msg));	// the errno alone still says what failed
	}
	return NL_STOP;
}

int on_error(sockaddr_nl *, nlmsgerr *err, void *arg) noexcept
{
	auto *ex = static_cast<Exchange *>(arg);
	// libnl hands over the payload only; the header sits right before it.
	const auto *nlh = reinterpret_cast<const nlmsghdr *>(
		reinterpret_cast<const unsigned char *>(err) - NLMSG_HDRLEN);
	ex->answer.errnum = -err->error;
	ex->done = true;
	try {
		ex->answer.extack = nl::extack_message(nlh);
		ex->answer.extack_offset = nl::extack_offset(nlh);
	} catch (const std::bad_alloc &) {
		// the errno alone still says what failed
	}
	return NL_STOP;
}

timeval to_timeval(std::chrono::milliseconds t)
{
	return timeval{.tv_sec = static_cast<time_t>(t.count() / 1000),
		       .tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000)};
}

} // namespace

KernelAnswer dump_done_status(const nlmsghdr *nlh)
{
	KernelAnswer a;
	a.errnum = done_errnum(nlh);
	if (a.errnum)
		a.extack = done_extack(nlh);
	return a;
}

Result<std::unique_ptr<NetlinkTransport>> NetlinkTransport::open(std::chrono::milliseconds timeout)
{
	nl::SockPtr sock{nl_socket_alloc()};
	if (!sock)
		return Error{ENOMEM, "out of memory"};
	if (const int rc = genl_connect(sock.get()); rc < 0)
		return nl::libnl_error(rc, "cannot open a generic netlink socket");
	nl::enable_extack(nl_socket_get_fd(sock.get()));
	auto t = std::make_unique<NetlinkTransport>(std::move(sock));
	if (Result<void> r = t->set_reply_timeout(timeout); !r)
		return r.error();
	return t;
}

Result<void> NetlinkTransport::set_reply_timeout(std::chrono::milliseconds timeout)
{
	const timeval tv = to_timeval(timeout);
	if (setsockopt(nl_socket_get_fd(sock_.get()), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return Error{errno, "cannot set a reply timeout on the netlink socket"};
	return {};
}

Result<KernelAnswer> NetlinkTransport::exchange(nl_msg *request, std::string_view name,
						const MessageSink &sink)
{
	const nl::CbPtr cb{nl_cb_alloc(NL_CB_DEFAULT)};
	if (!cb)
		return Error{ENOMEM, "out of memory"};

	Exchange ex{sink};
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
	nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ex);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &ex);

	// As nl_send_auto(), but a dump asks for no ack: its NLMSG_DONE ends it.
	nl_complete_msg(sock_.get(), request);
	nlmsghdr *req = nlmsg_hdr(request);
	if ((req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		req->nlmsg_flags = static_cast<std::uint16_t>(req->nlmsg_flags & ~NLM_F_ACK);
	if (const int rc = nl_send(sock_.get(), request); rc < 0)
		return nl::libnl_error(rc, "cannot send " + std::string(name));

	while (!ex.done) {
		const int rc = nl_recvmsgs_report(sock_.get(), cb.get());
		if (ex.exception)
			std::rethrow_exception(ex.exception);
		if (ex.answer.errnum)
			break;
		if (rc == 0 || rc == -NLE_AGAIN)
			return Error{ETIMEDOUT, "no answer from the kernel to " + std::string(name) +
					     " (timed out)"};
		if (rc < 0)
			return nl::libnl_error(rc, "cannot receive the answer to " + std::string(name));
	}
	return std::move(ex.answer);
}

} // namespace ktr::proto
