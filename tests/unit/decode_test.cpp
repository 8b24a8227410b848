// SPDX-License-Identifier: MIT
//
// The sub-buffer decoder: every record encoding on hand-built (golden) and
// real (host ring buffer) sub-buffers, and every kind of corruption refused
// with a message that says what and where.
#include <cerrno>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_event.h>
#include <ktr_ringbuf.h>

#include "ktr/decode.h"
#include "rb_source.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;
using test::pattern;
using test::SubbufBuilder;

constexpr std::uint32_t kSize = 4096;

Bytes as_bytes(std::span<const std::byte> s) { return Bytes(s.begin(), s.end()); }

DecodedSubbuf decode_ok(const Bytes &sb, std::uint32_t cpu = 0, std::uint64_t not_before = 0)
{
	Result<DecodedSubbuf> r = decode_subbuf(sb, cpu, kSize, not_before);
	EXPECT_TRUE(r.has_value()) << r.error().message();
	if (!r)
		throw std::runtime_error(r.error().message());
	return std::move(r).value();
}

// ---- golden sub-buffers, one encoding each ----------------------------------

TEST(Decode, ShortEvents)
{
	const Bytes a = pattern(8, 1), b = pattern(112, 2);
	const Bytes sb = SubbufBuilder(1, 7, 1000).event(0, a).event(5, b).build();
	const DecodedSubbuf d = decode_ok(sb, 1);

	const SubbufHeader &h = d.header();
	EXPECT_EQ(h.size, 64U);
	EXPECT_EQ(h.seq, 7U);
	EXPECT_EQ(h.time_stamp, 1000U);
	EXPECT_EQ(h.commit, 4U + 8 + 4 + 112);
	EXPECT_EQ(h.entries, 2U);
	EXPECT_EQ(h.lost, 0U);
	EXPECT_EQ(h.cpu, 1U);
	EXPECT_EQ(h.flags, 0U);
	EXPECT_EQ(h.subbuf_size, kSize);

	ASSERT_EQ(d.records().size(), 2U);
	EXPECT_EQ(d.records()[0].ts, 1000U);
	EXPECT_EQ(as_bytes(d.records()[0].payload), a);
	EXPECT_FALSE(d.records()[0].long_form);
	EXPECT_EQ(d.records()[0].offset, 64U);
	EXPECT_EQ(d.records()[1].ts, 1005U);
	EXPECT_EQ(as_bytes(d.records()[1].payload), b);
	EXPECT_EQ(d.records()[1].offset, 64U + 12);
	EXPECT_EQ(d.discarded(), 0U);
	EXPECT_EQ(d.end_ts(), 1005U);
}

TEST(Decode, LongEventsCarryTheirLength)
{
	const std::vector<std::size_t> lens = {0, 1, 2, 3, 5, 116, 1000};
	SubbufBuilder b(0, 0, 50);
	for (std::size_t i = 0; i < lens.size(); i++)
		b.long_event(i == 0 ? 0 : 1, pattern(lens[i], static_cast<unsigned>(i)));
	const DecodedSubbuf d = decode_ok(b.build());
	ASSERT_EQ(d.records().size(), lens.size());
	for (std::size_t i = 0; i < lens.size(); i++) {
		SCOPED_TRACE(lens[i]);
		EXPECT_TRUE(d.records()[i].long_form);
		EXPECT_EQ(d.records()[i].ts, 50 + i);
		EXPECT_EQ(as_bytes(d.records()[i].payload), pattern(lens[i], static_cast<unsigned>(i)));
	}
}

TEST(Decode, TimeExtendAddsA59BitDelta)
{
	const std::uint64_t big = 0x123456789abULL;	// > 27 bits
	const Bytes sb = SubbufBuilder(0, 0, 1000)
				 .event(0, pattern(4))
				 .time_extend(std::uint64_t{1} << 27)
				 .event(0, pattern(4))
				 .time_extend(big)
				 .event(0, pattern(8))
				 .event(3, pattern(8))
				 .build();
	const DecodedSubbuf d = decode_ok(sb);
	ASSERT_EQ(d.records().size(), 4U);
	EXPECT_EQ(d.records()[1].ts, 1000 + (std::uint64_t{1} << 27));
	EXPECT_EQ(d.records()[2].ts, 1000 + (std::uint64_t{1} << 27) + big);
	EXPECT_EQ(d.records()[3].ts, d.records()[2].ts + 3);
	// The largest delta a TIME_EXTEND holds.
	const std::uint64_t max59 = (std::uint64_t{1} << 59) - 1;
	const DecodedSubbuf m = decode_ok(
		SubbufBuilder(0, 0, 0).event(0, pattern(4)).time_extend(max59).event(0, pattern(4)).build());
	EXPECT_EQ(m.records()[1].ts, max59);
}

