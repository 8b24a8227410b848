// SPDX-License-Identifier: MIT
#include "ktr/control.h"

#include <cerrno>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

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
#include "ktr/raw.h"
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

bool Control::module_lacks_events()
{
	const Result<Info> info = get_info();
	return info && info->abi_minor < 3;
}

Result<std::vector<EventInfo>> Control::list_events()
{
	constexpr std::string_view name = "KTR_CMD_LIST_EVENTS";

	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, NLM_F_DUMP,
			 KTR_CMD_LIST_EVENTS, KTR_GENL_VERSION))
		return Error{ENOMEM, "cannot build KTR_CMD_LIST_EVENTS"};

	std::vector<EventInfo> events;
	nl::KernelFailure failure;
	const Result<void> r = nl::transact(
		sock_.get(), msg.get(), name,
		[&](nl_msg *reply) -> Result<void> {
			Result<EventInfo> ev = parse_event_message(reply);
			if (!ev)
				return ev.error();
			events.push_back(std::move(*ev));
			return {};
		},
		event_attr_name, &failure);
	if (!r) {
		// An unknown command: EOPNOTSUPP from generic netlink (EINVAL from
		// some kernels' validation). Nothing else fails an empty dump so.
		if (failure.errnum == EOPNOTSUPP || failure.errnum == EINVAL)
			return no_event_list_error();
		return r.error();
	}
	if (Result<FormatTable> table = formats_from(events); !table)
		return bad_reply_error(name, table.error().message());
	return events;
}

Result<std::uint32_t> Control::set_events(std::string_view glob, bool enable)
{
	const std::string_view name = enable ? "KTR_CMD_ENABLE_EVENTS" : "KTR_CMD_DISABLE_EVENTS";
	const auto cmd = static_cast<std::uint8_t>(enable ? KTR_CMD_ENABLE_EVENTS
							  : KTR_CMD_DISABLE_EVENTS);
	if (Result<void> ok = check_event_glob(glob); !ok)
		return ok.error();

	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	const std::string text{glob};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, cmd,
			 KTR_GENL_VERSION) ||
	    nla_put_string(msg.get(), KTR_ATTR_EVENT_GLOB, text.c_str()) < 0)
		return Error{ENOMEM, "cannot build " + std::string(name)};

	std::optional<std::uint32_t> count;
	nl::KernelFailure failure;
	const Result<void> r = nl::transact(
		sock_.get(), msg.get(), name,
		[&](nl_msg *reply) -> Result<void> {
			Result<std::uint32_t> n = parse_event_count_reply(reply, cmd);
			if (!n)
				return n.error();
			count = *n;
			return {};
		},
		event_attr_name, &failure);
	if (!r) {
		switch (failure.errnum) {
		case EOPNOTSUPP:
		case EINVAL:
			// An unknown command, or the module's own refusal?
			if (module_lacks_events())
				return no_event_control_error();
			if (failure.errnum == EINVAL)
				return r.error();
			[[fallthrough]];
		case ENOENT:
			return event_request_error(enable, glob, failure.errnum, failure.extack);
		default:
			return r.error();
		}
	}
	if (!count)
		return bad_reply_error(name, "no reply message");
	return *count;
}

Result<std::uint32_t> Control::enable_events(std::string_view glob)
{
	return set_events(glob, true);
}

Result<std::uint32_t> Control::disable_events(std::string_view glob)
{
	return set_events(glob, false);
}

Result<void> Control::raw_request(bool attach, std::string_view name, std::uint32_t nargs)
{
	const std::string_view req = attach ? "KTR_CMD_ATTACH_RAW" : "KTR_CMD_DETACH_RAW";
	if (!attach)
		name = strip_raw_system(name);
	if (Result<void> ok = check_tracepoint_name(name); !ok)
		return ok.error();
	if (attach && nargs > raw_nargs_max)
		return Error{ERANGE, "at most " + std::to_string(raw_nargs_max) +
					     " arguments can be recorded, not " + std::to_string(nargs)};

	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	const std::string text{name};
	const auto cmd = static_cast<std::uint8_t>(attach ? KTR_CMD_ATTACH_RAW : KTR_CMD_DETACH_RAW);
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, cmd,
			 KTR_GENL_VERSION) ||
	    nla_put_string(msg.get(), KTR_ATTR_RAW_TRACEPOINT, text.c_str()) < 0 ||
	    (attach && nla_put_u32(msg.get(), KTR_ATTR_RAW_NARGS, nargs) < 0))
		return Error{ENOMEM, "cannot build " + std::string(req)};

	nl::KernelFailure failure;
	const Result<void> r = nl::transact(
		sock_.get(), msg.get(), req, [](nl_msg *) -> Result<void> { return {}; },
		[](int type) -> std::string {
			if (type == KTR_ATTR_RAW_TRACEPOINT)
				return "KTR_ATTR_RAW_TRACEPOINT";
			if (type == KTR_ATTR_RAW_NARGS)
				return "KTR_ATTR_RAW_NARGS";
			return "";
		},
		&failure);
	if (!r) {
		if (failure.errnum == 0)	// not the kernel's answer
			return r.error();
		return raw_request_error(attach, name, failure.errnum, failure.extack);
	}
	return {};
}

Result<void> Control::attach_raw(std::string_view name, std::uint32_t nargs)
{
	return raw_request(true, name, nargs);
}

Result<void> Control::detach_raw(std::string_view name)
{
	return raw_request(false, name, 0);
}

} // namespace ktr
