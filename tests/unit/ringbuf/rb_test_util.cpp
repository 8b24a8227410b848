#include "rb_test_util.h"

#include <algorithm>
#include <iterator>

namespace rbtest {

namespace {

uint32_t Word(const uint8_t *base, uint32_t off) {
    uint32_t w;
    std::memcpy(&w, base + off, sizeof(w));
    return w;
}

std::string At(uint32_t off, const std::string &what) {
    return "offset " + std::to_string(off) + ": " + what;
}

uint32_t Checksum(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261U;  // FNV-1a
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= 16777619U;
    }
    return h;
}

uint8_t Filler(uint32_t cpu, uint32_t seq, uint32_t i) {
    return static_cast<uint8_t>(seq * 131U + i * 7U + cpu);
}

}  // namespace

std::string Decode(const void *sb, uint32_t subbuf_size, Subbuf *out,
                   uint64_t min_ts) {
    const auto *base = static_cast<const uint8_t *>(sb);
    ktr_rb_subbuf_hdr hdr;
    std::memcpy(&hdr, base, sizeof(hdr));
    out->hdr = hdr;
    out->records.clear();

    if (hdr.size != kHdrSize)
        return "header size " + std::to_string(hdr.size);
    if (hdr.subbuf_size != subbuf_size)
        return "header subbuf_size " + std::to_string(hdr.subbuf_size);
    if (hdr.commit % KTR_RB_RECORD_ALIGN != 0)
        return "commit not a multiple of 4: " + std::to_string(hdr.commit);
    if (uint64_t{hdr.size} + hdr.commit > subbuf_size)
        return "commit past the end: " + std::to_string(hdr.commit);
    if (hdr.reserved[0] != 0 || hdr.reserved[1] != 0)
        return "reserved header fields not zero";
    if ((hdr.flags & ~(KTR_RB_SB_FLUSHED | KTR_RB_SB_OVERWRITE)) != 0)
        return "unknown flags " + std::to_string(hdr.flags);
    if (hdr.time_stamp < min_ts)
        return "sub-buffer starts at " + std::to_string(hdr.time_stamp) +
               ", before the previous one ended at " + std::to_string(min_ts);

    uint64_t ts = hdr.time_stamp;
    const uint32_t end = hdr.size + hdr.commit;
    uint32_t off = hdr.size;
    uint32_t entries = 0;
    bool after_time_record = false;
    while (off < end) {
        const uint32_t left = end - off;
        const uint32_t w = Word(base, off);
        Record r{};
        r.offset = off;
        r.type_len = KTR_RB_RECORD_TYPE_LEN(w);
        r.delta = KTR_RB_RECORD_TIME_DELTA(w);
        const bool first = off == hdr.size;
        uint32_t size = 0;
        const bool time_record = r.type_len == KTR_RB_TYPE_TIME_EXTEND ||
                                 r.type_len == KTR_RB_TYPE_TIME_STAMP;
        if (first && time_record)
            return At(off, "sub-buffer starts with a time record");
        if (first && r.delta != 0)
            return At(off, "first record has a time delta");
        if (after_time_record && (time_record || r.delta != 0))
            return At(off, "time record not followed by a zero-delta record");

        if (r.type_len == KTR_RB_TYPE_TIME_EXTEND) {
            size = KTR_RB_TIME_EXTEND_SIZE;
            if (left < size)
                return At(off, "truncated TIME_EXTEND");
            const uint64_t delta =
                r.delta | (uint64_t{Word(base, off + 4)} << KTR_RB_TIME_DELTA_BITS);
            if (delta <= KTR_RB_TIME_DELTA_MAX)
                return At(off, "TIME_EXTEND of a delta that fits 27 bits");
            ts += delta;
            r.kind = Kind::TimeExtend;
        } else if (r.type_len == KTR_RB_TYPE_TIME_STAMP) {
            size = KTR_RB_TIME_STAMP_SIZE;
            if (left < size)
                return At(off, "truncated TIME_STAMP");
            if (r.delta != 0)
                return At(off, "TIME_STAMP with a time delta");
            const uint64_t abs =
                Word(base, off + 4) | (uint64_t{Word(base, off + 8)} << 32);
            if (abs < ts)
                return At(off, "TIME_STAMP goes back in time");
            ts = abs;
            r.kind = Kind::TimeStamp;
        } else if (r.type_len == KTR_RB_TYPE_PADDING) {
            if (left < 8)
                return At(off, "discarded record without a length");
            size = Word(base, off + 4);
            if (size < 8 || size % 4 != 0 || size > left)
                return At(off, "discarded record of bad length " + std::to_string(size));
            ts += r.delta;
            r.kind = Kind::Discarded;
        } else if (r.type_len == KTR_RB_TYPE_DATA_LEN) {
            if (left < 8)
                return At(off, "truncated length word");
            const uint32_t len = Word(base, off + 4);
            if (len > subbuf_size)
                return At(off, "event length " + std::to_string(len));
            size = 8 + ((len + 3) & ~3U);
            if (size > left)
                return At(off, "event runs past commit");
            r.payload.assign(base + off + 8, base + off + 8 + len);
            ts += r.delta;
            r.kind = Kind::Event;
            entries++;
        } else {
            size = 4 + 4 * r.type_len;
            if (size > left)
                return At(off, "event runs past commit");
            r.payload.assign(base + off + 4, base + off + size);
            ts += r.delta;
            r.kind = Kind::Event;
            entries++;
        }
        after_time_record = time_record;
        r.ts = ts;
        out->records.push_back(std::move(r));
        off += size;
    }
    if (after_time_record)
        return "time record at the end of the data";
    if (entries != hdr.entries)
        return "header says " + std::to_string(hdr.entries) + " events, found " +
               std::to_string(entries);
    if (end < subbuf_size) {
        const uint32_t rest = subbuf_size - end;
        const uint32_t w = Word(base, end);
        if (KTR_RB_RECORD_TYPE_LEN(w) != KTR_RB_TYPE_PADDING ||
            KTR_RB_RECORD_TIME_DELTA(w) != 0)
            return At(end, "unused space does not start with PADDING");
        if (rest >= 8 && Word(base, end + 4) != rest)
            return At(end, "end PADDING does not reach the end of the sub-buffer");
    }
    return "";
}

