// SPDX-License-Identifier: MIT
//
// ktr report's extra stages on the golden capture of syscall_capture.h:
// --stat (ktr/stat_sink.h), --from/--to (ktr/window_sink.h) and --ts-diff
// (EventPrinter::set_ts_diff), through the sinks and through the binary.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/line_sink.h"
#include "ktr/stat_sink.h"
#include "ktr/window_sink.h"
#include "run_tool.h"
#include "syscall_capture.h"
#include "temp_path.h"

namespace ktr {
namespace {

class ReportSinks : public ::testing::Test {
protected:
	void SetUp() override
	{
		path_ = dir_.path("sys.ktr");
		test::write_syscall_capture(path_);
	}

	std::string run(Sink &sink)
	{
		Sink *const sinks[] = {&sink};
		const PipelineResult r = test::run_capture(path_, sinks);
		EXPECT_EQ(r.event_errors, 0U);
		return out_.text();
	}

	test::TempDir dir_;
	std::string path_;
	StringOutput out_;
};

const char *const kStat = "events: 8 in 0.000003 s (5.000000 to 5.000003), 3 lost\n"
			  "\n"
			  "by event:\n"
			  "     count  event\n"
			  "         4  raw_syscalls:sys_enter\n"
			  "         3  raw_syscalls:sys_exit\n"
			  "         1  ktr:marker\n"
			  "\n"
			  "by CPU:\n"
			  "  CPU     events       lost\n"
			  "    0          5          0\n"
			  "    1          3          3\n"
			  "\n"
			  "by task:\n"
			  "       pid  comm                 events\n"
			  "       100  alpha                     4\n"
			  "       200  <...>                     3\n"
			  "       300  <...>                     1\n";

TEST_F(ReportSinks, Stat)
{
	StatSink sink(out_);
	EXPECT_EQ(run(sink), kStat);
	EXPECT_EQ(sink.events(), 8U);
	EXPECT_EQ(sink.lost_events(), 3U);
	EXPECT_EQ(sink.by_event().at("raw_syscalls:sys_enter"), 4U);
	EXPECT_EQ(sink.by_cpu().at(1).lost, 3U);
	EXPECT_EQ(sink.by_task().at(300), 1U);
}

TEST_F(ReportSinks, WindowRelativeFrom)
{
	StatSink stat(out_);
	WindowSink window(stat, *parse_time_bound("+1500ns", "--from"), std::nullopt);
	run(window);
	// 2600, 3000, 3100, 3200 and 4000; the loss at 2000 is before.
	EXPECT_EQ(stat.events(), 5U);
	EXPECT_EQ(stat.lost_events(), 0U);
}

TEST_F(ReportSinks, WindowAbsoluteTo)
{
	StatSink stat(out_);
	WindowSink window(stat, std::nullopt, *parse_time_bound("5.000002", "--to"));
	run(window);
	// Up to local 3000 ns = 5.000002 s: 1000, 1500, 2000, 2600, 3000 and the loss.
	EXPECT_EQ(stat.events(), 5U);
	EXPECT_EQ(stat.lost_events(), 3U);
}

// A window that cuts off the event naming a task: the first pass's names.
TEST_F(ReportSinks, StatNamesFromFallback)
{
	StatSink stat(out_);
	stat.set_comm_fallback([](std::int32_t pid) -> std::optional<std::string> {
		if (pid == 200)
			return "beta";
		return std::nullopt;
	});
	const std::string out = run(stat);
	EXPECT_NE(out.find("       200  beta                      3\n"), std::string::npos) << out;
	EXPECT_NE(out.find("       300  <...>                     1\n"), std::string::npos) << out;
	// What the events named wins over the fallback.
	EXPECT_NE(out.find("       100  alpha                     4\n"), std::string::npos) << out;
}

TEST(TimeBound, Parse)
{
	Result<TimeBound> b = parse_time_bound("+1.5s", "--from");
	ASSERT_TRUE(b);
	EXPECT_TRUE(b->relative);
	EXPECT_EQ(b->ns, 1'500'000'000U);
	b = parse_time_bound("5025.25", "--to");
	ASSERT_TRUE(b);
	EXPECT_FALSE(b->relative);
	EXPECT_EQ(b->ns, 5'025'250'000'000U);
	b = parse_time_bound("+200ms", "--to");
	ASSERT_TRUE(b);
	EXPECT_EQ(b->ns, 200'000'000U);
	for (const char *bad : {"", "+", "soon", "-1", "1.5x", "+-2s"}) {
		b = parse_time_bound(bad, "--from");
		ASSERT_FALSE(b) << bad;
		EXPECT_EQ(b.error().message().substr(0, 8), "--from '") << bad;
	}
}

TEST_F(ReportSinks, TsDiffJson)
{
	LineSink sink(LineFormat::Json, out_);
	sink.set_ts_diff(true);
	const std::string out = run(sink);
	std::vector<std::uint64_t> diffs;
	for (std::size_t at = 0; (at = out.find("\"ts_diff_ns\":", at)) != std::string::npos;) {
		at += 13;
		diffs.push_back(std::stoull(out.substr(at)));
	}
	EXPECT_EQ(diffs, (std::vector<std::uint64_t>{0, 500, 500, 600, 400, 100, 100, 800}));
	EXPECT_NE(out.find(R"({"ts_ns":5000000500,"ts":"5.000000","ts_diff_ns":500,"cpu":0,)"),
		  std::string::npos)
		<< out;
}

TEST_F(ReportSinks, TsDiffText)
{
	LineSink sink(LineFormat::Text, out_);
	sink.set_ts_diff(true);
	const std::string out = run(sink);
	EXPECT_EQ(out.substr(0, out.find('\n') + 1),
		  "           <...>-100     [000]     5.000000 (+0.000000): sys_enter: NR 0 read "
		  "(0, 0, 0, 0, 0, 0)\n");
}

TEST_F(ReportSinks, Cli)
{
	test::Outcome r = test::run_tool(KTR_BIN, {"report", "--stat", path_});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, kStat);

	// --from/--to cut the lines; --ts-diff counts from the previous line shown.
	r = test::run_tool(KTR_BIN, {"report", "--json", "--ts-diff", "--from", "+1.6us", "--to",
				     "+2.1us", path_});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;
	EXPECT_NE(r.out.find(R"J("ts_diff_ns":0,"cpu":1,"pid":200,)J"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(R"J("ts_diff_ns":400,"cpu":0,"pid":100,)J"), std::string::npos) << r.out;

	r = test::run_tool(KTR_BIN, {"report", "--stat", "--json", path_});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_NE(r.out.find(R"({"events":8,"lost":3,"first_s":5.000000,"last_s":5.000003,"by_event":[)"
			     R"J({"event":"raw_syscalls:sys_enter","count":4},)J"),
		  std::string::npos)
		<< r.out;
	EXPECT_NE(r.out.find(R"J("by_cpu":[{"cpu":0,"events":5,"lost":0},{"cpu":1,"events":3,"lost":3}])J"),
		  std::string::npos)
		<< r.out;
	EXPECT_NE(r.out.find(R"J({"pid":100,"comm":"alpha","events":4})J"), std::string::npos) << r.out;
	EXPECT_NE(r.out.find(R"J({"pid":300,"comm":null,"events":1})J"), std::string::npos) << r.out;
	r = test::run_tool(KTR_BIN, {"report", "--stat", "--format", "ctf", "-o", dir_.path("c"), path_});
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(test::is_one_line(r.err, "ktr: --stat prints counts")) << r.err;
	r = test::run_tool(KTR_BIN, {"report", "--to", "later", path_});
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(r.out.empty());
}

} // namespace
} // namespace ktr
