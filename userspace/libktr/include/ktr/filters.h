// SPDX-License-Identifier: MIT
//
// What ktr records: task filters (process ids with child following,
// command names, CPUs) and per-event filters and stack capture, as
// KTR_CMD_SET_TASK_FILTER / SET_EVENT_FILTER / GET_FILTERS /
// CLEAR_FILTERS carry them (uapi/ktr.h, "Filters").
#ifndef KTR_FILTERS_H
#define KTR_FILTERS_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ktr/events.h"
#include "ktr/filter_compile.h"
#include "ktr/result.h"

struct nl_msg;

namespace ktr {

/// KTR_CMD_SET_TASK_FILTER: each kind given replaces that filter; an empty
/// list clears it; a kind not given stays as it is.
struct TaskFilter {
	std::optional<std::vector<std::int32_t>> pids;
	std::optional<bool> follow;	// children of traced processes
	std::optional<std::vector<std::string>> comms;	// shell globs
	std::optional<std::vector<std::uint32_t>> cpus;
};

/// KTR_CMD_SET_EVENT_FILTER.
struct EventFilterRequest {
	enum class Program { Keep, Set, Clear };

	std::string event;	// "name" or "system:name"
	Program action = Program::Keep;
	FilterProgram program;	// with Program::Set
	std::optional<bool> stack;
};

/// KTR_CMD_GET_FILTERS.
struct FilterState {
	struct Event {
		std::uint32_t id = 0;
		std::string name;
		std::optional<std::string> filter;	// the expression
		bool stack = false;
	};
	std::optional<std::vector<std::int32_t>> pids;	// as given
	bool follow = false;
	std::uint32_t tracked = 0;	// processes traced now
	std::optional<std::vector<std::string>> comms;
	std::optional<std::vector<std::uint32_t>> cpus;
	std::vector<Event> events;

	[[nodiscard]] bool empty() const
	{
		return !pids && !comms && !cpus && events.empty();
	}
};

/// Checks a TaskFilter before it is sent (EINVAL, one line): at least one
/// kind; pids > 0 and at most KTR_FILTER_PIDS_MAX; follow only with pids;
/// names 1..15 bytes, at most KTR_FILTER_COMMS_MAX; CPUs below
/// KTR_FILTER_CPUS_MAX.
Result<void> check_task_filter(const TaskFilter &filter);

/// The attributes of a KTR_CMD_GET_FILTERS reply (EPROTO naming what is
/// malformed).
Result<FilterState> parse_filters_reply(nl_msg *reply);

/// The KTR_CMD_SET_EVENT_FILTER requests that put @expr (compiled for each
/// event: the offsets differ) and/or @stack on every switchable event of
/// @events matching @glob (as the module matches it). Errors (EINVAL): no
/// event matches, or @expr does not compile for one of them (naming it).
Result<std::vector<EventFilterRequest>>
event_filter_requests(const std::vector<EventInfo> &events, std::string_view glob,
		      const std::optional<std::string> &expr, std::optional<bool> stack);

/// Human-readable lines: "pids: 12 34 (following children, 5 traced)"...
std::string format_filter_state(const FilterState &state);

} // namespace ktr

#endif // KTR_FILTERS_H