TEST(Decode, TimeStampIsAbsolute)
{
	const std::uint64_t abs = 0x0123456789abcdefULL;
	const Bytes sb = SubbufBuilder(0, 0, 1000)
				 .event(0, pattern(4))
				 .time_stamp(abs)
				 .event(0, pattern(4))
				 .event(7, pattern(4))
				 .build();
	const DecodedSubbuf d = decode_ok(sb);
	ASSERT_EQ(d.records().size(), 3U);
	EXPECT_EQ(d.records()[1].ts, abs);
	EXPECT_EQ(d.records()[2].ts, abs + 7);
	EXPECT_EQ(d.end_ts(), abs + 7);
}

TEST(Decode, DiscardedEventsAreSkippedButCountedAndKeepTheirDelta)
{
	const Bytes sb = SubbufBuilder(0, 0, 1000)
				 .event(0, pattern(4))
				 .discarded(3, 20)
				 .discarded(2, 5)
				 .event(4, pattern(4))
				 .time_extend(std::uint64_t{1} << 30)
				 .discarded(0, 8)
				 .event(1, pattern(4))
				 .build();
	const DecodedSubbuf d = decode_ok(sb);
	ASSERT_EQ(d.records().size(), 3U);
	EXPECT_EQ(d.discarded(), 3U);
	EXPECT_EQ(d.records()[1].ts, 1000U + 3 + 2 + 4);
	EXPECT_EQ(d.records()[2].ts, 1009U + (std::uint64_t{1} << 30) + 1);
}

TEST(Decode, PaddingAtTheEnd)
{
	// 4 bytes left: a lone PADDING word.
	const Bytes four = SubbufBuilder(0, 0, 1).long_event(0, pattern(kSize - 64 - 8 - 4)).build();
	EXPECT_EQ(decode_ok(four).header().commit, kSize - 64 - 4);
	// Nothing left.
	const Bytes none = SubbufBuilder(0, 0, 1).long_event(0, pattern(kSize - 64 - 8)).build();
	EXPECT_EQ(decode_ok(none).records().size(), 1U);
	// Most of it left: PADDING with the length of the rest.
	const Bytes most = SubbufBuilder(0, 0, 1).event(0, pattern(4)).build();
	EXPECT_EQ(test::get_u32(most, 64 + 8 + 4), kSize - 64 - 8);
	EXPECT_EQ(decode_ok(most).records().size(), 1U);
}

TEST(Decode, FlushedEmptySubbufWithLostEvents)
{
	const Bytes sb = SubbufBuilder(2, 9, 777).lost(42).flags(KTR_RB_SB_FLUSHED).build();
	const DecodedSubbuf d = decode_ok(sb, 2);
	EXPECT_TRUE(d.records().empty());
	EXPECT_EQ(d.header().lost, 42U);
	EXPECT_EQ(d.header().flags, KTR_RB_SB_FLUSHED);
	EXPECT_EQ(d.header().commit, 0U);
	EXPECT_EQ(d.end_ts(), 777U);
}

TEST(Decode, LargerHeaderOfANewerModuleIsSkipped)
{
	const Bytes sb = SubbufBuilder(0, 0, 5).header_size(128).event(0, pattern(16)).build();
	const DecodedSubbuf d = decode_ok(sb);
	ASSERT_EQ(d.records().size(), 1U);
	EXPECT_EQ(d.records()[0].offset, 128U);
	EXPECT_EQ(as_bytes(d.records()[0].payload), pattern(16));
}

