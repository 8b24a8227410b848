// SPDX-License-Identifier: MIT
//
// Event printing: golden text and JSON lines, comm resolution, escaping,
// lost markers, clock mapping, and refusals of undecodable events.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>

#include <unistd.h>

#include <gtest/gtest.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;
using test::json;
using test::text;

constexpr std::uint64_t kLocal = 1000;
constexpr std::uint64_t kMono = 5000000000;	// 5 s

// builtin_formats() + test:sample (id 100) = value (u32), label (char[8]),
// and test:clash (id 101) whose fields are named like JSON keys.
const FormatTable &formats()
{
	static const FormatTable table = [] {
		FormatTable t = builtin_formats();
		EXPECT_TRUE(t.add(EventFormat{100, "test", "sample",
					      {{"common_id", FieldType::Int, 0, 2, false},
					       {"common_flags", FieldType::Int, 2, 2, false},
					       {"common_pid", FieldType::Int, 4, 4, true},
					       {"value", FieldType::Int, 8, 4, false},
					       {"delta", FieldType::Int, 12, 4, true},
					       {"label", FieldType::CharArray, 16, 8, false}}}));
		EXPECT_TRUE(t.add(EventFormat{101, "test", "clash",
					      {{"pid", FieldType::Int, 8, 4, true},
					       {"ts", FieldType::Int, 12, 4, false},
					       {"_ts", FieldType::Int, 16, 4, false},
					       {"comm", FieldType::CharArray, 20, 4, false}}}));
		return t;
	}();
	return table;
}

Bytes sample(std::int32_t pid, std::uint32_t value, std::int32_t delta, std::string_view label)
{
	Bytes f(16);
	std::memcpy(f.data(), &value, 4);
	std::memcpy(f.data() + 4, &delta, 4);
	std::memcpy(f.data() + 8, label.data(), std::min<std::size_t>(label.size(), 8));
	return test::event_payload(100, pid, f);
}

TEST(ClockMap, MapsLocalToMonotonicWithoutWrapping)
{
	const ClockMap c{1000, 5000};
	EXPECT_EQ(c.to_mono(1000), 5000U);
	EXPECT_EQ(c.to_mono(1500), 5500U);
	EXPECT_EQ(c.to_mono(400), 4400U);	// before the sample
	EXPECT_EQ(c.to_mono(0), 4000U);
	const ClockMap late{1000000, 10};
	EXPECT_EQ(late.to_mono(0), 0U);		// would be negative
	const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
	EXPECT_EQ(ClockMap({0, 10}).to_mono(max), max);
	EXPECT_EQ(ClockMap({0, 0}).to_mono(max), max);
	EXPECT_EQ(ClockMap({max, 0}).to_mono(0), 0U);
	EXPECT_EQ(ClockMap({}).to_mono(123), 123U);
}

TEST(FormatSeconds, MicrosecondsTruncated)
{
	EXPECT_EQ(format_seconds(0), "0.000000");
	EXPECT_EQ(format_seconds(1234567890123), "1234.567890");
	EXPECT_EQ(format_seconds(999), "0.000000");
	EXPECT_EQ(format_seconds(1000), "0.000001");
	EXPECT_EQ(format_seconds(5123456789, 5), "    5.123456");
	EXPECT_EQ(format_seconds(123456000000000, 5), "123456.000000");
	EXPECT_EQ(format_seconds(std::numeric_limits<std::uint64_t>::max()),
		  "18446744073.709551");
}

TEST(EscapeText, ControlCharactersAndBackslash)
{
	EXPECT_EQ(escape_text("plain text"), "plain text");
	EXPECT_EQ(escape_text("a\tb\nc\rd"), "a\\tb\\nc\\rd");
	EXPECT_EQ(escape_text("\x1b[31m red"), "\\x1b[31m red");
	EXPECT_EQ(escape_text(std::string_view("\0\x7f", 2)), "\\x00\\x7f");
	EXPECT_EQ(escape_text("C:\\dir"), "C:\\\\dir");
	EXPECT_EQ(escape_text("\xc3\xa9"), "\xc3\xa9");	// UTF-8 as is
}

TEST(EventPrintText, Marker)
{
	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(text(p, 1, kLocal + 123456789, test::marker_payload(1234, 1200, "bash", "hello world\n")),
		  "            bash-1234    [001]     5.123456: marker: hello world\n");
	// One trailing newline dropped, control characters escaped.
	EXPECT_EQ(text(p, 12, kLocal, test::marker_payload(7, 7, "a", "two\n\n")),
		  "               a-7       [012]     5.000000: marker: two\\n\n");
	EXPECT_EQ(text(p, 0, kLocal, test::marker_payload(7, 7, "a", "\tx\x1b\\")),
		  "               a-7       [000]     5.000000: marker: \\tx\\x1b\\\\\n");
	EXPECT_EQ(text(p, 0, kLocal, test::marker_payload(7, 7, "a", "")),
		  "               a-7       [000]     5.000000: marker:\n");
	// A comm of all 16 bytes (no NUL) and a long pid.
	EXPECT_EQ(text(p, 3, kLocal + 2000000000, test::marker_payload(4194304, 1, "0123456789abcdef", "x")),
		  "0123456789abcdef-4194304 [003]     7.000000: marker: x\n");
	// A comm with a newline in it.
	EXPECT_EQ(text(p, 3, kLocal, test::marker_payload(9, 9, "a\nb", "x")),
		  "            a\\nb-9       [003]     5.000000: marker: x\n");
}

