// SPDX-License-Identifier: MIT
//
// Histograms (ktr/histogram.h), ktr hist's sinks (ktr/hist_sink.h, the
// field histogram; ktr/pair_sink.h, latency pairs) on the golden capture
// of syscall_capture.h, and `ktr hist` end to end on the same file.

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/hist_sink.h"
#include "ktr/histogram.h"
#include "ktr/json_writer.h"
#include "ktr/line_sink.h"
#include "ktr/pair_sink.h"
#include "run_tool.h"
#include "syscall_capture.h"
#include "temp_path.h"

namespace ktr {
namespace {

TEST(Histogram, Log2Buckets)
{
	const Histogram h;
	EXPECT_EQ(h.bucket_of(std::int64_t{-5}), -1);
	EXPECT_EQ(h.bucket_of(std::uint64_t{0}), 0);
	EXPECT_EQ(h.bucket_of(std::uint64_t{1}), 1);
	EXPECT_EQ(h.bucket_of(std::uint64_t{2}), 2);
	EXPECT_EQ(h.bucket_of(std::uint64_t{3}), 2);
	EXPECT_EQ(h.bucket_of(std::uint64_t{4}), 3);
	EXPECT_EQ(h.bucket_of(std::uint64_t{1023}), 10);
	EXPECT_EQ(h.bucket_of(std::uint64_t{1024}), 11);
	EXPECT_EQ(h.bucket_of(std::numeric_limits<std::uint64_t>::max()), 64);
	EXPECT_EQ(h.range_text(-1), "(..., 0)");
	EXPECT_EQ(h.range_text(0), "[0]");
	EXPECT_EQ(h.range_text(1), "[1]");
	EXPECT_EQ(h.range_text(2), "[2, 4)");
	EXPECT_EQ(h.range_text(11), "[1K, 2K)");
	EXPECT_EQ(h.range_text(64), "[8E, 16E)");
}

TEST(Histogram, LinearBuckets)
{
	const Histogram h(HistSpec{10});
	EXPECT_EQ(h.bucket_of(std::int64_t{-1}), -1);
	EXPECT_EQ(h.bucket_of(std::int64_t{-10}), -1);
	EXPECT_EQ(h.bucket_of(std::int64_t{-11}), -2);
	EXPECT_EQ(h.bucket_of(std::int64_t{0}), 0);
	EXPECT_EQ(h.bucket_of(std::uint64_t{25}), 2);
	EXPECT_EQ(h.range_text(-2), "[-20, -10)");
	EXPECT_EQ(h.range_text(2), "[20, 30)");
	const Histogram big(HistSpec{std::numeric_limits<std::uint64_t>::max()});
	EXPECT_EQ(big.range_text(1), "[18446744073709551615, 36893488147419103230)");
}

TEST(Histogram, LineIsBpftraceLike)
{
	EXPECT_EQ(hist_line("[2, 4)", 1, 4),
		  "[2, 4)                      1 |@@@@@@@@@@@@@                                       |\n");
	EXPECT_EQ(hist_line("[0]", 0, 4),
		  "[0]                         0 |                                                    |\n");
}

TEST(Histogram, TextShowsEmptyBucketsBetween)
{
	Histogram h;
	for (int i = 0; i < 3; i++)
		h.add(std::uint64_t{0});
	h.add(std::int64_t{2});
	h.add(std::int64_t{3});
	EXPECT_TRUE(h.add(FieldValue{std::uint64_t{0}}));
	EXPECT_FALSE(h.add(FieldValue{std::string("x")}));
	EXPECT_EQ(h.count(), 6U);
	EXPECT_EQ(h.text(), hist_line("[0]", 4, 4) + hist_line("[1]", 0, 4) +
				    hist_line("[2, 4)", 2, 4) +
				    "count 6  avg 0  min 0  max 3\n");
	EXPECT_EQ(Histogram().text(), "no values\n");
}

TEST(Histogram, WideSpansShowOnlyNonEmptyBuckets)
{
	Histogram h(HistSpec{1});
	h.add(std::int64_t{-1});
	h.add(std::uint64_t{5000});
	EXPECT_EQ(h.text(" ns"), hist_line("[-1, 0)", 1, 1) + hist_line("[5000, 5001)", 1, 1) +
					 "count 2  avg 2499 ns  min -1 ns  max 5000 ns\n");
}

class HistCapture : public ::testing::Test {
protected:
	void SetUp() override
	{
		path_ = dir_.path("sys.ktr");
		test::write_syscall_capture(path_);
	}

