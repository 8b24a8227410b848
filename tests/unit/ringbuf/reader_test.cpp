// The reader side: get / read in place / put, flush, publication.
#include "rb_test_util.h"

namespace rbtest {
namespace {

constexpr uint32_t kSize = 4096;

class RingbufReader : public RbTest {
  protected:
    void SetUp() override {
        RbTest::SetUp();
        rb_ = MakeRb(kSize, 4, KTR_RB_MODE_DISCARD);
        ASSERT_NE(rb_, nullptr);
    }
    RbPtr rb_;
};

TEST_F(RingbufReader, NothingToReadAtFirst) {
    ktr_rb_read rd{};
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA);
    EXPECT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), -EINVAL);
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 4, &rd), -EINVAL);
    EXPECT_EQ(ktr_rb_put_subbuf(rb_.get(), 4), -EINVAL);
    ktr_rb_cpu_stats st{};
    EXPECT_EQ(ktr_rb_get_stats(rb_.get(), 4, &st), -EINVAL);
    ASSERT_EQ(ktr_rb_flush(rb_.get()), 0);
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA) << "an empty flush is no sub-buffer";
    ExpectInvariant(rb_.get(), 0);
}

TEST_F(RingbufReader, PartlyFilledSubbufIsReadableOnlyAfterAFlush) {
    Writer w(rb_.get(), 0);
    for (int i = 0; i < 3; i++)
        ASSERT_EQ(w.Write(100).ret, 0);
    ktr_rb_read rd{};
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA);
    EXPECT_EQ(Stats(rb_.get(), 0).buffered, 3U);
    ASSERT_EQ(w.Flush(), 0);
    ASSERT_EQ(w.Flush(), 0);  // nothing more to flush
    ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
    EXPECT_EQ(rd.hdr->flags, KTR_RB_SB_FLUSHED);
    EXPECT_EQ(rd.hdr->entries, 3U);
    EXPECT_EQ(rd.hdr->commit, 3U * 104U);
    StreamChecker c(0);
    c.Add(rd.hdr, kSize, rd.id);
    EXPECT_EQ(c.events().size(), 3U);
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -EBUSY) << "one at a time";
    ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
    EXPECT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), -EINVAL);
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA) << "only one flushed sub-buffer";
    // Writing goes on in the next sub-buffer.
    ASSERT_EQ(w.Write(100).ret, 0);
    ASSERT_EQ(w.Flush(), 0);
    ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
    EXPECT_EQ(rd.hdr->seq, 1U);
    c.Add(rd.hdr, kSize, rd.id);
    ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
    EXPECT_EQ(c.events().size(), 4U);
    const ktr_rb_cpu_stats st = Stats(rb_.get(), 0);
    EXPECT_EQ(st.read, 4U);
    EXPECT_EQ(st.buffered, 0U);
    ExpectInvariant(rb_.get(), 0);
}

// Drops after the last sub-buffer: a flush reports them in an empty sealed
// sub-buffer once there is free room, and never before.
TEST_F(RingbufReader, FlushReportsDropsAfterTheLastSubbuf) {
    Writer w(rb_.get(), 0);
    int ok = 0, full = 0;
    for (int i = 0; i < 40; i++)
        (w.Write(1000).ret == 0 ? ok : full)++;
    ASSERT_EQ(ok, 16) << "4 sub-buffers of 4 events";
    ASSERT_EQ(full, 24);
    ASSERT_EQ(w.Flush(), 0);  // no free room yet: nothing to start
    StreamChecker c(0);
    ktr_rb_read rd{};
    for (int i = 0; i < 4; i++) {
        ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
        c.Add(rd.hdr, kSize, rd.id);
        ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
    }
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA);
    EXPECT_EQ(c.lost_reported(), 0U) << "the drops came after the last one";

    ASSERT_EQ(w.Flush(), 0);
    ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
    EXPECT_EQ(rd.hdr->entries, 0U);
    EXPECT_EQ(rd.hdr->commit, 0U);
    EXPECT_EQ(rd.hdr->lost, 24U);
    EXPECT_EQ(rd.hdr->seq, 4U);
    EXPECT_EQ(rd.hdr->flags, KTR_RB_SB_FLUSHED);
    c.Add(rd.hdr, kSize, rd.id);
    ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
    EXPECT_EQ(c.events().size() + c.lost_reported(), 40U);
    ASSERT_EQ(w.Flush(), 0);
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA) << "reported once";

    // Writing goes on after it, with time not going back.
    ASSERT_EQ(w.Write(100).ret, 0);
    ASSERT_EQ(w.Flush(), 0);
    ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
    EXPECT_EQ(rd.hdr->seq, 5U);
    EXPECT_EQ(rd.hdr->lost, 0U);
    c.Add(rd.hdr, kSize, rd.id);
    ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
    ExpectInvariant(rb_.get(), 0);
}

