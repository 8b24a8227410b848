// SPDX-License-Identifier: MIT
//
// Test helper: a small two-CPU capture for the CTF tests, with formats as
// the module describes its curated events (sched_switch, sched_process_exec,
// raw_syscalls, the stack event), a probe with a hex integer and a string
// location, and markers. CPU 0: a switch, openat enter/exit, an unknown
// syscall number, an exec; then a sub-buffer reporting 5 lost events and a
// probe hit. CPU 1 starts with 2 lost events, then a marker and a stack.
#ifndef KTR_TEST_CTF_CAPTURE_H
#define KTR_TEST_CTF_CAPTURE_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <ktr_event.h>

#include "ktr/capture.h"
#include "ktr/event_format.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr::test {

inline constexpr std::uint16_t ctf_probe_id = KTR_EVENT_PROBE_FIRST;

inline CaptureInfo ctf_capture_info()
{
	CaptureInfo info;
	info.page_size = 4096;
	info.nr_cpus = 2;
	info.subbuf_size = 4096;
	info.abi_major = 1;
	info.abi_minor = 6;
	info.module_version = "0.1.0";
	info.clock_local_ns = 1000;
	info.clock_mono_ns = 5000000000;
	info.formats = builtin_formats();
	const auto add = [&info](std::uint16_t id, const char *sys, const char *name,
				 std::vector<FieldFormat> fields) {
		EventFormat f{id, sys, name, common_fields()};
		f.fields.insert(f.fields.end(), fields.begin(), fields.end());
		if (!info.formats.add(std::move(f)))
			throw std::logic_error(std::string("bad test format ") + name);
	};
	using SW = ktr_event_sched_switch;
	add(KTR_EVENT_SCHED_SWITCH, "sched", "sched_switch",
	    {{"prev_comm", FieldType::CharArray, offsetof(SW, prev_comm), 16, false},
	     {"prev_pid", FieldType::Int, offsetof(SW, prev_pid), 4, true},
	     {"prev_prio", FieldType::Int, offsetof(SW, prev_prio), 4, true},
	     {"prev_state", FieldType::Int, offsetof(SW, prev_state), 4, false},
	     {"preempt", FieldType::Int, offsetof(SW, preempt), 4, false},
	     {"next_comm", FieldType::CharArray, offsetof(SW, next_comm), 16, false},
	     {"next_pid", FieldType::Int, offsetof(SW, next_pid), 4, true},
	     {"next_prio", FieldType::Int, offsetof(SW, next_prio), 4, true}});
	using EX = ktr_event_sched_process_exec;
	add(KTR_EVENT_SCHED_PROCESS_EXEC, "sched", "sched_process_exec",
	    {{"pid", FieldType::Int, offsetof(EX, pid), 4, true},
	     {"old_pid", FieldType::Int, offsetof(EX, old_pid), 4, true},
	     {"filename", FieldType::RestString, sizeof(EX), 0, false}});
	std::vector<FieldFormat> enter{{"id", FieldType::Int, 8, 8, true}};
	for (unsigned i = 0; i < 6; i++)
		enter.push_back({"args" + std::to_string(i), FieldType::Int, 16 + 8 * i, 8, false,
				 FieldDisplay::Hex});
	add(KTR_EVENT_SYS_ENTER, "raw_syscalls", "sys_enter", enter);
	add(KTR_EVENT_SYS_EXIT, "raw_syscalls", "sys_exit",
	    {{"id", FieldType::Int, 8, 8, true}, {"ret", FieldType::Int, 16, 8, true}});
	add(KTR_EVENT_STACK, "ktr", "stack",
	    {{"event_ts", FieldType::Int, 8, 8, false},
	     {"nr", FieldType::Int, 16, 4, false},
	     {"ips", FieldType::RestU64, 24, 0, false, FieldDisplay::Default}});
	add(ctf_probe_id, "probes", "myprobe",
	    {{"addr", FieldType::Int, 8, 8, false, FieldDisplay::Hex},
	     {"path", FieldType::StringLoc, 16, 4, false},
	     {"delta", FieldType::Int, 20, 2, true}});
	return info;
}

template <typename T>
void put_at(Bytes &b, std::size_t off, T v)
{
	if (b.size() < off + sizeof(v))
		b.resize(off + sizeof(v));
	std::memcpy(b.data() + off, &v, sizeof(v));
}

inline Bytes common(std::uint16_t id, std::int32_t pid, std::size_t size)
{
	Bytes b(size);
	put_at(b, 0, id);
	put_at(b, 4, pid);
	return b;
}