std::vector<uint8_t> MakePayload(uint32_t cpu, uint32_t seq, uint64_t ts,
                                 uint32_t len) {
    std::vector<uint8_t> p(len);
    for (uint32_t i = 0; i < len; i++)
        p[i] = Filler(cpu, seq, i);
    if (len < kTagSize)
        return p;
    Tag tag{cpu, seq, ts, len, 0};
    std::memcpy(p.data(), &tag, sizeof(tag));
    tag.sum = Checksum(p.data(), len);
    std::memcpy(p.data(), &tag, sizeof(tag));
    return p;
}

std::string CheckPayload(const std::vector<uint8_t> &p, Tag *tag) {
    if (p.size() < kTagSize)
        return "payload of " + std::to_string(p.size()) + " bytes has no tag";
    std::memcpy(tag, p.data(), sizeof(*tag));
    if (tag->len != p.size())
        return "tag says " + std::to_string(tag->len) + " bytes, record has " +
               std::to_string(p.size());
    std::vector<uint8_t> copy = p;
    Tag zero = *tag;
    zero.sum = 0;
    std::memcpy(copy.data(), &zero, sizeof(zero));
    if (Checksum(copy.data(), copy.size()) != tag->sum)
        return "checksum mismatch (cpu " + std::to_string(tag->cpu) + " seq " +
               std::to_string(tag->seq) + ")";
    for (uint32_t i = kTagSize; i < tag->len; i++)
        if (p[i] != Filler(tag->cpu, tag->seq, i))
            return "filler corrupted at byte " + std::to_string(i);
    return "";
}

u64 FakeClock::Read(void *ctx) {
    auto *clock = static_cast<FakeClock *>(ctx);
    const uint64_t v = clock->now;
    clock->now += clock->step;
    return v;
}

RbPtr MakeRb(uint32_t subbuf_size, uint32_t nr_subbufs, uint32_t mode) {
    ktr_rb_config cfg{subbuf_size, nr_subbufs, mode};
    ktr_rb *rb = ktr_rb_create(&cfg);
    if (ktr_rb_host_ptr_err(rb) != 0) {
        ADD_FAILURE() << "ktr_rb_create: " << ktr_rb_host_ptr_err(rb);
        return nullptr;
    }
    return RbPtr(rb);
}

ktr_rb_cpu_stats Stats(ktr_rb *rb, unsigned int cpu) {
    ktr_rb_cpu_stats st{};
    EXPECT_EQ(ktr_rb_get_stats(rb, cpu, &st), 0);
    EXPECT_EQ(st.size, sizeof(st));
    return st;
}