TEST(Decode, KeepsItsOwnCopy)
{
	Bytes sb = SubbufBuilder(0, 0, 5).event(0, pattern(16)).event(1, pattern(40, 9)).build();
	Result<DecodedSubbuf> r = decode_subbuf(sb, 0, kSize);
	ASSERT_TRUE(r);
	std::fill(sb.begin(), sb.end(), std::byte{0});	// the kernel reuses it
	DecodedSubbuf moved = std::move(r).value();
	std::vector<DecodedSubbuf> v;
	v.push_back(std::move(moved));
	v.reserve(10);	// moves it again
	EXPECT_EQ(as_bytes(v[0].records()[0].payload), pattern(16));
	EXPECT_EQ(as_bytes(v[0].records()[1].payload), pattern(40, 9));
	EXPECT_EQ(v[0].bytes().size(), 64U + v[0].header().commit);
}

TEST(Decode, TimeMayNotGoBackAcrossSubbufs)
{
	const Bytes sb = SubbufBuilder(0, 1, 1000).event(0, pattern(4)).build();
	EXPECT_TRUE(decode_subbuf(sb, 0, kSize, 1000));
	const Result<DecodedSubbuf> r = decode_subbuf(sb, 0, kSize, 1001);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EPROTO);
	EXPECT_NE(r.error().message().find("time goes backwards"), std::string::npos)
		<< r.error().message();
}

// ---- corrupt sub-buffers ----------------------------------------------------

// Expect @sb to be refused with EPROTO and a message containing @what.
void expect_refused(const Bytes &sb, const std::string &what, std::uint32_t cpu = 0)
{
	const Result<DecodedSubbuf> r = decode_subbuf(sb, cpu, kSize);
	ASSERT_FALSE(r) << "accepted; expected: " << what;
	EXPECT_EQ(r.error().errnum(), EPROTO);
	EXPECT_NE(r.error().message().find(what), std::string::npos) << r.error().message();
	EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
}

Bytes good() { return SubbufBuilder(0, 3, 1000).event(0, pattern(8)).event(2, pattern(8)).build(); }

TEST(DecodeCorrupt, HeaderSize)
{
	Bytes sb = good();
	test::put_u32(sb, 0, 60);
	expect_refused(sb, "header size 60 is below the 64-byte minimum (byte 0)");
	test::put_u32(sb, 0, kSize + 4);
	expect_refused(sb, "header size 4100 is larger than the 4096-byte sub-buffer");
	test::put_u32(sb, 0, 66);
	expect_refused(sb, "header size 66 is not a multiple of 4");
}

TEST(DecodeCorrupt, MessageNamesCpuAndSeq)
{
	Bytes sb = good();
	test::put_u32(sb, 0, 0);
	expect_refused(sb, "corrupt sub-buffer of CPU 0 (seq 3): ");
}

TEST(DecodeCorrupt, SubbufSizeAndCpuMismatch)
{
	Bytes sb = good();
	test::put_u32(sb, 44, 8192);
	expect_refused(sb, "header says sub-buffer size 8192, expected 4096 (byte 44)");
	expect_refused(good(), "header says CPU 0 (byte 40)", 3);
}

TEST(DecodeCorrupt, WrongSpanIsInvalidArgument)
{
	const Bytes sb = good();
	const Result<DecodedSubbuf> r = decode_subbuf(std::span(sb).first(100), 0, kSize);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	EXPECT_EQ(r.error().message(), "sub-buffer of CPU 0 has 100 bytes, expected 4096");
	EXPECT_FALSE(decode_subbuf(sb, 0, 4000 + 2));
	EXPECT_FALSE(decode_subbuf(std::span(sb).first(32), 0, 32));
}

TEST(DecodeCorrupt, Commit)
{
	Bytes sb = good();
	test::put_u32(sb, 24, 6);
	expect_refused(sb, "commit 6 is not a multiple of 4 (byte 24)");
	test::put_u32(sb, 24, kSize - 60);
	expect_refused(sb, "commit 4036 runs past the end: records would end at byte 4100 of 4096");
	test::put_u32(sb, 24, 0xfffffffc);
	expect_refused(sb, "runs past the end");
}

