// SPDX-License-Identifier: MIT
#include "ctf_names.h"

#include <array>

#include "ktr/syscall_names.h"

namespace ktr::ctf {

namespace {

struct EventName {
	std::string_view system;
	std::string_view ktr;
	std::string_view lttng;
};

// ktr's curated events (kmod/probes/ktr_probes_*.c) and lttng-modules'
// names for the same tracepoints (2.7 and later).
constexpr std::array<EventName, 6> event_names{{
	{"irq", "softirq_entry", "irq_softirq_entry"},
	{"irq", "softirq_exit", "irq_softirq_exit"},
	{"kmem", "kmalloc", "kmem_kmalloc"},
	{"kmem", "kfree", "kmem_kfree"},
	{"exceptions", "page_fault_user", "x86_exceptions_page_fault_user"},
	{"exceptions", "page_fault_kernel", "x86_exceptions_page_fault_kernel"},
}};

struct FieldName {
	std::string_view system;
	std::string_view event;	// empty: every event of the system
	std::string_view ktr;
	std::string_view lttng;
};

// The kernel's "pid" of a task is a thread id: LTTng calls it tid.
constexpr std::array<FieldName, 6> field_names{{
	{"sched", "", "pid", "tid"},
	{"sched", "", "prev_pid", "prev_tid"},
	{"sched", "", "next_pid", "next_tid"},
	{"sched", "", "parent_pid", "parent_tid"},
	{"sched", "", "child_pid", "child_tid"},
	{"sched", "sched_process_exec", "old_pid", "old_tid"},
}};

} // namespace

SyscallKind syscall_kind(std::string_view system, std::string_view event)
{
	if (system != "raw_syscalls")
		return SyscallKind::None;
	if (event == "sys_enter")
		return SyscallKind::Entry;
	if (event == "sys_exit")
		return SyscallKind::Exit;
	return SyscallKind::None;
}

std::string event_name(std::string_view system, std::string_view event)
{
	for (const EventName &n : event_names)
		if (n.system == system && n.ktr == event)
			return std::string(n.lttng);
	return std::string(event);
}

std::string syscall_event_name(SyscallKind kind, std::int64_t nr)
{
	std::string name = kind == SyscallKind::Exit ? "syscall_exit_" : "syscall_entry_";
	const std::string_view sys = syscall_name(nr);
	name += sys.empty() ? std::string_view("unknown") : sys;
	return name;
}

std::string field_name(std::string_view system, std::string_view event, std::string_view field)
{
	for (const FieldName &n : field_names)
		if (n.system == system && (n.event.empty() || n.event == event) && n.ktr == field)
			return std::string(n.lttng);
	return std::string(field);
}

} // namespace ktr::ctf
