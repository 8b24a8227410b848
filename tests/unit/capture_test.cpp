// SPDX-License-Identifier: MIT
//
// Capture files: write then read gives back the same header, sub-buffers
// and statistics; damaged or foreign files are refused with a message that
// says what and where, and a truncated file still gives its complete chunks.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_ringbuf.h>

#include "ktr/capture.h"
#include "ktr/event_format.h"
#include "rb_source.h"
#include "subbuf_builder.h"
#include "temp_path.h"

namespace ktr {
namespace {

using test::Bytes;

constexpr std::uint32_t kSize = 4096;

CaptureInfo sample_info()
{
	CaptureInfo info;
	info.page_size = 4096;
	info.nr_cpus = 2;
	info.subbuf_size = kSize;
	info.abi_major = 1;
	info.abi_minor = 2;
	info.module_version = "0.1.0";
	info.clock = "local";
	info.clock_local_ns = 123456789;
	info.clock_mono_ns = 987654321000;
	info.formats = builtin_formats();
	EXPECT_TRUE(info.formats.add(EventFormat{
		200, "test", "pair",
		{{"a", FieldType::Int, 8, 8, true}, {"b", FieldType::CharArray, 16, 3, false}}}));
	return info;
}

struct Written {
	std::vector<std::pair<std::uint32_t, Bytes>> subbufs;
	std::vector<CaptureCpuStats> stats;
};

// A capture of real sub-buffers of two CPUs, with statistics.
Written write_sample(const std::string &path, bool finish = true)
{
	test::RingSource rs(kSize, 4, KTR_RB_MODE_DISCARD, 2);
	EXPECT_TRUE(rs.ok());
	for (unsigned i = 0; i < 24; i++)	// 2 sub-buffers per CPU
		(void)rs.write(i % 2, 1000 + i, test::marker_payload(static_cast<std::int32_t>(i), 1, "t",
								     std::string(600, 'a')));
	Written w;
	for (unsigned cpu = 0; cpu < 2; cpu++) {
		for (Bytes &b : rs.drain(cpu))
			w.subbufs.emplace_back(cpu, std::move(b));
	}
	for (std::uint32_t cpu = 0; cpu < 2; cpu++) {
		CaptureCpuStats st;
		st.cpu = cpu;
		st.kernel = rs.stats(cpu);
		st.subbufs = 2 + cpu;
		st.events = 5;
		st.bytes = 3040;
		st.lost = cpu;
		w.stats.push_back(st);
	}

	Result<CaptureWriter> cw = CaptureWriter::create(path, sample_info());
	EXPECT_TRUE(cw) << cw.error().message();
	for (const auto &[cpu, b] : w.subbufs)
		EXPECT_TRUE(cw->write_subbuf(cpu, b));
	for (const CaptureCpuStats &st : w.stats)
		EXPECT_TRUE(cw->write_stats(st));
	if (finish) {
		const Result<void> r = cw->finish();
		EXPECT_TRUE(r) << r.error().message();
	} else {
		EXPECT_TRUE(cw->flush());
	}
	return w;
}

bool same_stats(const CaptureCpuStats &a, const CaptureCpuStats &b)
{
	return a.cpu == b.cpu && std::memcmp(&a.kernel, &b.kernel, sizeof(a.kernel)) == 0 &&
	       a.subbufs == b.subbufs && a.events == b.events && a.bytes == b.bytes &&
	       a.lost == b.lost;
}

TEST(Capture, RoundTrip)
{
	test::TempDir dir;
	const std::string path = dir.path("trace.ktr");
	const Written w = write_sample(path);
	ASSERT_GE(w.subbufs.size(), 4U);

	Result<CaptureReader> r = CaptureReader::open(path);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(r->info(), sample_info());

	std::size_t subbufs = 0, stats = 0;
	bool ended = false;
	while (true) {
		Result<std::optional<ChunkRef>> c = r->next();
		ASSERT_TRUE(c) << c.error().message();
		if (!*c)
			break;
		const ChunkRef &ref = **c;
		ASSERT_FALSE(ended);
		switch (ref.type) {
		case ChunkType::Subbuf: {
			ASSERT_LT(subbufs, w.subbufs.size());
			EXPECT_EQ(ref.cpu, w.subbufs[subbufs].first);
			Result<std::vector<std::byte>> data = r->read_payload(ref);
			ASSERT_TRUE(data);
			EXPECT_EQ(*data, w.subbufs[subbufs].second);
			subbufs++;
			break;
		}
		case ChunkType::Stats: {
			EXPECT_EQ(subbufs, w.subbufs.size()) << "stats come last";
			Result<CaptureCpuStats> st = r->read_stats(ref);
			ASSERT_TRUE(st) << st.error().message();
			EXPECT_TRUE(same_stats(*st, w.stats.at(stats)));
			stats++;
			break;
		}
		case ChunkType::End:
			ended = true;
			break;
		}
	}
	EXPECT_TRUE(ended);
	EXPECT_EQ(subbufs, w.subbufs.size());
	EXPECT_EQ(stats, 2U);
	// After END: nothing more, every time.
	Result<std::optional<ChunkRef>> again = r->next();
	ASSERT_TRUE(again);
	EXPECT_FALSE(*again);
}

TEST(Capture, StatsWithoutKernelPart)
{
	test::TempDir dir;
	const std::string path = dir.path("s.ktr");
	CaptureCpuStats st;
	st.cpu = 1;
	st.events = 9;
	{
		Result<CaptureWriter> w = CaptureWriter::create(path, sample_info());
		ASSERT_TRUE(w);
		ASSERT_TRUE(w->write_stats(st));
		ASSERT_TRUE(w->finish());
	}
	Result<CaptureReader> r = CaptureReader::open(path);
	ASSERT_TRUE(r);
	Result<std::optional<ChunkRef>> c = r->next();
	ASSERT_TRUE(c && *c);
	EXPECT_EQ((*c)->length, 8U + 32U);
	Result<CaptureCpuStats> back = r->read_stats(**c);
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_TRUE(same_stats(*back, st));
}

TEST(Capture, WriterToAFileDescriptor)
{
	test::TempDir dir;
	const std::string path = dir.path("fd.ktr");
	const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_GE(fd, 0);
	{
		Result<CaptureWriter> w = CaptureWriter::to_fd(fd, sample_info(), "fd.ktr");
		ASSERT_TRUE(w);
		const Bytes sb = test::SubbufBuilder(1, 0, 5).event(0, test::marker_payload(1, 1, "a", "b")).build();
		ASSERT_TRUE(w->write_subbuf(1, sb));
		EXPECT_EQ(w->size(), test::get_u32(test::read_file(path), 16) + 16U + kSize);
		ASSERT_TRUE(w->finish());
	}
	EXPECT_EQ(::write(fd, "", 0), 0) << "the caller's descriptor stays open";
	::close(fd);
	Result<CaptureReader> r = CaptureReader::open(path);
	ASSERT_TRUE(r);
	Result<std::optional<ChunkRef>> c = r->next();
	ASSERT_TRUE(c && *c);
	EXPECT_EQ((*c)->type, ChunkType::Subbuf);
	EXPECT_EQ((*c)->cpu, 1U);
}

TEST(Capture, WriterRefusesBadInput)
{
	test::TempDir dir;
	const auto refused = [&](CaptureInfo info, const std::string &what) {
		const Result<CaptureWriter> w = CaptureWriter::create(dir.path("x.ktr"), info);
		ASSERT_FALSE(w) << what;
		EXPECT_EQ(w.error().errnum(), EINVAL);
		EXPECT_NE(w.error().message().find(what), std::string::npos) << w.error().message();
	};
	CaptureInfo i = sample_info();
	i.page_size = 3000;
	refused(i, "invalid capture header: page size 3000 (a power of two from 4096 to 1048576)");
	i = sample_info();
	i.nr_cpus = 0;
	refused(i, "0 CPUs (1 to 65536)");
	i = sample_info();
	i.subbuf_size = 1024;
	refused(i, "sub-buffer size 1024 (a power of two from 4096 to 4194304)");
	i = sample_info();
	i.clock = "";
	refused(i, "clock name");
	i = sample_info();
	i.clock = "a clock with spaces";
	refused(i, "clock name");
	i = sample_info();
	i.module_version = std::string(48, 'v');
	refused(i, "module version");

	const Result<CaptureWriter> nodir = CaptureWriter::create(dir.path("no/such/dir.ktr"), sample_info());
	ASSERT_FALSE(nodir);
	EXPECT_EQ(nodir.error().errnum(), ENOENT);
	EXPECT_NE(nodir.error().message().find("cannot create capture file "), std::string::npos);

	Result<CaptureWriter> w = CaptureWriter::create(dir.path("ok.ktr"), sample_info());
	ASSERT_TRUE(w);
	EXPECT_EQ(w->write_subbuf(2, Bytes(kSize)).error().message(),
		  "capture file " + dir.path("ok.ktr") + ": CPU 2 is out of range (2 CPUs)");
	EXPECT_EQ(w->write_subbuf(0, Bytes(100)).error().message(),
		  "capture file " + dir.path("ok.ktr") + ": a sub-buffer of 100 bytes, expected 4096");
	CaptureCpuStats st;
	st.cpu = 0;
	st.kernel.size = sizeof(st.kernel);
	st.kernel.cpu = 1;
	EXPECT_FALSE(w->write_stats(st));
	ASSERT_TRUE(w->finish());
	EXPECT_EQ(w->write_subbuf(0, Bytes(kSize)).error().errnum(), EINVAL);
	EXPECT_FALSE(w->finish());
}

// ---- damaged and foreign files ---------------------------------------------

class CaptureDamage : public ::testing::Test {
protected:
	void SetUp() override
	{
		path_ = dir_.path("trace.ktr");
		written_ = write_sample(path_);
		bytes_ = test::read_file(path_);
		header_size_ = test::get_u32(bytes_, 16);
	}
	// Open @bytes as a capture file.
	Result<CaptureReader> open(const Bytes &bytes)
	{
		const std::string p = dir_.path("damaged.ktr");
		test::write_file(p, bytes);
		return CaptureReader::open(p);
	}
	// Expect open(@bytes) to fail with EPROTO and a message containing @what.
	void expect_refused(const Bytes &bytes, const std::string &what)
	{
		const Result<CaptureReader> r = open(bytes);
		ASSERT_FALSE(r) << "accepted; expected: " << what;
		EXPECT_EQ(r.error().errnum(), EPROTO);
		EXPECT_NE(r.error().message().find(what), std::string::npos) << r.error().message();
		EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
	}
	// Read chunks until an error; return it (and how many chunks came).
	std::string chunk_error(const Bytes &bytes, std::size_t *chunks = nullptr)
	{
		Result<CaptureReader> r = open(bytes);
		EXPECT_TRUE(r) << r.error().message();
		if (!r)
			return r.error().message();
		std::size_t n = 0;
		while (true) {
			Result<std::optional<ChunkRef>> c = r->next();
			if (!c) {
				if (chunks)
					*chunks = n;
				return c.error().message();
			}
			if (!*c)
				return "(no error)";
			Result<std::vector<std::byte>> p = r->read_payload(**c);
			EXPECT_TRUE(p) << p.error().message();
			n++;
		}
	}
	[[nodiscard]] std::string damaged() const { return dir_.path("damaged.ktr"); }