TEST(DecodeCorrupt, RecordRunsPastCommit)
{
	// The second event (12 bytes at 76) is cut by a commit of 20.
	Bytes sb = good();
	test::put_u32(sb, 24, 20);
	expect_refused(sb, "event with 8 bytes of payload runs past the committed data (8 bytes "
			   "left) at byte 76");
}

TEST(DecodeCorrupt, LongEventLength)
{
	SubbufBuilder b(0, 0, 10);
	b.event(0, pattern(4));
	const std::uint32_t at = b.offset();
	b.long_event(0, pattern(5));
	Bytes sb = b.build();
	test::put_u32(sb, at + 4, 5000);
	expect_refused(sb, "event with 5000 bytes of payload runs past the committed data (16 "
			   "bytes left) at byte 72");
	test::put_u32(sb, at + 4, 0xffffffff);
	expect_refused(sb, "event with 4294967295 bytes of payload runs past");
}

TEST(DecodeCorrupt, LongEventWithoutItsLengthWord)
{
	Bytes sb = SubbufBuilder(0, 0, 10)
			   .event(0, pattern(4))
			   .word(KTR_RB_RECORD_HEADER(0U, 0U))
			   .entries(2)
			   .build();
	expect_refused(sb, "event of at least 8 bytes runs past the committed data (4 bytes left) "
			   "at byte 72");
}

TEST(DecodeCorrupt, DiscardedEventLength)
{
	const auto with_length = [](std::uint32_t len) {
		SubbufBuilder b(0, 0, 10);
		b.event(0, pattern(4));
		const std::uint32_t at = b.offset();
		b.discarded(0, 12).event(0, pattern(4));
		Bytes sb = b.build();
		test::put_u32(sb, at + 4, len);
		return sb;
	};
	expect_refused(with_length(0), "discarded event has invalid length 0 (a multiple of 4, at "
				       "least 8) at byte 72");
	expect_refused(with_length(10), "discarded event has invalid length 10");
	expect_refused(with_length(4), "discarded event has invalid length 4");
	expect_refused(with_length(1000), "discarded event of 1000 bytes runs past the committed "
					  "data (24 bytes left) at byte 72");
	// A PADDING word that is the last committed one has no length word.
	expect_refused(SubbufBuilder(0, 0, 10)
			       .event(0, pattern(4))
			       .word(KTR_RB_RECORD_HEADER(29U, 0U))
			       .build(),
		       "discarded event of at least 8 bytes runs past the committed data");
}

TEST(DecodeCorrupt, TimeRecordMustBeFollowedByAZeroDeltaEvent)
{
	expect_refused(SubbufBuilder(0, 0, 10)
			       .event(0, pattern(4))
			       .time_extend(1ULL << 28)
			       .time_stamp(1ULL << 40)
			       .event(0, pattern(4))
			       .build(),
		       "TIME_EXTEND at byte 72 is followed by a TIME_STAMP, not an event at byte 80");
	expect_refused(SubbufBuilder(0, 0, 10)
			       .event(0, pattern(4))
			       .time_stamp(1ULL << 40)
			       .event(5, pattern(4))
			       .build(),
		       "event after the TIME_STAMP at byte 72 has time delta 5 (must be 0) at byte 84");
	expect_refused(SubbufBuilder(0, 0, 10)
			       .event(0, pattern(4))
			       .time_extend(1ULL << 28)
			       .discarded(1, 4)
			       .build(),
		       "discarded event after the TIME_EXTEND at byte 72 has time delta 1");
	expect_refused(SubbufBuilder(0, 0, 10).event(0, pattern(4)).time_extend(1ULL << 28).build(),
		       "TIME_EXTEND is the last record: no event follows it at byte 72");
}

TEST(DecodeCorrupt, TimeStampWithADelta)
{
	expect_refused(SubbufBuilder(0, 0, 10)
			       .event(0, pattern(4))
			       .word(KTR_RB_RECORD_HEADER(31U, 3U))
			       .word(100)
			       .word(0)
			       .event(0, pattern(4))
			       .build(),
		       "TIME_STAMP has time delta 3 (must be 0) at byte 72");
}

