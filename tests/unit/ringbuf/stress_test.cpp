// Multi-threaded stress: one writer thread per "CPU", each also playing
// interrupts (nested writes and flushes at random labelled steps), and one
// reader thread consuming concurrently. Every payload carries its CPU, its
// linearization order, its timestamp and a checksum; the reader fails the
// test on any corrupted, duplicated, reordered, mistimed or unaccounted
// event. Three times during the run all threads pause and the accounting
// invariant is checked on every CPU. Bounded in time: KTR_RB_STRESS_MS
// (default 1500 ms) per configuration; no assertion depends on timing.
#include "rb_test_util.h"

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <random>
#include <thread>

namespace rbtest {
namespace {

struct StressParam {
    const char *name;
    uint32_t mode;
    uint32_t subbuf_size;
    uint32_t nr_subbufs;
};

constexpr unsigned int kCpus = 3;

int RunMs() {
    const char *env = std::getenv("KTR_RB_STRESS_MS");
    const int ms = env ? std::atoi(env) : 0;
    return ms > 0 ? ms : 1500;
}

// Threads stop at a safe point (between operations) while the main thread
// checks the invariant.
class Pauser {
  public:
    void Point() {
        if (!requested_.load(std::memory_order_acquire))
            return;
        arrived_.fetch_add(1, std::memory_order_acq_rel);
        while (requested_.load(std::memory_order_acquire))
            std::this_thread::yield();
        arrived_.fetch_sub(1, std::memory_order_acq_rel);
    }
    // Waits for every thread still running (@live) to stop at a Point().
    void Pause(const std::atomic<int> &live) {
        requested_.store(true, std::memory_order_release);
        while (arrived_.load(std::memory_order_acquire) < live.load(std::memory_order_acquire))
            std::this_thread::yield();
    }
    void Resume() {
        requested_.store(false, std::memory_order_release);
        while (arrived_.load(std::memory_order_acquire) > 0)
            std::this_thread::yield();
    }

