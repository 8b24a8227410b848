// SPDX-License-Identifier: MIT
//
// The filter commands of ktr::Control (control.h).
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <ktr.h>

#include "genl_transact.h"
#include "ktr/control.h"
#include "ktr/errors.h"
#include "nl_handles.h"

namespace ktr {

namespace {

std::string filter_attr_name(int type)
{
	switch (type) {
	case KTR_ATTR_EVENT_NAME: return "KTR_ATTR_EVENT_NAME";
	case KTR_ATTR_FILTER_PIDS: return "KTR_ATTR_FILTER_PIDS";
	case KTR_ATTR_FILTER_FOLLOW: return "KTR_ATTR_FILTER_FOLLOW";
	case KTR_ATTR_FILTER_COMMS: return "KTR_ATTR_FILTER_COMMS";
	case KTR_ATTR_FILTER_CPUS: return "KTR_ATTR_FILTER_CPUS";
	case KTR_ATTR_FILTER_PROG: return "KTR_ATTR_FILTER_PROG";
	case KTR_ATTR_FILTER_STRINGS: return "KTR_ATTR_FILTER_STRINGS";
	case KTR_ATTR_FILTER_TEXT: return "KTR_ATTR_FILTER_TEXT";
	case KTR_ATTR_EVENT_STACK: return "KTR_ATTR_EVENT_STACK";
	default: return "";
	}
}

nl::MsgPtr request(std::uint16_t family, std::uint8_t cmd)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (msg && !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0, 0, cmd,
				KTR_GENL_VERSION))
		msg.reset();
	return msg;
}

} // namespace

Result<void> Control::ack_request(nl_msg *msg, std::string_view name)
{
	bool replied = false;
	Result<void> r = nl::transact(
		sock_.get(), msg, name,
		[&](nl_msg *) -> Result<void> {
			replied = true;
			return {};
		},
		filter_attr_name);
	if (!r)
		return r;
	if (replied)
		return bad_reply_error(name, "a reply where only an acknowledgement was due");
	return {};
}

Result<void> Control::set_task_filter(const TaskFilter &f)
{
	constexpr std::string_view name = "KTR_CMD_SET_TASK_FILTER";
	if (Result<void> ok = check_task_filter(f); !ok)
		return ok;
	nl::MsgPtr msg = request(family_, KTR_CMD_SET_TASK_FILTER);
	if (!msg)
		return Error{ENOMEM, "cannot build " + std::string(name)};
	int rc = 0;
	if (f.pids)
		rc |= nla_put(msg.get(), KTR_ATTR_FILTER_PIDS,
			      static_cast<int>(f.pids->size() * sizeof(std::int32_t)),
			      f.pids->data());
	if (f.follow)
		rc |= nla_put_u8(msg.get(), KTR_ATTR_FILTER_FOLLOW, *f.follow ? 1 : 0);
	if (f.comms) {
		std::string blob;
		for (const std::string &c : *f.comms)
			blob += c + '\0';
		rc |= nla_put(msg.get(), KTR_ATTR_FILTER_COMMS, static_cast<int>(blob.size()),
			      blob.data());
	}
	if (f.cpus) {
		std::uint32_t top = 0;
		for (const std::uint32_t cpu : *f.cpus)
			top = std::max(top, cpu + 1);
		std::vector<std::uint64_t> words((top + 63) / 64);
		for (const std::uint32_t cpu : *f.cpus)
			words[cpu / 64] |= std::uint64_t{1} << (cpu % 64);
		rc |= nla_put(msg.get(), KTR_ATTR_FILTER_CPUS,
			      static_cast<int>(words.size() * sizeof(std::uint64_t)), words.data());
	}
	if (rc < 0)
		return Error{ENOMEM, "cannot build " + std::string(name)};
	return ack_request(msg.get(), name);
}

Result<void> Control::set_event_filter(const EventFilterRequest &req)
{
	constexpr std::string_view name = "KTR_CMD_SET_EVENT_FILTER";
	nl::MsgPtr msg = request(family_, KTR_CMD_SET_EVENT_FILTER);
	if (!msg)
		return Error{ENOMEM, "cannot build " + std::string(name)};
	int rc = nla_put_string(msg.get(), KTR_ATTR_EVENT_NAME, req.event.c_str());
	switch (req.action) {
	case EventFilterRequest::Program::Keep:
		break;
	case EventFilterRequest::Program::Clear:
		rc |= nla_put(msg.get(), KTR_ATTR_FILTER_PROG, 0, nullptr);
		break;
	case EventFilterRequest::Program::Set:
		rc |= nla_put(msg.get(), KTR_ATTR_FILTER_PROG,
			      static_cast<int>(req.program.insns.size() * sizeof(ktr_filter_insn)),
			      req.program.insns.data());
		if (!req.program.strings.empty())
			rc |= nla_put(msg.get(), KTR_ATTR_FILTER_STRINGS,
				      static_cast<int>(req.program.strings.size()),
				      req.program.strings.data());
		rc |= nla_put_string(msg.get(), KTR_ATTR_FILTER_TEXT, req.program.text.c_str());
		break;
	}
	if (req.stack)
		rc |= nla_put_u8(msg.get(), KTR_ATTR_EVENT_STACK, *req.stack ? 1 : 0);
	if (rc < 0)
		return Error{ENOMEM, "cannot build " + std::string(name)};
	return ack_request(msg.get(), name);
}

Result<FilterState> Control::get_filters()
{
	constexpr std::string_view name = "KTR_CMD_GET_FILTERS";
	nl::MsgPtr msg = request(family_, KTR_CMD_GET_FILTERS);
	if (!msg)
		return Error{ENOMEM, "cannot build " + std::string(name)};
	std::optional<FilterState> state;
	Result<void> r = nl::transact(
		sock_.get(), msg.get(), name,
		[&](nl_msg *reply) -> Result<void> {
			Result<FilterState> st = parse_filters_reply(reply);
			if (!st)
				return st.error();
			state = std::move(*st);
			return {};
		},
		filter_attr_name);
	if (!r)
		return r.error();
	if (!state)
		return bad_reply_error(name, "no reply message");
	return std::move(*state);
}

Result<void> Control::clear_filters()
{
	constexpr std::string_view name = "KTR_CMD_CLEAR_FILTERS";
	nl::MsgPtr msg = request(family_, KTR_CMD_CLEAR_FILTERS);
	if (!msg)
		return Error{ENOMEM, "cannot build " + std::string(name)};
	return ack_request(msg.get(), name);
}

} // namespace ktr
