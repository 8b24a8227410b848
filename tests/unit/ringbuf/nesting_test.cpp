// Interrupts at every labelled step (enum ktr_rb_step): an "interrupt" (a
// nested writer, or a flush then a write) runs at one step of an outer
// operation, in every scenario that reaches that step, one or two levels
// deep. After each run:
//   - every nested and outer event lands once, decodes, and is in
//     linearization order with exact, monotonic timestamps, and every gap
//     is a loss reported right there (StreamChecker);
//   - while any writer is counted in nest, the nested writer does not move
//     the published commit; when none is, it publishes everything;
//   - afterwards everything is published and nest is back to 0;
//   - the counters match the writes and the invariant holds.
#include "rb_test_util.h"

namespace rbtest {
namespace {

constexpr uint32_t kSize = 4096;

enum class Scenario {
    Fits,            // outer fits in the current sub-buffer
    OuterSwitches,   // outer starts a new sub-buffer (20 bytes left)
    NestedSwitches,  // outer fits, a nested one does not (84 bytes left)
    Full,            // discard mode, ring full: the outer is dropped
    OverwritePush,   // overwrite mode, ring full: the outer recycles seq 0
    Flush,           // the outer operation is a flush
    Discard,         // the outer reserves, then discards
    ReaderGet,       // the outer operation is the reader's get (overwrite)
};

enum class Action {
    Small,          // one 40-byte event
    Big,            // one 1500-byte event
    FlushAndWrite,  // a flush, then one 40-byte event
};

struct NestParam {
    Scenario scenario;
    Action action;
    int depth;  // levels of operations, the outer one included
};

const char *Name(Scenario s) {
    switch (s) {
    case Scenario::Fits: return "Fits";
    case Scenario::OuterSwitches: return "OuterSwitches";
    case Scenario::NestedSwitches: return "NestedSwitches";
    case Scenario::Full: return "Full";
    case Scenario::OverwritePush: return "OverwritePush";
    case Scenario::Flush: return "Flush";
    case Scenario::Discard: return "Discard";
    case Scenario::ReaderGet: return "ReaderGet";
    }
    return "?";
}

const char *Name(Action a) {
    switch (a) {
    case Action::Small: return "Small";
    case Action::Big: return "Big";
    case Action::FlushAndWrite: return "FlushAndWrite";
    }
    return "?";
}

bool Overwrite(Scenario s) { return s == Scenario::OverwritePush || s == Scenario::ReaderGet; }

// Steps at which no writer is counted in nest (so a nested writer is the
// outermost one and must publish).
bool NobodyInFlight(unsigned int step) {
    return step == KTR_RB_AT_RESERVE || step == KTR_RB_AT_UNNESTED ||
           step == KTR_RB_AT_GET_CLAIMED || step == KTR_RB_AT_GET_SWAPPED;
}

class RingbufNesting : public RbTest, public ::testing::WithParamInterface<NestParam> {
  protected:
    // One run of @p with interrupts at the steps in @at (each at most once
    // per level). Returns whether one fired. Adds the steps reached to
    // @seen, those of the outer operation to @outer (if given).
    bool Run(const NestParam &p, const std::set<unsigned int> &at,
             std::set<unsigned int> *seen, std::set<unsigned int> *outer = nullptr);
};

bool RingbufNesting::Run(const NestParam &p, const std::set<unsigned int> &at,
                         std::set<unsigned int> *seen, std::set<unsigned int> *outer) {
    const uint32_t nr = (p.scenario == Scenario::Full || Overwrite(p.scenario)) ? 2 : 4;
    RbPtr rb = MakeRb(kSize, nr, Overwrite(p.scenario) ? KTR_RB_MODE_OVERWRITE : KTR_RB_MODE_DISCARD);
    if (!rb)
        return false;
    clock_.now = 1000;
    clock_.step = 7;  // every clock read is later: exact, distinct times
    clock_.Install();
    Writer w(rb.get(), 0);

    switch (p.scenario) {
    case Scenario::Fits:
    case Scenario::Flush:
    case Scenario::Discard:
        EXPECT_EQ(w.Write(100).ret, 0);
        EXPECT_EQ(w.Write(100).ret, 0);
        break;
    case Scenario::OuterSwitches:
        EXPECT_EQ(w.Write(4004).ret, 0);
        break;
    case Scenario::NestedSwitches:
        EXPECT_EQ(w.Write(3940).ret, 0);
        break;
    case Scenario::Full:
    case Scenario::OverwritePush:
    case Scenario::ReaderGet:
        for (int i = 0; i < 8; i++)
            EXPECT_EQ(w.Write(1000).ret, 0);
        break;
    }

    int level = 0;
    bool fired = false;
    std::set<std::pair<int, unsigned int>> fired_at;  // (level, step)
    w.on_step = [&](unsigned int step) {
        seen->insert(step);
        if (outer && level == 1)
            outer->insert(step);
        if (!at.count(step) || level >= p.depth || fired_at.count({level, step}))
            return;
        fired_at.insert({level, step});
        fired = true;
        ktr_rb_host_view before{}, after{};
        ktr_rb_host_get_view(rb.get(), 0, &before);
        EXPECT_EQ(before.nest == 0, NobodyInFlight(step)) << "nest " << before.nest;
        level++;
        switch (p.action) {
        case Action::Small:
            w.Write(40);
            break;
        case Action::Big:
            w.Write(1500);
            break;
        case Action::FlushAndWrite:
            EXPECT_EQ(w.Flush(), 0);
            w.Write(40);
            break;
        }
        level--;
        ktr_rb_host_get_view(rb.get(), 0, &after);
        EXPECT_EQ(after.nest, before.nest);
        if (before.nest > 0) {
            EXPECT_EQ(after.commit_seq, before.commit_seq) << "published by a nested writer";
            EXPECT_EQ(after.commit_off, before.commit_off) << "published by a nested writer";
            EXPECT_EQ(after.commit_sealed, before.commit_sealed);
        } else {
            EXPECT_EQ(after.commit_seq, after.tail_seq) << "outermost did not publish";
            EXPECT_EQ(after.commit_off, after.tail_off) << "outermost did not publish";
            EXPECT_EQ(after.commit_sealed, after.tail_sealed);
        }
    };

    std::vector<StreamChecker> checkers;
    for (unsigned int cpu = 0; cpu < ktr_rb_host_nr_cpus(); cpu++)
        checkers.emplace_back(cpu);
    level = 1;
    switch (p.scenario) {
    case Scenario::Fits:
    case Scenario::OuterSwitches:
    case Scenario::NestedSwitches:
    case Scenario::OverwritePush:
        EXPECT_EQ(w.Write(60).ret, 0);
        break;
    case Scenario::Full:
        EXPECT_EQ(w.Write(60).ret, -ENOSPC);
        break;
    case Scenario::Flush:
        EXPECT_EQ(w.Flush(), 0);
        break;
    case Scenario::Discard:
        EXPECT_EQ(w.Write(60, true).ret, 0);
        break;
    case Scenario::ReaderGet: {
        ktr_rb_read rd{};
        w.Install();
        EXPECT_EQ(ktr_rb_get_subbuf(rb.get(), 0, &rd), 0);
        if (rd.hdr) {
            checkers[0].Add(rd.hdr, kSize, rd.id, w.discards());
            EXPECT_EQ(ktr_rb_put_subbuf(rb.get(), 0), 0);
        }
        break;
    }
    }
    level = 0;
    w.on_step = nullptr;

    ktr_rb_host_view v{};
    ktr_rb_host_get_view(rb.get(), 0, &v);
    EXPECT_EQ(v.nest, 0);
    EXPECT_EQ(v.commit_seq, v.tail_seq) << "not everything published";
    EXPECT_EQ(v.commit_off, v.tail_off) << "not everything published";
    EXPECT_EQ(v.commit_sealed, v.tail_sealed);
    EXPECT_EQ(v.consumed_state, 0U);

    const ktr_rb_cpu_stats st = Stats(rb.get(), 0);
    EXPECT_EQ(st.written, w.ok() + w.nospc() + w.refused());
    EXPECT_EQ(st.lost_full, w.nospc());
    EXPECT_EQ(st.discarded, w.discards().size());
    ExpectInvariant(rb.get(), 0, "after the outer operation");

    Drain(rb.get(), &checkers, {w.discards()});
    if (HasFatalFailure())
        return fired;
    std::set<uint32_t> delivered;
    for (const auto &e : checkers[0].events())
        delivered.insert(e.seq);
    const uint32_t last = delivered.empty() ? 0 : *delivered.rbegin();
    for (const Writer::Result &r : w.log()) {
        if (r.ret != 0 || w.discards().count(r.seq))
            continue;
        if (Overwrite(p.scenario) && r.seq < last)
            continue;  // overwritten: the gap check counted it
        EXPECT_TRUE(delivered.count(r.seq)) << "event " << r.seq << " never delivered";
    }
    ExpectInvariant(rb.get(), 0, "drained");
    EXPECT_EQ(Stats(rb.get(), 0).buffered, 0U);
    return fired;
}

TEST_P(RingbufNesting, InterruptAtEveryStep) {
    const NestParam p = GetParam();
    std::set<unsigned int> seen, outer, fired;
    // The steps the outer operation takes when nothing interrupts it.
    Run(p, {}, &seen, &outer);
    for (unsigned int at = 0; at < KTR_RB_NR_STEPS; at++) {
        SCOPED_TRACE(std::string("interrupt at ") + ktr_rb_host_step_name(at));
        if (Run(p, {at}, &seen))
            fired.insert(at);
        if (HasFatalFailure())
            return;
    }
    // Every step of the outer operation was interrupted.
    for (unsigned int step : outer)
        EXPECT_TRUE(fired.count(step)) << ktr_rb_host_step_name(step) << " taken, never interrupted";
}

std::vector<NestParam> AllParams() {
    std::vector<NestParam> out;
    for (Scenario s : {Scenario::Fits, Scenario::OuterSwitches, Scenario::NestedSwitches,
                       Scenario::Full, Scenario::OverwritePush, Scenario::Flush,
                       Scenario::Discard, Scenario::ReaderGet})
        for (Action a : {Action::Small, Action::Big, Action::FlushAndWrite})
            for (int depth : {2, 3})
                out.push_back({s, a, depth});
    return out;
}

INSTANTIATE_TEST_SUITE_P(Scenarios, RingbufNesting, ::testing::ValuesIn(AllParams()),
                         [](const ::testing::TestParamInfo<NestParam> &i) {
                             return std::string(Name(i.param.scenario)) + Name(i.param.action) +
                                    "Depth" + std::to_string(i.param.depth);
                         });

// Two interrupts at two different steps of the same outer operation (for
// instance one right after its reservation, a second one between its two
// stores of last[]): every pair of steps, in the scenarios that take the
// fast path, the slow path and the overwrite path.
TEST_F(RingbufNesting, TwoInterruptsAtEveryPairOfSteps) {
    for (Scenario s : {Scenario::Fits, Scenario::OuterSwitches, Scenario::NestedSwitches,
                       Scenario::OverwritePush, Scenario::Flush}) {
        const NestParam p{s, Action::Small, 2};
        std::set<unsigned int> seen, outer;
        Run(p, {}, &seen, &outer);
        for (unsigned int a : outer) {
            for (unsigned int b : outer) {
                if (b <= a)
                    continue;
                SCOPED_TRACE(std::string(Name(s)) + ": interrupts at " +
                             ktr_rb_host_step_name(a) + " and " + ktr_rb_host_step_name(b));
                Run(p, {a, b}, &seen);
                if (HasFatalFailure())
                    return;
            }
        }
    }
}

// The scenarios above reach every labelled step of the core.
TEST_F(RingbufNesting, EveryStepIsReached) {
    std::set<unsigned int> seen;
    for (const NestParam &p : AllParams()) {
        if (p.depth != 2)
            continue;
        Run(p, {}, &seen);  // no interrupt, just record the steps
        ASSERT_FALSE(HasFatalFailure());
        Run(p, {KTR_RB_AT_RESERVED}, &seen);  // and what a nested writer reaches
        ASSERT_FALSE(HasFatalFailure());
    }
    for (unsigned int step = 0; step < KTR_RB_NR_STEPS; step++)
        EXPECT_TRUE(seen.count(step)) << ktr_rb_host_step_name(step) << " is never reached";
}

}  // namespace
}  // namespace rbtest
