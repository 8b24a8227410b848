// Waking the reader (ktr_rb_set_wakeup(), ktr_rb_arm_wakeup()): the hook
// is called once per arming, only when a sealed sub-buffer is published,
// never while an interrupted writer keeps it unpublished, never after it is
// cleared; and a reader that arms, looks, then sleeps is never left asleep
// with data ready (two threads, checked under ThreadSanitizer too).
#include "rb_test_util.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace rbtest {
namespace {

constexpr uint32_t kSize = 4096;
constexpr uint32_t kLen = 100;  // 104-byte records: 38 fit in a sub-buffer

struct Counter {
    std::atomic<int> calls{0};
    static void Hook(void *arg) { static_cast<Counter *>(arg)->calls++; }
};

class RingbufWakeup : public RbTest {
  protected:
    void SetUp() override {
        RbTest::SetUp();
        rb_ = MakeRb(kSize, 4, KTR_RB_MODE_OVERWRITE);
        ASSERT_NE(rb_, nullptr);
        ASSERT_EQ(ktr_rb_set_wakeup(rb_.get(), 0, &Counter::Hook, &c_), 0);
    }
    // Writes until the sub-buffer being written changes (one more seals).
    void WriteUntilSwitch(Writer &w) {
        ktr_rb_positions before{}, now{};
        ASSERT_EQ(ktr_rb_get_positions(rb_.get(), 0, &before), 0);
        for (int i = 0; i < 100; i++) {
            ASSERT_EQ(w.Write(kLen).ret, 0);
            ASSERT_EQ(ktr_rb_get_positions(rb_.get(), 0, &now), 0);
            if (now.produced != before.produced)
                return;
        }
        FAIL() << "no sub-buffer switch in 100 writes";
    }
    RbPtr rb_;
    Counter c_;
};

TEST_F(RingbufWakeup, NoCallUnlessArmed) {
    Writer w(rb_.get(), 0);
    WriteUntilSwitch(w);
    WriteUntilSwitch(w);
    ASSERT_EQ(w.Flush(), 0);
    EXPECT_EQ(c_.calls, 0);
}

TEST_F(RingbufWakeup, OneCallPerArmingAtTheNextSealedSubbuf) {
    Writer w(rb_.get(), 0);
    ASSERT_EQ(w.Write(kLen).ret, 0);  // starts sub-buffer 0
    ktr_rb_arm_wakeup(rb_.get(), 0);
    for (int i = 0; i < 10; i++)
        ASSERT_EQ(w.Write(kLen).ret, 0);
    EXPECT_EQ(c_.calls, 0) << "events inside an open sub-buffer wake nobody";
    WriteUntilSwitch(w);
    EXPECT_EQ(c_.calls, 1);
    WriteUntilSwitch(w);
    EXPECT_EQ(c_.calls, 1) << "one call per arming";
    ktr_rb_arm_wakeup(rb_.get(), 0);
    ktr_rb_arm_wakeup(rb_.get(), 0);  // arming twice is still one call
    WriteUntilSwitch(w);
    EXPECT_EQ(c_.calls, 2);
    ktr_rb_read rd{};
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0) << "the call came with data ready";
    EXPECT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
}

TEST_F(RingbufWakeup, FlushWakesAndAnEmptyFlushDoesNot) {
    Writer w(rb_.get(), 0);
    ktr_rb_arm_wakeup(rb_.get(), 0);
    ASSERT_EQ(w.Flush(), 0);
    EXPECT_EQ(c_.calls, 0) << "nothing was sealed";
    ASSERT_EQ(w.Write(kLen).ret, 0);
    EXPECT_EQ(c_.calls, 0) << "starting a sub-buffer makes none ready";
    ASSERT_EQ(w.Flush(), 0);
    EXPECT_EQ(c_.calls, 1);
    ktr_rb_arm_wakeup(rb_.get(), 0);
    ASSERT_EQ(w.Write(kLen).ret, 0);  // after a flushed one
    EXPECT_EQ(c_.calls, 1);
}

