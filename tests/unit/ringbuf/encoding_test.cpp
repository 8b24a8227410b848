// Every case of the record encoding (uapi/ktr_ringbuf.h), checked word by
// word in the sub-buffers the core produces.
#include "rb_test_util.h"

namespace rbtest {
namespace {

constexpr uint32_t kSize = 4096;
constexpr uint32_t kCapacity = kSize - kHdrSize;

std::vector<uint8_t> Pattern(uint32_t len, uint8_t seed) {
    std::vector<uint8_t> p(len);
    for (uint32_t i = 0; i < len; i++)
        p[i] = static_cast<uint8_t>(seed + i * 3U);
    return p;
}

class RingbufEncoding : public RbTest {
  protected:
    void SetUp() override {
        RbTest::SetUp();
        clock_.Install();
        rb_ = MakeRb(kSize, 4, KTR_RB_MODE_DISCARD);
        ASSERT_NE(rb_, nullptr);
    }
    // Writes a pattern payload at time @ts; returns the event's timestamp.
    uint64_t WriteAt(uint64_t ts, uint32_t len, uint8_t seed = 1) {
        clock_.now = ts;
        ktr_rb_event ev{};
        EXPECT_EQ(ktr_rb_reserve(rb_.get(), &ev, len), 0);
        const std::vector<uint8_t> p = Pattern(len, seed);
        if (len)
            std::memcpy(ev.data, p.data(), len);
        ktr_rb_commit(&ev);
        return ev.ts;
    }
    std::vector<Record> Events(const Subbuf &s) {
        std::vector<Record> out;
        for (const Record &r : s.records)
            if (r.kind == Kind::Event)
                out.push_back(r);
        return out;
    }
    RbPtr rb_;
};

TEST_F(RingbufEncoding, SmallPayloadsUseTypeLen) {
    for (uint32_t words = 1; words <= KTR_RB_TYPE_DATA_MAX; words++)
        WriteAt(1000, words * 4, static_cast<uint8_t>(words));
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 1U);
    const Subbuf &s = subbufs[0];
    ASSERT_EQ(s.records.size(), size_t{KTR_RB_TYPE_DATA_MAX});
    uint32_t off = kHdrSize;
    for (uint32_t words = 1; words <= KTR_RB_TYPE_DATA_MAX; words++) {
        const Record &r = s.records[words - 1];
        SCOPED_TRACE(words);
        EXPECT_EQ(r.kind, Kind::Event);
        EXPECT_EQ(r.offset, off);
        EXPECT_EQ(r.type_len, words);
        EXPECT_EQ(r.delta, 0U);
        EXPECT_EQ(r.payload, Pattern(words * 4, static_cast<uint8_t>(words)));
        off += 4 + words * 4;
    }
    EXPECT_EQ(s.hdr.commit, off - kHdrSize);
    EXPECT_EQ(s.hdr.entries, KTR_RB_TYPE_DATA_MAX);
}

TEST_F(RingbufEncoding, OtherLengthsUseTheLengthWord) {
    const std::vector<uint32_t> lens = {0, 1, 2, 3, 5, 6, 7, 113, 116, 117, 1000, 3001};
    for (uint32_t len : lens)
        WriteAt(1000, len, static_cast<uint8_t>(len));
    const auto subbufs = ReadAll(rb_.get(), 0);
    std::vector<Record> events;
    for (const Subbuf &s : subbufs)
        for (const Record &r : Events(s))
            events.push_back(r);
    ASSERT_EQ(events.size(), lens.size());
    for (size_t i = 0; i < lens.size(); i++) {
        SCOPED_TRACE(lens[i]);
        EXPECT_EQ(events[i].type_len, uint32_t{KTR_RB_TYPE_DATA_LEN});
        EXPECT_EQ(events[i].payload, Pattern(lens[i], static_cast<uint8_t>(lens[i])));
    }
    // Record sizes: 8 + length rounded up to 4, the length word exact.
    const Subbuf &s = subbufs[0];
    EXPECT_EQ(WordAt(reinterpret_cast<const ktr_rb_subbuf_hdr *>(s.raw.data()), kHdrSize + 4),
              0U);
    EXPECT_EQ(s.records[1].offset, kHdrSize + 8);      // after the 0-byte event
    EXPECT_EQ(s.records[2].offset, kHdrSize + 8 + 12);  // 1 byte -> 8 + 4
}

TEST_F(RingbufEncoding, LargestPayloadFitsAndOneMoreIsRefused) {
    const uint32_t max = ktr_rb_max_payload(rb_.get());
    EXPECT_EQ(max, kSize - kHdrSize - KTR_RB_TIME_STAMP_SIZE - 8);
    ktr_rb_event ev{};
    EXPECT_EQ(ktr_rb_reserve(rb_.get(), &ev, max + 1), -EMSGSIZE);
    WriteAt(1000, max, 7);
    WriteAt(2000, max, 8);  // does not fit after the first: next sub-buffer
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 2U);
    for (size_t i = 0; i < 2; i++) {
        ASSERT_EQ(subbufs[i].records.size(), 1U);
        EXPECT_EQ(subbufs[i].records[0].payload, Pattern(max, static_cast<uint8_t>(7 + i)));
        EXPECT_EQ(subbufs[i].hdr.commit, 8 + max);
    }
    const ktr_rb_cpu_stats st = Stats(rb_.get(), 0);
    EXPECT_EQ(st.written, 2U) << "a refused oversized event is a caller bug, not an event";
    ExpectInvariant(rb_.get(), 0);
}

