// SPDX-License-Identifier: MIT
//
// The names LTTng's kernel tracer (lttng-modules) gives to the events ktr
// also records, so that analyses written for LTTng kernel traces find them
// in ktr's CTF output: sched_switch's prev_tid/next_tid, the
// syscall_entry_<name>/syscall_exit_<name> events, irq_softirq_entry... One
// table (ctf_names.cpp); events it does not list keep their ktr names.
#ifndef KTR_CTF_NAMES_H
#define KTR_CTF_NAMES_H

#include <cstdint>
#include <string>
#include <string_view>

namespace ktr::ctf {

/// Which of the syscall events @system:@event is, if any.
enum class SyscallKind { None, Entry, Exit };
SyscallKind syscall_kind(std::string_view system, std::string_view event);

/// The CTF name of the event @system:@event (not a syscall event): LTTng's
/// name when there is one, else @event.
std::string event_name(std::string_view system, std::string_view event);

/// The CTF name of syscall @nr's entry or exit event: syscall_entry_<name>,
/// or syscall_entry_unknown for a number ktr cannot name (as LTTng).
std::string syscall_event_name(SyscallKind kind, std::int64_t nr);

/// The CTF name of field @field of @system:@event: LTTng's when it differs
/// (pid -> tid: the kernel's pid is a thread id), else @field.
std::string field_name(std::string_view system, std::string_view event, std::string_view field);

} // namespace ktr::ctf

#endif // KTR_CTF_NAMES_H
