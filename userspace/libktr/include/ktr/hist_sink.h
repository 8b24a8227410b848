// SPDX-License-Identifier: MIT
//
// ktr hist EVENT FIELD: a sink (sink.h) that takes the merged events and
// keeps a histogram (histogram.h) of one integer field of one event,
// optionally only of the events a filter keeps (event_filter.h, the
// kernel's filter grammar) and one histogram per value of another field
// (--by). At the end it writes, to its LineOutput:
//
//	@sys_exit.ret[id=0 read]:
//	[0]                        3 |@@@@@@@@@@@@@@@@@@@@                                |
//	...
//	count 3  avg 0  min 0  max 0
//
//	sys_exit: 120 events, 100 kept by the filter; 2 events lost in the trace
//
// The event and fields are found in the trace's own format table when the
// pipeline begins: an unknown one is an error then, before anything is
// read. A field name may omit "common_" (pid for common_pid).
#ifndef KTR_HIST_SINK_H
#define KTR_HIST_SINK_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ktr/event_filter.h"
#include "ktr/event_format.h"
#include "ktr/histogram.h"
#include "ktr/line_sink.h"
#include "ktr/sink.h"

namespace ktr {

/// The event called @name ("name" or "system:name") in @formats, or an
/// Error (ENOENT) naming it and saying where to look.
Result<const EventFormat *> find_event(const FormatTable &formats, std::string_view name);

/// The field of @event called @name, or "common_" + @name; an Error
/// (ENOENT) listing the event's fields otherwise. @integer: it must be an
/// Int field (EINVAL otherwise).
Result<const FieldFormat *> find_field(const EventFormat &event, std::string_view name,
				       bool integer);

/// "name=value" for a grouping key; a raw_syscalls "id" adds the syscall
/// name ("id=257 openat").
std::string key_text(const EventFormat &event, const FieldFormat &field,
		     const FieldValue &value);

struct HistOptions {
	std::string event;	// "name" or "system:name"
	std::string field;	// an integer field of it
	HistSpec spec;		// log2 (default) or linear
	std::string filter;	// empty: every event
	std::string by;		// empty: one histogram
};

class HistSink final : public Sink {
public:
	/// @out must outlive the sink.
	HistSink(HistOptions opt, LineOutput &out) : opt_(std::move(opt)), out_(out) {}

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override { lost_ += lost.count; }
	Result<void> end(const std::vector<ReadStats> &stats) override;

	/// end() writes json() instead of text().
	void set_json(bool on) noexcept { json_ = on; }
	/// What end() writes.
	[[nodiscard]] std::string text() const;
	/// The same as one JSON object: {"event", "field", "by" (null without),
	/// "histograms": [{"key" (with --by), "histogram": Histogram::json()}],
	/// "events", "kept" (null without a filter), "unreadable", "lost"}.
	[[nodiscard]] std::string json() const;

private:
	HistOptions opt_;
	bool json_ = false;
	LineOutput &out_;
	FormatTable formats_;	// the trace's; the pointers below point into it
	const EventFormat *event_ = nullptr;
	const FieldFormat *field_ = nullptr;
	const FieldFormat *by_ = nullptr;
	std::optional<EventFilter> filter_;
	std::map<FieldValue, Histogram> hists_;	// by the --by value (one key without)
	std::uint64_t seen_ = 0;	// events of event_
	std::uint64_t kept_ = 0;	// of those, kept by the filter
	std::uint64_t bad_ = 0;		// events whose fields could not be read
	std::uint64_t lost_ = 0;
};

} // namespace ktr

#endif // KTR_HIST_SINK_H
