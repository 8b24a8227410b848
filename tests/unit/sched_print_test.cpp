// SPDX-License-Identifier: MIT
//
// Printing the scheduler events (ABI minor 3) through EventPrinter with the
// formats the module reports: a non-marker event is "name: field=value ..."
// after the common header, in text and as JSON; signed and unsigned
// integers, char arrays and a rest-of-payload string.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include <gtest/gtest.h>

#include <ktr_event.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::as_bytes;
using test::Bytes;
using test::json;
using test::text;

constexpr std::uint64_t kLocal = 1000;
constexpr std::uint64_t kMono = 5000000000;	// 5 s

// The formats as kmod/probes/ktr_probes_sched.c describes them.
const FormatTable &sched_formats()
{
	static const FormatTable table = [] {
		FormatTable t = builtin_formats();
		EXPECT_TRUE(t.add(test::sched_switch_format()));
		using E = ktr_event_sched_process_exec;
		EventFormat exec{KTR_EVENT_SCHED_PROCESS_EXEC, "sched", "sched_process_exec", test::common_fields()};
		exec.fields.insert(exec.fields.end(), {
			{"pid", FieldType::Int, offsetof(E, pid), 4, true},
			{"old_pid", FieldType::Int, offsetof(E, old_pid), 4, true},
			{"filename", FieldType::RestString, sizeof(E), 0, false},
		});
		EXPECT_TRUE(t.add(exec));
		return t;
	}();
	return table;
}

Bytes sched_switch(std::int32_t pid, std::string_view prev_comm, std::int32_t prev_pid,
		   std::int32_t prev_prio, std::uint32_t prev_state, std::uint32_t preempt,
		   std::string_view next_comm, std::int32_t next_pid, std::int32_t next_prio)
{
	ktr_event_sched_switch e{};
	e.common.id = KTR_EVENT_SCHED_SWITCH;
	e.common.pid = pid;
	std::memcpy(e.prev_comm, prev_comm.data(), std::min(prev_comm.size(), sizeof(e.prev_comm)));
	e.prev_pid = prev_pid;
	e.prev_prio = prev_prio;
	e.prev_state = prev_state;
	e.preempt = preempt;
	std::memcpy(e.next_comm, next_comm.data(), std::min(next_comm.size(), sizeof(e.next_comm)));
	e.next_pid = next_pid;
	e.next_prio = next_prio;
	return as_bytes(e);
}

Bytes sched_exec(std::int32_t pid, std::int32_t old_pid, std::string_view filename)
{
	ktr_event_sched_process_exec e{};
	e.common.id = KTR_EVENT_SCHED_PROCESS_EXEC;
	e.common.pid = pid;
	e.pid = pid;
	e.old_pid = old_pid;
	std::string raw(reinterpret_cast<const char *>(&e), sizeof(e));
	raw += filename;
	Bytes b;
	for (const char c : raw)
		b.push_back(static_cast<std::byte>(c));
	return b;
}

TEST(SchedPrint, SwitchAsText)
{
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(text(p, 1, kLocal, sched_switch(0, "swapper/1", 0, 120, 0, 1, "bash", 1234, 120)),
		  "          <idle>-0       [001]     5.000000: sched_switch: prev_comm=swapper/1 "
		  "prev_pid=0 prev_prio=120 prev_state=0 preempt=1 next_comm=bash next_pid=1234 "
		  "next_prio=120\n");
	// A deadline task's prio is -1; a comm of all 16 bytes has no NUL.
	EXPECT_EQ(text(p, 3, kLocal + 1500, sched_switch(77, "0123456789abcdef", 77, -1, 0x402, 0,
							 "swapper/3", 0, 120)),
		  "0123456789abcdef-77      [003]     5.000001: sched_switch: "
		  "prev_comm=0123456789abcdef prev_pid=77 prev_prio=-1 prev_state=1026 preempt=0 "
		  "next_comm=swapper/3 next_pid=0 next_prio=120\n");
	// The comm a marker taught the printer names the running task.
	(void)text(p, 0, kLocal, test::marker_payload(1234, 1234, "bash", "x"));
	EXPECT_EQ(text(p, 1, kLocal, sched_switch(1234, "bash", 1234, 120, 1, 0, "kworker/1:0", 5, 120)),
		  "            bash-1234    [001]     5.000000: sched_switch: prev_comm=bash "
		  "prev_pid=1234 prev_prio=120 prev_state=1 preempt=0 next_comm=kworker/1:0 "
		  "next_pid=5 next_prio=120\n");
}

