// SPDX-License-Identifier: MIT
//
// The Perfetto output (ktr/perfetto_sink.h, src/perfetto/): the protobuf
// encoder's bytes, and traces decoded by protoc (Debian's
// protobuf-compiler, installed by `make deps`) against the schema kept in
// tests/data/perfetto/trace_min.proto: the small capture of ctf_capture.h
// against its golden text (tests/data/perfetto/sample.txt), and the 6.1 VM
// capture (tests/data/ctf/vm-6.1.ktr) event by event against
// `ktr report --json`. Without protoc the protoc tests fail under CI (CI set
// in the environment) and are skipped elsewhere.
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include <unistd.h>

#include "ctf_capture.h"
#include "perfetto/atrace.h"
#include "perfetto/proto_writer.h"
#include "run_tool.h"
#include "temp_path.h"

namespace ktr {
namespace {

TEST(PerfettoProto, WireBytes)
{
	perfetto::Message m;
	m.varint(1, 150).sint(2, -1).bytes(3, "ab");
	const std::string want = std::string("\x08\x96\x01", 3) + "\x10" +
				 std::string(9, '\xff') + "\x01" + "\x1a\x02" "ab";
	EXPECT_EQ(m.data(), want);
	perfetto::Message outer;
	outer.message(329, perfetto::Message().varint(1, 0));
	// Field 329, wire type 2: tag 2634 = 0xca 0x14; length 2; 08 00.
	EXPECT_EQ(outer.data(), std::string("\xca\x14\x02\x08\x00", 5));
}

TEST(PerfettoAtrace, MarkersInAtraceFormStayAsWritten)
{
	for (const char *t : {"B|12|load", "E|12", "C|12|queue|3", "S|1|io|7", "F|1|io|7",
			      "I|12|tick", "N|track|x", "G|1|a|2", "H|1|a|2"})
		EXPECT_EQ(perfetto::marker_prints(t, 99), std::vector<std::string>{t}) << t;
}

TEST(PerfettoAtrace, OtherMarkersBecomeZeroLengthSlices)
{
	using V = std::vector<std::string>;
	EXPECT_EQ(perfetto::marker_prints("phase 2 starts\n", 1234),
		  (V{"B|1234|phase 2 starts", "E|1234"}));
	EXPECT_EQ(perfetto::marker_prints("a|b\r\n\n", 5), (V{"B|5|a|b", "E|5"}));
	EXPECT_EQ(perfetto::marker_prints("\n", 5), (V{"B|5|(empty marker)", "E|5"}));
	EXPECT_EQ(perfetto::marker_prints("", 5), (V{"B|5|(empty marker)", "E|5"}));
	// Not atrace: the letter must be one of atrace's, followed by '|'.
	EXPECT_FALSE(perfetto::is_atrace("X|1|y"));
	EXPECT_FALSE(perfetto::is_atrace("B"));
	EXPECT_FALSE(perfetto::is_atrace("Begin|1"));
	EXPECT_TRUE(perfetto::is_atrace("E|"));
}

std::optional<std::string> find_protoc()
{
	const char *path = std::getenv("PATH");
	std::istringstream dirs(path ? path : "/usr/bin:/bin");
	for (std::string dir; std::getline(dirs, dir, ':');) {
		const std::string p = dir + "/protoc";
		if (::access(p.c_str(), X_OK) == 0)
			return p;
	}
	return std::nullopt;
}

// Under CI a missing tool is a failure, elsewhere a skip.
bool in_ci()
{
	const char *ci = std::getenv("CI");
	return ci && *ci;
}

// protoc --decode of the Perfetto trace of @capture (text format).
std::string decode(const std::string &capture)
{
	const std::optional<std::string> protoc = find_protoc();
	if (!protoc) {
		if (in_ci())
			ADD_FAILURE() << "protoc is not installed: run make deps (Debian package "
					 "protobuf-compiler)";
		return {};
	}
	test::TempDir dir;
	const std::string out = dir.path("trace.pftrace");
	const test::Outcome w =
		test::run_tool(KTR_BIN, {"report", capture, "--format", "perfetto", "-o", out});
	EXPECT_EQ(w.status, 0) << w.err;
	const std::string schema_dir = KTR_TEST_DATA_DIR "/perfetto";
	const test::Outcome d = test::run_tool(
		"/bin/sh", {"-c", "exec \"$0\" --decode=perfetto.protos.Trace -I \"$1\" "
				  "\"$1/trace_min.proto\" <\"$2\"",
			    *protoc, schema_dir, out});
	EXPECT_EQ(d.status, 0) << d.err;
	EXPECT_EQ(d.err, "");
	return d.out;
}

std::string read_text(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

TEST(PerfettoTrace, SmallCaptureIsGolden)
{
	if (!find_protoc() && !in_ci())
		GTEST_SKIP() << "protoc is not installed (make deps installs it)";
	test::TempDir dir;
	const std::string capture = dir.path("trace.ktr");
	ASSERT_TRUE(test::write_ctf_capture(capture));
	const std::string want = read_text(KTR_TEST_DATA_DIR "/perfetto/sample.txt");
	ASSERT_FALSE(want.empty());
	EXPECT_EQ(decode(capture), want);
}

// (cpu, timestamp, pid, event) of every ftrace event protoc printed.
using Key = std::tuple<std::uint32_t, std::uint64_t, std::int64_t, std::string>;

std::vector<Key> decoded_events(const std::string &text)
{
	std::vector<Key> out;
	std::istringstream in(text);
	std::uint32_t cpu = 0;
	std::uint64_t ts = 0;
	std::int64_t pid = 0;
	int state = 0;	// 1: in an event, after its pid
	for (std::string line; std::getline(in, line);) {
		const std::size_t s = line.find_first_not_of(' ');
		if (s == std::string::npos)
			continue;
		const std::string l = line.substr(s);
		if (l.starts_with("cpu: "))
			cpu = static_cast<std::uint32_t>(std::stoul(l.substr(5)));
		else if (l.starts_with("timestamp: ") && s == 6)
			ts = std::stoull(l.substr(11));
		else if (l.starts_with("pid: ") && s == 6) {
			pid = std::stoll(l.substr(5));
			state = 1;
		} else if (state == 1 && l.ends_with(" {")) {
			out.emplace_back(cpu, ts, pid, l.substr(0, l.size() - 2));
			state = 0;
		}
	}
	return out;
}

TEST(PerfettoTrace, VmCaptureEveryEvent)
{
	if (!find_protoc() && !in_ci())
		GTEST_SKIP() << "protoc is not installed (make deps installs it)";
	const std::string capture = KTR_TEST_DATA_DIR "/ctf/vm-6.1.ktr";
	const test::Outcome json = test::run_tool(KTR_BIN, {"report", "--json", capture});
	ASSERT_EQ(json.status, 0) << json.err;
	static const std::map<std::string, std::string> mapped{
		{"sched_switch", "sched_switch"}, {"sched_wakeup", "sched_wakeup"},
		{"sched_wakeup_new", "sched_wakeup_new"},
		{"sched_process_fork", "sched_process_fork"},
		{"sched_process_exec", "sched_process_exec"},
		{"sched_process_exit", "sched_process_exit"}, {"sys_enter", "sys_enter"},
		{"sys_exit", "sys_exit"}, {"softirq_entry", "softirq_entry"},
		{"softirq_exit", "softirq_exit"}, {"irq_handler_entry", "irq_handler_entry"},
		{"irq_handler_exit", "irq_handler_exit"}, {"marker", "print"}};
	std::map<std::uint32_t, std::vector<Key>> want;
	std::istringstream in(json.out);
	for (std::string line; std::getline(in, line);) {
		const auto num = [&line](const std::string &key) {
			const std::size_t at = line.find("\"" + key + "\":");
			return line.substr(at + key.size() + 3,
					   line.find_first_of(",}", at) - at - key.size() - 3);
		};
		const std::size_t e = line.find("\"event\":\"");
		if (e == std::string::npos)
			continue;
		const std::string event = line.substr(e + 9, line.find('"', e + 9) - e - 9);
		const auto cpu = static_cast<std::uint32_t>(std::stoul(num("cpu")));
		want[cpu].emplace_back(cpu, std::stoull(num("ts_ns")), std::stoll(num("pid")),
				       mapped.at(event));
		// A marker not in atrace form is a zero-length slice: two prints.
		const std::size_t t = line.find("\"text\":\"");
		if (event == "marker" && t != std::string::npos &&
		    !perfetto::is_atrace(line.substr(t + 8, 2)))
			want[cpu].push_back(want[cpu].back());
	}
	std::map<std::uint32_t, std::vector<Key>> got;
	const std::string text = decode(capture);
	for (const Key &k : decoded_events(text))
		got[std::get<0>(k)].push_back(k);
	ASSERT_FALSE(want.empty());
	EXPECT_EQ(got, want);
	EXPECT_NE(text.find("process_tree {"), std::string::npos);
}

} // namespace
} // namespace ktr
