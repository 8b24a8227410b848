// Discard and overwrite modes, the reader holding a sub-buffer, refusals.
#include "rb_test_util.h"

namespace rbtest {
namespace {

constexpr uint32_t kSize = 4096;
constexpr uint32_t kBig = 1000;  // record 1008: exactly 4 per sub-buffer

class RingbufModes : public RbTest {
  protected:
    std::vector<StreamChecker> Checkers() {
        std::vector<StreamChecker> c;
        for (unsigned int cpu = 0; cpu < ktr_rb_host_nr_cpus(); cpu++)
            c.emplace_back(cpu);
        return c;
    }
    static std::vector<uint32_t> Seqs(const StreamChecker &c) {
        std::vector<uint32_t> out;
        for (const auto &e : c.events())
            out.push_back(e.seq);
        return out;
    }
    static std::vector<uint32_t> Range(uint32_t from, uint32_t to) {
        std::vector<uint32_t> out;
        for (uint32_t i = from; i < to; i++)
            out.push_back(i);
        return out;
    }
};

TEST_F(RingbufModes, DiscardModeDropsNewEventsWhenFull) {
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_DISCARD);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    for (int i = 0; i < 8; i++)
        ASSERT_EQ(w.Write(kBig).ret, 0);  // seq 0 and 1, full
    // seq 2 would reuse the slot of seq 0, which the reader has not read.
    EXPECT_EQ(w.Write(kBig).ret, -ENOSPC);
    EXPECT_EQ(w.Write(40).ret, -ENOSPC) << "sealed: even a small one is dropped";
    EXPECT_EQ(w.Write(kBig).ret, -ENOSPC);
    ktr_rb_cpu_stats st = Stats(rb.get(), 0);
    EXPECT_EQ(st.lost_full, 3U);
    EXPECT_EQ(st.written, 11U);
    EXPECT_EQ(st.buffered, 8U);
    ExpectInvariant(rb.get(), 0, "full");

