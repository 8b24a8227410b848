// SPDX-License-Identifier: MIT
//
// The field numbers of Perfetto's trace protos (protos/perfetto/trace/ in
// Perfetto's repository: trace.proto, trace_packet.proto,
// ftrace/ftrace_event_bundle.proto, ftrace/ftrace_event.proto,
// ftrace/{sched,raw_syscalls,irq,ftrace}.proto, ps/process_tree.proto) that
// ktr writes, all in this one place. tests/data/perfetto/trace_min.proto
// declares the same numbers for protoc --decode.
#ifndef KTR_PERFETTO_PROTO_FIELDS_H
#define KTR_PERFETTO_PROTO_FIELDS_H

#include <cstdint>

namespace ktr::perfetto::pb {

// Trace
inline constexpr std::uint32_t trace_packet = 1;
// TracePacket
inline constexpr std::uint32_t packet_ftrace_events = 1;
inline constexpr std::uint32_t packet_process_tree = 2;
inline constexpr std::uint32_t packet_timestamp = 8;
inline constexpr std::uint32_t packet_sequence_id = 10;	// trusted_packet_sequence_id
// FtraceEventBundle
inline constexpr std::uint32_t bundle_cpu = 1;
inline constexpr std::uint32_t bundle_event = 2;
inline constexpr std::uint32_t bundle_lost_events = 3;
// FtraceEvent
inline constexpr std::uint32_t event_timestamp = 1;
inline constexpr std::uint32_t event_pid = 2;
inline constexpr std::uint32_t event_print = 3;
inline constexpr std::uint32_t event_sched_switch = 4;
inline constexpr std::uint32_t event_sched_wakeup = 17;
inline constexpr std::uint32_t event_softirq_entry = 24;
inline constexpr std::uint32_t event_softirq_exit = 25;
inline constexpr std::uint32_t event_irq_handler_entry = 36;
inline constexpr std::uint32_t event_irq_handler_exit = 37;
inline constexpr std::uint32_t event_sched_wakeup_new = 114;
inline constexpr std::uint32_t event_sched_process_exec = 237;
inline constexpr std::uint32_t event_sched_process_exit = 238;
inline constexpr std::uint32_t event_sched_process_fork = 239;
inline constexpr std::uint32_t event_sys_enter = 329;
inline constexpr std::uint32_t event_sys_exit = 330;
// PrintFtraceEvent
inline constexpr std::uint32_t print_buf = 2;
// ProcessTree, ProcessTree.Thread
inline constexpr std::uint32_t tree_threads = 2;
inline constexpr std::uint32_t thread_tid = 1;
inline constexpr std::uint32_t thread_name = 2;

// The payload fields of the ftrace events ktr maps (by ktr field name).
struct FieldNumber {
	const char *ktr;
	std::uint32_t number;
};

struct EventNumbers {
	const char *system;
	const char *name;
	std::uint32_t event;	// its FtraceEvent field
	FieldNumber fields[8];	// ends at the first null name
};

inline constexpr EventNumbers events[] = {
	{"sched", "sched_switch", event_sched_switch,
	 {{"prev_comm", 1}, {"prev_pid", 2}, {"prev_prio", 3}, {"prev_state", 4},
	  {"next_comm", 5}, {"next_pid", 6}, {"next_prio", 7}}},
	{"sched", "sched_wakeup", event_sched_wakeup,
	 {{"comm", 1}, {"pid", 2}, {"prio", 3}, {"target_cpu", 5}}},
	{"sched", "sched_wakeup_new", event_sched_wakeup_new,
	 {{"comm", 1}, {"pid", 2}, {"prio", 3}, {"target_cpu", 5}}},
	{"sched", "sched_process_fork", event_sched_process_fork,
	 {{"parent_comm", 1}, {"parent_pid", 2}, {"child_comm", 3}, {"child_pid", 4}}},
	{"sched", "sched_process_exec", event_sched_process_exec,
	 {{"filename", 1}, {"pid", 2}, {"old_pid", 3}}},
	{"sched", "sched_process_exit", event_sched_process_exit,
	 {{"comm", 1}, {"pid", 2}, {"prio", 4}}},
	{"raw_syscalls", "sys_enter", event_sys_enter,
	 {{"id", 1}, {"args0", 2}, {"args1", 2}, {"args2", 2}, {"args3", 2}, {"args4", 2},
	  {"args5", 2}}},
	{"raw_syscalls", "sys_exit", event_sys_exit, {{"id", 1}, {"ret", 2}}},
	{"irq", "irq_handler_entry", event_irq_handler_entry, {{"irq", 1}, {"name", 2}}},
	{"irq", "irq_handler_exit", event_irq_handler_exit, {{"irq", 1}, {"ret", 2}}},
	{"irq", "softirq_entry", event_softirq_entry, {{"vec", 1}}},
	{"irq", "softirq_exit", event_softirq_exit, {{"vec", 1}}},
	{"ktr", "marker", event_print, {{"text", print_buf}}},
};

} // namespace ktr::perfetto::pb

#endif // KTR_PERFETTO_PROTO_FIELDS_H