TEST(DecodeCorrupt, FirstRecordWithADelta)
{
	expect_refused(SubbufBuilder(0, 0, 10).event(5, pattern(4)).build(),
		       "first record has time delta 5 (must be 0: it is at the sub-buffer's time "
		       "stamp) at byte 64");
}

TEST(DecodeCorrupt, TimeGoingBackwards)
{
	expect_refused(SubbufBuilder(0, 0, 1000)
			       .event(0, pattern(4))
			       .time_stamp(999)
			       .event(0, pattern(4))
			       .build(),
		       "time goes backwards: TIME_STAMP 999 ns after 1000 ns at byte 72");
	const std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
	expect_refused(SubbufBuilder(0, 0, max - 10).event(0, pattern(4)).event(100, pattern(4)).build(),
		       "time overflows 64 bits");
	expect_refused(SubbufBuilder(0, 0, max - 10)
			       .event(0, pattern(4))
			       .time_extend(1ULL << 40)
			       .event(0, pattern(4))
			       .build(),
		       "time overflows 64 bits");
}

TEST(DecodeCorrupt, EntriesMismatch)
{
	expect_refused(SubbufBuilder(0, 0, 10).event(0, pattern(4)).entries(3).build(),
		       "header says 3 events (byte 28), the records hold 1");
	expect_refused(SubbufBuilder(0, 0, 10).event(0, pattern(4)).discarded(0, 4).entries(2).build(),
		       "header says 2 events");
}

TEST(DecodeCorrupt, UnusedSpace)
{
	Bytes sb = good();
	const std::uint32_t end = 64 + test::get_u32(sb, 24);
	test::put_u32(sb, end, 0x12345);
	expect_refused(sb, "unused space after the committed data does not start with a PADDING "
			   "record of time delta 0 at byte 88");
	sb = good();
	test::put_u32(sb, end + 4, 100);
	expect_refused(sb, "end PADDING says 100 bytes, 4008 are left at byte 88");
}

// ---- event view -------------------------------------------------------------

TEST(DecodeEvent, CommonHeader)
{
	const Bytes p = test::marker_payload(1234, 1200, "bash", "hi");
	const Result<EventView> ev = decode_event(p);
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->id, KTR_EVENT_MARKER);
	EXPECT_EQ(ev->flags, 0);
	EXPECT_EQ(ev->pid, 1234);
	EXPECT_EQ(ev->payload.size(), p.size());
}

TEST(DecodeEvent, RefusesShortPayloadsAndReservedId)
{
	const Bytes p = test::event_payload(1, 5);
	const Result<EventView> short_ev = decode_event(std::span(p).first(7));
	ASSERT_FALSE(short_ev);
	EXPECT_EQ(short_ev.error().errnum(), EPROTO);
	EXPECT_EQ(short_ev.error().message(),
		  "event payload of 7 bytes is shorter than the 8-byte common header");
	EXPECT_FALSE(decode_event({}));
	const Result<EventView> zero = decode_event(test::event_payload(0, 5));
	ASSERT_FALSE(zero);
	EXPECT_EQ(zero.error().message(), "event with the reserved id 0 (never written)");
}

// ---- real sub-buffers from the ring buffer core ------------------------------

struct Written {
	std::uint64_t ts;
	Bytes payload;
};

// Decodes a CPU's stream of sub-buffers, chaining not_before.
std::vector<DecodedSubbuf> decode_stream(const std::vector<Bytes> &subbufs, std::uint32_t cpu)
{
	std::vector<DecodedSubbuf> out;
	std::uint64_t end = 0;
	for (const Bytes &sb : subbufs) {
		Result<DecodedSubbuf> r = decode_subbuf(sb, cpu, kSize, end);
		EXPECT_TRUE(r) << r.error().message();
		if (!r)
			break;
		end = r->end_ts();
		out.push_back(std::move(r).value());
	}
	return out;
}