TEST_F(RingbufWakeup, OfflineFlushWakes) {
    Writer w(rb_.get(), 0);
    ASSERT_EQ(w.Write(kLen).ret, 0);
    ktr_rb_arm_wakeup(rb_.get(), 0);
    ktr_rb_flushed f{};
    ASSERT_EQ(ktr_rb_flush_offline(rb_.get(), 0, &f), 0);
    EXPECT_EQ(c_.calls, 1);
}

// An interrupt that fills a sub-buffer while the outer writer is between
// reserve and commit cannot publish it: the call comes when the outer
// writer commits and the sub-buffer is final, not before.
TEST_F(RingbufWakeup, InterruptedWriterWakesWhenItCommits) {
    Writer w(rb_.get(), 0);
    ASSERT_EQ(w.Write(kLen).ret, 0);
    ktr_rb_arm_wakeup(rb_.get(), 0);
    int at_interrupt = -1;
    bool fired = false;
    w.on_step = [&](unsigned int step) {
        if (step != KTR_RB_AT_WRITTEN || fired)
            return;
        fired = true;
        for (int i = 0; i < 80; i++)  // two sub-buffers' worth, nested
            ASSERT_EQ(w.Write(kLen).ret, 0);
        at_interrupt = c_.calls;
    };
    ASSERT_EQ(w.Write(kLen).ret, 0);
    w.on_step = nullptr;
    ASSERT_TRUE(fired);
    EXPECT_EQ(at_interrupt, 0) << "called while nothing was published";
    EXPECT_EQ(c_.calls, 1);
    ktr_rb_read rd{};
    EXPECT_EQ(ktr_rb_get_subbuf(rb_.get(), 0, &rd), 0);
    EXPECT_EQ(ktr_rb_put_subbuf(rb_.get(), 0), 0);
}

TEST_F(RingbufWakeup, ClearedHookIsNotCalledAndBadCpuIsRefused) {
    Writer w(rb_.get(), 0);
    ktr_rb_arm_wakeup(rb_.get(), 0);
    ASSERT_EQ(ktr_rb_set_wakeup(rb_.get(), 0, nullptr, nullptr), 0);
    WriteUntilSwitch(w);
    EXPECT_EQ(c_.calls, 0);
    ktr_rb_arm_wakeup(rb_.get(), 0);  // armed without a hook: harmless
    WriteUntilSwitch(w);
    EXPECT_EQ(c_.calls, 0);
    EXPECT_EQ(ktr_rb_set_wakeup(rb_.get(), 4, &Counter::Hook, &c_), -EINVAL);
    ktr_rb_arm_wakeup(rb_.get(), 4);  // no ring: ignored
    // Setting the hook again disarms: the old arming does not carry over.
    ktr_rb_arm_wakeup(rb_.get(), 0);
    ASSERT_EQ(ktr_rb_set_wakeup(rb_.get(), 0, &Counter::Hook, &c_), 0);
    WriteUntilSwitch(w);
    EXPECT_EQ(c_.calls, 0);
}