void ExpectInvariant(ktr_rb *rb, unsigned int cpu, const char *where) {
    const ktr_rb_cpu_stats st = Stats(rb, cpu);
    EXPECT_EQ(st.written, st.read + st.buffered + st.lost_full + st.lost_overwritten +
                              st.lost_nesting + st.lost_disabled)
        << where << " cpu " << cpu << ": written " << st.written << " read " << st.read
        << " buffered " << st.buffered << " full " << st.lost_full << " overwritten "
        << st.lost_overwritten << " nesting " << st.lost_nesting << " disabled "
        << st.lost_disabled;
}

void StreamChecker::Add(const void *sb, uint32_t subbuf_size, uint32_t id,
                        const std::set<uint32_t> &discards) {
    Subbuf s;
    s.id = id;
    const std::string err = Decode(sb, subbuf_size, &s, last_ts_);
    ASSERT_EQ(err, "") << "cpu " << cpu_ << " sub-buffer seq " << s.hdr.seq;
    ASSERT_EQ(s.hdr.cpu, cpu_);
    if (subbufs_ > 0) {
        ASSERT_GT(s.hdr.seq, last_subbuf_seq_) << "sub-buffers out of order";
    }
    last_subbuf_seq_ = s.hdr.seq;
    subbufs_++;
    pending_lost_ += s.hdr.lost;
    lost_reported_ += s.hdr.lost;
    for (const Record &r : s.records) {
        last_ts_ = r.ts;
        if (r.kind != Kind::Event)
            continue;
        Tag tag{};
        const std::string perr = CheckPayload(r.payload, &tag);
        ASSERT_EQ(perr, "") << "cpu " << cpu_ << " record at " << r.offset;
        ASSERT_EQ(tag.cpu, cpu_);
        if (tag.ts != r.ts) {
            std::string dump;
            for (const Record &q : s.records) {
                Tag t{};
                std::string e = q.kind == Kind::Event ? CheckPayload(q.payload, &t) : "-";
                dump += "  off " + std::to_string(q.offset) + " kind " +
                        std::to_string(static_cast<int>(q.kind)) + " type " +
                        std::to_string(q.type_len) + " delta " + std::to_string(q.delta) +
                        " ts " + std::to_string(q.ts) + " tag.seq " + std::to_string(t.seq) +
                        " tag.ts " + std::to_string(t.ts) + "\n";
            }
            ADD_FAILURE() << "hdr seq " << s.hdr.seq << " base " << s.hdr.time_stamp << "\n" << dump;
        }
        ASSERT_EQ(tag.ts, r.ts) << "decoded time differs from the writer's (seq "
                                << tag.seq << ")";
        ASSERT_GT(int64_t{tag.seq}, last_seq_) << "duplicated or reordered event";
        // Every order between the previous event and this one is either a
        // discarded reservation or a loss reported right here.
        const auto lo = last_seq_ < 0
                            ? discards.begin()
                            : discards.upper_bound(static_cast<uint32_t>(last_seq_));
        const auto discarded =
            static_cast<uint64_t>(std::distance(lo, discards.lower_bound(tag.seq)));
        const uint64_t gap = static_cast<uint64_t>(int64_t{tag.seq} - last_seq_ - 1);
        ASSERT_EQ(gap - discarded, pending_lost_)
            << "cpu " << cpu_ << ": events " << last_seq_ << " -> " << tag.seq
            << " in sub-buffer " << s.hdr.seq << ": unaccounted loss";
        pending_lost_ = 0;
        last_seq_ = tag.seq;
        events_.push_back({tag.seq, tag.ts, tag.len});
    }
}

void Drain(ktr_rb *rb, std::vector<StreamChecker> *checkers,
           const std::vector<std::set<uint32_t>> &discards) {
    static const std::set<uint32_t> none;
    ktr_rb_host_set_step_hook(nullptr, nullptr);
    const uint32_t size = ktr_rb_subbuf_size(rb);
    for (unsigned int cpu = 0; cpu < checkers->size(); cpu++) {
        ktr_rb_host_set_cpu(cpu);
        ASSERT_EQ(ktr_rb_flush(rb), 0);
        ktr_rb_read rd{};
        int ret;
        while ((ret = ktr_rb_get_subbuf(rb, cpu, &rd)) == 0) {
            (*checkers)[cpu].Add(rd.hdr, size, rd.id,
                                 cpu < discards.size() ? discards[cpu] : none);
            ASSERT_EQ(ktr_rb_put_subbuf(rb, cpu), 0);
            if (::testing::Test::HasFatalFailure())
                return;
        }
        ASSERT_EQ(ret, -ENODATA);
    }
}