TEST(DecodeReal, EveryEncodingTheCoreWrites)
{
	test::RingSource rs(kSize, 4, KTR_RB_MODE_DISCARD);
	ASSERT_TRUE(rs.ok());
	std::vector<Written> written;
	std::uint64_t ts = 1000;
	const auto write = [&](std::size_t len, std::uint64_t at, bool discard = false) {
		ts = at;
		Bytes p = pattern(len, static_cast<unsigned>(written.size()));
		const std::optional<std::uint64_t> got = rs.write(1, at, p, discard);
		ASSERT_TRUE(got);
		EXPECT_EQ(*got, at);
		if (!discard)
			written.push_back({at, std::move(p)});
	};
	write(8, ts);					// short
	write(3, ts + 10);				// long: length word
	write(0, ts + 10);				// long, empty
	write(112, ts + (1ULL << 27) + 5);		// TIME_EXTEND
	write(20, ts + 7, true);			// discarded
	write(20, ts + 9);
	write(44, ts + (1ULL << 59) + 1);		// TIME_STAMP
	for (int i = 0; i < 12; i++)			// into more sub-buffers
		write(700, ts + 100);
	const std::vector<Bytes> raw = rs.drain(1);
	ASSERT_GE(raw.size(), 3U);

	const std::vector<DecodedSubbuf> subbufs = decode_stream(raw, 1);
	ASSERT_EQ(subbufs.size(), raw.size());
	std::vector<Written> decoded;
	std::uint32_t discarded = 0;
	for (const DecodedSubbuf &d : subbufs) {
		discarded += d.discarded();
		for (const Record &r : d.records())
			decoded.push_back({r.ts, as_bytes(r.payload)});
	}
	EXPECT_EQ(discarded, 1U);
	ASSERT_EQ(decoded.size(), written.size());
	for (std::size_t i = 0; i < written.size(); i++) {
		SCOPED_TRACE(i);
		EXPECT_EQ(decoded[i].ts, written[i].ts);
		EXPECT_EQ(decoded[i].payload, written[i].payload);
	}
	EXPECT_TRUE(subbufs.back().header().flags & KTR_RB_SB_FLUSHED);
	EXPECT_TRUE(subbufs[0].records()[1].long_form);
	EXPECT_FALSE(subbufs[0].records()[0].long_form);
	for (std::size_t i = 1; i < subbufs.size(); i++)
		EXPECT_EQ(subbufs[i].header().seq, subbufs[i - 1].header().seq + 1);
}

TEST(DecodeReal, LostEventsAreReportedInTheNextSubbuf)
{
	test::RingSource rs(kSize, 2, KTR_RB_MODE_DISCARD);
	ASSERT_TRUE(rs.ok());
	std::uint64_t ts = 100, accepted = 0, refused = 0;
	for (int i = 0; i < 40; i++) {
		if (rs.write(0, ts++, pattern(1000)))
			accepted++;
		else
			refused++;
	}
	ASSERT_GT(refused, 0U);
	std::vector<Bytes> raw = rs.drain(0, false);
	ASSERT_TRUE(rs.write(0, ts++, pattern(16)));
	for (Bytes &b : rs.drain(0))
		raw.push_back(std::move(b));

	std::uint64_t events = 0, lost = 0;
	for (const DecodedSubbuf &d : decode_stream(raw, 0)) {
		events += d.records().size();
		lost += d.header().lost;
	}
	EXPECT_EQ(events, accepted + 1);
	EXPECT_EQ(lost, refused);
	EXPECT_EQ(rs.stats(0).lost_full, refused);
}

TEST(DecodeReal, OverwrittenSubbufsShowAsLostAndASeqGap)
{
	test::RingSource rs(kSize, 2, KTR_RB_MODE_OVERWRITE);
	ASSERT_TRUE(rs.ok());
	std::uint64_t ts = 100;
	for (int i = 0; i < 40; i++)
		ASSERT_TRUE(rs.write(0, ts++, pattern(1000)));
	const std::vector<DecodedSubbuf> subbufs = decode_stream(rs.drain(0), 0);
	ASSERT_FALSE(subbufs.empty());
	std::uint64_t events = 0, lost = 0;
	for (const DecodedSubbuf &d : subbufs) {
		events += d.records().size();
		lost += d.header().lost;
		EXPECT_TRUE(d.header().flags & KTR_RB_SB_OVERWRITE);
	}
	EXPECT_GT(subbufs[0].header().seq, 0U);
	EXPECT_GT(lost, 0U);
	EXPECT_EQ(events + lost, 40U);
}

} // namespace
} // namespace ktr