TEST_F(RingbufEncoding, DeltaThatFits27BitsIsInTheHeader) {
    const uint64_t a = WriteAt(1000, 8);
    const uint64_t b = WriteAt(1000 + KTR_RB_TIME_DELTA_MAX, 8);
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 1U);
    const auto &r = subbufs[0].records;
    ASSERT_EQ(r.size(), 2U);
    EXPECT_EQ(r[0].ts, a);
    EXPECT_EQ(r[1].kind, Kind::Event);
    EXPECT_EQ(r[1].delta, KTR_RB_TIME_DELTA_MAX);
    EXPECT_EQ(r[1].ts, b);
    EXPECT_EQ(b, 1000U + KTR_RB_TIME_DELTA_MAX);
}

TEST_F(RingbufEncoding, LargerDeltaUsesTimeExtend) {
    const uint64_t big = 0x123456789abULL;
    WriteAt(1000, 8);
    const uint64_t b = WriteAt(1000 + KTR_RB_TIME_DELTA_MAX + 1, 8);
    const uint64_t c = WriteAt(b + big, 12);
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 1U);
    const auto &r = subbufs[0].records;
    ASSERT_EQ(r.size(), 5U);
    EXPECT_EQ(r[1].kind, Kind::TimeExtend);
    EXPECT_EQ(r[1].delta, 0U);  // 2^27: low 27 bits zero
    EXPECT_EQ(WordAt(reinterpret_cast<const ktr_rb_subbuf_hdr *>(subbufs[0].raw.data()),
                     r[1].offset + 4),
              1U);
    EXPECT_EQ(r[2].kind, Kind::Event);
    EXPECT_EQ(r[2].delta, 0U);
    EXPECT_EQ(r[2].ts, b);
    EXPECT_EQ(r[3].kind, Kind::TimeExtend);
    EXPECT_EQ(r[3].delta, static_cast<uint32_t>(big & KTR_RB_TIME_DELTA_MAX));
    EXPECT_EQ(r[4].ts, c);
    EXPECT_EQ(c, b + big);
    EXPECT_EQ(subbufs[0].hdr.entries, 3U);
}

TEST_F(RingbufEncoding, HugeDeltaUsesAnAbsoluteTimeStamp) {
    WriteAt(1000, 8);
    const uint64_t b = WriteAt(1000 + (uint64_t{1} << KTR_RB_TIME_EXTEND_BITS), 8);
    const auto subbufs = ReadAll(rb_.get(), 0);
    const auto &r = subbufs.at(0).records;
    ASSERT_EQ(r.size(), 3U);
    EXPECT_EQ(r[1].kind, Kind::TimeStamp);
    const auto *hdr = reinterpret_cast<const ktr_rb_subbuf_hdr *>(subbufs[0].raw.data());
    EXPECT_EQ(WordAt(hdr, r[1].offset + 4), static_cast<uint32_t>(b));
    EXPECT_EQ(WordAt(hdr, r[1].offset + 8), static_cast<uint32_t>(b >> 32));
    EXPECT_EQ(r[2].delta, 0U);
    EXPECT_EQ(r[2].ts, b);
}

TEST_F(RingbufEncoding, InterruptAfterReserveGetsAnAbsoluteTimeStamp) {
    clock_.step = 100;
    Writer w(rb_.get(), 0);
    ASSERT_EQ(w.Write(32).ret, 0);
    bool fired = false;
    Writer::Result nested;
    w.on_step = [&](unsigned int step) {
        if (step == KTR_RB_AT_RESERVED && !fired) {
            fired = true;
            nested = w.Write(40);
        }
    };
    const Writer::Result outer = w.Write(32);
    w.on_step = nullptr;
    const Writer::Result after = w.Write(32);
    ASSERT_TRUE(fired);
    ASSERT_EQ(nested.ret, 0);
    const auto subbufs = ReadAll(rb_.get(), 0);
    const auto &r = subbufs.at(0).records;
    ASSERT_EQ(r.size(), 5U);
    EXPECT_EQ(r[0].kind, Kind::Event);
    EXPECT_EQ(r[1].kind, Kind::Event);  // outer: reserved first
    EXPECT_EQ(r[1].ts, outer.ts);
    EXPECT_EQ(r[2].kind, Kind::TimeStamp);  // nested: no slot knew the outer's time yet
    EXPECT_EQ(r[3].ts, nested.ts);
    EXPECT_GT(nested.ts, outer.ts);
    // The next writer finds the nested writer's slot: a plain delta.
    EXPECT_EQ(r[4].kind, Kind::Event);
    EXPECT_EQ(r[4].delta, after.ts - nested.ts);
    EXPECT_EQ(r[4].ts, after.ts);
}