TEST(EventPrintText, GenericFieldsAndCommFromThePidTable)
{
	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(text(p, 2, kLocal, sample(55, 7, -3, "x")),
		  "           <...>-55      [002]     5.000000: sample: value=7 delta=-3 label=x\n");
	EXPECT_EQ(text(p, 2, kLocal, sample(0, 1, 0, "")),
		  "          <idle>-0       [002]     5.000000: sample: value=1 delta=0 label=\n");
	// A marker teaches the printer pid 55's comm.
	(void)text(p, 0, kLocal, test::marker_payload(55, 50, "worker", "hi"));
	EXPECT_EQ(p.comms().size(), 1U);
	EXPECT_EQ(text(p, 2, kLocal + 1000, sample(55, 4000000000U, 5, "12345678")),
		  "          worker-55      [002]     5.000001: sample: value=4000000000 delta=5 "
		  "label=12345678\n");
	// The latest comm wins (exec).
	(void)text(p, 0, kLocal, test::marker_payload(55, 50, "renamed", "hi"));
	EXPECT_EQ(*p.comms().find(55), "renamed");
	EXPECT_EQ(p.comms().find(56), nullptr);
}

// Names of pids no event named yet come from the fallback (what the whole
// trace, or the live system, knows); names the events give still win.
TEST(EventPrintText, CommFromTheFallbackBeforeAnyEventNamesThePid)
{
	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	int asked = 0;
	p.set_comm_fallback([&asked](std::int32_t pid) -> std::optional<std::string> {
		++asked;
		if (pid == 55)
			return "early";
		return std::nullopt;
	});
	EXPECT_EQ(text(p, 2, kLocal, sample(55, 7, -3, "x")),
		  "           early-55      [002]     5.000000: sample: value=7 delta=-3 label=x\n");
	EXPECT_EQ(text(p, 2, kLocal, sample(56, 7, -3, "x")),
		  "           <...>-56      [002]     5.000000: sample: value=7 delta=-3 label=x\n");
	EXPECT_EQ(text(p, 2, kLocal, sample(0, 1, 0, "")),
		  "          <idle>-0       [002]     5.000000: sample: value=1 delta=0 label=\n");
	EXPECT_EQ(asked, 2);	// pid 0 is never looked up
	// The answer is kept: no second lookup for 55.
	(void)text(p, 2, kLocal, sample(55, 7, -3, "x"));
	EXPECT_EQ(asked, 2);
	// An event naming the pid wins over the fallback's name.
	(void)text(p, 0, kLocal, test::marker_payload(55, 50, "worker", "hi"));
	EXPECT_EQ(text(p, 2, kLocal, sample(55, 1, 0, "")),
		  "          worker-55      [002]     5.000000: sample: value=1 delta=0 label=\n");
	// JSON: the fallback's name, not null.
	EXPECT_NE(json(p, 2, kLocal, sample(57, 1, 0, "")).find("\"pid\":57,\"comm\":null"),
		  std::string::npos);
	p.set_comm_fallback([](std::int32_t) -> std::optional<std::string> { return "late"; });
	EXPECT_NE(json(p, 2, kLocal, sample(58, 1, 0, "")).find("\"pid\":58,\"comm\":\"late\""),
		  std::string::npos);
}

// A first pass learns every name the trace gives, the first of each pid
// (the one nearest to the events seen before it), and prints nothing.
TEST(EventPrintLearn, FirstNameOfEachPidWins)
{
	EventPrinter first(formats(), ClockMap{kLocal, kMono});
	ASSERT_TRUE(first.learn(0, kLocal, test::marker_payload(55, 50, "before", "hi")));
	ASSERT_TRUE(first.learn(0, kLocal, test::marker_payload(55, 50, "after", "hi")));
	ASSERT_TRUE(first.learn(0, kLocal, test::marker_payload(60, 60, "other", "hi")));
	EXPECT_FALSE(first.learn(0, kLocal, test::event_payload(999, 1, {})));	// unknown id
	ASSERT_NE(first.comms().find(55), nullptr);
	EXPECT_EQ(*first.comms().find(55), "before");
	EXPECT_EQ(first.comms().size(), 2U);

	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	p.set_comm_fallback(table_comm_lookup(first.comms()));
	EXPECT_EQ(text(p, 1, kLocal, sample(60, 1, 0, "")),
		  "           other-60      [001]     5.000000: sample: value=1 delta=0 label=\n");
	EXPECT_EQ(text(p, 1, kLocal, sample(61, 1, 0, "")),
		  "           <...>-61      [001]     5.000000: sample: value=1 delta=0 label=\n");
}