TEST_F(RingbufReader, PositionsSayWhatIsReady) {
    Writer w(rb_.get(), 0);
    ktr_rb_positions pos{};
    EXPECT_EQ(ktr_rb_get_positions(rb_.get(), 4, &pos), -EINVAL);
    ASSERT_EQ(ktr_rb_get_positions(rb_.get(), 0, &pos), 0);
    EXPECT_EQ(pos.ready, 0U);
    EXPECT_EQ(pos.consumed, 0U);
    EXPECT_EQ(pos.produced, 0U) << "nothing started";
    for (int i = 0; i < 9; i++)  // 2 full sub-buffers and one event
        ASSERT_EQ(w.Write(1000).ret, 0);
    ASSERT_EQ(ktr_rb_get_positions(rb_.get(), 0, &pos), 0);
    EXPECT_EQ(pos.ready, 2U);
    EXPECT_EQ(pos.produced, 3U);
    ktr_rb_flushed f{};
    ktr_rb_host_set_cpu(0);
    ASSERT_EQ(ktr_rb_flush_here(rb_.get(), &f), 0);
    EXPECT_EQ(f.sealed_end, 3U) << "seq 0..2 sealed";
    EXPECT_GE(f.ts, 1U);
    ASSERT_EQ(ktr_rb_get_positions(rb_.get(), 0, &pos), 0);
    EXPECT_EQ(pos.ready, 3U);
    EXPECT_EQ(pos.produced, 3U);
    ktr_rb_read rd{};
    ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
    ASSERT_EQ(ktr_rb_get_positions(rb_.get(), 0, &pos), 0);
    EXPECT_EQ(pos.ready, 2U);
    EXPECT_EQ(pos.consumed, 1U);
    ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
    size_t size = 0;
    EXPECT_EQ(ktr_rb_area(rb_.get(), 0, &size), ktr_rb_host_area(rb_.get(), 0));
    EXPECT_EQ(size, size_t{5} * kSize);
    EXPECT_EQ(ktr_rb_area(rb_.get(), 4, &size), nullptr);
}

// A CPU that went offline is flushed from another one: its own last time
// is used, not the flushing CPU's clock.
TEST_F(RingbufReader, OfflineFlushUsesTheRingsOwnTime) {
    Writer w(rb_.get(), 1);
    ASSERT_EQ(w.Write(100).ret, 0);
    ASSERT_EQ(w.Write(100).ret, 0);
    ktr_rb_flushed f{};
    EXPECT_EQ(ktr_rb_flush_offline(rb_.get(), 4, &f), -EINVAL);
    ASSERT_EQ(ktr_rb_flush_offline(rb_.get(), 1, &f), 0);
    EXPECT_EQ(f.sealed_end, 1U);
    ktr_rb_read rd{};
    ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 1, &rd), 0);
    StreamChecker c(1);
    c.Add(rd.hdr, kSize, rd.id);
    ASSERT_EQ(c.events().size(), 2U);
    EXPECT_EQ(f.ts, c.events().back().ts) << "the newest record's time";
    ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 1), 0);
    ExpectInvariant(rb_.get(), 1);
}

