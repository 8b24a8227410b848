// SPDX-License-Identifier: MIT
//
// `ktr report` end to end: the real binary (KTR_BIN) on capture files this
// test writes: golden text and JSON output, the CPU filter, per-CPU counts on
// stderr, and one-line errors for missing, foreign, truncated and corrupt
// files.

#include <cerrno>
#include <cstddef>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_ringbuf.h>

#include "ktr/capture.h"
#include "ktr/event_format.h"
#include "sample_capture.h"
#include "subbuf_builder.h"
#include "run_tool.h"
#include "temp_path.h"

namespace ktr {
namespace {

using test::Bytes;
using test::SubbufBuilder;

constexpr std::uint32_t kSize = 4096;

using test::contains;
using test::Outcome;

// ktr with @args (run from the test's own temporary directory's point of view).
Outcome ktr(const test::TempDir &, const std::vector<std::string> &args)
{
	return test::run_tool(KTR_BIN, args);
}

// The last line of @text, newline included.
std::string last_line(const std::string &text)
{
	if (text.size() < 2)
		return text;
	const std::size_t nl = text.rfind('\n', text.size() - 2);
	return nl == std::string::npos ? text : text.substr(nl + 1);
}

// Bytes of the SUBBUF chunk of @sb in a capture file: the chunk header, then
// the sub-buffer's header and committed records (hdr.size + hdr.commit
// bytes), padded to 8.
std::size_t chunk_bytes(const Bytes &sb)
{
	const std::size_t used = test::get_u32(sb, offsetof(ktr_rb_subbuf_hdr, size)) +
				 test::get_u32(sb, offsetof(ktr_rb_subbuf_hdr, commit));
	return capture_chunk_header_size + ((used + 7) & ~std::size_t{7});
}

// Two CPUs: markers on both, a loss on CPU 1, and an event of a format that
// only the capture file's table knows (test:sample, id 100).
class ReportCli : public ::testing::Test {
protected:
	void SetUp() override
	{
		path_ = dir_.path("trace.ktr");
		info_ = test::sample_capture_info();

		Bytes value(4);
		value[0] = std::byte{42};
		subbufs_ = {
			{0, SubbufBuilder(0, 0, 1000)
				    .event(0, test::marker_payload(100, 100, "alpha", "first\n"))
				    .event(2000, test::marker_payload(100, 100, "alpha", "third"))
				    .build()},
			{1, SubbufBuilder(1, 4, 2000)
				    .lost(3)
				    .event(0, test::marker_payload(200, 200, "beta", "second"))
				    .build()},
			{0, SubbufBuilder(0, 1, 4000).event(0, test::event_payload(100, 100, value)).build()},
		};
		write_capture(path_, subbufs_);
		bytes_ = test::read_file(path_);
	}

	// A capture of @subbufs, with statistics for CPU 1.
	void write_capture(const std::string &path,
			   const std::vector<std::pair<std::uint32_t, Bytes>> &subbufs)
	{
		Result<CaptureWriter> w = CaptureWriter::create(path, info_);
		ASSERT_TRUE(w) << w.error().message();
		for (const auto &[cpu, sb] : subbufs)
			ASSERT_TRUE(w->write_subbuf(cpu, sb));
		CaptureCpuStats st;
		st.cpu = 1;
		st.kernel.size = sizeof(st.kernel);
		st.kernel.cpu = 1;
		st.kernel.written = 4;
		st.kernel.lost_full = 3;
		ASSERT_TRUE(w->write_stats(st));
		ASSERT_TRUE(w->finish());
	}

