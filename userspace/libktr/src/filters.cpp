// SPDX-License-Identifier: MIT
#include "ktr/filters.h"

#include <cerrno>
#include <cstring>
#include <string>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/errors.h"
#include "replies.h"

namespace ktr {

namespace {

constexpr std::string_view request_name = "KTR_CMD_GET_FILTERS";

Error bad(const std::string &what)
{
	return bad_reply_error(request_name, what);
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

Result<FilterState::Event> parse_event_filter(const proto::Attrs &a)
{
	if (std::string p = a.check({KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_NAME, KTR_ATTR_EVENT_STACK});
	    !p.empty())
		return bad("an event filter: " + p);
	FilterState::Event ev;
	ev.id = a.u32(KTR_ATTR_EVENT_ID);
	ev.name = a.str(KTR_ATTR_EVENT_NAME);
	ev.stack = a.flag(KTR_ATTR_EVENT_STACK);
	if (a.has(KTR_ATTR_FILTER_TEXT))
		ev.filter = a.str(KTR_ATTR_FILTER_TEXT);
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

Result<FilterState> replies::filters(const proto::Attrs &a)
{
	if (std::string p = a.check(); !p.empty())
		return bad(p);
	FilterState st;
	if (a.has(KTR_ATTR_FILTER_PIDS)) {
		const auto bytes = a.bytes(KTR_ATTR_FILTER_PIDS);
		std::vector<std::int32_t> pids(bytes.size() / sizeof(std::int32_t));
		std::memcpy(pids.data(), bytes.data(), bytes.size());
		st.pids = std::move(pids);
		if (!a.has(KTR_ATTR_FILTER_FOLLOW) || !a.has(KTR_ATTR_FILTER_TRACKED))
			return bad("process ids without their follow flag and count");
		st.follow = a.flag(KTR_ATTR_FILTER_FOLLOW);
		st.tracked = a.u32(KTR_ATTR_FILTER_TRACKED);
	}
	if (a.has(KTR_ATTR_FILTER_COMMS))
		st.comms = a.names(KTR_ATTR_FILTER_COMMS);
	if (a.has(KTR_ATTR_FILTER_CPUS)) {
		const auto bytes = a.bytes(KTR_ATTR_FILTER_CPUS);
		st.cpus = bits_to_cpus(bytes.data(), bytes.size());
	}
	for (const proto::Attrs &nest : a.all_nested(KTR_ATTR_EVENT_FILTER)) {
		Result<FilterState::Event> ev = parse_event_filter(nest);
		if (!ev)
			return ev.error();
		st.events.push_back(std::move(*ev));
	}
	return st;
}

Result<FilterState> parse_filters_reply(nl_msg *reply)
{
	return replies::parse(reply, request_name, KTR_CMD_GET_FILTERS, replies::filters);
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