TEST(ProcCommLookup, ReadsTheCommFileOfThePid)
{
	const std::filesystem::path root =
		std::filesystem::temp_directory_path() / ("ktr-proc-" + std::to_string(::getpid()));
	std::filesystem::remove_all(root);
	std::filesystem::create_directories(root / "42");
	std::ofstream(root / "42" / "comm") << "kworker/0:1\n";
	std::filesystem::create_directories(root / "43");
	std::ofstream(root / "43" / "comm") << "";
	const CommTable::Lookup lookup = proc_comm_lookup(root.string());
	EXPECT_EQ(lookup(42), std::optional<std::string>("kworker/0:1"));
	EXPECT_EQ(lookup(43), std::nullopt);	// empty
	EXPECT_EQ(lookup(44), std::nullopt);	// no such task
	std::filesystem::remove_all(root);
	// The real /proc: this process.
	EXPECT_TRUE(proc_comm_lookup()(static_cast<std::int32_t>(::getpid())).has_value());
}

TEST(EventPrintJson, Marker)
{
	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(json(p, 1, kLocal + 123456789, test::marker_payload(1234, 1200, "bash", "hello \"world\"\n")),
		  R"({"ts_ns":5123456789,"ts":"5.123456","cpu":1,"pid":1234,"comm":"bash",)"
		  R"("event":"marker","tgid":1200,"text":"hello \"world\"\n"})"
		  "\n");
}

TEST(EventPrintJson, GenericUnknownCommAndClashingNames)
{
	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(json(p, 0, kLocal, sample(-1, 7, -3, "x\ty")),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":0,"pid":-1,"comm":null,)"
		  R"("event":"sample","value":7,"delta":-3,"label":"x\ty"})"
		  "\n");
	Bytes f(16);
	const std::int32_t pid = -5;
	const std::uint32_t ts = 9, ts2 = 10;
	std::memcpy(f.data(), &pid, 4);
	std::memcpy(f.data() + 4, &ts, 4);
	std::memcpy(f.data() + 8, &ts2, 4);
	std::memcpy(f.data() + 12, "abc", 3);
	// Its own pid field (-5) is another task than the one running (77):
	// its comm is that task's, shown as a field, not as the line's comm.
	EXPECT_EQ(json(p, 0, kLocal, test::event_payload(101, 77, f)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":0,"pid":77,"comm":null,)"
		  R"("event":"clash","_pid":-5,"_ts":9,"__ts":10,"_comm":"abc"})"
		  "\n");
	// Same pid: the comm is the running task's.
	const std::int32_t same = 77;
	std::memcpy(f.data(), &same, 4);
	EXPECT_EQ(json(p, 0, kLocal, test::event_payload(101, 77, f)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":0,"pid":77,"comm":"abc",)"
		  R"("event":"clash","_pid":77,"_ts":9,"__ts":10})"
		  "\n");
}

TEST(EventPrint, LostLines)
{
	const EventPrinter p(formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(p.lost_text(3, 12), "CPU:3 [LOST 12 EVENTS]\n");
	EXPECT_EQ(p.lost_json(3, kLocal + 5, 12), R"({"cpu":3,"lost":12,"ts_ns":5000000005})" "\n");
}

TEST(EventPrint, UndecodableEventsAreErrors)
{
	EventPrinter p(formats(), ClockMap{kLocal, kMono});
	const Result<std::string> unknown = p.text(1, 1000, test::event_payload(9, 1));
	ASSERT_FALSE(unknown);
	EXPECT_EQ(unknown.error().errnum(), EPROTO);
	EXPECT_EQ(unknown.error().message(), "CPU 1, event at 1000 ns: event id 9 is not in the "
					     "format table (corrupt, or newer than this ktr)");
	const Bytes m = test::marker_payload(1, 1, "x", "");
	const Result<std::string> short_ev = p.json(2, 5, Bytes(m.begin(), m.begin() + 20));
	ASSERT_FALSE(short_ev);
	EXPECT_EQ(short_ev.error().message(),
		  "CPU 2, event at 5 ns: event ktr:marker: field 'comm' (bytes 12..28) lies outside "
		  "the 20-byte payload");
	const Result<std::string> tiny = p.text(0, 0, Bytes(3));
	ASSERT_FALSE(tiny);
	EXPECT_EQ(tiny.error().message(), "CPU 0, event at 0 ns: event payload of 3 bytes is "
					  "shorter than the 8-byte common header");
}

} // namespace
} // namespace ktr
