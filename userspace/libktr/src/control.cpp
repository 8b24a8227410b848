// SPDX-License-Identifier: MIT
#include "ktr/control.h"

#include <cerrno>
#include <optional>
#include <string_view>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "extack.h"
#include "genl_family.h"
#include "genl_transact.h"
#include "ktr/errors.h"
#include "nl_errno.h"
#include "nl_handles.h"

namespace ktr {

void Control::SockFree::operator()(nl_sock *sock) const noexcept
{
	nl_socket_free(sock);
}

Result<Control> Control::open()
{
	std::unique_ptr<nl_sock, SockFree> sock{nl_socket_alloc()};
	if (!sock)
		return Error{ENOMEM, "out of memory"};
	if (const int rc = genl_connect(sock.get()); rc < 0)
		return nl::libnl_error(rc, "cannot open a generic netlink socket");

	const int fd = nl_socket_get_fd(sock.get());
	nl::enable_extack(fd);
	const timeval timeout{.tv_sec = reply_timeout.count(), .tv_usec = 0};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
		return Error{errno, "cannot set a reply timeout on the netlink socket"};

	Result<std::uint16_t> family = nl::resolve_family(sock.get(), KTR_GENL_NAME);
	if (!family) {
		if (family.error().errnum() == ENOENT)
			return module_not_loaded_error();
		return family.error();
	}
	return Control{std::move(sock), *family};
}

Result<Info> Control::get_info()
{
	constexpr std::string_view name = "KTR_CMD_GET_INFO";

	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, KTR_CMD_GET_INFO,
			 KTR_GENL_VERSION))
		return Error{ENOMEM, "cannot build KTR_CMD_GET_INFO"};

	std::optional<Info> info;
	const Result<void> r = nl::transact(sock_.get(), msg.get(), name,
					    [&](nl_msg *reply) -> Result<void> {
		Result<Info> parsed = parse_info_reply(reply);
		if (!parsed)
			return parsed.error();
		info = std::move(*parsed);
		return {};
	});
	if (!r)
		return r.error();
	if (!info)
		return bad_reply_error(name, "no reply message");
	return std::move(*info);
}

namespace {

Result<void> set_reply_timeout(nl_sock *sock, std::chrono::milliseconds t)
{
	const timeval tv{.tv_sec = static_cast<time_t>(t.count() / 1000),
			 .tv_usec = static_cast<suseconds_t>((t.count() % 1000) * 1000)};
	if (setsockopt(nl_socket_get_fd(sock), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) < 0)
		return Error{errno, "cannot set a reply timeout on the netlink socket"};
	return {};
}

} // namespace

Result<SelftestResult> Control::selftest(const SelftestRequest &req)
{
	constexpr std::string_view name = "KTR_CMD_SELFTEST";

	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, KTR_CMD_SELFTEST,
			 KTR_GENL_VERSION))
		return Error{ENOMEM, "cannot build KTR_CMD_SELFTEST"};
	const auto put = [&](int type, std::optional<std::uint32_t> v) {
		return !v || nla_put_u32(msg.get(), type, *v) == 0;
	};
	std::optional<std::uint32_t> mode;
	if (req.mode)
		mode = static_cast<std::uint32_t>(*req.mode);
	if (!put(KTR_ATTR_SELFTEST_MODE, mode) ||
	    !put(KTR_ATTR_SELFTEST_SUBBUF_SIZE, req.subbuf_size) ||
	    !put(KTR_ATTR_SELFTEST_NR_SUBBUFS, req.nr_subbufs) ||
	    !put(KTR_ATTR_SELFTEST_DURATION_MS, req.duration_ms))
		return Error{ENOMEM, "cannot build KTR_CMD_SELFTEST"};

	const std::chrono::milliseconds duration{
		req.duration_ms.value_or(KTR_SELFTEST_DURATION_MS_DEFAULT)};
	if (Result<void> r = set_reply_timeout(sock_.get(), duration + selftest_grace); !r)
		return r.error();

	std::optional<SelftestResult> result;
	const Result<void> r = nl::transact(
		sock_.get(), msg.get(), name,
		[&](nl_msg *reply) -> Result<void> {
			Result<SelftestResult> parsed = parse_selftest_reply(reply);
			if (!parsed)
				return parsed.error();
			result = std::move(*parsed);
			return {};
		},
		selftest_attr_name);
	(void)set_reply_timeout(sock_.get(), reply_timeout);
	if (!r)
		return r.error();
	if (!result)
		return bad_reply_error(name, "no reply message");
	return std::move(*result);
}

} // namespace ktr
