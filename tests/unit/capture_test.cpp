// SPDX-License-Identifier: MIT
//
// Capture files: write then read gives back the same header, sub-buffers
// and statistics; a SUBBUF chunk holds only the header and the committed
// records, and read_subbuf() puts the kernel's end PADDING back; damaged or
// foreign files are refused with a message that says what and where, and a
// truncated file still gives its complete chunks.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_ringbuf.h>

#include "ktr/capture.h"
#include "ktr/decode.h"
#include "ktr/event_format.h"
#include "rb_source.h"
#include "subbuf_builder.h"
#include "temp_path.h"

namespace ktr {
namespace {

using test::Bytes;

constexpr std::uint32_t kSize = 4096;

// hdr.size + hdr.commit of sub-buffer @sb: where its committed records end,
// and so the length of its SUBBUF chunk (when the header is sane).
std::uint32_t used_bytes(const Bytes &sb)
{
	return test::get_u32(sb, offsetof(ktr_rb_subbuf_hdr, size)) +
	       test::get_u32(sb, offsetof(ktr_rb_subbuf_hdr, commit));
}

// Bytes of the SUBBUF chunk of @sb in the file: chunk header, payload,
// padding to 8.
std::size_t chunk_bytes(const Bytes &sb)
{
	return capture_chunk_header_size + ((used_bytes(sb) + 7) & ~std::size_t{7});
}

// What a capture gives back for @sb (docs/capture-format.md): its header and
// committed records, then the PADDING record the kernel writes after them
// (uapi/ktr_ringbuf.h: a word of type PADDING and time delta 0, followed by
// the byte length of the rest when 8 bytes or more remain), then zeros.
Bytes rebuilt(const Bytes &sb)
{
	const std::uint32_t end = used_bytes(sb);
	Bytes b(sb.begin(), sb.begin() + end);
	b.resize(sb.size(), std::byte{0});
	const std::size_t rest = sb.size() - end;
	if (rest >= 4)
		test::put_u32(b, end, KTR_RB_RECORD_HEADER(std::uint32_t{KTR_RB_TYPE_PADDING}, 0U));
	if (rest >= 8)
		test::put_u32(b, end + 4, static_cast<std::uint32_t>(rest));
	return b;
}

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

