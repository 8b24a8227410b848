// SPDX-License-Identifier: MIT
//
// The filter commands of ktr::Control (control.h).
#include <algorithm>
#include <cerrno>
#include <string>
#include <vector>

#include <ktr.h>

#include "ktr/control.h"
#include "ktr/errors.h"
#include "proto/call.h"
#include "replies.h"

namespace ktr {

Result<void> Control::set_task_filter(const TaskFilter &f)
{
	if (Result<void> ok = check_task_filter(f); !ok)
		return ok;
	proto::Request req(KTR_CMD_SET_TASK_FILTER, "KTR_CMD_SET_TASK_FILTER", proto::Expect::ack);
	if (f.pids)
		req.bytes(KTR_ATTR_FILTER_PIDS, f.pids->data(), f.pids->size() * sizeof(std::int32_t));
	if (f.follow)
		req.u8(KTR_ATTR_FILTER_FOLLOW, *f.follow ? 1 : 0);
	if (f.comms) {
		std::string blob;
		for (const std::string &c : *f.comms)
			blob += c + '\0';
		req.bytes(KTR_ATTR_FILTER_COMMS, blob.data(), blob.size());
	}
	if (f.cpus) {
		std::uint32_t top = 0;
		for (const std::uint32_t cpu : *f.cpus)
			top = std::max(top, cpu + 1);
		std::vector<std::uint64_t> words((top + 63) / 64);
		for (const std::uint32_t cpu : *f.cpus)
			words[cpu / 64] |= std::uint64_t{1} << (cpu % 64);
		req.bytes(KTR_ATTR_FILTER_CPUS, words.data(), words.size() * sizeof(std::uint64_t));
	}
	return client_->call(req);
}

Result<void> Control::set_event_filter(const EventFilterRequest &ef)
{
	proto::Request req(KTR_CMD_SET_EVENT_FILTER, "KTR_CMD_SET_EVENT_FILTER", proto::Expect::ack);
	req.string(KTR_ATTR_EVENT_NAME, ef.event);
	switch (ef.action) {
	case EventFilterRequest::Program::Keep:
		break;
	case EventFilterRequest::Program::Clear:
		req.bytes(KTR_ATTR_FILTER_PROG, nullptr, 0);
		break;
	case EventFilterRequest::Program::Set:
		req.bytes(KTR_ATTR_FILTER_PROG, ef.program.insns.data(),
			  ef.program.insns.size() * sizeof(ktr_filter_insn));
		if (!ef.program.strings.empty())
			req.bytes(KTR_ATTR_FILTER_STRINGS, ef.program.strings.data(),
				  ef.program.strings.size());
		req.string(KTR_ATTR_FILTER_TEXT, ef.program.text);
		break;
	}
	if (ef.stack)
		req.u8(KTR_ATTR_EVENT_STACK, *ef.stack ? 1 : 0);
	return client_->call(req);
}

Result<FilterState> Control::get_filters()
{
	proto::Request req(KTR_CMD_GET_FILTERS, "KTR_CMD_GET_FILTERS", proto::Expect::reply);
	return proto::call_reading(*client_, req, replies::filters);
}

Result<void> Control::clear_filters()
{
	proto::Request req(KTR_CMD_CLEAR_FILTERS, "KTR_CMD_CLEAR_FILTERS", proto::Expect::ack);
	return client_->call(req);
}

} // namespace ktr