TEST_F(RingbufEncoding, FirstRecordOfASubbufIsAtItsBaseTime) {
    const uint64_t a = WriteAt(5000, 3000);
    const uint64_t b = WriteAt(5000 + (uint64_t{1} << 40), 3000);  // next sub-buffer
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 2U);
    EXPECT_EQ(subbufs[0].hdr.time_stamp, a);
    EXPECT_EQ(subbufs[1].hdr.time_stamp, b);
    ASSERT_EQ(subbufs[1].records.size(), 1U) << "no time record in front of a first record";
    EXPECT_EQ(subbufs[1].records[0].delta, 0U);
}

TEST_F(RingbufEncoding, PaddingFillsTheEndOfASubbuf) {
    WriteAt(1000, 4004);  // record 4012: 20 bytes left
    WriteAt(1000, 40);    // record 44: next sub-buffer
    // Second sub-buffer: 44 + 3964 + 20 = 4028, 4 bytes left.
    WriteAt(1000, 3956);
    WriteAt(1000, 16);
    WriteAt(1000, 8);  // record 12: next sub-buffer
    // Third: exact fit (12 + 3996 + 24 = 4032), nothing left.
    WriteAt(1000, 3988);
    WriteAt(1000, 20);
    WriteAt(1000, 8);
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 4U);
    const auto *h0 = reinterpret_cast<const ktr_rb_subbuf_hdr *>(subbufs[0].raw.data());
    const auto *h1 = reinterpret_cast<const ktr_rb_subbuf_hdr *>(subbufs[1].raw.data());
    EXPECT_EQ(h0->commit, 4012U);
    EXPECT_EQ(WordAt(h0, kHdrSize + 4012),
              uint32_t{KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING, 0U)});
    EXPECT_EQ(WordAt(h0, kHdrSize + 4016), 20U) << "padding length covers the rest";
    EXPECT_EQ(subbufs[1].records.at(0).payload.size(), 40U);
    EXPECT_EQ(h1->commit, 44U + 3964U + 20U);
    EXPECT_EQ(WordAt(h1, kSize - 4), uint32_t{KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING, 0U)})
        << "a 4-byte tail is a lone PADDING word";
    EXPECT_EQ(subbufs[2].hdr.commit, 12U + 3996U + 24U);
    EXPECT_EQ(subbufs[2].hdr.commit, kCapacity) << "exact fit: no padding";
    EXPECT_EQ(subbufs[3].records.size(), 1U);
    for (const Subbuf &s : subbufs)
        EXPECT_EQ(s.hdr.flags & KTR_RB_SB_FLUSHED, s.hdr.seq == 3 ? KTR_RB_SB_FLUSHED : 0U);
}

TEST_F(RingbufEncoding, DiscardedEventBecomesPaddingAndKeepsItsTime) {
    WriteAt(1000, 8);
    clock_.now = 2000;
    ktr_rb_event ev{};
    ASSERT_EQ(ktr_rb_reserve(rb_.get(), &ev, 50), 0);
    ktr_rb_discard(&ev);
    clock_.now = 1000 + (uint64_t{1} << 30);  // the discarded one gets a TIME_EXTEND
    ASSERT_EQ(ktr_rb_reserve(rb_.get(), &ev, 8), 0);
    const uint64_t extended = ev.ts;
    ktr_rb_discard(&ev);
    const uint64_t c = WriteAt(extended + 500, 8);
    const auto subbufs = ReadAll(rb_.get(), 0);
    const auto &r = subbufs.at(0).records;
    ASSERT_EQ(r.size(), 5U);
    EXPECT_EQ(r[1].kind, Kind::Discarded);
    EXPECT_EQ(r[1].delta, 1000U);
    EXPECT_EQ(r[1].ts, 2000U);
    EXPECT_EQ(r[2].offset - r[1].offset, 8U + 52U) << "padding length = the event record";
    EXPECT_EQ(r[2].kind, Kind::TimeExtend);
    EXPECT_EQ(r[3].kind, Kind::Discarded);
    EXPECT_EQ(r[3].ts, extended);
    EXPECT_EQ(r[4].delta, 500U);
    EXPECT_EQ(r[4].ts, c);
    EXPECT_EQ(subbufs[0].hdr.entries, 2U);
    const ktr_rb_cpu_stats st = Stats(rb_.get(), 0);
    EXPECT_EQ(st.discarded, 2U);
    EXPECT_EQ(st.written, 2U);
    ExpectInvariant(rb_.get(), 0);
}