inline Bytes switch_payload(const char *prev, std::int32_t prev_pid, std::uint32_t state,
			    const char *next, std::int32_t next_pid)
{
	using SW = ktr_event_sched_switch;
	Bytes b = common(KTR_EVENT_SCHED_SWITCH, prev_pid, sizeof(SW));
	std::memcpy(b.data() + offsetof(SW, prev_comm), prev, std::strlen(prev));
	put_at(b, offsetof(SW, prev_pid), prev_pid);
	put_at(b, offsetof(SW, prev_prio), std::int32_t{120});
	put_at(b, offsetof(SW, prev_state), state);
	std::memcpy(b.data() + offsetof(SW, next_comm), next, std::strlen(next));
	put_at(b, offsetof(SW, next_pid), next_pid);
	put_at(b, offsetof(SW, next_prio), std::int32_t{100});
	return b;
}

inline Bytes enter_payload(std::int32_t pid, std::int64_t nr)
{
	Bytes b = common(KTR_EVENT_SYS_ENTER, pid, 64);
	put_at(b, 8, nr);
	for (unsigned i = 0; i < 6; i++)
		put_at(b, 16 + 8 * i, std::uint64_t{0x1000} * (i + 1));
	return b;
}

inline Bytes exit_payload(std::int32_t pid, std::int64_t nr, std::int64_t ret)
{
	Bytes b = common(KTR_EVENT_SYS_EXIT, pid, 24);
	put_at(b, 8, nr);
	put_at(b, 16, ret);
	return b;
}

inline Bytes exec_payload(std::int32_t pid, const std::string &file)
{
	Bytes b = common(KTR_EVENT_SCHED_PROCESS_EXEC, pid, 16);
	put_at(b, 8, pid);
	put_at(b, 12, pid);
	for (const char c : file)
		b.push_back(static_cast<std::byte>(c));
	b.push_back(std::byte{0});
	while (b.size() % 4)
		b.push_back(std::byte{0});
	return b;
}

inline Bytes stack_payload(std::int32_t pid, std::uint64_t event_ts)
{
	Bytes b = common(KTR_EVENT_STACK, pid, 24);
	put_at(b, 8, event_ts);
	put_at(b, 16, std::uint32_t{2});
	put_at(b, 24, std::uint64_t{0xffffffff81000010});
	put_at(b, 32, std::uint64_t{0xffffffff81000020});
	return b;
}

inline Bytes probe_payload(std::int32_t pid, const std::string &path)
{
	Bytes b = common(ctf_probe_id, pid, 24);
	put_at(b, 8, std::uint64_t{0xdeadbeef});
	const auto len = static_cast<std::uint32_t>(path.size() + 1);
	put_at(b, 16, (len << 16) | 24U);
	put_at(b, 20, std::int16_t{-7});
	for (const char c : path)
		b.push_back(static_cast<std::byte>(c));
	b.push_back(std::byte{0});
	while (b.size() % 4)
		b.push_back(std::byte{0});
	return b;
}

/// The sub-buffers of the capture, in file order.
inline std::vector<std::pair<std::uint32_t, Bytes>> ctf_capture_subbufs()
{
	return {
		{0, SubbufBuilder(0, 0, 1000)
			    .event(0, switch_payload("swapper/0", 0, 0, "bash", 42))
			    .event(100, enter_payload(42, 257))
			    .event(200, exit_payload(42, 257, 3))
			    .event(50, enter_payload(42, 1000))
			    .event(50, exit_payload(42, 1000, -38))
			    .event(300, exec_payload(42, "/bin/true"))
			    .build()},
		{1, SubbufBuilder(1, 0, 1500)
			    .lost(2)
			    .event(0, marker_payload(7, 7, "writer", "hi \"there\"\n"))
			    .event(10, stack_payload(7, 1500))
			    .build()},
		{0, SubbufBuilder(0, 1, 10000).lost(5).event(0, probe_payload(42, "/etc/passwd")).build()},
	};
}

/// Write the capture to @path.
inline bool write_ctf_capture(const std::string &path)
{
	Result<CaptureWriter> w = CaptureWriter::create(path, ctf_capture_info());
	if (!w)
		return false;
	for (const auto &[cpu, sb] : ctf_capture_subbufs())
		if (!w->write_subbuf(cpu, sb))
			return false;
	return w->finish().has_value();
}

} // namespace ktr::test

#endif // KTR_TEST_CTF_CAPTURE_H