	test::TempDir dir_;
	CaptureInfo info_;
	std::string path_;
	std::vector<std::pair<std::uint32_t, Bytes>> subbufs_;
	Bytes bytes_;
};

const char *const kText =
	"           alpha-100     [000]     5.000000: marker: first\n"
	"CPU:1 [LOST 3 EVENTS]\n"
	"            beta-200     [001]     5.000001: marker: second\n"
	"           alpha-100     [000]     5.000002: marker: third\n"
	"           alpha-100     [000]     5.000003: sample: value=42\n";

TEST_F(ReportCli, Text)
{
	const Outcome r = ktr(dir_, {"report", path_});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, kText);
	EXPECT_TRUE(contains(r.err, "CPU 0: 3 events, ")) << r.err;
	EXPECT_TRUE(contains(r.err, "CPU 1: 1 events, 44 bytes, 3 lost (kernel: 4 written, 3 lost)\n"))
		<< r.err;
}

TEST_F(ReportCli, Json)
{
	const Outcome r = ktr(dir_, {"report", "--json", path_});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out,
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":0,"pid":100,"comm":"alpha","event":"marker","tgid":100,"text":"first\n"})"
		  "\n"
		  R"({"cpu":1,"lost":3,"ts_ns":5000001000})"
		  "\n"
		  R"({"ts_ns":5000001000,"ts":"5.000001","cpu":1,"pid":200,"comm":"beta","event":"marker","tgid":200,"text":"second"})"
		  "\n"
		  R"({"ts_ns":5000002000,"ts":"5.000002","cpu":0,"pid":100,"comm":"alpha","event":"marker","tgid":100,"text":"third"})"
		  "\n"
		  R"({"ts_ns":5000003000,"ts":"5.000003","cpu":0,"pid":100,"comm":"alpha","event":"sample","value":42})"
		  "\n");
}

TEST_F(ReportCli, CpuFilter)
{
	const Outcome r = ktr(dir_, {"report", path_, "--cpu", "1"});
	EXPECT_EQ(r.status, 0) << r.err;
	EXPECT_EQ(r.out, "CPU:1 [LOST 3 EVENTS]\n"
			 "            beta-200     [001]     5.000001: marker: second\n");
	EXPECT_FALSE(contains(r.err, "CPU 0")) << r.err;

	const Outcome out_of_range = ktr(dir_, {"report", path_, "--cpu", "0,7"});
	EXPECT_EQ(out_of_range.status, 1);
	EXPECT_EQ(out_of_range.err, "ktr: --cpu 0,7: the capture has CPUs 0-1 only\n");
	EXPECT_EQ(out_of_range.out, "");

	const Outcome bad = ktr(dir_, {"report", path_, "--cpu", "x"});
	EXPECT_EQ(bad.status, 2);
	EXPECT_TRUE(contains(bad.err, "invalid CPU list 'x'")) << bad.err;
}

TEST_F(ReportCli, UsageErrors)
{
	const Outcome none = ktr(dir_, {"report"});
	EXPECT_EQ(none.status, 2);
	EXPECT_TRUE(contains(none.err, "file is required")) << none.err;
	const Outcome help = ktr(dir_, {"report", "--help"});
	EXPECT_EQ(help.status, 0);
	EXPECT_TRUE(contains(help.out, "--json")) << help.out;
	EXPECT_TRUE(contains(help.out, "--cpu")) << help.out;
}

TEST_F(ReportCli, MissingAndForeignFiles)
{
	const Outcome missing = ktr(dir_, {"report", dir_.path("nope.ktr")});
	EXPECT_EQ(missing.status, 1);
	EXPECT_EQ(missing.err, "ktr: cannot open " + dir_.path("nope.ktr") +
				       ": No such file or directory\n");
	EXPECT_EQ(missing.out, "");

	const std::string text = dir_.path("notes.txt");
	const std::string s = "just some text\n";
	const auto b = std::as_bytes(std::span(s.data(), s.size()));
	test::write_file(text, Bytes(b.begin(), b.end()));
	const Outcome foreign = ktr(dir_, {"report", text});
	EXPECT_EQ(foreign.status, 1);
	EXPECT_EQ(foreign.err, "ktr: " + text + " is not a ktr capture file (wrong magic bytes)\n");
}