TEST_F(RingbufEncoding, ClockGoingBackwardsIsClamped) {
    const uint64_t a = WriteAt(5000, 8);
    const uint64_t b = WriteAt(3000, 8);
    EXPECT_EQ(b, a);
    const auto subbufs = ReadAll(rb_.get(), 0);
    EXPECT_EQ(subbufs.at(0).records.at(1).delta, 0U);
    EXPECT_EQ(subbufs.at(0).records.at(1).ts, a);
}

TEST_F(RingbufEncoding, HeaderDescribesTheSubbuf) {
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 1);
    clock_.now = 77777;
    ASSERT_EQ(w.Write(100).ret, 0);
    ASSERT_EQ(w.Write(100).ret, 0);
    const auto subbufs = ReadAll(rb.get(), 1);
    ASSERT_EQ(subbufs.size(), 1U);
    const ktr_rb_subbuf_hdr &h = subbufs[0].hdr;
    EXPECT_EQ(h.size, kHdrSize);
    EXPECT_EQ(h.flags, KTR_RB_SB_OVERWRITE | KTR_RB_SB_FLUSHED);
    EXPECT_EQ(h.seq, 0U);
    EXPECT_EQ(h.time_stamp, 77777U);
    EXPECT_EQ(h.commit, 2U * (4U + 100U));
    EXPECT_EQ(h.entries, 2U);
    EXPECT_EQ(h.lost, 0U);
    EXPECT_EQ(h.cpu, 1U);
    EXPECT_EQ(h.subbuf_size, kSize);
    EXPECT_EQ(h.reserved[0], 0U);
    EXPECT_EQ(h.reserved[1], 0U);
    EXPECT_EQ(subbufs[0].id, 0U);
}

// Sub-buffers are numbered with 24 bits inside the position words; the
// header's 64-bit number and the reader must carry on across the wrap.
TEST_F(RingbufEncoding, SequenceNumbersCarryOnAcrossTheWrap) {
    for (uint32_t mode : {KTR_RB_MODE_DISCARD, KTR_RB_MODE_OVERWRITE}) {
        SCOPED_TRACE(mode);
        RbPtr rb = MakeRb(kSize, 2, mode);
        ASSERT_NE(rb, nullptr);
        const uint64_t start = (uint64_t{1} << 24) - 3;
        ktr_rb_host_set_start_seq(rb.get(), 0, start);
        Writer w(rb.get(), 0);
        std::vector<StreamChecker> checkers;
        for (unsigned int c = 0; c < 4; c++)
            checkers.emplace_back(c);
        uint64_t expect_seq = start;
        for (int i = 0; i < 40; i++) {
            ASSERT_EQ(w.Write(1000).ret, 0);  // 4 per sub-buffer
            ktr_rb_read rd{};
            while (mode == KTR_RB_MODE_DISCARD && ktr_rb_get_subbuf(rb.get(), 0, &rd) == 0) {
                EXPECT_EQ(rd.hdr->seq, expect_seq++);
                checkers[0].Add(rd.hdr, kSize, rd.id);
                ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
            }
        }
        Drain(rb.get(), &checkers);
        EXPECT_EQ(checkers[0].last_subbuf_seq(), start + 9);
        if (mode == KTR_RB_MODE_DISCARD)
            EXPECT_EQ(checkers[0].events().size(), 40U);
        else
            EXPECT_EQ(checkers[0].events().size() + checkers[0].lost_reported(), 40U);
        ExpectInvariant(rb.get(), 0);
    }
}

// A record added after another (a stack after its event) goes to the
// buffer the first was reserved in, whatever "the" buffer is meanwhile.
TEST_F(RingbufEncoding, AReservationKnowsItsBuffer) {
    RbPtr other = MakeRb(kSize, 4, KTR_RB_MODE_DISCARD);
    ASSERT_NE(other, nullptr);
    ktr_rb_event a{};
    ktr_rb_event b{};
    ASSERT_EQ(ktr_rb_reserve(rb_.get(), &a, 8), 0);
    EXPECT_EQ(ktr_rb_event_buffer(&a), rb_.get());
    ktr_rb_commit(&a);
    EXPECT_EQ(ktr_rb_event_buffer(&a), rb_.get()) << "still known after the commit";
    ASSERT_EQ(ktr_rb_reserve(other.get(), &b, 8), 0);
    EXPECT_EQ(ktr_rb_event_buffer(&b), other.get());
    ktr_rb_discard(&b);
}

}  // namespace
}  // namespace rbtest