  private:
    std::atomic<bool> requested_{false};
    std::atomic<int> arrived_{0};
};

class RingbufStress : public RbTest, public ::testing::WithParamInterface<StressParam> {};

TEST_P(RingbufStress, WritersPlayingInterruptsAndAConcurrentReader) {
    const StressParam p = GetParam();
    ktr_rb_host_set_nr_cpus(kCpus);
    RbPtr rb = MakeRb(p.subbuf_size, p.nr_subbufs, p.mode);
    ASSERT_NE(rb, nullptr);
    const uint32_t max = ktr_rb_max_payload(rb.get());

    std::vector<std::unique_ptr<Writer>> writers;
    for (unsigned int cpu = 0; cpu < kCpus; cpu++)
        writers.push_back(std::make_unique<Writer>(rb.get(), cpu));
    std::vector<StreamChecker> checkers;
    for (unsigned int cpu = 0; cpu < kCpus; cpu++)
        checkers.emplace_back(cpu);
    std::vector<uint64_t> nested(kCpus, 0), flushes(kCpus, 0);

    std::atomic<bool> stop{false};
    std::atomic<unsigned int> writers_done{0};
    std::atomic<int> live{kCpus + 1};  // threads that may still reach a Point()
    Pauser pauser;

    auto writer_main = [&](unsigned int cpu) {
        Writer &w = *writers[cpu];
        std::mt19937 rng(1000 + cpu);
        auto rnd = [&rng](uint32_t n) { return static_cast<uint32_t>(rng() % n); };
        auto len = [&]() {
            const uint32_t r = rnd(100);
            if (r < 80)
                return kTagSize + rnd(120);
            if (r < 98)
                return kTagSize + rnd(1200);
            return max - rnd(256);
        };
        // An interrupt at a random step, at most two levels deep.
        w.on_step = [&](unsigned int) {
            if (w.depth() >= 3 || rnd(64) != 0)
                return;
            if (rnd(8) == 0) {
                w.Flush();
                flushes[cpu]++;
            }
            w.Write(len());
            nested[cpu]++;
        };
        while (!stop.load(std::memory_order_acquire) && !::testing::Test::HasFailure()) {
            pauser.Point();
            if (rnd(100) < 3) {
                EXPECT_EQ(w.Flush(), 0);
                flushes[cpu]++;
            } else {
                const int ret = w.Write(len()).ret;
                EXPECT_TRUE(ret == 0 || ret == -ENOSPC) << ret;
            }
            // Let the reader keep up now and then: rings that fill and
            // empty, not only rings that stay full.
            if (rnd(32) == 0)
                std::this_thread::yield();
        }
        live.fetch_sub(1, std::memory_order_acq_rel);
        w.on_step = nullptr;
        EXPECT_EQ(w.Flush(), 0);  // what is left becomes readable
        writers_done.fetch_add(1, std::memory_order_acq_rel);
    };

    auto reader_main = [&]() {
        ktr_rb_host_set_step_hook(nullptr, nullptr);
        for (;;) {
            pauser.Point();
            // Read after seeing all writers done: then ENODATA everywhere
            // means everything was read.
            const bool done = writers_done.load(std::memory_order_acquire) == kCpus;
            bool got = false;
            for (unsigned int cpu = 0; cpu < kCpus; cpu++) {
                ktr_rb_read rd{};
                const int ret = ktr_rb_get_subbuf(rb.get(), cpu, &rd);
                if (ret == 0) {
                    got = true;
                    checkers[cpu].Add(rd.hdr, p.subbuf_size, rd.id);
                    EXPECT_EQ(ktr_rb_put_subbuf(rb.get(), cpu), 0);
                } else {
                    EXPECT_TRUE(ret == -ENODATA || ret == -EAGAIN) << ret;
                    if (ret == -EAGAIN)
                        got = true;  // a writer is recycling: look again
                }
            }
            if (::testing::Test::HasFailure()) {
                stop.store(true, std::memory_order_release);
                live.fetch_sub(1, std::memory_order_acq_rel);
                return;
            }
            if (!got && done) {
                live.fetch_sub(1, std::memory_order_acq_rel);
                return;
            }
            if (!got)
                std::this_thread::yield();
        }
    };

    std::vector<std::thread> threads;
    for (unsigned int cpu = 0; cpu < kCpus; cpu++)
        threads.emplace_back(writer_main, cpu);
    std::thread reader(reader_main);

    const int ms = RunMs();
    for (int phase = 0; phase < 3 && !HasFailure(); phase++) {
        std::this_thread::sleep_for(std::chrono::milliseconds(ms / 3));
        pauser.Pause(live);
        for (unsigned int cpu = 0; cpu < kCpus; cpu++)
            ExpectInvariant(rb.get(), cpu, "paused");
        pauser.Resume();
    }
    stop.store(true, std::memory_order_release);
    for (std::thread &t : threads)
        t.join();
    reader.join();
    ASSERT_FALSE(HasFailure());
    // The rings are empty now: one more flush reports the drops that came
    // after the last sub-buffer (the writers' own last flush may have found
    // no room for that).
    for (unsigned int cpu = 0; cpu < kCpus; cpu++) {
        ktr_rb_host_set_cpu(cpu);
        ASSERT_EQ(ktr_rb_flush(rb.get()), 0);
        ktr_rb_read rd{};
        while (ktr_rb_get_subbuf(rb.get(), cpu, &rd) == 0) {
            checkers[cpu].Add(rd.hdr, p.subbuf_size, rd.id);
            ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), cpu), 0);
        }
    }

    for (unsigned int cpu = 0; cpu < kCpus; cpu++) {
        SCOPED_TRACE("cpu " + std::to_string(cpu));
        const Writer &w = *writers[cpu];
        const StreamChecker &c = checkers[cpu];
        const ktr_rb_cpu_stats st = Stats(rb.get(), cpu);
        ExpectInvariant(rb.get(), cpu, "end");
        EXPECT_EQ(st.buffered, 0U);
        EXPECT_EQ(st.read, c.events().size());
        EXPECT_EQ(st.written, w.ok() + w.nospc());
        EXPECT_EQ(st.lost_full, w.nospc());
        EXPECT_EQ(st.lost_nesting + st.lost_disabled, 0U);
        EXPECT_EQ(st.written, w.next_order()) << "every order is one event";
        // Every event is delivered or reported lost, the drops after the
        // last delivered event included.
        const uint32_t last = c.events().empty() ? 0 : c.events().back().seq;
        EXPECT_EQ(c.events().size() + c.lost_reported(), st.written);
        EXPECT_GE(st.written, uint64_t{last} + 1);
        for (const Writer::Result &r : w.log()) {
            if (r.ret == 0) {
                EXPECT_LE(r.seq, last) << "event " << r.seq << " neither read nor reported";
            }
        }
        // The run did what it is meant to.
        EXPECT_GT(c.events().size(), 100U);
        EXPECT_GT(nested[cpu], 10U);
        EXPECT_GT(flushes[cpu], 10U);
        std::cout << "[ stress   ] " << p.name << " cpu " << cpu << ": " << st.written
                  << " written, " << st.read << " read, " << st.lost_full << " full, "
                  << st.lost_overwritten << " overwritten, " << nested[cpu] << " nested, "
                  << st.subbufs_read << " sub-buffers read\n";
    }
}

INSTANTIATE_TEST_SUITE_P(
    Configs, RingbufStress,
    ::testing::Values(StressParam{"DiscardTiny", KTR_RB_MODE_DISCARD, 4096, 2},
                      StressParam{"DiscardDefault", KTR_RB_MODE_DISCARD, 65536, 8},
                      StressParam{"OverwriteTiny", KTR_RB_MODE_OVERWRITE, 4096, 2},
                      StressParam{"OverwriteDefault", KTR_RB_MODE_OVERWRITE, 65536, 8}),
    [](const ::testing::TestParamInfo<StressParam> &i) { return std::string(i.param.name); });

}  // namespace
}  // namespace rbtest