	// @sink over the capture; its output.
	std::string run(Sink &sink)
	{
		Sink *const sinks[] = {&sink};
		const PipelineResult r = test::run_capture(path_, sinks, &warnings_);
		EXPECT_EQ(r.event_errors, 0U);
		return out_.text();
	}

	test::TempDir dir_;
	std::string path_;
	StringOutput out_;
	std::vector<std::string> warnings_;
};

const std::string kRetHist = "@sys_exit.ret:\n" + hist_line("[0]", 1, 1) + hist_line("[1]", 0, 1) +
			     hist_line("[2, 4)", 0, 1) + hist_line("[4, 8)", 1, 1) +
			     hist_line("[8, 16)", 1, 1) + "count 3  avg 5  min 0  max 10\n\n" +
			     "sys_exit: 3 events; 3 events lost in the trace\n";

TEST_F(HistCapture, FieldHistogram)
{
	HistSink sink(HistOptions{"sys_exit", "ret", {}, "", ""}, out_);
	EXPECT_EQ(run(sink), kRetHist);
	EXPECT_TRUE(warnings_.empty());
}

TEST_F(HistCapture, FilterAndByWithSyscallNames)
{
	HistSink sink(HistOptions{"raw_syscalls:sys_exit", "ret", {}, "ret > 0", "id"}, out_);
	EXPECT_EQ(run(sink), "@sys_exit.ret[id=0 read]:\n" + hist_line("[8, 16)", 1, 1) +
				     "count 1  avg 10  min 10  max 10\n\n"
				     "@sys_exit.ret[id=1 write]:\n" +
				     hist_line("[4, 8)", 1, 1) +
				     "count 1  avg 5  min 5  max 5\n\n"
				     "sys_exit: 3 events, 2 kept by the filter; 3 events lost in "
				     "the trace\n");
}

TEST_F(HistCapture, LinearAndPidForCommonPid)
{
	HistSink sink(HistOptions{"sys_enter", "pid", HistSpec{100}, "", ""}, out_);
	EXPECT_EQ(run(sink), "@sys_enter.common_pid:\n" + hist_line("[100, 200)", 2, 2) +
				     hist_line("[200, 300)", 2, 2) +
				     "count 4  avg 150  min 100  max 200\n\n"
				     "sys_enter: 4 events; 3 events lost in the trace\n");
}

TEST_F(HistCapture, BadEventFieldOrFilterStopBeforeReading)
{
	const auto error_of = [&](HistOptions o) {
		HistSink sink(std::move(o), out_);
		Sink *const sinks[] = {&sink};
		Result<CaptureSource> src = CaptureSource::open(path_);
		EXPECT_TRUE(src);
		Result<PipelineResult> r = run_pipeline(*src, sinks);
		EXPECT_FALSE(r);
		return r ? std::string() : r.error().message();
	};
	EXPECT_EQ(error_of({"nosuch", "ret", {}, "", ""}),
		  "event 'nosuch' is not in the trace (its formats: 'ktr list', or 'ktr report "
		  "--stat' of a capture, show which are)");
	EXPECT_EQ(error_of({"sys_exit", "nosuch", {}, "", ""}),
		  "event sys_exit has no field 'nosuch' (its fields: common_id, common_flags, "
		  "common_pid, id, ret)");
	EXPECT_EQ(error_of({"marker", "text", {}, "", ""}),
		  "field 'text' of event marker is not an integer");
	EXPECT_NE(error_of({"sys_exit", "ret", {}, "ret ~ \"x\"", ""}).find("filter"),
		  std::string::npos);
	EXPECT_TRUE(out_.text().empty());
}

TEST_F(HistCapture, LatencyPairsPerKey)
{
	PairSink sink(PairOptions{"sys_enter", "sys_exit", {"pid", "id"}, {}, "", ""}, out_);
	EXPECT_EQ(run(sink), "@sys_enter:sys_exit[pid=100, id=0 read] (ns):\n" +
				     hist_line("[1K, 2K)", 1, 1) +
				     "count 1  avg 2000 ns  min 2000 ns  max 2000 ns\n\n"
				     "@sys_enter:sys_exit[pid=200, id=1 write] (ns):\n" +
				     hist_line("[512, 1K)", 1, 1) +
				     "count 1  avg 600 ns  min 600 ns  max 600 ns\n\n"
				     "2 pairs; unmatched: 1 sys_exit without sys_enter, 1 sys_enter "
				     "followed by another, 1 still open at the end; 3 events lost in "
				     "the trace (pairs across them may be missing)\n");
	EXPECT_EQ(sink.counts().pairs, 2U);
	EXPECT_EQ(sink.counts().unmatched_ends, 1U);
	EXPECT_EQ(sink.counts().restarted, 1U);
	EXPECT_EQ(sink.counts().open_at_end, 1U);
	EXPECT_EQ(sink.counts().lost, 3U);
}

TEST_F(HistCapture, LatencyPairsByFieldLinear)
{
	PairSink sink(PairOptions{"sys_enter", "sys_exit", {"pid", "id"}, HistSpec{1000}, "", "id"},
		      out_);
	EXPECT_EQ(run(sink), "@sys_enter:sys_exit[id=0 read] (ns):\n" +
				     hist_line("[2000, 3000)", 1, 1) +
				     "count 1  avg 2000 ns  min 2000 ns  max 2000 ns\n\n"
				     "@sys_enter:sys_exit[id=1 write] (ns):\n" +
				     hist_line("[0, 1000)", 1, 1) +
				     "count 1  avg 600 ns  min 600 ns  max 600 ns\n\n"
				     "2 pairs; unmatched: 1 sys_exit without sys_enter, 1 sys_enter "
				     "followed by another, 1 still open at the end; 3 events lost in "
				     "the trace (pairs across them may be missing)\n");
}

// A START the filter drops swallows its END: it is not "unmatched".
TEST_F(HistCapture, LatencyPairsFilterOnStart)
{
	PairSink sink(PairOptions{"sys_enter", "sys_exit", {"pid", "id"}, {}, "id == 1", ""}, out_);
	const std::string out = run(sink);
	EXPECT_EQ(out.substr(out.rfind('\n', out.size() - 2) + 1),
		  "1 pairs; unmatched: 1 sys_exit without sys_enter, 1 sys_enter followed by "
		  "another, 0 still open at the end; 2 sys_enter dropped by the filter; 3 events "
		  "lost in the trace (pairs across them may be missing)\n");
	EXPECT_EQ(sink.counts().filtered, 2U);
}

TEST_F(HistCapture, LatencyPairsBadKeys)
{
	PairSink sink(PairOptions{"sys_enter", "sys_exit", {"ret"}, {}, "", ""}, out_);
	Sink *const sinks[] = {&sink};
	Result<CaptureSource> src = CaptureSource::open(path_);
	ASSERT_TRUE(src);
	Result<PipelineResult> r = run_pipeline(*src, sinks);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message().substr(0, 36), "event sys_enter has no field 'ret' (");
	PairSink same(PairOptions{"sys_enter", "raw_syscalls:sys_enter", {"id"}, {}, "", ""}, out_);
	Sink *const sinks2[] = {&same};
	Result<CaptureSource> src2 = CaptureSource::open(path_);
	ASSERT_TRUE(src2);
	Result<PipelineResult> r2 = run_pipeline(*src2, sinks2);
	ASSERT_FALSE(r2);
	EXPECT_EQ(r2.error().message(),
		  "a pair needs two different events, not sys_enter twice");
}

// The CLI is a front end: the same text as the sinks.
TEST_F(HistCapture, CliPrintsWhatTheSinksPrint)
{
	test::Outcome r = test::run_tool(KTR_BIN, {"hist", "-i", path_, "sys_exit", "ret"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, kRetHist);

	r = test::run_tool(KTR_BIN,
			   {"hist", "-i", path_, "--pair", "sys_enter:sys_exit", "--key", "pid,id"});
	EXPECT_EQ(r.status, 0) << r.err;
	PairSink sink(PairOptions{"sys_enter", "sys_exit", {"pid", "id"}, {}, "", ""}, out_);
	EXPECT_EQ(r.out, run(sink));

	r = test::run_tool(KTR_BIN, {"hist", "-i", path_, "--from", "+1500ns", "--to", "5.000002",
				     "sys_exit", "ret"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "@sys_exit.ret:\n" + hist_line("[4, 8)", 1, 1) +
				 hist_line("[8, 16)", 1, 1) + "count 2  avg 7  min 5  max 10\n\n" +
				 "sys_exit: 2 events\n");
}

// The same histograms as one JSON object: buckets with their bounds.
TEST_F(HistCapture, Json)
{
	HistSink sink(HistOptions{"sys_exit", "ret", {}, "", ""}, out_);
	sink.set_json(true);
	EXPECT_EQ(run(sink),
		  R"J({"event":"raw_syscalls:sys_exit","field":"ret","by":null,"histograms":[)J"
		  R"J({"histogram":{"count":3,"avg":5,"min":0,"max":10,"buckets":[)J"
		  R"J({"range":"[0]","low":0,"high":1,"count":1},)J"
		  R"J({"range":"[4, 8)","low":4,"high":8,"count":1},)J"
		  R"J({"range":"[8, 16)","low":8,"high":16,"count":1}]}}],)J"
		  R"("events":3,"kept":null,"unreadable":0,"lost":3})"
		  "\n");
}

TEST_F(HistCapture, PairsJson)
{
	PairSink sink(PairOptions{"sys_enter", "sys_exit", {"pid", "id"}, {}, "", ""}, out_);
	sink.set_json(true);
	const std::string out = run(sink);
	EXPECT_NE(out.find(R"J("start":"raw_syscalls:sys_enter","end":"raw_syscalls:sys_exit","unit":"ns")J"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find(R"J({"key":"pid=100, id=0 read","histogram":{"count":1,"avg":2000,"min":2000,"max":2000,"buckets":[{"range":"[1K, 2K)","low":1024,"high":2048,"count":1}]}})J"),
		  std::string::npos)
		<< out;
	EXPECT_NE(out.find(R"J("pairs":2,"unmatched_ends":1,"restarted":1,"open_at_end":1,"filtered":null,"unreadable":0,"lost":3})J"),
		  std::string::npos)
		<< out;
}

TEST(Histogram, JsonBoundsAtTheEdges)
{
	Histogram log2;
	log2.add(std::int64_t{-5});
	log2.add(std::numeric_limits<std::uint64_t>::max());
	JsonWriter w;
	log2.json(w);
	EXPECT_EQ(w.str(), R"J({"count":2,"avg":9223372036854775805,"min":-5,"max":18446744073709551615,"buckets":[)J"
			   R"J({"range":"(..., 0)","low":null,"high":0,"count":1},)J"
			   R"J({"range":"[8E, 16E)","low":9223372036854775808,"high":18446744073709551616,"count":1}]})J");
	Histogram empty;
	JsonWriter e;
	empty.json(e);
	EXPECT_EQ(e.str(), R"J({"count":0,"avg":null,"min":null,"max":null,"buckets":[]})J");
}

TEST_F(HistCapture, CliUsageErrors)
{
	const auto fails = [&](const std::vector<std::string> &args, int status,
			       std::string_view prefix) {
		const test::Outcome r = test::run_tool(KTR_BIN, args);
		EXPECT_EQ(r.status, status) << r.err;
		EXPECT_TRUE(r.out.empty());
		EXPECT_TRUE(test::is_one_line(r.err, prefix)) << r.err;
	};
	fails({"hist", "-i", path_}, 2, "ktr: give EVENT FIELD, or --pair");
	fails({"hist", "-i", path_, "--pair", "sys_enter"}, 2, "ktr: --pair 'sys_enter': START:END");
	fails({"hist", "-i", path_, "--pair", "sys_enter:sys_exit"}, 2, "ktr: --pair needs --key");
	fails({"hist", "-i", path_, "sys_exit", "ret", "--key", "pid"}, 2,
	      "ktr: --key goes with --pair");
	fails({"hist", "-i", path_, "sys_exit", "ret", "--log2", "--linear", "5"}, 2,
	      "ktr: --log2 and --linear exclude each other");
	fails({"hist", "-i", path_, "sys_exit", "ret", "--linear", "0"}, 2,
	      "ktr: --linear: invalid count '0': must be at least 1");
	fails({"hist", "-i", path_, "sys_exit", "ret", "--from", "soon"}, 2, "ktr: ");
	fails({"hist", "-i", path_, "nosuch", "ret"}, 1, "ktr: event 'nosuch' is not in the trace");
	fails({"hist", "-i", path_, "-d", "1s", "sys_exit", "ret"}, 2,
	      "ktr: -d and --cpus are for the live stream");
}

} // namespace
} // namespace ktr