TEST_F(RingbufReader, ReaderReadsInPlaceAndItsSpareRotates) {
    Writer w(rb_.get(), 0);
    std::set<uint32_t> ids;
    StreamChecker c(0);
    for (int round = 0; round < 12; round++) {
        for (int i = 0; i < 4; i++)
            ASSERT_EQ(w.Write(1000).ret, 0);
        ASSERT_EQ(w.Flush(), 0);
        ktr_rb_read rd{};
        ASSERT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
        // The sub-buffer is where the id says, in the CPU's area.
        const auto *area = static_cast<const uint8_t *>(ktr_rb_host_area(rb_.get(), 0));
        EXPECT_EQ(reinterpret_cast<const uint8_t *>(rd.hdr), area + size_t{rd.id} * kSize);
        ktr_rb_host_view v{};
        ktr_rb_host_get_view(rb_.get(), 0, &v);
        EXPECT_EQ(v.held, rd.id);
        EXPECT_NE(v.spare, rd.id);
        ids.insert(rd.id);
        c.Add(rd.hdr, kSize, rd.id);
        ASSERT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
        ktr_rb_host_get_view(rb_.get(), 0, &v);
        EXPECT_EQ(v.spare, rd.id) << "the sub-buffer read becomes the spare";
        EXPECT_EQ(v.held, 0xffffffffU);
    }
    EXPECT_EQ(ids.size(), 5U) << "all nr_subbufs + 1 sub-buffers take turns";
    EXPECT_EQ(c.events().size(), 48U);
    ExpectInvariant(rb_.get(), 0);
}

// Only the outermost writer publishes: while a writer is in flight, what
// interrupts write - even whole sub-buffers - is not readable.
TEST_F(RingbufReader, NothingIsReadableWhileAnInterruptedWriterIsInFlight) {
    Writer w(rb_.get(), 0);
    ASSERT_EQ(w.Write(100).ret, 0);
    bool fired = false;
    w.on_step = [&](unsigned int step) {
        if (step != KTR_RB_AT_WRITTEN || fired)
            return;
        fired = true;
        ktr_rb_host_view before{}, after{};
        ktr_rb_host_get_view(rb_.get(), 0, &before);
        for (int i = 0; i < 9; i++)
            ASSERT_EQ(w.Write(1000).ret, 0);  // fills seq 0, seq 1, starts seq 2
        ASSERT_EQ(w.Flush(), 0);
        ktr_rb_host_get_view(rb_.get(), 0, &after);
        EXPECT_EQ(after.commit_seq, before.commit_seq);
        EXPECT_EQ(after.commit_off, before.commit_off);
        EXPECT_EQ(after.commit_sealed, before.commit_sealed);
        EXPECT_EQ(after.tail_seq, 2U);
        ktr_rb_read rd{};
        EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), -ENODATA)
            << "published by an interrupt";
    };
    ASSERT_EQ(w.Write(100).ret, 0);
    ASSERT_TRUE(fired);
    w.on_step = nullptr;
    ktr_rb_host_view v{};
    ktr_rb_host_get_view(rb_.get(), 0, &v);
    EXPECT_EQ(v.commit_seq, v.tail_seq);
    EXPECT_EQ(v.commit_off, v.tail_off);
    EXPECT_TRUE(v.commit_sealed) << "the flush is published with the outer commit";
    EXPECT_EQ(v.nest, 0);
    std::vector<StreamChecker> checkers;
    for (unsigned int cpu = 0; cpu < 4; cpu++)
        checkers.emplace_back(cpu);
    Drain(rb_.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(checkers[0].events().size(), 11U);
    EXPECT_EQ(checkers[0].subbufs(), 3U);
    ExpectInvariant(rb_.get(), 0);
}

}  // namespace
}  // namespace rbtest