	std::size_t subbufs = 0, stats = 0, trimmed = 0;
	std::uint64_t offset = test::get_u32(test::read_file(path), 16);	// header_size
	std::uint64_t not_before[2] = {};
	bool ended = false;
	while (true) {
		Result<std::optional<ChunkRef>> c = r->next();
		ASSERT_TRUE(c) << c.error().message();
		if (!*c)
			break;
		const ChunkRef &ref = **c;
		ASSERT_FALSE(ended);
		EXPECT_EQ(ref.offset, offset);
		switch (ref.type) {
		case ChunkType::Subbuf: {
			ASSERT_LT(subbufs, w.subbufs.size());
			const auto &[cpu, original] = w.subbufs[subbufs];
			EXPECT_EQ(ref.cpu, cpu);
			// Stored: the header and the committed records only.
			EXPECT_EQ(ref.length, used_bytes(original));
			if (ref.length < kSize)
				trimmed++;
			Result<std::vector<std::byte>> data = r->read_payload(ref);
			ASSERT_TRUE(data) << data.error().message();
			EXPECT_EQ(*data, Bytes(original.begin(), original.begin() + ref.length));
			// Given back: the whole sub-buffer, byte for byte (the
			// ring's memory was fresh, so after the end PADDING
			// record there were only zeros).
			Result<std::vector<std::byte>> sb = r->read_subbuf(ref);
			ASSERT_TRUE(sb) << sb.error().message();
			EXPECT_EQ(*sb, original) << "sub-buffer " << subbufs;
			Result<DecodedSubbuf> d = decode_subbuf(*sb, cpu, kSize, not_before[cpu]);
			ASSERT_TRUE(d) << d.error().message();
			EXPECT_GT(d->records().size(), 0U);
			not_before[cpu] = d->end_ts();
			offset += chunk_bytes(original);
			subbufs++;
			break;
		}
		case ChunkType::Stats: {
			EXPECT_EQ(subbufs, w.subbufs.size()) << "stats come last";
			Result<CaptureCpuStats> st = r->read_stats(ref);
			ASSERT_TRUE(st) << st.error().message();
			EXPECT_TRUE(same_stats(*st, w.stats.at(stats)));
			const Result<std::vector<std::byte>> not_subbuf = r->read_subbuf(ref);
			ASSERT_FALSE(not_subbuf);
			EXPECT_EQ(not_subbuf.error().errnum(), EINVAL);
			EXPECT_EQ(not_subbuf.error().message(),
				  path + ": the chunk at offset " + std::to_string(ref.offset) +
					  " is not a SUBBUF chunk");
			offset += capture_chunk_header_size + ((ref.length + 7) & ~std::uint64_t{7});
			stats++;
			break;
		}
		case ChunkType::End:
			offset += capture_chunk_header_size;
			ended = true;
			break;
		}
	}
	EXPECT_EQ(offset, r->file_size());
	// At least the last sub-buffer of each CPU (flushed) is partly filled.
	EXPECT_GE(trimmed, 2U);
	EXPECT_TRUE(ended);
	EXPECT_EQ(subbufs, w.subbufs.size());
	EXPECT_EQ(stats, 2U);
	// After END: nothing more, every time.
	Result<std::optional<ChunkRef>> again = r->next();
	ASSERT_TRUE(again);
	EXPECT_FALSE(*again);
}

// Write @subbufs (CPU, sub-buffer) to a capture at @path; read them back
// with read_subbuf(), with their chunks.
std::vector<std::pair<ChunkRef, Bytes>> round_trip(const std::string &path, const CaptureInfo &info,
						   const std::vector<std::pair<std::uint32_t, Bytes>> &subbufs)
{
	{
		Result<CaptureWriter> w = CaptureWriter::create(path, info);
		EXPECT_TRUE(w) << w.error().message();
		if (!w)
			return {};
		for (const auto &[cpu, sb] : subbufs)
			EXPECT_TRUE(w->write_subbuf(cpu, sb));
		EXPECT_TRUE(w->finish());
	}
	std::vector<std::pair<ChunkRef, Bytes>> out;
	Result<CaptureReader> r = CaptureReader::open(path);
	EXPECT_TRUE(r) << r.error().message();
	if (!r)
		return {};
	while (true) {
		Result<std::optional<ChunkRef>> c = r->next();
		EXPECT_TRUE(c) << c.error().message();
		if (!c || !*c)
			break;
		if ((*c)->type != ChunkType::Subbuf)
			continue;
		Result<std::vector<std::byte>> sb = r->read_subbuf(**c);
		EXPECT_TRUE(sb) << sb.error().message();
		if (!sb)
			break;
		out.emplace_back(**c, std::move(*sb));
	}
	EXPECT_EQ(out.size(), subbufs.size());
	return out;
}

// A CPU with little to trace, flushed: its sub-buffer holds a few records,
// and so does the file, not a whole sub-buffer of padding.
TEST(Capture, LightlyFilledSubbufIsSmall)
{
	constexpr std::uint32_t big = 1U << 20;
	test::RingSource rs(big, 2, KTR_RB_MODE_DISCARD, 1);
	ASSERT_TRUE(rs.ok());
	ASSERT_TRUE(rs.write(0, 5000, test::marker_payload(7, 7, "light", "tick")));
	const std::vector<Bytes> raw = rs.drain(0);
	ASSERT_EQ(raw.size(), 1U);
	ASSERT_EQ(raw[0].size(), big);
	// Header + one marker record (4 + 28 + 4 bytes: the short form).
	ASSERT_EQ(used_bytes(raw[0]), 64U + 36U);

	CaptureInfo info = sample_info();
	info.nr_cpus = 1;
	info.subbuf_size = big;
	test::TempDir dir;
	const std::string path = dir.path("light.ktr");
	const auto back = round_trip(path, info, {{0, raw[0]}});
	ASSERT_EQ(back.size(), 1U);
	EXPECT_EQ(back[0].first.length, 100U);
	// The file: header, the SUBBUF chunk (100 bytes, padded to 104), END.
	const Bytes file = test::read_file(path);
	const std::uint32_t header_size = test::get_u32(file, 16);
	EXPECT_EQ(file.size(), header_size + (16U + 104U) + 16U);
	EXPECT_LT(file.size(), 4096U);
	// And the sub-buffer comes back whole, as the ring had it.
	EXPECT_EQ(back[0].second, raw[0]);
	Result<DecodedSubbuf> d = decode_subbuf(back[0].second, 0, big);
	ASSERT_TRUE(d) << d.error().message();
	ASSERT_EQ(d->records().size(), 1U);
	EXPECT_EQ(d->records()[0].ts, 5000U);
	EXPECT_EQ(Bytes(d->records()[0].payload.begin(), d->records()[0].payload.end()),
		  test::marker_payload(7, 7, "light", "tick"));
}

// Every amount of space left after the records: none (a full sub-buffer, no
// PADDING), 4 bytes (a lone PADDING word), 8 bytes (the word and the
// length), more; and no records at all (a 64-byte chunk).
TEST(Capture, SubbufEndsOfEveryKind)
{
	const Bytes event = test::event_payload(200, 9, test::pattern(8));	// 16 bytes
	const auto sized = [&](std::uint32_t rest) {
		// A long event filling all but @rest bytes after the header.
		test::SubbufBuilder b(0, 0, 100);
		const std::uint32_t record = kSize - 64 - rest;
		if (record > 0)
			b.long_event(0, test::event_payload(200, 9, test::pattern(record - 8 - 8)));
		return b.build();
	};
	const std::vector<std::pair<std::uint32_t, Bytes>> subbufs = {
		{0, sized(0)},
		{0, sized(4)},
		{0, sized(8)},
		{0, sized(12)},
		{1, test::SubbufBuilder(1, 0, 100).build()},	// empty
		{1, test::SubbufBuilder(1, 1, 100).event(0, event).event(3, event).build()},
	};
	test::TempDir dir;
	const auto back = round_trip(dir.path("ends.ktr"), sample_info(), subbufs);
	ASSERT_EQ(back.size(), subbufs.size());
	const std::uint32_t lengths[] = {kSize, kSize - 4, kSize - 8, kSize - 12, 64, 64 + 2 * 20};
	for (std::size_t i = 0; i < subbufs.size(); i++) {
		const Bytes &original = subbufs[i].second;
		EXPECT_EQ(back[i].first.length, lengths[i]) << i;
		EXPECT_EQ(back[i].second, rebuilt(original)) << i;
		// Up to the end of the PADDING record, exactly what was written.
		const std::size_t rest = kSize - used_bytes(original);
		const std::size_t kept = used_bytes(original) + std::min<std::size_t>(rest, 8);
		EXPECT_TRUE(std::equal(original.begin(), original.begin() + static_cast<long>(kept),
				       back[i].second.begin()))
			<< i;
		Result<DecodedSubbuf> d = decode_subbuf(back[i].second, subbufs[i].first, kSize);
		ASSERT_TRUE(d) << i << ": " << d.error().message();
		Result<DecodedSubbuf> o = decode_subbuf(original, subbufs[i].first, kSize);
		ASSERT_TRUE(o) << i << ": " << o.error().message();
		EXPECT_EQ(d->header(), o->header()) << i;
		EXPECT_EQ(d->records().size(), o->records().size()) << i;
		EXPECT_TRUE(std::ranges::equal(d->bytes(), o->bytes())) << i;
	}
	// Nothing after the PADDING: with 4 or 8 bytes left, or none, byte
	// for byte the same.
	EXPECT_EQ(back[0].second, subbufs[0].second);
	EXPECT_EQ(back[1].second, subbufs[1].second);
	EXPECT_EQ(back[2].second, subbufs[2].second);
}

// A sub-buffer whose bytes after the committed records are not the
// kernel's PADDING (built by hand: garbage there) is stored without them,
// and comes back with the PADDING the kernel would have written.
// What follows the records is not the PADDING record a reader would write
// back: the sub-buffer is stored whole, so that the decoder still refuses it
// after the round trip (a capture never repairs a corrupt sub-buffer).
TEST(Capture, GarbageAfterTheRecordsIsKeptForTheDecoder)
{
	Bytes sb = test::SubbufBuilder(0, 0, 100)
			   .event(0, test::marker_payload(1, 1, "a", "garbage follows"))
			   .build();
	const std::uint32_t end = used_bytes(sb);
	const Bytes junk = test::pattern(kSize - end, 3);
	std::copy(junk.begin(), junk.end(), sb.begin() + end);
	const Result<DecodedSubbuf> before = decode_subbuf(sb, 0, kSize);
	ASSERT_FALSE(before) << "the garbage is not a PADDING record";

	test::TempDir dir;
	const auto back = round_trip(dir.path("g.ktr"), sample_info(), {{0, sb}});
	ASSERT_EQ(back.size(), 1U);
	EXPECT_EQ(back[0].first.length, kSize) << "stored whole";
	EXPECT_EQ(back[0].second, sb);
	const Result<DecodedSubbuf> after = decode_subbuf(back[0].second, 0, kSize);
	ASSERT_FALSE(after);
	EXPECT_EQ(after.error().message(), before.error().message());
}

// Real sub-buffers of a ring whose memory was used before: after the
// PADDING record the kernel writes (a word and the length) the old records
// are still there. A capture keeps what a decoder reads (header, records,
// PADDING) and gives zeros for the rest.
TEST(Capture, SubbufsOfAReusedRing)
{
	test::RingSource rs(kSize, 2, KTR_RB_MODE_DISCARD, 1);
	ASSERT_TRUE(rs.ok());
	std::uint64_t ts = 1000;
	for (int round = 0; round < 3; round++) {	// every sub-buffer of the ring full once
		while (rs.write(0, ts++, test::marker_payload(1, 1, "fill", std::string(300, 'f'))))
			;
		(void)rs.drain(0);
	}
	std::vector<Bytes> raw;
	for (int i = 0; i < 3; i++) {
		ASSERT_TRUE(rs.write(0, ts++, test::marker_payload(2, 2, "light", "x")));
		for (Bytes &b : rs.drain(0))
			raw.push_back(std::move(b));
	}
	ASSERT_EQ(raw.size(), 3U);

	std::vector<std::pair<std::uint32_t, Bytes>> subbufs;
	std::size_t stale = 0;
	for (const Bytes &b : raw) {
		ASSERT_EQ(used_bytes(b), 64U + 40U);
		if (!std::all_of(b.begin() + used_bytes(b) + 8, b.end(),
				 [](std::byte x) { return x == std::byte{0}; }))
			stale++;
		subbufs.emplace_back(0, b);
	}
	ASSERT_GT(stale, 0U) << "no sub-buffer holds old records after its PADDING: "
				"the test does not test what it says";

	CaptureInfo info = sample_info();
	info.nr_cpus = 1;
	test::TempDir dir;
	const auto back = round_trip(dir.path("reused.ktr"), info, subbufs);
	ASSERT_EQ(back.size(), raw.size());
	std::uint64_t not_before = 0;
	for (std::size_t i = 0; i < raw.size(); i++) {
		EXPECT_EQ(back[i].first.length, 104U);
		EXPECT_EQ(back[i].second, rebuilt(raw[i])) << i;
		EXPECT_TRUE(std::equal(raw[i].begin(), raw[i].begin() + 104 + 8, back[i].second.begin()))
			<< i;
		Result<DecodedSubbuf> o = decode_subbuf(raw[i], 0, kSize, not_before);
		ASSERT_TRUE(o) << o.error().message();
		Result<DecodedSubbuf> d = decode_subbuf(back[i].second, 0, kSize, not_before);
		ASSERT_TRUE(d) << d.error().message();
		EXPECT_EQ(d->header(), o->header());
		EXPECT_TRUE(std::ranges::equal(d->bytes(), o->bytes()));
		ASSERT_EQ(d->records().size(), 1U);
		not_before = d->end_ts();
	}
}

// A header whose size and commit do not say where the records end (corrupt,
// or from a writer this ktr does not know): the sub-buffer is stored whole,
// comes back byte for byte, and decode_subbuf() is what refuses it.
TEST(Capture, InsaneSubbufHeaderIsStoredWhole)
{
	const Bytes good = test::SubbufBuilder(1, 3, 100)
				   .event(0, test::marker_payload(1, 1, "a", "b"))
				   .build();	// 0xee after its PADDING record
	struct Case {
		std::uint32_t size, commit;
		std::string error;
	};
	const std::vector<Case> cases = {
		{64, 4098, "commit 4098 is not a multiple of 4 (byte 24)"},
		{64, 6, "commit 6 is not a multiple of 4 (byte 24)"},
		{64, 4036, "commit 4036 runs past the end: records would end at byte 4100 of 4096 "
			   "(byte 24)"},
		{64, 0xfffffffc, "commit 4294967292 runs past the end: records would end at byte "
				 "4294967356 of 4096 (byte 24)"},
		{4100, 0, "header size 4100 is larger than the 4096-byte sub-buffer (byte 0)"},
		{0xfffffffc, 8, "header size 4294967292 is larger than the 4096-byte sub-buffer "
				"(byte 0)"},
		{0, 0, "header size 0 is below the 64-byte minimum (byte 0)"},
		{62, 0, "header size 62 is below the 64-byte minimum (byte 0)"},
		{0, 8, "header size 0 is below the 64-byte minimum (byte 0)"},
	};
	std::vector<std::pair<std::uint32_t, Bytes>> subbufs;
	for (const Case &c : cases) {
		Bytes b = good;
		test::put_u32(b, offsetof(ktr_rb_subbuf_hdr, size), c.size);
		test::put_u32(b, offsetof(ktr_rb_subbuf_hdr, commit), c.commit);
		subbufs.emplace_back(1, std::move(b));
	}
	test::TempDir dir;
	const auto back = round_trip(dir.path("insane.ktr"), sample_info(), subbufs);
	ASSERT_EQ(back.size(), cases.size());
	for (std::size_t i = 0; i < cases.size(); i++) {
		EXPECT_EQ(back[i].first.length, kSize) << i;
		EXPECT_EQ(back[i].second, subbufs[i].second) << i;
		const Result<DecodedSubbuf> d = decode_subbuf(back[i].second, 1, kSize);
		ASSERT_FALSE(d) << i;
		EXPECT_EQ(d.error().errnum(), EPROTO);
		EXPECT_EQ(d.error().message(), "corrupt sub-buffer of CPU 1 (seq 3): " + cases[i].error)
			<< i;
	}
}

// Header fields that are wrong one by one, but whose sum looks like the end
// of the records: the writer may cut the sub-buffer there (it keeps at least
// the 64-byte header), and decode_subbuf() still refuses what comes back,
// with the same message as the original.
TEST(Capture, InsaneSubbufHeaderStaysInsane)
{
	const Bytes good = test::SubbufBuilder(1, 3, 100)
				   .event(0, test::marker_payload(1, 1, "a", "b"))
				   .build();
	const std::pair<std::uint32_t, std::uint32_t> cases[] = {{66, 2}, {0, 64}, {0, 104}, {60, 44},
								 {62, 42}};
	std::vector<std::pair<std::uint32_t, Bytes>> subbufs;
	for (const auto &[size, commit] : cases) {
		Bytes b = good;
		test::put_u32(b, offsetof(ktr_rb_subbuf_hdr, size), size);
		test::put_u32(b, offsetof(ktr_rb_subbuf_hdr, commit), commit);
		subbufs.emplace_back(1, std::move(b));
	}
	test::TempDir dir;
	const auto back = round_trip(dir.path("insane.ktr"), sample_info(), subbufs);
	ASSERT_EQ(back.size(), subbufs.size());
	for (std::size_t i = 0; i < subbufs.size(); i++) {
		const Bytes &original = subbufs[i].second;
		const std::uint32_t length = back[i].first.length;
		EXPECT_TRUE(length == used_bytes(original) || length == kSize) << i << ": " << length;
		EXPECT_TRUE(std::equal(original.begin(), original.begin() + length,
				       back[i].second.begin()))
			<< i;
		const Result<DecodedSubbuf> o = decode_subbuf(original, 1, kSize);
		ASSERT_FALSE(o) << i;
		const Result<DecodedSubbuf> d = decode_subbuf(back[i].second, 1, kSize);
		ASSERT_FALSE(d) << i;
		EXPECT_EQ(d.error().message(), o.error().message()) << i;
	}
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
	const Bytes sb = test::SubbufBuilder(1, 0, 5).event(0, test::marker_payload(1, 1, "a", "b")).build();
	{
		Result<CaptureWriter> w = CaptureWriter::to_fd(fd, sample_info(), "fd.ktr");
		ASSERT_TRUE(w);
		ASSERT_TRUE(w->write_subbuf(1, sb));
		// Header + marker record (8 + 28 + 1 bytes, rounded to 4).
		EXPECT_EQ(used_bytes(sb), 64U + 40U);
		EXPECT_EQ(w->size(), test::get_u32(test::read_file(path), 16) + 16U + 104U);
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
	EXPECT_EQ((*c)->length, 104U);
	Result<std::vector<std::byte>> back = r->read_subbuf(**c);
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(*back, rebuilt(sb));
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
	refused(i, "invalid capture header: sub-buffer size 1024 must be a power of two from 4 KiB to 4 MiB, at least a page");
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
			if ((*c)->type == ChunkType::Subbuf) {
				Result<std::vector<std::byte>> sb = r->read_subbuf(**c);
				EXPECT_TRUE(sb) << sb.error().message();
			}
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
	// Cut in the middle of the second sub-buffer; the chunks are as long
	// as their sub-buffers' committed data.
	const std::size_t second = header_size_ + chunk_bytes(written_.subbufs.at(0).second);
	const std::size_t needs = chunk_bytes(written_.subbufs.at(1).second);
	ASSERT_GT(needs, 100U);
	std::size_t n = 0;
	EXPECT_EQ(chunk_error(Bytes(bytes_.begin(), bytes_.begin() + static_cast<long>(second + 100)), &n),
		  damaged() + ": file is truncated at offset " + std::to_string(second) +
			  " (the SUBBUF chunk there needs " + std::to_string(needs) +
			  " bytes, the file ends 100 bytes after it)");
	EXPECT_EQ(n, 1U);
	// Cut one byte short of the end of the second chunk.
	EXPECT_EQ(chunk_error(Bytes(bytes_.begin(),
				    bytes_.begin() + static_cast<long>(second + needs - 1)), &n),
		  damaged() + ": file is truncated at offset " + std::to_string(second) +
			  " (the SUBBUF chunk there needs " + std::to_string(needs) +
			  " bytes, the file ends " + std::to_string(needs - 1) + " bytes after it)");
	EXPECT_EQ(n, 1U);
	// Cut after the second chunk: two chunks, then no END.
	EXPECT_EQ(chunk_error(Bytes(bytes_.begin(), bytes_.begin() + static_cast<long>(second + needs)), &n),
		  damaged() + ": file is truncated at offset " + std::to_string(second + needs) +
			  " (no END chunk: the capture did not finish)");
	EXPECT_EQ(n, 2U);
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

// A SUBBUF chunk holds 64 bytes (a header) up to the sub-buffer size, a
// multiple of 4 (records are).
TEST_F(CaptureDamage, SubbufChunkLengthOutOfRange)
{
	const std::size_t first = header_size_;
	const std::size_t second = first + chunk_bytes(written_.subbufs.at(0).second);
	const std::string rule = " bytes (a multiple of 4 from 64 to the sub-buffer size 4096)";
	for (const std::uint32_t len : {0U, 4U, 60U, 62U, 65U, 66U, 4095U, 4100U, 8192U, 4194304U}) {
		for (const std::size_t at : {first, second}) {
			Bytes b = bytes_;
			test::put_u32(b, at + 8, len);
			std::size_t n = 99;
			EXPECT_EQ(chunk_error(b, &n), damaged() + ": corrupt capture file at offset " +
							      std::to_string(at) + ": SUBBUF chunk of " +
							      std::to_string(len) + rule)
				<< "length " << len;
			EXPECT_EQ(n, at == first ? 0U : 1U) << "length " << len;
		}
	}
}

// The chunk length and the header disagree: the chunk ends before the
// records the header announces. The reader gives the sub-buffer back (it
// does not decode), and decode_subbuf() finds the rebuilt PADDING inside the
// committed records.
TEST_F(CaptureDamage, SubbufChunkShorterThanItsRecords)
{
	const std::size_t first = header_size_;
	const Bytes &original = written_.subbufs.at(0).second;
	const std::uint32_t commit = test::get_u32(original, offsetof(ktr_rb_subbuf_hdr, commit));
	ASSERT_LE(used_bytes(original) + 8, kSize);
	Bytes b = bytes_;
	test::put_u32(b, first + 16 + offsetof(ktr_rb_subbuf_hdr, commit), commit + 8);
	Result<CaptureReader> r = open(b);
	ASSERT_TRUE(r);
	Result<std::optional<ChunkRef>> c = r->next();
	ASSERT_TRUE(c && *c) << (c ? "END" : c.error().message());
	Result<std::vector<std::byte>> sb = r->read_subbuf(**c);
	ASSERT_TRUE(sb) << sb.error().message();
	const Result<DecodedSubbuf> d = decode_subbuf(*sb, 0, kSize);
	ASSERT_FALSE(d);
	EXPECT_EQ(d.error().errnum(), EPROTO);
	EXPECT_EQ(d.error().message(),
		  "corrupt sub-buffer of CPU 0 (seq 0): discarded event of " +
			  std::to_string(kSize - used_bytes(original)) +
			  " bytes runs past the committed data (8 bytes left) at byte " +
			  std::to_string(used_bytes(original)));
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
