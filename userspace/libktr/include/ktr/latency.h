// SPDX-License-Identifier: MIT
//
// Wakeup latency (KTR_CMD_GET_LATENCY, ABI minor 8; uapi/ktr.h): what the
// tracers wakeup and wakeup_rt keep (the maximum, a log2 histogram, the
// worst-case trace), the readers of the dump's messages and of the
// new-maximum notices (pure functions of a message, unit-tested with
// messages built on the host), and what `ktr latency` prints.
// Control::get_latency() (ktr/control.h) and LatencyWatch use them.
#ifndef KTR_LATENCY_H
#define KTR_LATENCY_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <ktr.h>

#include "ktr/result.h"

struct nl_msg;

namespace ktr {

class EventPrinter;

/// The task of the maximum.
struct LatencyMax {
	std::uint64_t latency_ns = 0;
	std::int32_t pid = 0;
	std::string comm;
	std::int32_t prio = 0;
	std::uint32_t cpu = 0;
	std::uint64_t wake_ts = 0;	// local clock, ns
	std::uint64_t switch_ts = 0;

	bool operator==(const LatencyMax &) const = default;
};

/// One event of the worst-case trace: a trace payload (sched_switch or
/// sched_wakeup, as in the buffer) recorded on @cpu at @ts (local clock).
struct LatencyEvent {
	std::uint32_t cpu = 0;
	std::uint64_t ts = 0;
	std::vector<std::byte> payload;

	bool operator==(const LatencyEvent &) const = default;
};

/// Everything KTR_CMD_GET_LATENCY reports.
struct LatencyReport {
	std::string tracer;		// "wakeup" or "wakeup_rt"
	std::uint64_t seq = 0;		// new maxima so far
	std::uint64_t threshold_ns = 0;
	std::uint64_t count = 0;
	std::uint64_t sum_ns = 0;
	std::uint64_t lost = 0;
	/// Bucket i: latencies in [2^i, 2^(i+1)) ns; bucket 0 also holds 0.
	std::array<std::uint64_t, KTR_LAT_BUCKETS> buckets{};
	std::optional<LatencyMax> max;	// once a maximum exists (seq > 0)
	std::vector<LatencyEvent> trace;	// oldest first

	bool operator==(const LatencyReport &) const = default;
};

/// One message of the dump: the summary (first) or an event of the trace,
/// with the seq it belongs to.
struct LatencyTraceMessage {
	std::uint64_t seq = 0;
	LatencyEvent event;
};
using LatencyMessage = std::variant<LatencyReport, LatencyTraceMessage>;

/// A new-maximum notice.
struct LatencyNotice {
	std::string tracer;
	std::uint64_t seq = 0;
	LatencyMax max;		// wake_ts and switch_ts are 0: not in a notice

	bool operator==(const LatencyNotice &) const = default;
};

/// Parse one message of the KTR_CMD_GET_LATENCY dump: a summary carries
/// KTR_ATTR_LAT_TRACER (then _SEQ, _THRESHOLD_NS, _COUNT, _SUM_NS, _LOST,
/// _HIST are required, and _MAX_NS, _PID, _COMM, _PRIO, KTR_ATTR_CPU,
/// _WAKE_TS, _SWITCH_TS when _SEQ > 0); a trace event requires _SEQ,
/// KTR_ATTR_CPU, _EVENT_TS and _EVENT (a payload of at least 8 bytes).
/// Errors: EPROTO naming the attribute.
Result<LatencyMessage> parse_latency_message(nl_msg *msg);

/// The report of a whole dump: the summary first, then its events, each of
/// the summary's seq. EPROTO: no summary, two, or an event of another seq;
/// EAGAIN is not produced here (the kernel ends such a dump with it).
Result<LatencyReport> assemble_latency(std::vector<LatencyMessage> messages);

/// Parse a KTR_CMD_GET_LATENCY notice (KTR_ATTR_LAT_TRACER, _SEQ, _MAX_NS,
/// _PID, _COMM, _PRIO, KTR_ATTR_CPU required). Errors: EPROTO.
Result<LatencyNotice> parse_latency_notice(nl_msg *msg);

/// What every latency request fails with on a module of ABI minor
/// @module_minor < 8 (EOPNOTSUPP).
Error no_latency_error(std::uint32_t module_minor);

/// How KTR_CMD_GET_LATENCY failed: ENODATA says to set a latency tracer;
/// others as kernel_error().
Error latency_error(int errnum, std::string_view extack);

/// `ktr latency`: the tracer and its threshold, the maximum and its task,
/// the histogram (the lines of `ktr hist`/`ktr funclat`, log2 buckets in
/// ns) with "count N  avg A ns  lost L", then "worst-case trace (CPU C):"
/// and one line per event as ktr-read prints it through @printer (a line
/// that does not decode says so instead). No maximum yet: says so, and no
/// trace section.
std::string format_latency_text(const LatencyReport &report, EventPrinter &printer);

/// One JSON document: {"tracer","seq","threshold_ns","count","sum_ns",
/// "avg_ns","lost","hist":[{"low","high","count"}...] (non-empty buckets),
/// "max":null|{"latency_ns","pid","comm","prio","cpu","wake_ts_ns",
/// "switch_ts_ns"}, "trace":[the events as ktr-read --json prints them]}.
std::string format_latency_json(const LatencyReport &report, EventPrinter &printer);

/// A notice as one line: "new maximum: 1234 ns  sleeper-55 prio 120 CPU 1
/// (wakeup, #3)"; with @json one JSON object per line.
std::string format_latency_notice(const LatencyNotice &notice, bool json);

} // namespace ktr

#endif // KTR_LATENCY_H
