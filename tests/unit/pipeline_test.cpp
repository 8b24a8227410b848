// SPDX-License-Identifier: MIT
//
// The event pipeline (ktr/pipeline.h) with in-memory sources and sinks: the
// path of ktr-read (sub-buffers as a live source hands them over, merged,
// printed), of ktr-read -o / ktr record -o (into a capture file) and of
// ktr report (the capture file back) give the same text, JSON Lines,
// statistics and error counts.

#include <cstddef>
#include <cstring>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_event.h>

#include "ktr/capture.h"
#include "ktr/capture_sink.h"
#include "ktr/capture_source.h"
#include "ktr/event_format.h"
#include "ktr/line_sink.h"
#include "ktr/pipeline.h"
#include "ktr/source.h"
#include "sample_capture.h"
#include "subbuf_builder.h"
#include "temp_path.h"

namespace ktr {
namespace {

using test::Bytes;
using test::SubbufBuilder;

constexpr std::uint32_t kSize = 4096;

// Sub-buffers in the order a live source hands them over, with the safe
// points it would give; refused ones are skipped like the live source does.
class MemorySource final : public Source {
public:
	struct Step {
		std::uint32_t cpu = 0;
		Bytes subbuf;			// empty: a safe point
		std::uint64_t safe_until = 0;
	};

	MemorySource(CaptureInfo info, std::vector<unsigned> cpus, std::vector<Step> steps)
		: info_(std::move(info)), cpus_(std::move(cpus)), steps_(std::move(steps))
	{
	}

	[[nodiscard]] const CaptureInfo &info() const noexcept override { return info_; }
	[[nodiscard]] const std::vector<unsigned> &cpus() const noexcept override { return cpus_; }
	[[nodiscard]] Symbolizer symbolizer() const override { return symbolizer_; }

	Result<SourceEnd> run(SourceOutput &out) override
	{
		for (const Step &s : steps_) {
			if (out.satisfied())
				break;
			if (s.subbuf.empty()) {
				if (Result<void> r = out.safe_until(s.safe_until); !r)
					return r.error();
				continue;
			}
			Result<std::optional<Error>> kept = out.subbuf(s.cpu, s.subbuf);
			if (!kept)
				return kept.error();
			if (*kept)
				out.skipped("CPU " + std::to_string(s.cpu) + ": sub-buffer skipped: " +
					    (*kept)->message());
		}
		return end_;
	}

	Symbolizer symbolizer_;
	SourceEnd end_;

private:
	CaptureInfo info_;
	std::vector<unsigned> cpus_;
	std::vector<Step> steps_;
};

struct Outcome {
	std::string out;
	std::vector<std::string> warnings;
	PipelineResult result;
};

// @source through one line sink of @format.
Outcome run_lines(Source &source, LineFormat format, std::optional<std::uint64_t> count = {})
{
	Outcome run;
	StringOutput out;
	LineSink sink(format, out);
	Sink *const sinks[] = {&sink};
	PipelineOptions opt;
	opt.count = count;
	opt.warn = [&run](const std::string &m) { run.warnings.push_back(m); };
	Result<PipelineResult> r = run_pipeline(source, sinks, opt);
	EXPECT_TRUE(r) << r.error().message();
	if (r)
		run.result = std::move(r).value();
	run.out = out.text();
	return run;
}

// Two CPUs: markers on both, a loss on CPU 1, a stack event on CPU 0, and
// an event of a format only the trace's table knows (test:sample, id 100).
class Pipeline : public ::testing::Test {
protected:
	void SetUp() override
	{
		info_ = test::sample_capture_info();
		if (!info_.formats.find(KTR_EVENT_STACK)) {
			ASSERT_TRUE(info_.formats.add(
				EventFormat{KTR_EVENT_STACK, "ktr", "stack",
					    {{"common_id", FieldType::Int, 0, 2, false},
					     {"common_flags", FieldType::Int, 2, 2, false},
					     {"common_pid", FieldType::Int, 4, 4, true},
					     {"event_ts", FieldType::Int, 8, 8, false},
					     {"nr", FieldType::Int, 16, 4, false},
					     {"ips", FieldType::RestU64, 24, 0, false}}}));
		}

		Bytes value(4);
		value[0] = std::byte{42};
		Bytes stack(16 + 16);	// event_ts, nr, reserved, two ips
		const std::uint64_t event_ts = 3000, ips[2] = {0xffffffff81000010, 0xffffffff81000123};
		const std::uint32_t nr = 2;
		std::memcpy(stack.data(), &event_ts, 8);
		std::memcpy(stack.data() + 8, &nr, 4);
		std::memcpy(stack.data() + 16, ips, 16);
		// As a live source hands them over: CPU 0's first sub-buffer, CPU
		// 1's, a safe point, CPU 0's second, the end.
		steps_ = {
			{0, SubbufBuilder(0, 0, 1000)
				    .event(0, test::marker_payload(100, 100, "alpha", "first\n"))
				    .event(2000, test::marker_payload(100, 100, "alpha", "third"))
				    .event(0, test::event_payload(KTR_EVENT_STACK, 100, stack))
				    .build()},
			{1, SubbufBuilder(1, 4, 2000)
				    .lost(3)
				    .event(0, test::marker_payload(200, 200, "beta", "second"))
				    .build()},
			{0, {}, 2500},
			{0, SubbufBuilder(0, 1, 4000).event(0, test::event_payload(100, 100, value)).build()},
		};
		kernel_[0].size = sizeof(ktr_rb_cpu_stats);
		kernel_[0].cpu = 0;
		kernel_[0].written = 4;
		kernel_[1].size = sizeof(ktr_rb_cpu_stats);
		kernel_[1].cpu = 1;
		kernel_[1].written = 4;
		kernel_[1].lost_full = 3;
	}

