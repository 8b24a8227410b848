// Exact accounting: written == read + buffered + lost, after every operation,
// and every counter equal to what the test itself saw happen.
#include "rb_test_util.h"

#include <random>

namespace rbtest {
namespace {

struct Geometry {
    uint32_t subbuf_size;
    uint32_t nr_subbufs;
    uint32_t mode;
};

class RingbufAccounting : public RbTest, public ::testing::WithParamInterface<Geometry> {};

TEST_P(RingbufAccounting, InvariantHoldsAfterEveryOperation) {
    const Geometry g = GetParam();
    RbPtr rb = MakeRb(g.subbuf_size, g.nr_subbufs, g.mode);
    ASSERT_NE(rb, nullptr);
    std::mt19937 rng(12345);
    auto rnd = [&rng](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
    constexpr unsigned int kCpus = 2;
    std::vector<std::unique_ptr<Writer>> writers;
    std::vector<StreamChecker> checkers;
    for (unsigned int cpu = 0; cpu < 4; cpu++)
        checkers.emplace_back(cpu);
    for (unsigned int cpu = 0; cpu < kCpus; cpu++)
        writers.push_back(std::make_unique<Writer>(rb.get(), cpu));
    const uint32_t max = ktr_rb_max_payload(rb.get());
    uint64_t discards[kCpus] = {};
    bool enabled = true;

    auto len = [&]() {
        const uint32_t r = rnd(100);
        if (r < 60)
            return kTagSize + rnd(100);
        if (r < 95)
            return kTagSize + rnd(1500);
        return max - rnd(64);
    };
    for (int op = 0; op < 3000; op++) {
        const unsigned int cpu = rnd(kCpus);
        Writer &w = *writers[cpu];
        const uint32_t kind = rnd(100);
        if (kind < 55) {
            w.Write(len());
        } else if (kind < 62) {
            if (w.Write(len(), true).ret == 0)
                discards[cpu]++;
        } else if (kind < 72) {
            // An "interrupt" at a random step writes once or twice more.
            const unsigned int at = rnd(KTR_RB_NR_STEPS);
            const uint32_t nested_len = len();
            int fired = 0;
            w.on_step = [&, at, nested_len](unsigned int step) {
                if (step == at && fired++ < 2)
                    w.Write(nested_len);
            };
            w.Write(len());
            w.on_step = nullptr;
        } else if (kind < 78) {
            ASSERT_EQ(w.Flush(), 0);
        } else if (kind < 98) {
            ktr_rb_read rd{};
            ktr_rb_host_set_step_hook(nullptr, nullptr);  // the reader is no writer
            if (ktr_rb_get_subbuf(rb.get(), cpu, &rd) == 0) {
                checkers[cpu].Add(rd.hdr, g.subbuf_size, rd.id, w.discards());
                ASSERT_FALSE(HasFatalFailure());
                ExpectInvariant(rb.get(), cpu, "holding");
                ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), cpu), 0);
            }
        } else {
            enabled = false;  // for a few operations
            ktr_rb_set_enabled(rb.get(), false);
        }
        if (!enabled && rnd(8) == 0) {
            enabled = true;
            ktr_rb_set_enabled(rb.get(), true);
        }
        for (unsigned int c = 0; c < kCpus; c++) {
            SCOPED_TRACE("op " + std::to_string(op));
            ExpectInvariant(rb.get(), c);
            const ktr_rb_cpu_stats st = Stats(rb.get(), c);
            const Writer &wc = *writers[c];
            EXPECT_EQ(st.written, wc.ok() + wc.nospc() + wc.refused());
            EXPECT_EQ(st.lost_full, wc.nospc());
            EXPECT_EQ(st.lost_disabled + st.lost_nesting, wc.refused());
            EXPECT_EQ(st.discarded, discards[c]);
        }
        if (HasFailure())
            return;
    }
    ktr_rb_set_enabled(rb.get(), true);
    std::vector<std::set<uint32_t>> discarded;
    for (const auto &w : writers)
        discarded.push_back(w->discards());
    Drain(rb.get(), &checkers, discarded);
    ASSERT_FALSE(HasFatalFailure());
    for (unsigned int c = 0; c < kCpus; c++) {
        const ktr_rb_cpu_stats st = Stats(rb.get(), c);
        EXPECT_EQ(st.buffered, 0U);
        EXPECT_EQ(st.read, checkers[c].events().size());
        ExpectInvariant(rb.get(), c, "drained");
        // The run went through the paths it is meant to cover.
        EXPECT_GT(st.read, 200U);
        EXPECT_GT(st.discarded, 10U);
        EXPECT_GT(st.lost_disabled, 10U);
        EXPECT_GT(st.subbufs_written, 50U);
        EXPECT_GT(g.mode == KTR_RB_MODE_DISCARD ? st.lost_full : st.lost_overwritten, 10U);
        EXPECT_GT(checkers[c].lost_reported(), 10U);
    }
}