TEST_F(ReportCli, OtherAbiMajorIsRefused)
{
	Bytes b = bytes_;
	test::put_u32(b, 36, 2);	// abi_major
	const std::string other = dir_.path("other.ktr");
	test::write_file(other, b);
	const Outcome r = ktr(dir_, {"report", other});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "ktr: " + other + " was recorded by a ktr module of ABI 2.2; this ktr "
				  "reads ABI 1.x data only\n");
	EXPECT_EQ(r.out, "");
}

TEST_F(ReportCli, TruncatedFileShowsWhatCameBefore)
{
	// Cut inside the third sub-buffer chunk: CPU 0's second sub-buffer.
	const std::uint32_t header = test::get_u32(bytes_, 16);
	const std::size_t third = header + chunk_bytes(subbufs_[0].second) +
				  chunk_bytes(subbufs_[1].second);
	const std::size_t needs = chunk_bytes(subbufs_[2].second);
	ASSERT_GT(needs, 40U);
	const std::string cut = dir_.path("cut.ktr");
	test::write_file(cut, Bytes(bytes_.begin(), bytes_.begin() + static_cast<long>(third + 40)));
	const Outcome r = ktr(dir_, {"report", cut});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.out, "           alpha-100     [000]     5.000000: marker: first\n"
			 "CPU:1 [LOST 3 EVENTS]\n"
			 "            beta-200     [001]     5.000001: marker: second\n"
			 "           alpha-100     [000]     5.000002: marker: third\n");
	EXPECT_EQ(last_line(r.err), "ktr: " + cut + ": file is truncated at offset " +
					    std::to_string(third) +
					    " (the SUBBUF chunk there needs " + std::to_string(needs) +
					    " bytes, the file ends 40 bytes after it)\n");
	EXPECT_TRUE(contains(r.err, "CPU 0: 2 events")) << r.err;
}

TEST_F(ReportCli, CorruptSubbufIsOneLine)
{
	Bytes b = bytes_;
	const std::uint32_t header = test::get_u32(bytes_, 16);
	// The second chunk's sub-buffer (CPU 1): its entry count.
	const std::size_t chunk = header + chunk_bytes(subbufs_[0].second);
	const std::size_t sb = chunk + 16;
	test::put_u32(b, sb + 28, 9);
	const std::string bad = dir_.path("bad.ktr");
	test::write_file(bad, b);
	const Outcome r = ktr(dir_, {"report", bad});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.err, "ktr: " + bad + ": SUBBUF chunk at offset " + std::to_string(chunk) +
				 ": corrupt sub-buffer of CPU 1 (seq 4): header says 9 events (byte "
				 "28), the records hold 1\n");
}

// The capture holds the sub-buffers' records, not their padding: a few
// hundred bytes here, not three 4 KiB sub-buffers.
TEST_F(ReportCli, FileHoldsTheRecordsOnly)
{
	const std::uint32_t header = test::get_u32(bytes_, 16);
	std::size_t chunks = 0;
	for (const auto &[cpu, sb] : subbufs_)
		chunks += chunk_bytes(sb);
	EXPECT_LT(chunks, kSize);
	// Header, SUBBUF chunks, STATS of CPU 1 (8 + 104 + 32 bytes), END.
	EXPECT_EQ(bytes_.size(), header + chunks + (16 + 144) + 16);
}