    // Reading seq 0 frees a slot: writing resumes in seq 2, which reports
    // the 3 drops in front of it.
    ktr_rb_read rd{};
    ASSERT_EQ(ktr_rb_get_subbuf(rb.get(), 0, &rd), 0);
    EXPECT_EQ(rd.hdr->seq, 0U);
    auto checkers = Checkers();
    checkers[0].Add(rd.hdr, kSize, rd.id);
    ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
    ASSERT_EQ(w.Write(kBig).ret, 0);
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    const auto subbufs = checkers[0].subbufs();
    EXPECT_EQ(subbufs, 3U);
    std::vector<uint32_t> expect = Range(0, 8);
    expect.push_back(11);
    EXPECT_EQ(Seqs(checkers[0]), expect) << "the oldest events are kept";
    EXPECT_EQ(checkers[0].lost_reported(), 3U);
    st = Stats(rb.get(), 0);
    EXPECT_EQ(st.read, 9U);
    EXPECT_EQ(st.subbufs_read, 3U);
    EXPECT_EQ(st.lost_overwritten, 0U);
    ExpectInvariant(rb.get(), 0, "drained");
}

TEST_F(RingbufModes, OverwriteModeKeepsTheNewest) {
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    for (int i = 0; i < 20; i++) {
        ASSERT_EQ(w.Write(kBig).ret, 0);
        ExpectInvariant(rb.get(), 0, "writing");
    }
    ktr_rb_cpu_stats st = Stats(rb.get(), 0);
    EXPECT_EQ(st.subbufs_written, 5U);
    EXPECT_EQ(st.subbufs_overwritten, 3U);
    EXPECT_EQ(st.lost_overwritten, 12U);
    EXPECT_EQ(st.lost_full, 0U);
    auto checkers = Checkers();
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(Seqs(checkers[0]), Range(12, 20));
    EXPECT_EQ(checkers[0].lost_reported(), 12U) << "reported before seq 3";
    EXPECT_EQ(checkers[0].last_subbuf_seq(), 4U);
    ExpectInvariant(rb.get(), 0, "drained");
}

TEST_F(RingbufModes, OverwriteModeNeverRecyclesTheSubbufTheReaderHolds) {
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    for (int i = 0; i < 9; i++)
        ASSERT_EQ(w.Write(kBig).ret, 0);  // seq 0 recycled for seq 2
    ktr_rb_read rd{};
    ASSERT_EQ(ktr_rb_get_subbuf(rb.get(), 0, &rd), 0);
    ASSERT_EQ(rd.hdr->seq, 1U);
    EXPECT_EQ(rd.hdr->lost, 4U) << "seq 0 was overwritten";
    const auto *bytes = reinterpret_cast<const uint8_t *>(rd.hdr);
    const std::vector<uint8_t> before(bytes, bytes + kSize);
    // The writer laps the ring many times while the reader holds seq 1.
    for (int i = 0; i < 100; i++) {
        ASSERT_EQ(w.Write(kBig).ret, 0);
        ASSERT_EQ(std::memcmp(before.data(), bytes, kSize), 0) << "held sub-buffer changed";
        ExpectInvariant(rb.get(), 0, "held");
    }
    EXPECT_EQ(Stats(rb.get(), 0).lost_full, 0U) << "writers never wait for the reader";
    auto checkers = Checkers();
    checkers[0].Add(rd.hdr, kSize, rd.id);
    EXPECT_EQ(Seqs(checkers[0]), Range(4, 8));
    ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    const auto &ev = checkers[0].events();
    EXPECT_EQ(ev.back().seq, 108U);
    EXPECT_EQ(ev.size() + checkers[0].lost_reported(), 109U);
    ExpectInvariant(rb.get(), 0, "drained");
}

// While the reader takes the oldest sub-buffer (consumed is HELD), a writer
// that needs its slot refuses the event instead of waiting or overwriting.
TEST_F(RingbufModes, OverwriteRefusesWhileTheReaderTakesTheOldest) {
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    for (int i = 0; i < 8; i++)
        ASSERT_EQ(w.Write(kBig).ret, 0);
    auto hook = [](void *ctx, unsigned int, unsigned int step) {
        auto *wr = static_cast<Writer *>(ctx);
        if (step == KTR_RB_AT_GET_CLAIMED) {
            EXPECT_EQ(wr->Write(kBig).ret, -ENOSPC);
            ktr_rb_host_set_step_hook(nullptr, nullptr);
        }
    };
    ktr_rb_host_set_step_hook(hook, &w);
    ktr_rb_read rd{};
    ASSERT_EQ(ktr_rb_get_subbuf(rb.get(), 0, &rd), 0);
    ktr_rb_host_set_step_hook(nullptr, nullptr);
    EXPECT_EQ(rd.hdr->seq, 0U);
    EXPECT_EQ(Stats(rb.get(), 0).lost_full, 1U);
    auto checkers = Checkers();
    checkers[0].Add(rd.hdr, kSize, rd.id);
    ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
    ASSERT_EQ(w.Write(kBig).ret, 0);  // the slot is free now
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    std::vector<uint32_t> expect = Range(0, 8);
    expect.push_back(9);
    EXPECT_EQ(Seqs(checkers[0]), expect);
    EXPECT_EQ(checkers[0].lost_reported(), 1U);
    ExpectInvariant(rb.get(), 0, "drained");
}

// An interrupted writer still fills the oldest sub-buffer: nested writers
// that lap the ring must not recycle it under it.
TEST_F(RingbufModes, OverwriteNeverRecyclesASubbufWithAWriterInFlight) {
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    int nested_ok = 0, nested_full = 0;
    bool fired = false;
    w.on_step = [&](unsigned int step) {
        if (step != KTR_RB_AT_WRITTEN || fired)
            return;
        fired = true;
        for (int i = 0; i < 12; i++) {
            const int ret = w.Write(kBig).ret;
            if (ret == 0)
                nested_ok++;
            else
                nested_full++;
            EXPECT_TRUE(ret == 0 || ret == -ENOSPC);
        }
    };
    const Writer::Result outer = w.Write(kBig);
    ASSERT_EQ(outer.ret, 0);
    EXPECT_EQ(nested_ok, 7) << "3 more in seq 0, 4 in seq 1";
    EXPECT_EQ(nested_full, 5);
    EXPECT_EQ(Stats(rb.get(), 0).lost_overwritten, 0U);
    auto checkers = Checkers();
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(Seqs(checkers[0]), Range(0, 8)) << "the outer event survives";
    ExpectInvariant(rb.get(), 0, "drained");
}

TEST_F(RingbufModes, DisabledBufferRefusesAndCounts) {
    RbPtr rb = MakeRb(kSize, 4, KTR_RB_MODE_DISCARD);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    ASSERT_EQ(w.Write(100).ret, 0);
    ktr_rb_set_enabled(rb.get(), false);
    EXPECT_EQ(w.Write(100).ret, -ENODEV);
    EXPECT_EQ(w.Write(100).ret, -ENODEV);
    ktr_rb_set_enabled(rb.get(), true);
    ASSERT_EQ(w.Write(100).ret, 0);
    const ktr_rb_cpu_stats st = Stats(rb.get(), 0);
    EXPECT_EQ(st.lost_disabled, 2U);
    EXPECT_EQ(st.written, 4U);
    ExpectInvariant(rb.get(), 0);
    auto checkers = Checkers();
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(checkers[0].events().size(), 2U);
    ExpectInvariant(rb.get(), 0, "drained");
}

TEST_F(RingbufModes, InstancesAndCpusAreIndependent) {
    RbPtr a = MakeRb(kSize, 2, KTR_RB_MODE_DISCARD);
    RbPtr b = MakeRb(2 * kSize, 4, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(a, nullptr);
    ASSERT_NE(b, nullptr);
    for (unsigned int cpu = 0; cpu < 4; cpu++) {
        Writer wa(a.get(), cpu), wb(b.get(), cpu);
        for (unsigned int i = 0; i < 3 + cpu; i++) {
            ASSERT_EQ(wa.Write(64 + i).ret, 0);
            ASSERT_EQ(wb.Write(200).ret, 0);
            ASSERT_EQ(wb.Write(300).ret, 0);
        }
    }
    auto ca = Checkers(), cb = Checkers();
    Drain(a.get(), &ca);
    Drain(b.get(), &cb);
    ASSERT_FALSE(HasFatalFailure());
    for (unsigned int cpu = 0; cpu < 4; cpu++) {
        EXPECT_EQ(ca[cpu].events().size(), 3U + cpu);
        EXPECT_EQ(cb[cpu].events().size(), 2U * (3U + cpu));
        EXPECT_EQ(Stats(a.get(), cpu).read, 3U + cpu);
        ExpectInvariant(a.get(), cpu);
        ExpectInvariant(b.get(), cpu);
    }
    EXPECT_EQ(ktr_rb_subbuf_size(b.get()), 2 * kSize);
    EXPECT_EQ(ktr_rb_nr_subbufs(b.get()), 4U);
}

TEST_F(RingbufModes, CreateRejectsBadConfigurations) {
    const ktr_rb_config bad[] = {
        {KTR_SUBBUF_SIZE_MIN / 2, 4, KTR_RB_MODE_DISCARD},
        {KTR_SUBBUF_SIZE_MAX * 2, 4, KTR_RB_MODE_DISCARD},
        {3 * 4096, 4, KTR_RB_MODE_DISCARD},
        {4096, 1, KTR_RB_MODE_DISCARD},
        {4096, 6, KTR_RB_MODE_DISCARD},
        {4096, KTR_NR_SUBBUFS_MAX * 2, KTR_RB_MODE_DISCARD},
        {4096, 4, 2},
    };
    for (const ktr_rb_config &cfg : bad) {
        ktr_rb *rb = ktr_rb_create(&cfg);
        EXPECT_EQ(ktr_rb_host_ptr_err(rb), -EINVAL)
            << cfg.subbuf_size << " x " << cfg.nr_subbufs << " mode " << cfg.mode;
        if (ktr_rb_host_ptr_err(rb) == 0)
            ktr_rb_free(rb);
    }
    ktr_rb_free(nullptr);
    RbPtr big = MakeRb(KTR_SUBBUF_SIZE_MAX, KTR_NR_SUBBUFS_MIN, KTR_RB_MODE_DISCARD);
    ASSERT_NE(big, nullptr);
    EXPECT_EQ(ktr_rb_max_payload(big.get()), KTR_SUBBUF_SIZE_MAX - 84);
}

TEST_F(RingbufModes, ClockMapPairsTheLocalClockWithMonotonic) {
    clock_.now = 123456789;
    clock_.Install();
    RbPtr rb = MakeRb(kSize, 2, KTR_RB_MODE_DISCARD);
    ASSERT_NE(rb, nullptr);
    u64 local = 0, mono = 0;
    ktr_rb_clock_map(rb.get(), &local, &mono);
    EXPECT_EQ(local, 123456789U);
    EXPECT_GT(mono, 0U);
    clock_.now = 200000000;
    ktr_rb_clock_resync(rb.get());
    ktr_rb_clock_map(rb.get(), &local, &mono);
    EXPECT_EQ(local, 200000000U);
}

}  // namespace
}  // namespace rbtest
