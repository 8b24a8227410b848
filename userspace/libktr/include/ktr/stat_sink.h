// SPDX-License-Identifier: MIT
//
// ktr report --stat: a sink (sink.h) that counts the merged events instead
// of printing them, and writes at the end:
//
//	events: 1234 in 2.500000 s (5.000000 to 7.500000), 3 lost
//
//	by event:
//	     count  event
//	       600  raw_syscalls:sys_enter
//	...
//	by CPU:
//	  CPU     events       lost
//	    0        700          3
//	...
//	by task:
//	       pid  comm                 events
//	       123  bash                    600
//
// Events by count, most first (then by name, CPU or pid); times on
// CLOCK_MONOTONIC like the text lines; a task's comm is the last name the
// counted events gave its pid (event_print.h), else the fallback's (a first
// pass), "<...>" when none did. Lost events
// are those the sub-buffers of each CPU report (MergedLost).
#ifndef KTR_STAT_SINK_H
#define KTR_STAT_SINK_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ktr/event_print.h"
#include "ktr/line_sink.h"
#include "ktr/sink.h"

namespace ktr {

class StatSink final : public Sink {
public:
	/// @out must outlive the sink.
	explicit StatSink(LineOutput &out) : out_(out) {}

	/// Names of pids no counted event named (a first pass over the whole
	/// capture: --from/--to may cut off the event that named a task).
	void set_comm_fallback(CommTable::Lookup fallback) { fallback_ = std::move(fallback); }

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override;
	Result<void> end(const std::vector<ReadStats> &stats) override;

	struct Cpu {
		std::uint64_t events = 0;
		std::uint64_t lost = 0;
	};
	[[nodiscard]] std::uint64_t events() const noexcept { return events_; }
	[[nodiscard]] std::uint64_t lost_events() const noexcept { return lost_; }
	/// Count by "system:name" (or "#ID" for an id the table lacks).
	[[nodiscard]] const std::map<std::string, std::uint64_t> &by_event() const noexcept
	{
		return by_event_;
	}
	[[nodiscard]] const std::map<std::uint32_t, Cpu> &by_cpu() const noexcept
	{
		return by_cpu_;
	}
	[[nodiscard]] const std::map<std::int32_t, std::uint64_t> &by_task() const noexcept
	{
		return by_task_;
	}
	/// end() writes json() instead of text().
	void set_json(bool on) noexcept { json_ = on; }
	/// What end() writes.
	[[nodiscard]] std::string text() const;
	/// The same as one JSON object: {"events", "lost", "first_s", "last_s"
	/// (CLOCK_MONOTONIC seconds, null without events), "by_event":
	/// [{"event", "count"}], "by_cpu": [{"cpu", "events", "lost"}],
	/// "by_task": [{"pid", "comm" (null when unknown), "events"}]}, in the
	/// orders of text().
	[[nodiscard]] std::string json() const;

private:
	/// The name of @pid: what the events said, else the fallback's.
	[[nodiscard]] std::optional<std::string> comm_of(std::int32_t pid) const;

	LineOutput &out_;
	FormatTable formats_;	// before printer_, which refers to it
	std::optional<EventPrinter> printer_;	// learns the tasks' names
	CommTable::Lookup fallback_;
	bool json_ = false;
	std::map<std::string, std::uint64_t> by_event_;
	std::map<std::uint32_t, Cpu> by_cpu_;
	std::map<std::int32_t, std::uint64_t> by_task_;
	std::uint64_t events_ = 0;
	std::uint64_t lost_ = 0;
	std::uint64_t first_ts_ = 0;
	std::uint64_t last_ts_ = 0;
};

} // namespace ktr

#endif // KTR_STAT_SINK_H
