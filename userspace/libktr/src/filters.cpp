// SPDX-License-Identifier: MIT
#include "ktr/filters.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <ktr.h>
#include <ktr_event.h>

namespace ktr {

namespace {

Error bad(const std::string &what)
{
	return Error{EPROTO, "malformed KTR_CMD_GET_FILTERS reply: " + what};
}

// NUL-terminated names, back to back.
std::optional<std::vector<std::string>> split_names(const char *p, std::size_t len)
{
	if (len == 0 || p[len - 1] != '\0')
		return std::nullopt;
	std::vector<std::string> names;
	for (std::size_t i = 0; i < len;) {
		const std::size_t n = std::strlen(p + i);
		names.emplace_back(p + i, n);
		i += n + 1;
	}
	return names;
}

std::vector<std::uint32_t> bits_to_cpus(const std::uint8_t *p, std::size_t len)
{
	std::vector<std::uint32_t> cpus;
	for (std::size_t w = 0; w + 8 <= len; w += 8) {
		std::uint64_t word;
		std::memcpy(&word, p + w, 8);
		for (unsigned b = 0; b < 64; b++)
			if (word & (std::uint64_t{1} << b))
				cpus.push_back(static_cast<std::uint32_t>(w / 8 * 64 + b));
	}
	return cpus;
}

Result<FilterState::Event> parse_event_filter(nlattr *nest)
{
	nlattr *a[KTR_ATTR_MAX + 1];
	if (nla_parse_nested(a, KTR_ATTR_MAX, nest, nullptr) < 0)
		return bad("an event filter is not a valid nest");
	FilterState::Event ev;
	if (!a[KTR_ATTR_EVENT_ID] || nla_len(a[KTR_ATTR_EVENT_ID]) != 4 ||
	    !a[KTR_ATTR_EVENT_NAME] || !a[KTR_ATTR_EVENT_STACK] ||
	    nla_len(a[KTR_ATTR_EVENT_STACK]) != 1)
		return bad("an event filter lacks its id, name or stack flag");
	ev.id = nla_get_u32(a[KTR_ATTR_EVENT_ID]);
	const int nlen = nla_len(a[KTR_ATTR_EVENT_NAME]);
	const auto *name = static_cast<const char *>(nla_data(a[KTR_ATTR_EVENT_NAME]));
	if (nlen < 1 || name[nlen - 1] != '\0' || nlen > static_cast<int>(KTR_EVENT_NAME_MAX))
		return bad("an event name is not a string");
	ev.name = name;
	ev.stack = nla_get_u8(a[KTR_ATTR_EVENT_STACK]) != 0;
	if (nlattr *t = a[KTR_ATTR_FILTER_TEXT]) {
		const int len = nla_len(t);
		const auto *text = static_cast<const char *>(nla_data(t));
		if (len < 1 || text[len - 1] != '\0' || len > static_cast<int>(KTR_FILTER_TEXT_MAX))
			return bad("the filter of " + ev.name + " is not a string");
		ev.filter = text;
	}
	return ev;
}

} // namespace

Result<void> check_task_filter(const TaskFilter &f)
{
	if (!f.pids && !f.follow && !f.comms && !f.cpus)
		return Error{EINVAL, "no filter given"};
	if (f.pids) {
		if (f.pids->size() > KTR_FILTER_PIDS_MAX)
			return Error{EINVAL, "at most " + std::to_string(KTR_FILTER_PIDS_MAX) +
						     " process ids can be filtered"};
		for (const std::int32_t pid : *f.pids)
			if (pid <= 0)
				return Error{EINVAL, "process id " + std::to_string(pid) +
							     " is not valid (must be > 0)"};
	}
	if (f.follow && *f.follow && f.pids && f.pids->empty())
		return Error{EINVAL, "following children needs process ids"};
	if (f.comms) {
		if (f.comms->size() > KTR_FILTER_COMMS_MAX)
			return Error{EINVAL, "at most " + std::to_string(KTR_FILTER_COMMS_MAX) +
						     " command names can be filtered"};
		for (const std::string &c : *f.comms)
			if (c.empty() || c.size() >= KTR_COMM_LEN || c.find('\0') != std::string::npos)
				return Error{EINVAL, "command name '" + c +
							     "' must be 1 to 15 bytes (the kernel keeps 15)"};
	}
	if (f.cpus)
		for (const std::uint32_t cpu : *f.cpus)
			if (cpu >= KTR_FILTER_CPUS_MAX)
				return Error{EINVAL, "CPU " + std::to_string(cpu) + " is out of range"};
	return {};
}

Result<FilterState> parse_filters_reply(nl_msg *reply)
{
	nlattr *a[KTR_ATTR_MAX + 1];
	if (genlmsg_parse(nlmsg_hdr(reply), 0, a, KTR_ATTR_MAX, nullptr) < 0)
		return bad("cannot parse its attributes");
	FilterState st;
	if (nlattr *p = a[KTR_ATTR_FILTER_PIDS]) {
		const int len = nla_len(p);
		if (len % 4 != 0)
			return bad("KTR_ATTR_FILTER_PIDS is not a list of 32-bit ids");
		std::vector<std::int32_t> pids(static_cast<std::size_t>(len) / 4);
		std::memcpy(pids.data(), nla_data(p), static_cast<std::size_t>(len));
		st.pids = std::move(pids);
		if (!a[KTR_ATTR_FILTER_FOLLOW] || nla_len(a[KTR_ATTR_FILTER_FOLLOW]) != 1 ||
		    !a[KTR_ATTR_FILTER_TRACKED] || nla_len(a[KTR_ATTR_FILTER_TRACKED]) != 4)
			return bad("process ids without their follow flag and count");
		st.follow = nla_get_u8(a[KTR_ATTR_FILTER_FOLLOW]) != 0;
		st.tracked = nla_get_u32(a[KTR_ATTR_FILTER_TRACKED]);
	}
	if (nlattr *c = a[KTR_ATTR_FILTER_COMMS]) {
		auto names = split_names(static_cast<const char *>(nla_data(c)),
					 static_cast<std::size_t>(nla_len(c)));
		if (!names)
			return bad("KTR_ATTR_FILTER_COMMS is not a list of names");
		st.comms = std::move(*names);
	}
	if (nlattr *c = a[KTR_ATTR_FILTER_CPUS]) {
		if (nla_len(c) % 8 != 0)
			return bad("KTR_ATTR_FILTER_CPUS is not a bitmap of 64-bit words");
		st.cpus = bits_to_cpus(static_cast<const std::uint8_t *>(nla_data(c)),
				       static_cast<std::size_t>(nla_len(c)));
	}
	nlattr *attr;
	int rem;
	nla_for_each_attr(attr, genlmsg_attrdata(genlmsg_hdr(nlmsg_hdr(reply)), 0),
			  genlmsg_attrlen(genlmsg_hdr(nlmsg_hdr(reply)), 0), rem)
	{
		if (nla_type(attr) != KTR_ATTR_EVENT_FILTER)
			continue;
		Result<FilterState::Event> ev = parse_event_filter(attr);
		if (!ev)
			return ev.error();
		st.events.push_back(std::move(*ev));
	}
	return st;
}

Result<std::vector<EventFilterRequest>>
event_filter_requests(const std::vector<EventInfo> &events, std::string_view glob,
		      const std::optional<std::string> &expr, std::optional<bool> stack)
{
	std::vector<EventFilterRequest> reqs;
	for (const EventInfo &ev : events) {
		// Events without a tracepoint (markers, stacks) cannot be filtered.
		if (ev.format.system == "ktr" || !event_matches(ev.format, glob))
			continue;
		EventFilterRequest req;
		req.event = ev.format.system + ":" + ev.format.name;
		req.stack = stack;
		if (expr) {
			Result<FilterProgram> prog = compile_filter(ev.format, *expr);
			if (!prog)
				return prog.error();
			req.action = EventFilterRequest::Program::Set;
			req.program = std::move(*prog);
		}
		reqs.push_back(std::move(req));
	}
	if (reqs.empty())
		return Error{EINVAL, "no event that can be filtered matches '" + std::string(glob) +
					     "' (see 'ktr list')"};
	return reqs;
}

std::string format_filter_state(const FilterState &st)
{
	if (st.empty())
		return "no filters: every event of every task on every CPU is recorded\n";
	std::string out;
	if (st.pids) {
		out += "pids:";
		for (const std::int32_t pid : *st.pids)
			out += " " + std::to_string(pid);
		if (st.follow)
			out += " and their children (" + std::to_string(st.tracked) +
			       " processes traced now)";
		out += "\n";
	}
	if (st.comms) {
		out += "comms:";
		for (const std::string &c : *st.comms)
			out += " " + c;
		out += "\n";
	}
	if (st.cpus) {
		out += "cpus:";
		for (const std::uint32_t cpu : *st.cpus)
			out += " " + std::to_string(cpu);
		out += "\n";
	}
	for (const FilterState::Event &ev : st.events) {
		out += ev.name + ":";
		if (ev.filter)
			out += " filter '" + *ev.filter + "'";
		if (ev.stack)
			out += " stack";
		out += "\n";
	}
	return out;
}

} // namespace ktr