	MemorySource live(std::vector<MemorySource::Step> steps) const
	{
		MemorySource src(info_, {0, 1}, std::move(steps));
		src.end_.kernel = kernel_;
		return src;
	}
	MemorySource live() const { return live(steps_); }

	// The live source into a capture file (ktr-read -o), then that file as
	// a source (ktr report).
	CaptureSource captured(MemorySource src, PipelineResult *result = nullptr)
	{
		const std::string path = dir_.path("trace.ktr");
		CaptureSink sink(path);
		Sink *const sinks[] = {&sink};
		Result<PipelineResult> r = run_pipeline(src, sinks);
		EXPECT_TRUE(r) << r.error().message();
		if (result && r)
			*result = *r;
		Result<CaptureSource> cap = CaptureSource::open(path);
		EXPECT_TRUE(cap) << cap.error().message();
		return std::move(cap).value();
	}

	test::TempDir dir_;
	CaptureInfo info_;
	std::vector<MemorySource::Step> steps_;
	std::map<unsigned, ktr_rb_cpu_stats> kernel_;
};

const char *const kText =
	"           alpha-100     [000]     5.000000: marker: first\n"
	"CPU:1 [LOST 3 EVENTS]\n"
	"            beta-200     [001]     5.000001: marker: second\n"
	"           alpha-100     [000]     5.000002: marker: third\n"
	"           alpha-100     [000]     5.000002: stack: <stack trace>\n"
	" => 0xffffffff81000010\n"
	" => 0xffffffff81000123\n"
	"           alpha-100     [000]     5.000003: sample: value=42\n";

TEST_F(Pipeline, LiveAndCaptureGiveTheSameText)
{
	MemorySource src = live();
	const Outcome read = run_lines(src, LineFormat::Text);
	EXPECT_EQ(read.out, kText);
	EXPECT_TRUE(read.warnings.empty());

	CaptureSource cap = captured(live());
	const Outcome report = run_lines(cap, LineFormat::Text);
	EXPECT_EQ(report.out, read.out);
	EXPECT_EQ(report.warnings, read.warnings);
}

TEST_F(Pipeline, LiveAndCaptureGiveTheSameJson)
{
	MemorySource src = live();
	const Outcome read = run_lines(src, LineFormat::Json);
	EXPECT_EQ(read.out.substr(0, read.out.find('\n') + 1),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":0,"pid":100,"comm":"alpha","event":"marker","tgid":100,"text":"first\n"})"
		  "\n");
	EXPECT_NE(read.out.find(R"({"cpu":1,"lost":3,"ts_ns":5000001000})"), std::string::npos);

	CaptureSource cap = captured(live());
	const Outcome report = run_lines(cap, LineFormat::Json);
	EXPECT_EQ(report.out, read.out);
}

// The same counts from every path: what was read, and the kernel's
// counters (the capture keeps them in its STATS chunks).
TEST_F(Pipeline, StatisticsAreTheSameOnEveryPath)
{
	MemorySource src = live();
	const Outcome read = run_lines(src, LineFormat::Text);
	PipelineResult written;
	CaptureSource cap = captured(live(), &written);
	const Outcome report = run_lines(cap, LineFormat::Text);

	ASSERT_EQ(read.result.cpus.size(), 2U);
	for (const PipelineResult *r : {&std::as_const(written), &report.result}) {
		ASSERT_EQ(r->cpus.size(), 2U);
		for (std::size_t i = 0; i < 2; i++) {
			const ReadStats &a = read.result.cpus[i], &b = r->cpus[i];
			EXPECT_EQ(b.cpu, a.cpu);
			EXPECT_EQ(b.subbufs, a.subbufs);
			EXPECT_EQ(b.events, a.events);
			EXPECT_EQ(b.bytes, a.bytes);
			EXPECT_EQ(b.lost, a.lost);
			ASSERT_TRUE(b.kernel);
			EXPECT_EQ(b.kernel->written, a.kernel->written);
			EXPECT_EQ(b.kernel->lost_full, a.kernel->lost_full);
		}
	}
	EXPECT_EQ(read.result.cpus[0].events, 4U);
	EXPECT_EQ(read.result.cpus[1].lost, 3U);
	EXPECT_EQ(format_read_stats("ktr-read", read.result.cpus),
		  format_read_stats("ktr-read", report.result.cpus));
	EXPECT_EQ(format_capture_stats(report.result.cpus),
		  "CPU 0: 4 events, 148 bytes, 0 lost (kernel: 4 written, 0 lost)\n"
		  "CPU 1: 1 events, 44 bytes, 3 lost (kernel: 4 written, 3 lost)\n");
	const std::string table = format_read_stats("ktr record", read.result.cpus);
	EXPECT_EQ(table.substr(0, table.find('\n')),
		  "ktr record: per-CPU statistics (read by ktr record | counted by the kernel "
		  "since ktr.ko was loaded)");
	EXPECT_NE(table.find("total            5            192          3 |            8          3"),
		  std::string::npos)
		<< table;
}

// An event that cannot be printed is reported and counted, and the stream
// goes on, whichever the source.
TEST_F(Pipeline, PrinterErrorsAreCountedOnEveryPath)
{
	std::vector<MemorySource::Step> steps = steps_;
	steps[1].subbuf = SubbufBuilder(1, 4, 2000)
				  .lost(3)
				  .event(0, test::event_payload(77, 200))
				  .build();
	MemorySource src = live(steps);
	const Outcome read = run_lines(src, LineFormat::Text);
	EXPECT_EQ(read.result.event_errors, 1U);
	EXPECT_EQ(read.result.skipped_subbufs, 0U);
	ASSERT_EQ(read.warnings.size(), 1U);
	EXPECT_EQ(read.warnings[0], "CPU 1, event at 2000 ns: event id 77 is not in the format "
				    "table (corrupt, or newer than this ktr)");
	EXPECT_EQ(read.result.error_summary(), "some events could not be decoded (see above)");
	EXPECT_NE(read.out.find("marker: third"), std::string::npos);

	CaptureSource cap = captured(live(steps));
	const Outcome report = run_lines(cap, LineFormat::Text);
	EXPECT_EQ(report.out, read.out);
	EXPECT_EQ(report.warnings, read.warnings);
	EXPECT_EQ(report.result.event_errors, 1U);
}

// Stack addresses are named by the source's symbolizer: a live source has
// the running kernel's; a capture file has none (its kallsyms may be of
// another boot), so it shows the addresses only.
TEST_F(Pipeline, StacksAreNamedWithTheSourcesSymbols)
{
	MemorySource src = live();
	src.symbolizer_ = [](std::uint64_t ip) {
		return ip == 0xffffffff81000123 ? std::string("do_work+0x13") : std::string();
	};
	const Outcome read = run_lines(src, LineFormat::Text);
	EXPECT_NE(read.out.find(" => 0xffffffff81000010\n => 0xffffffff81000123 do_work+0x13\n"),
		  std::string::npos)
		<< read.out;

	CaptureSource cap = captured(live());
	EXPECT_FALSE(cap.symbolizer());
	EXPECT_EQ(run_lines(cap, LineFormat::Text).out, kText);
}

TEST_F(Pipeline, CountStopsAfterThatManyEvents)
{
	MemorySource src = live();
	const Outcome two = run_lines(src, LineFormat::Text, 2);
	EXPECT_EQ(two.out, "           alpha-100     [000]     5.000000: marker: first\n"
			   "CPU:1 [LOST 3 EVENTS]\n"
			   "            beta-200     [001]     5.000001: marker: second\n");

	// Without a merged sink the count is met by whole sub-buffers: the
	// first holds three events, so -c 2 keeps it and stops there.
	const std::string path = dir_.path("count.ktr");
	CaptureSink sink(path);
	Sink *const sinks[] = {&sink};
	PipelineOptions opt;
	opt.count = 2;
	MemorySource src2 = live();
	Result<PipelineResult> r = run_pipeline(src2, sinks, opt);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(r->cpus[0].subbufs, 1U);
	EXPECT_EQ(r->cpus[1].subbufs, 0U);
}

// A sub-buffer that does not decode: a live source skips it (counted and
// reported), a capture source stops there naming the chunk.
TEST_F(Pipeline, CorruptSubbufIsSkippedLiveAndFatalInACapture)
{
	std::vector<MemorySource::Step> steps = steps_;
	test::put_u32(steps[1].subbuf, offsetof(ktr_rb_subbuf_hdr, entries), 9);
	MemorySource src = live(steps);
	const Outcome read = run_lines(src, LineFormat::Text);
	EXPECT_EQ(read.result.skipped_subbufs, 1U);
	EXPECT_EQ(read.result.cpus[1].subbufs, 0U);
	ASSERT_EQ(read.warnings.size(), 1U);
	EXPECT_EQ(read.warnings[0], "CPU 1: sub-buffer skipped: corrupt sub-buffer of CPU 1 (seq 4): "
				    "header says 9 events (byte 28), the records hold 1");
	EXPECT_EQ(read.result.error_summary(), "some sub-buffers could not be decoded (see above)");
	EXPECT_EQ(read.out.find("beta"), std::string::npos);

	// Into a capture file as read, then back: the report stops at it.
	const std::string path = dir_.path("bad.ktr");
	{
		Result<CaptureWriter> w = CaptureWriter::create(path, info_);
		ASSERT_TRUE(w);
		for (const MemorySource::Step &s : steps) {
			if (!s.subbuf.empty()) {
				ASSERT_TRUE(w->write_subbuf(s.cpu, s.subbuf));
			}
		}
		ASSERT_TRUE(w->finish());
	}
	Result<CaptureSource> cap = CaptureSource::open(path);
	ASSERT_TRUE(cap);
	StringOutput out;
	LineSink sink(LineFormat::Text, out);
	Sink *const sinks[] = {&sink};
	Result<PipelineResult> r = run_pipeline(*cap, sinks);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find(path + ": SUBBUF chunk at offset "), std::string::npos)
		<< r.error().message();
}

TEST_F(Pipeline, CaptureCpuSelection)
{
	CaptureSource cap = captured(live());
	cap.select({1});
	const Outcome one = run_lines(cap, LineFormat::Text);
	EXPECT_EQ(one.out, "CPU:1 [LOST 3 EVENTS]\n"
			   "            beta-200     [001]     5.000001: marker: second\n");
	ASSERT_EQ(one.result.cpus.size(), 1U);
	EXPECT_EQ(one.result.cpus[0].cpu, 1U);
}

} // namespace
} // namespace ktr