// An exec names its task (no event before did): the file's basename, 15
// bytes at most, as the kernel sets comm; on the exec's own line and after.
TEST(SchedPrint, ExecNamesTheTaskAfterItsFile)
{
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_TRUE(text(p, 0, kLocal, sched_exec(300, 300, "/bin/true"))
			    .starts_with("            true-300     [000]"));
	EXPECT_TRUE(text(p, 0, kLocal, sched_exec(301, 301, "/usr/bin/a-very-long-program-name"))
			    .starts_with(" a-very-long-pro-301     [000]"));
	ASSERT_NE(p.comms().find(301), nullptr);
	EXPECT_EQ(*p.comms().find(301), "a-very-long-pro");
	// A later exec renames it.
	(void)text(p, 0, kLocal, sched_exec(300, 300, "sh"));
	EXPECT_EQ(*p.comms().find(300), "sh");
}

TEST(SchedPrint, SwitchAsJson)
{
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(json(p, 1, kLocal + 2000, sched_switch(0, "swapper/1", 0, 120, 0, 1, "bash", 1234, -1)),
		  R"({"ts_ns":5000002000,"ts":"5.000002","cpu":1,"pid":0,"comm":null,)"
		  R"("event":"sched_switch","prev_comm":"swapper/1","prev_pid":0,"prev_prio":120,)"
		  R"("prev_state":0,"preempt":1,"next_comm":"bash","next_pid":1234,"next_prio":-1})"
		  "\n");
}

TEST(SchedPrint, ExecWithItsFileName)
{
	// The exec names its task after the file (no earlier event named it).
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(text(p, 2, kLocal, sched_exec(4321, 4321, "/usr/bin/ls")),
		  "              ls-4321    [002]     5.000000: sched_process_exec: pid=4321 "
		  "old_pid=4321 filename=/usr/bin/ls\n");
	// Unlike a marker's text, a trailing newline is data: escaped, kept.
	EXPECT_EQ(text(p, 2, kLocal, sched_exec(9, 8, "/tmp/a\nb\n")),
		  "          a\\nb\\n-9       [002]     5.000000: sched_process_exec: pid=9 "
		  "old_pid=8 filename=/tmp/a\\nb\\n\n");
	// No file name: the name stays what it was.
	EXPECT_EQ(text(p, 2, kLocal, sched_exec(9, 8, "")),
		  "          a\\nb\\n-9       [002]     5.000000: sched_process_exec: pid=9 "
		  "old_pid=8 filename=\n");
	EventPrinter q(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(text(q, 2, kLocal, sched_exec(10, 10, "")),
		  "           <...>-10      [002]     5.000000: sched_process_exec: pid=10 "
		  "old_pid=10 filename=\n");
	EXPECT_EQ(json(p, 2, kLocal, sched_exec(4321, 4320, "/usr/bin/ls")),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":2,"pid":4321,"comm":"ls",)"
		  R"("event":"sched_process_exec","_pid":4321,"old_pid":4320,)"
		  R"("filename":"/usr/bin/ls"})"
		  "\n");
}

TEST(SchedPrint, ShortPayloadIsAnError)
{
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	Bytes b = sched_switch(1, "a", 1, 1, 1, 1, "b", 2, 2);
	b.erase(b.end() - 4, b.end());	// next_prio cut off
	const Result<std::string> r = p.text(0, 7, b);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "CPU 0, event at 7 ns: event sched:sched_switch: field "
				       "'next_prio' (bytes 60..64) lies outside the 60-byte payload");
}

} // namespace
} // namespace ktr