INSTANTIATE_TEST_SUITE_P(
    Geometries, RingbufAccounting,
    ::testing::Values(Geometry{4096, 2, KTR_RB_MODE_DISCARD}, Geometry{4096, 2, KTR_RB_MODE_OVERWRITE},
                      Geometry{8192, 4, KTR_RB_MODE_DISCARD}, Geometry{8192, 4, KTR_RB_MODE_OVERWRITE}),
    [](const ::testing::TestParamInfo<Geometry> &p) {
        return std::string(p.param.mode == KTR_RB_MODE_DISCARD ? "Discard" : "Overwrite") +
               std::to_string(p.param.subbuf_size) + "x" + std::to_string(p.param.nr_subbufs);
    });

class RingbufLoss : public RbTest {};

// The tail word counts drops up to a limit (2^39 - 1 in the kernel; 3 here);
// beyond it an overflow counter takes over: still exact, still reported
// in front of the next sub-buffer.
TEST_F(RingbufLoss, DropsBeyondTheTailCounterAreStillReported) {
    ktr_rb_host_set_drops_limit(3);
    RbPtr rb = MakeRb(4096, 2, KTR_RB_MODE_DISCARD);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    for (int i = 0; i < 8; i++)
        ASSERT_EQ(w.Write(1000).ret, 0);
    for (int i = 0; i < 10; i++)
        ASSERT_EQ(w.Write(1000).ret, -ENOSPC);
    ktr_rb_host_view v{};
    ktr_rb_host_get_view(rb.get(), 0, &v);
    EXPECT_TRUE(v.tail_sealed);
    EXPECT_EQ(v.tail_off, 3U) << "saturated";
    EXPECT_EQ(Stats(rb.get(), 0).lost_full, 10U);
    std::vector<StreamChecker> checkers;
    for (unsigned int cpu = 0; cpu < 4; cpu++)
        checkers.emplace_back(cpu);
    ktr_rb_read rd{};
    ASSERT_EQ(ktr_rb_get_subbuf(rb.get(), 0, &rd), 0);
    checkers[0].Add(rd.hdr, 4096, rd.id);
    ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
    ASSERT_EQ(w.Write(1000).ret, 0);
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(checkers[0].lost_reported(), 10U);
    EXPECT_EQ(checkers[0].events().back().seq, 18U);
    ExpectInvariant(rb.get(), 0);
}

// Writers nested deeper than KTR_RB_MAX_NEST are refused and counted.
TEST_F(RingbufLoss, NestingTooDeepIsRefused) {
    RbPtr rb = MakeRb(4096, 4, KTR_RB_MODE_DISCARD);
    ASSERT_NE(rb, nullptr);
    Writer w(rb.get(), 0);
    std::vector<int> results;
    w.on_step = [&](unsigned int step) {
        if (step == KTR_RB_AT_NESTED && w.depth() <= KTR_RB_MAX_NEST)
            results.push_back(w.Write(40).ret);
    };
    ASSERT_EQ(w.Write(40).ret, 0);
    w.on_step = nullptr;
    // Innermost first: depth KTR_RB_MAX_NEST + 1 is refused, 2..MAX write.
    ASSERT_EQ(results.size(), size_t{KTR_RB_MAX_NEST});
    EXPECT_EQ(results.front(), -ELOOP) << "depth " << KTR_RB_MAX_NEST + 1;
    for (size_t i = 1; i < results.size(); i++)
        EXPECT_EQ(results[i], 0) << "depth " << KTR_RB_MAX_NEST + 1 - i;
    const ktr_rb_cpu_stats st = Stats(rb.get(), 0);
    EXPECT_EQ(st.lost_nesting, 1U);
    EXPECT_EQ(st.written, size_t{KTR_RB_MAX_NEST} + 1);
    std::vector<StreamChecker> checkers;
    for (unsigned int cpu = 0; cpu < 4; cpu++)
        checkers.emplace_back(cpu);
    Drain(rb.get(), &checkers);
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(checkers[0].events().size(), size_t{KTR_RB_MAX_NEST});
    ExpectInvariant(rb.get(), 0);
    // Flush nests like a writer.
    int flush_ret = 1;
    w.on_step = [&](unsigned int step) {
        if (step == KTR_RB_AT_NESTED && w.depth() < KTR_RB_MAX_NEST)
            w.Write(40);
        else if (step == KTR_RB_AT_NESTED && flush_ret == 1)
            flush_ret = w.Flush();
    };
    ASSERT_EQ(w.Write(40).ret, 0);
    EXPECT_EQ(flush_ret, -ELOOP);
}

}  // namespace
}  // namespace rbtest