	test::TempDir dir_;
	std::string path_;
	Written written_;
	Bytes bytes_;
	std::uint32_t header_size_ = 0;
};

TEST_F(CaptureDamage, NotACaptureFile)
{
	Bytes b = bytes_;
	b[1] = std::byte{'X'};
	expect_refused(b, damaged() + " is not a ktr capture file (wrong magic bytes)");
	const std::string zip = "PK\x03\x04 something else entirely";
	const auto z = std::as_bytes(std::span(zip.data(), zip.size()));
	expect_refused(Bytes(z.begin(), z.end()), "is not a ktr capture file");
	expect_refused(Bytes{}, damaged() + " is empty: not a ktr capture file");
	expect_refused(Bytes{std::byte{'x'}}, "is not a ktr capture file");
}

TEST_F(CaptureDamage, OtherByteOrder)
{
	Bytes b = bytes_;
	test::put_u32(b, 8, 0x04030201);
	expect_refused(b, damaged() + " was written on a big-endian machine; this ktr reads "
				      "little-endian capture files only");
	test::put_u32(b, 8, 0x01020305);
	expect_refused(b, "corrupt capture file at offset 8: invalid byte-order mark");
}

TEST_F(CaptureDamage, NewerVersion)
{
	Bytes b = bytes_;
	test::put_u32(b, 12, 2);
	expect_refused(b, damaged() + " is a version 2 capture file; this ktr reads version 1 only: "
				      "use a newer ktr");
	test::put_u32(b, 12, 0);
	expect_refused(b, "format version 0");
}

TEST_F(CaptureDamage, TruncatedHeader)
{
	expect_refused(Bytes(bytes_.begin(), bytes_.begin() + 5),
		       damaged() + ": file is truncated at offset 5 (inside the file header)");
	expect_refused(Bytes(bytes_.begin(), bytes_.begin() + 100),
		       "file is truncated at offset 100 (inside the 128-byte file header)");
	expect_refused(Bytes(bytes_.begin(), bytes_.begin() + 140),
		       "file is truncated at offset 140 (inside the " + std::to_string(header_size_) +
			       "-byte file header)");
}

TEST_F(CaptureDamage, CorruptHeaderFields)
{
	Bytes b = bytes_;
	test::put_u32(b, 16, 0x7fffffff);
	expect_refused(b, "corrupt capture file at offset 16: absurd header size 2147483647");
	b = bytes_;
	test::put_u32(b, 16, 64);
	expect_refused(b, "does not hold the");
	b = bytes_;
	test::put_u32(b, 20, 1);
	expect_refused(b, "unknown header flags 1");
	b = bytes_;
	test::put_u32(b, 32, 1000);
	expect_refused(b, "corrupt capture file at offset 0: invalid capture header: sub-buffer size 1000");
	b = bytes_;
	test::put_u32(b, 28, 0);
	expect_refused(b, "0 CPUs");
	b = bytes_;
	std::fill(b.begin() + 64, b.begin() + 80, std::byte{'x'});
	expect_refused(b, "clock name not NUL-terminated");
	b = bytes_;
	b[128] = std::byte{9};	// format count
	expect_refused(b, "corrupt capture file at offset 128: corrupt event format table");
}

TEST_F(CaptureDamage, TruncatedChunkKeepsTheChunksBefore)
{
	// Cut in the middle of the second sub-buffer.
	const std::size_t chunk = 16 + kSize;
	const std::size_t second = header_size_ + chunk;
	std::size_t n = 0;
	EXPECT_EQ(chunk_error(Bytes(bytes_.begin(), bytes_.begin() + static_cast<long>(second + 100)), &n),
		  damaged() + ": file is truncated at offset " + std::to_string(second) +
			  " (the SUBBUF chunk there needs 4112 bytes, the file ends 100 bytes after it)");
	EXPECT_EQ(n, 1U);
	// Cut inside a chunk header.
	EXPECT_EQ(chunk_error(Bytes(bytes_.begin(), bytes_.begin() + static_cast<long>(second + 10)), &n),
		  damaged() + ": file is truncated at offset " + std::to_string(second) +
			  " (inside a chunk header)");
	// Cut exactly between two chunks: no END.
	EXPECT_EQ(chunk_error(Bytes(bytes_.begin(), bytes_.begin() + static_cast<long>(second)), &n),
		  damaged() + ": file is truncated at offset " + std::to_string(second) +
			  " (no END chunk: the capture did not finish)");
	EXPECT_EQ(n, 1U);
	// The whole file is fine.
	EXPECT_EQ(chunk_error(bytes_), "(no error)");
}

TEST_F(CaptureDamage, WriterWithoutFinishLeavesAFileWithoutEnd)
{
	const std::string p = dir_.path("unfinished.ktr");
	const Written w = write_sample(p, false);
	Result<CaptureReader> r = CaptureReader::open(p);
	ASSERT_TRUE(r);
	std::size_t n = 0;
	while (true) {
		Result<std::optional<ChunkRef>> c = r->next();
		if (!c) {
			EXPECT_NE(c.error().message().find("no END chunk"), std::string::npos);
			break;
		}
		ASSERT_TRUE(*c);
		n++;
	}
	EXPECT_EQ(n, w.subbufs.size() + w.stats.size());
}

TEST_F(CaptureDamage, CorruptChunkHeaders)
{
	const std::size_t first = header_size_;
	Bytes b = bytes_;
	test::put_u32(b, first + 8, 0x7fffffff);
	EXPECT_EQ(chunk_error(b), damaged() + ": corrupt capture file at offset " +
					  std::to_string(first) +
					  ": SUBBUF chunk claims 2147483647 bytes, more than any chunk "
					  "holds (4194304)");
	b = bytes_;
	test::put_u32(b, first + 8, 2048);
	EXPECT_NE(chunk_error(b).find("SUBBUF chunk of 2048 bytes, the sub-buffer size is 4096"),
		  std::string::npos);
	b = bytes_;
	test::put_u32(b, first, 9);
	EXPECT_NE(chunk_error(b).find("unknown chunk type 9"), std::string::npos);
	b = bytes_;
	test::put_u32(b, first + 4, 5);
	EXPECT_NE(chunk_error(b).find("SUBBUF chunk of CPU 5, but the capture has 2 CPUs"),
		  std::string::npos);
	b = bytes_;
	test::put_u32(b, first + 12, 1);
	EXPECT_NE(chunk_error(b).find("non-zero reserved word"), std::string::npos);
	b = bytes_;
	b.resize(b.size() + 8);
	EXPECT_NE(chunk_error(b).find("8 bytes after the END chunk"), std::string::npos);
}

TEST_F(CaptureDamage, CorruptStatsChunk)
{
	Result<CaptureReader> r = CaptureReader::open(path_);
	ASSERT_TRUE(r);
	std::optional<ChunkRef> stats;
	while (true) {
		Result<std::optional<ChunkRef>> c = r->next();
		ASSERT_TRUE(c);
		if (!*c)
			break;
		if ((*c)->type == ChunkType::Stats) {
			stats = **c;
			break;
		}
	}
	ASSERT_TRUE(stats);
	Bytes b = bytes_;
	test::put_u32(b, stats->offset + 16, 96);	// kernel part size (104)
	Result<CaptureReader> d = open(b);
	ASSERT_TRUE(d);
	const Result<CaptureCpuStats> st = d->read_stats(*stats);
	ASSERT_FALSE(st);
	EXPECT_NE(st.error().message().find("STATS chunk of 144 bytes says 96 + 32 bytes"),
		  std::string::npos)
		<< st.error().message();
	b = bytes_;
	test::put_u32(b, stats->offset + 16 + 8 + 4, 7);	// kernel stats' cpu
	Result<CaptureReader> d2 = open(b);
	ASSERT_TRUE(d2);
	EXPECT_FALSE(d2->read_stats(*stats));
}

TEST(CaptureOpen, NotARegularFileOrMissing)
{
	test::TempDir dir;
	const Result<CaptureReader> missing = CaptureReader::open(dir.path("missing.ktr"));
	ASSERT_FALSE(missing);
	EXPECT_EQ(missing.error().errnum(), ENOENT);
	EXPECT_EQ(missing.error().message(),
		  "cannot open " + dir.path("missing.ktr") + ": No such file or directory");
	const Result<CaptureReader> d = CaptureReader::open(dir.path(""));
	ASSERT_FALSE(d);
	EXPECT_NE(d.error().message().find("is not a regular file"), std::string::npos);
}

} // namespace
} // namespace ktr
