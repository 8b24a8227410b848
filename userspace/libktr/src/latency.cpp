// SPDX-License-Identifier: MIT
#include "ktr/latency.h"

#include <cerrno>
#include <cstring>
#include <span>
#include <string>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/errors.h"
#include "ktr/event_print.h"
#include "ktr/histogram.h"
#include "ktr/json_writer.h"
#include "replies.h"

namespace ktr {

namespace {

constexpr std::string_view request = "KTR_CMD_GET_LATENCY";

LatencyMax read_max(const proto::Attrs &a)
{
	LatencyMax m;
	m.latency_ns = a.u64(KTR_ATTR_LAT_MAX_NS);
	m.pid = static_cast<std::int32_t>(a.u32(KTR_ATTR_LAT_PID));
	m.comm = a.str(KTR_ATTR_LAT_COMM);
	m.prio = static_cast<std::int32_t>(a.u32(KTR_ATTR_LAT_PRIO));
	m.cpu = a.u32(KTR_ATTR_CPU);
	return m;
}

std::string task_text(const LatencyMax &m)
{
	return one_line(m.comm) + "-" + std::to_string(m.pid) + " prio " +
	       std::to_string(m.prio) + " CPU " + std::to_string(m.cpu);
}

std::uint64_t avg(const LatencyReport &r)
{
	return r.count ? r.sum_ns / r.count : 0;
}

} // namespace

Result<LatencyMessage> replies::latency(const proto::Attrs &a)
{
	if (!a.has(KTR_ATTR_LAT_TRACER)) {
		if (std::string p = a.check({KTR_ATTR_LAT_SEQ, KTR_ATTR_CPU, KTR_ATTR_LAT_EVENT_TS,
					     KTR_ATTR_LAT_EVENT});
		    !p.empty())
			return bad_reply_error(request, p);
		LatencyTraceMessage t;
		t.seq = a.u64(KTR_ATTR_LAT_SEQ);
		t.event.cpu = a.u32(KTR_ATTR_CPU);
		t.event.ts = a.u64(KTR_ATTR_LAT_EVENT_TS);
		const std::span<const std::uint8_t> b = a.bytes(KTR_ATTR_LAT_EVENT);
		if (b.size() < sizeof(ktr_event_common))
			return bad_reply_error(request, "KTR_ATTR_LAT_EVENT is " +
								std::to_string(b.size()) +
								" bytes, shorter than an event header");
		t.event.payload.resize(b.size());
		std::memcpy(t.event.payload.data(), b.data(), b.size());
		return LatencyMessage{std::move(t)};
	}
	if (std::string p = a.check({KTR_ATTR_LAT_TRACER, KTR_ATTR_LAT_SEQ,
				     KTR_ATTR_LAT_THRESHOLD_NS, KTR_ATTR_LAT_COUNT,
				     KTR_ATTR_LAT_SUM_NS, KTR_ATTR_LAT_LOST, KTR_ATTR_LAT_HIST});
	    !p.empty())
		return bad_reply_error(request, p);
	LatencyReport r;
	r.tracer = a.str(KTR_ATTR_LAT_TRACER);
	r.seq = a.u64(KTR_ATTR_LAT_SEQ);
	r.threshold_ns = a.u64(KTR_ATTR_LAT_THRESHOLD_NS);
	r.count = a.u64(KTR_ATTR_LAT_COUNT);
	r.sum_ns = a.u64(KTR_ATTR_LAT_SUM_NS);
	r.lost = a.u64(KTR_ATTR_LAT_LOST);
	const std::span<const std::uint8_t> h = a.bytes(KTR_ATTR_LAT_HIST);
	if (h.size() != sizeof(r.buckets))
		return bad_reply_error(request, "KTR_ATTR_LAT_HIST is " + std::to_string(h.size()) +
							" bytes, expected " +
							std::to_string(sizeof(r.buckets)));
	std::memcpy(r.buckets.data(), h.data(), h.size());
	if (r.seq) {
		if (std::string p = a.check({KTR_ATTR_LAT_MAX_NS, KTR_ATTR_LAT_PID,
					     KTR_ATTR_LAT_COMM, KTR_ATTR_LAT_PRIO, KTR_ATTR_CPU,
					     KTR_ATTR_LAT_WAKE_TS, KTR_ATTR_LAT_SWITCH_TS});
		    !p.empty())
			return bad_reply_error(request, p);
		LatencyMax m = read_max(a);
		m.wake_ts = a.u64(KTR_ATTR_LAT_WAKE_TS);
		m.switch_ts = a.u64(KTR_ATTR_LAT_SWITCH_TS);
		r.max = std::move(m);
	}
	return LatencyMessage{std::move(r)};
}

Result<LatencyNotice> replies::latency_notice(const proto::Attrs &a)
{
	if (std::string p = a.check({KTR_ATTR_LAT_TRACER, KTR_ATTR_LAT_SEQ, KTR_ATTR_LAT_MAX_NS,
				     KTR_ATTR_LAT_PID, KTR_ATTR_LAT_COMM, KTR_ATTR_LAT_PRIO,
				     KTR_ATTR_CPU});
	    !p.empty())
		return bad_reply_error("the KTR_CMD_GET_LATENCY notice", p);
	LatencyNotice n;
	n.tracer = a.str(KTR_ATTR_LAT_TRACER);
	n.seq = a.u64(KTR_ATTR_LAT_SEQ);
	n.max = read_max(a);
	return n;
}

Result<LatencyMessage> parse_latency_message(nl_msg *msg)
{
	return replies::parse(msg, request, KTR_CMD_GET_LATENCY, replies::latency);
}

Result<LatencyNotice> parse_latency_notice(nl_msg *msg)
{
	return replies::parse(msg, "the KTR_CMD_GET_LATENCY notice", KTR_CMD_GET_LATENCY,
			      replies::latency_notice);
}

Result<LatencyReport> assemble_latency(std::vector<LatencyMessage> messages)
{
	if (messages.empty() || !std::holds_alternative<LatencyReport>(messages[0]))
		return bad_reply_error(request, "the dump does not start with its summary");
	LatencyReport r = std::move(std::get<LatencyReport>(messages[0]));
	for (std::size_t i = 1; i < messages.size(); i++) {
		auto *t = std::get_if<LatencyTraceMessage>(&messages[i]);
		if (!t)
			return bad_reply_error(request, "a second summary in the dump");
		if (t->seq != r.seq)
			return bad_reply_error(request, "an event of maximum #" +
								std::to_string(t->seq) +
								" in the dump of maximum #" +
								std::to_string(r.seq));
		r.trace.push_back(std::move(t->event));
	}
	return r;
}

Error no_latency_error(std::uint32_t module_minor)
{
	return {EOPNOTSUPP, "the loaded ktr module has no latency tracers (ABI minor " +
				    std::to_string(module_minor) + " < 8): load a newer ktr.ko"};
}

Error latency_error(int errnum, std::string_view extack)
{
	if (errnum == ENODATA)
		return {errnum, "no latency data: set a latency tracer first ('ktr tracer set "
				"wakeup' or 'ktr tracer set wakeup_rt')"};
	return kernel_error(errnum, request, extack);
}

std::string format_latency_text(const LatencyReport &r, EventPrinter &printer)
{
	std::string out = "tracer: " + one_line(r.tracer) + "  (threshold " +
			  std::to_string(r.threshold_ns) + " ns)\n";
	if (r.max)
		out += "max latency: " + std::to_string(r.max->latency_ns) + " ns  " +
		       task_text(*r.max) + "  (#" + std::to_string(r.seq) + ")\n";
	else
		out += "max latency: none yet (no wakeup measured)\n";
	out += "\nlatency (ns):\n";
	if (r.count == 0)
		out += "no wakeups measured";
	else
		out += log2_bucket_lines(r.buckets) + "count " + std::to_string(r.count) +
		       "  avg " + std::to_string(avg(r)) + " ns";
	out += "  lost " + std::to_string(r.lost) + "\n";
	if (!r.max)
		return out;
	out += "\nworst-case trace (CPU " + std::to_string(r.max->cpu) + ", " +
	       std::to_string(r.trace.size()) + " events):\n";
	for (const LatencyEvent &e : r.trace) {
		Result<std::string> line = printer.text(e.cpu, e.ts, e.payload);
		out += line ? *line : "(undecodable event: " + line.error().message() + ")\n";
	}
	return out;
}

std::string format_latency_json(const LatencyReport &r, EventPrinter &printer)
{
	JsonWriter w;
	w.begin_object().key("tracer").value(r.tracer);
	w.key("seq").value(r.seq).key("threshold_ns").value(r.threshold_ns);
	w.key("count").value(r.count).key("sum_ns").value(r.sum_ns);
	w.key("avg_ns").value(avg(r)).key("lost").value(r.lost);
	w.key("hist");
	log2_bucket_json(w, r.buckets);
	w.key("max");
	if (r.max) {
		w.begin_object()
			.key("latency_ns").value(r.max->latency_ns)
			.key("pid").value(r.max->pid)
			.key("comm").value(r.max->comm)
			.key("prio").value(r.max->prio)
			.key("cpu").value(r.max->cpu)
			.key("wake_ts_ns").value(printer.clock().to_mono(r.max->wake_ts))
			.key("switch_ts_ns").value(printer.clock().to_mono(r.max->switch_ts))
			.end_object();
	} else {
		w.null();
	}
	w.end_object();
	// The events as ktr-read --json prints them, spliced in as they are.
	std::string out = w.str();
	out.pop_back();
	out += ",\"trace\":[";
	bool first = true;
	for (const LatencyEvent &e : r.trace) {
		Result<std::string> obj = printer.json(e.cpu, e.ts, e.payload);
		if (!obj)
			continue;
		std::string o = *obj;
		while (!o.empty() && o.back() == '\n')
			o.pop_back();
		out += (first ? "" : ",") + o;
		first = false;
	}
	return out + "]}\n";
}

std::string format_latency_notice(const LatencyNotice &n, bool json)
{
	if (json) {
		JsonWriter w;
		w.begin_object()
			.key("tracer").value(n.tracer)
			.key("seq").value(n.seq)
			.key("latency_ns").value(n.max.latency_ns)
			.key("pid").value(n.max.pid)
			.key("comm").value(n.max.comm)
			.key("prio").value(n.max.prio)
			.key("cpu").value(n.max.cpu)
			.end_object();
		return w.str() + "\n";
	}
	return "new maximum: " + std::to_string(n.max.latency_ns) + " ns  " + task_text(n.max) +
	       "  (" + one_line(n.tracer) + ", #" + std::to_string(n.seq) + ")\n";
}

} // namespace ktr
