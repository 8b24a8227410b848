// SPDX-License-Identifier: MIT
#include "genl_transact.h"

#include <cerrno>
#include <cstring>
#include <exception>
#include <new>
#include <optional>
#include <string>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/errno.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/handlers.h>
#include <netlink/netlink.h>

#include "extack.h"
#include "ktr/errors.h"
#include "nl_errno.h"
#include "nl_handles.h"

namespace ktr::nl {

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
	explicit Exchange(const ReplyHandler &handler) : on_reply(&handler) {}

	const ReplyHandler *on_reply;
	bool done = false;
	std::optional<Error> error;	// first error seen
	int kernel_errnum = 0;		// set when the kernel failed the request
	std::string extack;
	std::optional<std::uint32_t> extack_offset;
	std::exception_ptr exception;	// thrown by on_reply

	void fail(Error e)
	{
		if (!error)
			error = std::move(e);
	}
};

// The callbacks run inside libnl (C): no exception may cross them. One
// thrown by a reply handler is carried over and rethrown by transact().

int on_valid(nl_msg *msg, void *arg) noexcept
{
	auto *ex = static_cast<Exchange *>(arg);
	try {
		if (Result<void> r = (*ex->on_reply)(msg); !r)
			ex->fail(r.error());
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
	const nlmsghdr *nlh = nlmsg_hdr(msg);
	ex->done = true;
	ex->kernel_errnum = done_errnum(nlh);
	if (ex->kernel_errnum) {
		try {
			ex->extack = done_extack(nlh);
		} catch (const std::bad_alloc &) {
			// the errno alone still says what failed
		}
	}
	return NL_STOP;
}

int on_error(sockaddr_nl *, nlmsgerr *err, void *arg) noexcept
{
	auto *ex = static_cast<Exchange *>(arg);
	// libnl hands over the payload only; the header sits right before it.
	const auto *nlh = reinterpret_cast<const nlmsghdr *>(
		reinterpret_cast<const unsigned char *>(err) - NLMSG_HDRLEN);
	ex->kernel_errnum = -err->error;
	ex->done = true;
	try {
		ex->extack = extack_message(nlh);
		ex->extack_offset = extack_offset(nlh);
	} catch (const std::bad_alloc &) {
		// the errno alone still says what failed
	}
	return NL_STOP;
}

} // namespace

KernelFailure dump_done_status(const nlmsghdr *nlh)
{
	KernelFailure f;
	f.errnum = done_errnum(nlh);
	if (f.errnum)
		f.extack = done_extack(nlh);
	return f;
}

int attr_type_at(nl_msg *request, std::uint32_t offset)
{
	const nlmsghdr *nlh = nlmsg_hdr(request);
	if (!genlmsg_valid_hdr(const_cast<nlmsghdr *>(nlh), 0))
		return -1;
	const genlmsghdr *gnlh = genlmsg_hdr(const_cast<nlmsghdr *>(nlh));
	nlattr *head = genlmsg_attrdata(gnlh, 0);
	const int len = genlmsg_attrlen(gnlh, 0);
	nlattr *nla;
	int rem;
	nla_for_each_attr(nla, head, len, rem) {
		const auto at = static_cast<std::uint32_t>(reinterpret_cast<const unsigned char *>(nla) -
							    reinterpret_cast<const unsigned char *>(nlh));
		if (at == offset)
			return nla_type(nla);
	}
	return -1;
}

Result<void> transact(nl_sock *sock, nl_msg *request, std::string_view name,
		      const ReplyHandler &on_reply, const AttrNamer &attr_name,
		      KernelFailure *failure)
{
	const CbPtr cb{nl_cb_alloc(NL_CB_DEFAULT)};
	if (!cb)
		return Error{ENOMEM, "out of memory"};

	Exchange ex{on_reply};
	nl_cb_set(cb.get(), NL_CB_VALID, NL_CB_CUSTOM, on_valid, &ex);
	nl_cb_set(cb.get(), NL_CB_ACK, NL_CB_CUSTOM, on_ack, &ex);
	nl_cb_set(cb.get(), NL_CB_FINISH, NL_CB_CUSTOM, on_finish, &ex);
	nl_cb_err(cb.get(), NL_CB_CUSTOM, on_error, &ex);

	// As nl_send_auto(), but a dump asks for no ack: its NLMSG_DONE ends it.
	nl_complete_msg(sock, request);
	nlmsghdr *req = nlmsg_hdr(request);
	if ((req->nlmsg_flags & NLM_F_DUMP) == NLM_F_DUMP)
		req->nlmsg_flags = static_cast<std::uint16_t>(req->nlmsg_flags & ~NLM_F_ACK);
	if (const int rc = nl_send(sock, request); rc < 0)
		return libnl_error(rc, "cannot send " + std::string(name));

	while (!ex.done) {
		const int rc = nl_recvmsgs_report(sock, cb.get());
		if (ex.exception)
			std::rethrow_exception(ex.exception);
		if (ex.kernel_errnum) {
			if (failure)
				*failure = KernelFailure{ex.kernel_errnum, ex.extack};
			std::string extack = ex.extack;
			if (ex.extack_offset && attr_name) {
				const int type = attr_type_at(request, *ex.extack_offset);
				const std::string attr = type >= 0 ? attr_name(type) : "";
				if (!attr.empty() && extack.find(attr) == std::string::npos)
					extack += (extack.empty() ? "" : ": ") + attr;
			}
			return kernel_error(ex.kernel_errnum, name, extack);
		}
		if (rc == 0 || rc == -NLE_AGAIN)
			return Error{ETIMEDOUT, "no answer from the kernel to " + std::string(name) +
					     " (timed out)"};
		if (rc < 0)
			return libnl_error(rc, "cannot receive the answer to " + std::string(name));
	}
	if (ex.error)
		return *ex.error;
	return {};
}

} // namespace ktr::nl
