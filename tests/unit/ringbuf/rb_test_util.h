// Host tests of the ring buffer core: shared helpers.
//
// - Decode(): a strict decoder of one sub-buffer (uapi/ktr_ringbuf.h) that
//   reports every violation of the format's invariants as an error string;
// - tagged payloads: {cpu, seq, ts, len, checksum, filler}, where seq is the
//   writer's linearization order (given at the step right after the tail
//   cmpxchg that reserved or dropped the event), so that a reader can check
//   order, duplication, corruption, time and the exact place of every loss;
// - StreamChecker: checks the stream of sub-buffers of one CPU as a reader
//   receives them;
// - Writer: one "CPU" that writes tagged events, numbering them at the
//   linearization step, with an optional nested action at a chosen step.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

extern "C" {
#include "ktr.h"
#include "ktr_rb.h"
#include "ktr_rb_host.h"
#include "ktr_rb_steps.h"
#include "ktr_ringbuf.h"
}

namespace rbtest {

constexpr uint32_t kHdrSize = sizeof(ktr_rb_subbuf_hdr);
constexpr uint32_t kTagSize = 24;  // struct Tag below
constexpr uint32_t kNoOrder = UINT32_MAX;

// The first kTagSize bytes of a tagged payload.
struct Tag {
    uint32_t cpu;
    uint32_t seq;  // linearization order on that CPU
    uint64_t ts;   // ev->ts as the writer got it
    uint32_t len;  // payload length
    uint32_t sum;  // checksum of everything else
};
static_assert(sizeof(Tag) == kTagSize);

enum class Kind { Event, Discarded, TimeExtend, TimeStamp };

struct Record {
    Kind kind;
    uint32_t offset;  // from the start of the sub-buffer
    uint32_t delta;   // raw time_delta field
    uint32_t type_len;
    uint64_t ts;      // time after this record
    std::vector<uint8_t> payload;  // events only
};

struct Subbuf {
    ktr_rb_subbuf_hdr hdr{};
    uint32_t id = 0;
    std::vector<Record> records;
    std::vector<uint8_t> raw;  // the whole sub-buffer (ReadAll only)
    size_t events() const;
};

// Decode and check one sub-buffer. Returns "" when it is well formed, else
// what is wrong. @min_ts: the sub-buffer may not start before it.
std::string Decode(const void *sb, uint32_t subbuf_size, Subbuf *out,
                   uint64_t min_ts = 0);

// Tagged payloads.
std::vector<uint8_t> MakePayload(uint32_t cpu, uint32_t seq, uint64_t ts,
                                 uint32_t len);
// "" if @p is intact; fills @tag.
std::string CheckPayload(const std::vector<uint8_t> &p, Tag *tag);

// A clock the test drives: returns now, then adds step.
struct FakeClock {
    uint64_t now = 1000;
    uint64_t step = 0;
    static u64 Read(void *ctx);
    void Install() { ktr_rb_host_set_clock(&FakeClock::Read, this); }
    static void Uninstall() { ktr_rb_host_set_clock(nullptr, nullptr); }
};

struct RbDeleter {
    void operator()(ktr_rb *rb) const { ktr_rb_free(rb); }
};
using RbPtr = std::unique_ptr<ktr_rb, RbDeleter>;

// Creates a buffer (ADD_FAILURE and nullptr on error).
RbPtr MakeRb(uint32_t subbuf_size, uint32_t nr_subbufs, uint32_t mode);

ktr_rb_cpu_stats Stats(ktr_rb *rb, unsigned int cpu);
// EXPECTs written == read + buffered + lost (all reasons).
void ExpectInvariant(ktr_rb *rb, unsigned int cpu, const char *where = "");

// Checks the stream of one CPU as a reader receives it.
class StreamChecker {
  public:
    explicit StreamChecker(unsigned int cpu) : cpu_(cpu) {}
    // Decodes and checks a sub-buffer just received, appends its events.
    // @discards: orders of reservations that were discarded (not events).
    void Add(const void *sb, uint32_t subbuf_size, uint32_t id,
             const std::set<uint32_t> &discards = {});
    struct Delivered {
        uint32_t seq;
        uint64_t ts;
        uint32_t len;
    };
    const std::vector<Delivered> &events() const { return events_; }
    uint64_t lost_reported() const { return lost_reported_; }
    uint64_t subbufs() const { return subbufs_; }
    uint64_t last_subbuf_seq() const { return last_subbuf_seq_; }

  private:
    unsigned int cpu_;
    std::vector<Delivered> events_;
    uint64_t last_ts_ = 0;
    int64_t last_seq_ = -1;  // last event order seen
    uint64_t pending_lost_ = 0;
    uint64_t lost_reported_ = 0;
    uint64_t subbufs_ = 0;
    uint64_t last_subbuf_seq_ = 0;
};

// Flushes every CPU (this thread plays each in turn: single-threaded tests
// only), then gets, checks and puts every sub-buffer.
// @discards: per CPU, the discarded orders (see StreamChecker::Add).
void Drain(ktr_rb *rb, std::vector<StreamChecker> *checkers,
           const std::vector<std::set<uint32_t>> &discards = {});

// Flushes @cpu (if @flush; this thread plays it), then gets, decodes
// (ADD_FAILURE on a malformed one) and puts every complete sub-buffer.
std::vector<Subbuf> ReadAll(ktr_rb *rb, unsigned int cpu, bool flush = true);

// The 32-bit word at byte @off of a sub-buffer.
uint32_t WordAt(const ktr_rb_subbuf_hdr *hdr, uint32_t off);

// Fixture base: N CPUs, no leftover hook or clock, and no broken invariant
// reported by the core during the test.
class RbTest : public ::testing::Test {
  protected:
    void SetUp() override;
    void TearDown() override;
    FakeClock clock_;
    unsigned long warnings_ = 0;
};

// One writer "CPU", driven by the calling thread.
class Writer {
  public:
    Writer(ktr_rb *rb, unsigned int cpu);
    ~Writer();
    Writer(const Writer &) = delete;
    Writer &operator=(const Writer &) = delete;

    struct Result {
        int ret = 0;
        uint32_t seq = kNoOrder;  // order, if linearized
        uint64_t ts = 0;
    };
    // Reserve, fill a tagged payload, commit (or discard).
    Result Write(uint32_t len, bool discard = false);
    int Flush();

    // Called at every step with the step; may call Write()/Flush() again.
    std::function<void(unsigned int step)> on_step;

    // Makes the calling thread this CPU with this writer's hook (for calls
    // that are not writes, e.g. a reader call whose steps should nest).
    void Install();

    unsigned int cpu() const { return cpu_; }
    const std::vector<Result> &log() const { return log_; }
    uint32_t next_order() const { return next_order_; }
    size_t depth() const { return frames_.size(); }
    const std::set<uint32_t> &discards() const { return discards_; }
    const std::set<unsigned int> &steps_seen() const { return steps_seen_; }
    uint64_t ok() const { return ok_; }
    uint64_t nospc() const { return nospc_; }
    uint64_t refused() const { return refused_; }

  private:
    static void Hook(void *ctx, unsigned int cpu, unsigned int step);
    ktr_rb *rb_;
    unsigned int cpu_;
    std::vector<uint32_t *> frames_;  // order slot of each write in flight
    uint32_t next_order_ = 0;
    std::set<uint32_t> discards_;
    std::set<unsigned int> steps_seen_;
    std::vector<Result> log_;
    uint64_t ok_ = 0, nospc_ = 0, refused_ = 0;
};

}  // namespace rbtest
