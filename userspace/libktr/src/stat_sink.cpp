// SPDX-License-Identifier: MIT
#include "ktr/stat_sink.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <optional>

#include "ktr/decode.h"
#include "ktr/json_writer.h"

namespace ktr {

Result<void> StatSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	formats_ = info.formats;
	printer_.emplace(formats_, ClockMap{info.clock_local_ns, info.clock_mono_ns});
	return {};
}

Result<void> StatSink::event(const MergedEvent &ev)
{
	Result<EventView> view = decode_event(ev.payload);
	if (!view)
		return view.error();
	const EventFormat *f = formats_.find(view->id);
	by_event_[f ? f->system + ":" + f->name : "#" + std::to_string(view->id)]++;
	by_cpu_[ev.cpu].events++;
	by_task_[view->pid]++;
	if (events_ == 0)
		first_ts_ = ev.ts;
	last_ts_ = std::max(last_ts_, ev.ts);
	events_++;
	// Only to learn the names of the tasks; an event it cannot print is
	// still counted.
	if (f)
		(void)printer_->text(ev.cpu, ev.ts, ev.payload);
	return {};
}

void StatSink::lost(const MergedLost &lost)
{
	by_cpu_[lost.cpu].lost += lost.count;
	lost_ += lost.count;
}

namespace {

template <typename K>
std::vector<std::pair<K, std::uint64_t>> most_first(const std::map<K, std::uint64_t> &m)
{
	std::vector<std::pair<K, std::uint64_t>> v(m.begin(), m.end());
	std::stable_sort(v.begin(), v.end(),
			 [](const auto &a, const auto &b) { return a.second > b.second; });
	return v;
}

} // namespace

std::optional<std::string> StatSink::comm_of(std::int32_t pid) const
{
	if (const std::string *known = printer_ ? printer_->comms().find(pid) : nullptr)
		return *known;
	if (fallback_ && pid > 0)
		return fallback_(pid);
	return std::nullopt;
}

std::string StatSink::json() const
{
	JsonWriter w;
	w.begin_object().key("events").value(events_).key("lost").value(lost_);
	w.key("first_s");
	if (events_ != 0 && printer_)
		w.number(format_seconds(printer_->clock().to_mono(first_ts_)));
	else
		w.null();
	w.key("last_s");
	if (events_ != 0 && printer_)
		w.number(format_seconds(printer_->clock().to_mono(last_ts_)));
	else
		w.null();
	w.key("by_event").begin_array();
	for (const auto &[name, n] : most_first(by_event_))
		w.begin_object().key("event").value(name).key("count").value(n).end_object();
	w.end_array().key("by_cpu").begin_array();
	for (const auto &[cpu, c] : by_cpu_)
		w.begin_object().key("cpu").value(cpu).key("events").value(c.events).key("lost").value(
			c.lost).end_object();
	w.end_array().key("by_task").begin_array();
	for (const auto &[pid, n] : most_first(by_task_)) {
		w.begin_object().key("pid").value(pid).key("comm");
		if (const std::optional<std::string> comm = comm_of(pid))
			w.value(*comm);
		else
			w.null();
		w.key("events").value(n).end_object();
	}
	w.end_array().end_object();
	return w.str() + "\n";
}

std::string StatSink::text() const
{
	char line[160];
	std::string out = "events: " + std::to_string(events_);
	if (events_ != 0 && printer_) {
		const ClockMap &clock = printer_->clock();
		out += " in " + format_seconds(last_ts_ - first_ts_) + " s (" +
		       format_seconds(clock.to_mono(first_ts_)) + " to " +
		       format_seconds(clock.to_mono(last_ts_)) + ")";
	}
	out += ", " + std::to_string(lost_) + " lost\n\nby event:\n     count  event\n";
	for (const auto &[name, n] : most_first(by_event_)) {
		std::snprintf(line, sizeof(line), "%10" PRIu64 "  %s\n", n, name.c_str());
		out += line;
	}
	out += "\nby CPU:\n  CPU     events       lost\n";
	for (const auto &[cpu, c] : by_cpu_) {
		std::snprintf(line, sizeof(line), "%5" PRIu32 " %10" PRIu64 " %10" PRIu64 "\n", cpu,
			      c.events, c.lost);
		out += line;
	}
	out += "\nby task:\n       pid  comm                 events\n";
	for (const auto &[pid, n] : most_first(by_task_)) {
		const std::optional<std::string> comm = comm_of(pid);
		const std::string name = comm ? escape_text(*comm) : pid == 0 ? "<idle>" : "<...>";
		std::snprintf(line, sizeof(line), "%10" PRId32 "  %-16s %10" PRIu64 "\n", pid,
			      name.c_str(), n);
		out += line;
	}
	return out;
}

Result<void> StatSink::end(const std::vector<ReadStats> &)
{
	out_.put(json_ ? json() : text());
	out_.flush();
	return {};
}

} // namespace ktr
