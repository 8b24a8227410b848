// A buffer that does not fit in memory is refused before anything is
// allocated (issue 14, finding 1): ktr_rb_memory_check() is the rule and
// ktr_rb_create() applies it.
#include "rb_test_util.h"

namespace rbtest {
namespace {

class RingbufMemory : public RbTest {};

TEST_F(RingbufMemory, NeededCountsEveryPossibleCpu) {
    const ktr_rb_config cfg{4096, 8, KTR_RB_MODE_DISCARD};
    u64 needed = 0, available = 0;
    ktr_rb_host_set_nr_cpus(4);
    ASSERT_EQ(ktr_rb_memory_check(&cfg, &needed, &available), 0);
    EXPECT_EQ(available, ~u64{0});
    // Sub-buffers and the spare, on each CPU, plus bookkeeping (small).
    EXPECT_GE(needed, u64{4} * 9 * 4096);
    EXPECT_LT(needed, u64{4} * 10 * 4096);
    u64 needed8 = 0;
    ktr_rb_host_set_nr_cpus(8);
    ASSERT_EQ(ktr_rb_memory_check(&cfg, &needed8, &available), 0);
    EXPECT_GE(needed8, 2 * needed - 4096);
    ktr_rb_host_set_nr_cpus(4);
}

TEST_F(RingbufMemory, CreateRefusesWhatDoesNotFit) {
    const ktr_rb_config cfg{8192, 16, KTR_RB_MODE_OVERWRITE};
    u64 needed = 0, available = 0;
    ASSERT_EQ(ktr_rb_memory_check(&cfg, &needed, &available), 0);

    ktr_rb_host_set_memory(needed - 1);
    EXPECT_EQ(ktr_rb_memory_check(&cfg, &needed, &available), -ENOMEM);
    EXPECT_EQ(available, needed - 1);
    ktr_rb *rb = ktr_rb_create(&cfg);
    EXPECT_EQ(ktr_rb_host_ptr_err(rb), -ENOMEM);

    ktr_rb_host_set_memory(needed);
    EXPECT_EQ(ktr_rb_memory_check(&cfg, &needed, &available), 0);
    RbPtr ok = MakeRb(cfg.subbuf_size, cfg.nr_subbufs, cfg.mode);
    EXPECT_NE(ok, nullptr);
}

}  // namespace
}  // namespace rbtest