// A SUBBUF chunk length that no sub-buffer has: one line, at its offset,
// after the events of the chunks before.
TEST_F(ReportCli, BadSubbufChunkLengthIsOneLine)
{
	const std::uint32_t header = test::get_u32(bytes_, 16);
	const std::size_t third = header + chunk_bytes(subbufs_[0].second) +
				  chunk_bytes(subbufs_[1].second);
	for (const std::uint32_t len : {62U, 60U, kSize + 4}) {
		Bytes b = bytes_;
		test::put_u32(b, third + 8, len);
		const std::string bad = dir_.path("bad.ktr");
		test::write_file(bad, b);
		const Outcome r = ktr(dir_, {"report", bad});
		EXPECT_EQ(r.status, 1);
		EXPECT_EQ(r.out, "           alpha-100     [000]     5.000000: marker: first\n"
				 "CPU:1 [LOST 3 EVENTS]\n"
				 "            beta-200     [001]     5.000001: marker: second\n"
				 "           alpha-100     [000]     5.000002: marker: third\n");
		EXPECT_EQ(last_line(r.err), "ktr: " + bad + ": corrupt capture file at offset " +
						    std::to_string(third) + ": SUBBUF chunk of " +
						    std::to_string(len) +
						    " bytes (a multiple of 4 from 64 to the sub-buffer "
						    "size 4096)\n");
	}
}

// A sub-buffer whose header does not say where its records end is stored
// whole; the capture reader gives it back, and the decoder refuses it.
TEST_F(ReportCli, InsaneSubbufHeaderIsADecodeError)
{
	std::vector<std::pair<std::uint32_t, Bytes>> subbufs = subbufs_;
	Bytes &insane = subbufs[2].second;	// CPU 0, seq 1
	test::put_u32(insane, offsetof(ktr_rb_subbuf_hdr, commit), 5000);
	const std::string path = dir_.path("insane.ktr");
	write_capture(path, subbufs);
	const Bytes file = test::read_file(path);
	const std::uint32_t header = test::get_u32(file, 16);
	const std::size_t third = header + chunk_bytes(subbufs[0].second) +
				  chunk_bytes(subbufs[1].second);
	EXPECT_EQ(test::get_u32(file, third + 8), kSize) << "stored whole";

	const Outcome r = ktr(dir_, {"report", path});
	EXPECT_EQ(r.status, 1);
	// What comes before the end of CPU 0's first sub-buffer (3000 ns).
	EXPECT_EQ(r.out, "           alpha-100     [000]     5.000000: marker: first\n"
			 "CPU:1 [LOST 3 EVENTS]\n"
			 "            beta-200     [001]     5.000001: marker: second\n");
	EXPECT_EQ(r.err, "ktr: " + path + ": SUBBUF chunk at offset " + std::to_string(third) +
				 ": corrupt sub-buffer of CPU 0 (seq 1): commit 5000 runs past the "
				 "end: records would end at byte 5064 of 4096 (byte 24)\n");
}

// An event the printer cannot show is reported on one line and counted, as
// ktr-read does: the other events still show, and the exit status says it.
TEST_F(ReportCli, UnknownEventIdIsReportedAndCounted)
{
	Bytes b = bytes_;
	const std::uint32_t header = test::get_u32(bytes_, 16);
	// The first event's id (CPU 0, first chunk; a record with a length
	// word): chunk header, sub-buffer header, two words.
	b[header + 16 + 64 + 8] = std::byte{77};
	const std::string bad = dir_.path("bad.ktr");
	test::write_file(bad, b);
	const Outcome r = ktr(dir_, {"report", bad});
	EXPECT_EQ(r.status, 1);
	EXPECT_EQ(r.out, "CPU:1 [LOST 3 EVENTS]\n"
			 "            beta-200     [001]     5.000001: marker: second\n"
			 "           alpha-100     [000]     5.000002: marker: third\n"
			 "           alpha-100     [000]     5.000003: sample: value=42\n");
	EXPECT_EQ(r.err, "ktr: CPU 0, event at 1000 ns: event id 77 is not in the format table "
			 "(corrupt, or newer than this ktr)\n"
			 "CPU 0: 3 events, 104 bytes, 0 lost\n"
			 "CPU 1: 1 events, 44 bytes, 3 lost (kernel: 4 written, 3 lost)\n"
			 "ktr: some events could not be decoded (see above)\n");
}

} // namespace
} // namespace ktr