// A reader thread that sleeps only on the hook (no timeout to save it)
// and a writer thread: every sub-buffer reaches the reader. A lost wakeup
// leaves the reader asleep with data ready; the test then fails after a
// generous hang limit (a hang detector, not a speed check).
TEST(RingbufWakeupThreads, ReaderSleepingOnTheHookMissesNothing) {
    RbPtr rb = MakeRb(kSize, 4, KTR_RB_MODE_DISCARD);
    ASSERT_NE(rb, nullptr);
    struct Sleeper {
        std::mutex m;
        std::condition_variable cv;
        bool woken = false;
        static void Hook(void *arg) {
            auto *s = static_cast<Sleeper *>(arg);
            std::lock_guard<std::mutex> g(s->m);
            s->woken = true;
            s->cv.notify_one();
        }
    } sleeper;
    ASSERT_EQ(ktr_rb_set_wakeup(rb.get(), 0, &Sleeper::Hook, &sleeper), 0);
    constexpr int kEvents = 20000;
    std::atomic<bool> done{false};
    std::atomic<bool> hung{false};
    std::atomic<bool> reader_gone{false};
    uint64_t read_entries = 0;

    std::thread reader([&] {
        ktr_rb_host_set_cpu(1);  // the reader is another CPU
        struct Gone {
            std::atomic<bool> &flag;
            ~Gone() { flag = true; }  // also when an ASSERT returns early
        } gone{reader_gone};
        for (;;) {
            ktr_rb_read rd{};
            int ret = ktr_rb_get_subbuf(rb.get(), 0, &rd);
            if (ret == 0) {
                read_entries += rd.hdr->entries;
                ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
                continue;
            }
            ASSERT_EQ(ret, -ENODATA);
            if (done.load() && read_entries == kEvents)
                return;
            std::unique_lock<std::mutex> g(sleeper.m);
            sleeper.woken = false;
            g.unlock();
            ktr_rb_arm_wakeup(rb.get(), 0);
            ret = ktr_rb_get_subbuf(rb.get(), 0, &rd);  // the look after arming
            if (ret == 0) {
                read_entries += rd.hdr->entries;
                ASSERT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
                continue;
            }
            g.lock();
            if (!sleeper.cv.wait_for(g, std::chrono::seconds(30),
                                     [&] { return sleeper.woken; })) {
                hung = true;
                return;
            }
        }
    });
    {
        ktr_rb_host_set_cpu(0);
        uint64_t written = 0;
        while (written < kEvents && !reader_gone) {
            ktr_rb_event ev{};
            if (ktr_rb_reserve(rb.get(), &ev, kLen) == 0) {
                std::memset(ev.data, 0x5a, kLen);
                ktr_rb_commit(&ev);
                written++;
            } else {
                std::this_thread::yield();  // full: the reader catches up
            }
        }
        // Then the last partial sub-buffer, flushed on this "CPU" as the
        // stream's flush does: its wakeup is the only one a reader that
        // read everything else and went to sleep gets.
        done = true;
        EXPECT_EQ(ktr_rb_flush(rb.get()), 0);
    }
    reader.join();
    EXPECT_FALSE(hung) << "the reader slept with data ready: a wakeup was lost ("
                       << read_entries << " of " << kEvents << " read)";
    EXPECT_EQ(read_entries, static_cast<uint64_t>(kEvents));
}

// Clearing the hook returns only once no writer is in it: the hook's
// argument is freed right after each clearing while a writer thread keeps
// publishing sub-buffers and calling it (ASan: use after free; TSan: a race
// between the free and the hook's accesses).
TEST(RingbufWakeupThreads, ClearingTheHookWaitsForWritersInIt) {
    RbPtr rb = MakeRb(kSize, 4, KTR_RB_MODE_OVERWRITE);
    ASSERT_NE(rb, nullptr);
    struct Slow {
        std::atomic<int> calls{0};
        std::atomic<uint64_t> work{0};
        static void Hook(void *arg) {
            auto *s = static_cast<Slow *>(arg);
            s->calls++;  // seen by the clearer while this call goes on
            for (int i = 0; i < 2000; i++)
                s->work.fetch_add(1, std::memory_order_relaxed);
        }
    };
    std::atomic<bool> stop{false};
    std::thread writer([&] {
        ktr_rb_host_set_cpu(0);
        while (!stop) {
            ktr_rb_event ev{};
            if (ktr_rb_reserve(rb.get(), &ev, kLen) == 0) {
                std::memset(ev.data, 0, kLen);
                ktr_rb_commit(&ev);
            }
        }
    });
    ktr_rb_host_set_cpu(1);
    int called = 0;
    for (int i = 0; i < 2000; i++) {
        auto *s = new Slow;
        ASSERT_EQ(ktr_rb_set_wakeup(rb.get(), 0, &Slow::Hook, s), 0);
        ktr_rb_arm_wakeup(rb.get(), 0);
        for (int k = 0; k < 100 && s->calls == 0; k++)
            std::this_thread::yield();
        ASSERT_EQ(ktr_rb_set_wakeup(rb.get(), 0, nullptr, nullptr), 0);
        called += s->calls > 0;
        delete s;  // no writer may be in the hook now
    }
    stop = true;
    writer.join();
    EXPECT_GT(called, 0) << "the writer never called the hook: nothing was tested";
}

}  // namespace
}  // namespace rbtest
