// SPDX-License-Identifier: MIT
//
// Control's requests of ABI minor 4 (uapi/ktr.h, "Control of tracing"):
// start, stop, reset, stats, marker, buffer.
#include <cerrno>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <ktr.h>
#include <ktr_event.h>

#include "genl_transact.h"
#include "ktr/control.h"
#include "ktr/errors.h"
#include "nl_handles.h"

namespace ktr {

Result<void> Control::tracing_request(std::uint8_t cmd, std::string_view name, bool dump,
				      const std::function<bool(nl_msg *)> &build,
				      const std::function<Result<void>(nl_msg *)> &on_reply)
{
	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, dump ? NLM_F_DUMP : 0,
			 cmd, KTR_GENL_VERSION) ||
	    (build && !build(msg.get())))
		return Error{ENOMEM, "cannot build " + std::string(name)};
	nl::KernelFailure failure;
	const Result<void> r =
		nl::transact(sock_.get(), msg.get(), name, on_reply, tracing_attr_name, &failure);
	if (!r && failure.errnum == EOPNOTSUPP && cmd <= KTR_CMD_SET_BUFFER) {
		// An unknown command: a module of ABI minor < 4.
		const Result<Info> info = get_info();
		if (info && info->abi_minor < 4)
			return Error{EOPNOTSUPP, "the loaded ktr module (ABI " +
							 std::to_string(info->abi_major) + "." +
							 std::to_string(info->abi_minor) +
							 ") lacks " + std::string(name) +
							 ": load a newer ktr.ko"};
	}
	return r;
}

namespace {

Result<bool> set_on(Control &ctl, bool on,
		    const std::function<Result<void>(std::uint8_t, std::string_view,
						     const std::function<Result<void>(nl_msg *)> &)>
			    &send)
{
	(void)ctl;
	const auto cmd = static_cast<std::uint8_t>(on ? KTR_CMD_START : KTR_CMD_STOP);
	const std::string_view name = on ? "KTR_CMD_START" : "KTR_CMD_STOP";
	std::optional<bool> state;
	const Result<void> r = send(cmd, name, [&](nl_msg *reply) -> Result<void> {
		Result<bool> v = parse_tracing_on_reply(reply, cmd, name);
		if (!v)
			return v.error();
		state = *v;
		return {};
	});
	if (!r)
		return r.error();
	if (!state)
		return bad_reply_error(name, "no reply message");
	return *state;
}

} // namespace

Result<bool> Control::start()
{
	return set_on(*this, true, [&](std::uint8_t cmd, std::string_view name, const auto &h) {
		return tracing_request(cmd, name, false, {}, h);
	});
}

Result<bool> Control::stop()
{
	return set_on(*this, false, [&](std::uint8_t cmd, std::string_view name, const auto &h) {
		return tracing_request(cmd, name, false, {}, h);
	});
}

Result<void> Control::reset()
{
	constexpr std::string_view name = "KTR_CMD_RESET";
	bool replied = false;
	const Result<void> r =
		tracing_request(KTR_CMD_RESET, name, false, {}, [&](nl_msg *reply) -> Result<void> {
			Result<bool> on = parse_tracing_on_reply(reply, KTR_CMD_RESET, name);
			if (!on)
				return on.error();
			replied = true;
			return {};
		});
	if (!r)
		return r.error();
	if (!replied)
		return bad_reply_error(name, "no reply message");
	return {};
}

Result<std::vector<CpuStats>> Control::get_stats()
{
	std::vector<CpuStats> stats;
	const Result<void> r = tracing_request(
		KTR_CMD_GET_STATS, "KTR_CMD_GET_STATS", true, {},
		[&](nl_msg *reply) -> Result<void> {
			Result<CpuStats> s = parse_stats_message(reply);
			if (!s)
				return s.error();
			stats.push_back(*s);
			return {};
		});
	if (!r)
		return r.error();
	return stats;
}

Result<std::uint32_t> Control::write_marker(std::string_view text)
{
	if (text.empty() || text.size() > KTR_MARKER_MAX)
		return Error{EINVAL, "a marker has 1 to " + std::to_string(KTR_MARKER_MAX) +
					     " bytes, not " + std::to_string(text.size())};
	std::optional<std::uint32_t> cpu;
	const Result<void> r = tracing_request(
		KTR_CMD_WRITE_MARKER, "KTR_CMD_WRITE_MARKER", false,
		[&](nl_msg *msg) {
			return nla_put(msg, KTR_ATTR_MARKER_TEXT, static_cast<int>(text.size()),
				       text.data()) == 0;
		},
		[&](nl_msg *reply) -> Result<void> {
			Result<std::uint32_t> c = parse_marker_reply(reply);
			if (!c)
				return c.error();
			cpu = *c;
			return {};
		});
	if (!r)
		return r.error();
	if (!cpu)
		return bad_reply_error("KTR_CMD_WRITE_MARKER", "no reply message");
	return *cpu;
}

Result<BufferConfig> Control::set_buffer(const BufferRequest &req)
{
	std::optional<BufferConfig> now;
	const Result<void> r = tracing_request(
		KTR_CMD_SET_BUFFER, "KTR_CMD_SET_BUFFER", false,
		[&](nl_msg *msg) {
			nlattr *nest = nla_nest_start(msg, KTR_ATTR_BUFFER);
			if (!nest)
				return false;
			if ((req.subbuf_size &&
			     nla_put_u32(msg, KTR_BUFFER_SUBBUF_SIZE, *req.subbuf_size) < 0) ||
			    (req.nr_subbufs &&
			     nla_put_u32(msg, KTR_BUFFER_NR_SUBBUFS, *req.nr_subbufs) < 0) ||
			    (req.mode && nla_put_u32(msg, KTR_BUFFER_MODE, *req.mode) < 0))
				return false;
			nla_nest_end(msg, nest);
			return true;
		},
		[&](nl_msg *reply) -> Result<void> {
			Result<BufferConfig> c = parse_buffer_reply(reply);
			if (!c)
				return c.error();
			now = *c;
			return {};
		});
	if (!r)
		return r.error();
	if (!now)
		return bad_reply_error("KTR_CMD_SET_BUFFER", "no reply message");
	return *now;
}

} // namespace ktr