size_t Subbuf::events() const {
    return static_cast<size_t>(std::count_if(records.begin(), records.end(),
                                             [](const Record &r) { return r.kind == Kind::Event; }));
}

std::vector<Subbuf> ReadAll(ktr_rb *rb, unsigned int cpu, bool flush) {
    ktr_rb_host_set_step_hook(nullptr, nullptr);
    std::vector<Subbuf> out;
    const uint32_t size = ktr_rb_subbuf_size(rb);
    if (flush) {
        ktr_rb_host_set_cpu(cpu);
        EXPECT_EQ(ktr_rb_flush(rb), 0);
    }
    ktr_rb_read rd{};
    int ret;
    uint64_t min_ts = 0;
    while ((ret = ktr_rb_get_subbuf(rb, cpu, &rd)) == 0) {
        Subbuf s;
        s.id = rd.id;
        const std::string err = Decode(rd.hdr, size, &s, min_ts);
        EXPECT_EQ(err, "") << "cpu " << cpu << " sub-buffer " << s.hdr.seq;
        const auto *p = reinterpret_cast<const uint8_t *>(rd.hdr);
        s.raw.assign(p, p + size);
        if (!s.records.empty())
            min_ts = s.records.back().ts;
        out.push_back(std::move(s));
        EXPECT_EQ(ktr_rb_put_subbuf(rb, cpu), 0);
    }
    EXPECT_EQ(ret, -ENODATA);
    return out;
}

uint32_t WordAt(const ktr_rb_subbuf_hdr *hdr, uint32_t off) {
    return Word(reinterpret_cast<const uint8_t *>(hdr), off);
}

void RbTest::SetUp() {
    ktr_rb_host_set_nr_cpus(4);
    ktr_rb_host_set_cpu(0);
    ktr_rb_host_set_step_hook(nullptr, nullptr);
    ktr_rb_host_set_drops_limit(0);
    ktr_rb_host_set_memory(~u64{0});
    FakeClock::Uninstall();
    warnings_ = ktr_rb_host_warnings();
}

void RbTest::TearDown() {
    ktr_rb_host_set_step_hook(nullptr, nullptr);
    ktr_rb_host_set_drops_limit(0);
    FakeClock::Uninstall();
    EXPECT_EQ(ktr_rb_host_warnings(), warnings_) << "the core reported a broken invariant";
}

Writer::Writer(ktr_rb *rb, unsigned int cpu) : rb_(rb), cpu_(cpu) {}

Writer::~Writer() { ktr_rb_host_set_step_hook(nullptr, nullptr); }

void Writer::Hook(void *ctx, unsigned int cpu, unsigned int step) {
    auto *w = static_cast<Writer *>(ctx);
    if (cpu != w->cpu_)
        ADD_FAILURE() << "step on cpu " << cpu << ", writer is cpu " << w->cpu_;
    w->steps_seen_.insert(step);
    if ((step == KTR_RB_AT_RESERVED || step == KTR_RB_AT_ENTERED ||
         step == KTR_RB_AT_DROPPED) &&
        !w->frames_.empty()) {
        uint32_t *order = w->frames_.back();
        if (*order != kNoOrder)
            ADD_FAILURE() << "a write was linearized twice";
        *order = w->next_order_++;
    }
    if (w->on_step)
        w->on_step(step);
}

void Writer::Install() {
    ktr_rb_host_set_cpu(cpu_);
    ktr_rb_host_set_step_hook(&Writer::Hook, this);
}

Writer::Result Writer::Write(uint32_t len, bool discard) {
    Install();
    Result res;
    frames_.push_back(&res.seq);
    ktr_rb_event ev{};
    res.ret = ktr_rb_reserve(rb_, &ev, len);
    if (res.ret != 0) {
        frames_.pop_back();
        if (res.ret == -ENOSPC)
            nospc_++;
        else
            refused_++;
        log_.push_back(res);
        return res;
    }
    EXPECT_NE(res.seq, kNoOrder) << "reservation without a linearization step";
    EXPECT_EQ(ev.len, len);
    res.ts = ev.ts;
    const std::vector<uint8_t> p = MakePayload(cpu_, res.seq, ev.ts, len);
    if (len)
        std::memcpy(ev.data, p.data(), len);
    if (discard) {
        discards_.insert(res.seq);
        ktr_rb_discard(&ev);
    } else {
        ktr_rb_commit(&ev);
        ok_++;
    }
    frames_.pop_back();
    log_.push_back(res);
    return res;
}

int Writer::Flush() {
    Install();
    return ktr_rb_flush(rb_);
}

}  // namespace rbtest
