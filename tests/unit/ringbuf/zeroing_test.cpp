// What a reader of the mapped sub-buffers can see: no byte of a discarded
// record's payload (an event filter refused it), nor of an older record
// under the bytes that round a payload up to 4 or under a struct's tail
// padding (issue 14, finding 2).
#include "rb_test_util.h"

namespace rbtest {
namespace {

constexpr uint32_t kSize = 4096;
constexpr uint32_t kNr = 4;
constexpr uint8_t kStale = 0xEE;   // an older record's bytes
constexpr uint8_t kSecret = 0x5A;  // what the filter refused

class RingbufZeroing : public RbTest {
  protected:
    void SetUp() override {
        RbTest::SetUp();
        clock_.Install();
        rb_ = MakeRb(kSize, kNr, KTR_RB_MODE_DISCARD);
        ASSERT_NE(rb_, nullptr);
        // Every record byte of every sub-buffer as an older lap left it.
        size_t size = 0;
        auto *area = static_cast<uint8_t *>(ktr_rb_area(rb_.get(), 0, &size));
        ASSERT_NE(area, nullptr);
        ASSERT_EQ(size, size_t{kSize} * (kNr + 1));
        for (uint32_t id = 0; id <= kNr; id++)
            std::memset(area + size_t{id} * kSize + kHdrSize, kStale, kSize - kHdrSize);
    }
    // The record bytes [offset, offset + size) of @s.
    static std::vector<uint8_t> Bytes(const Subbuf &s, uint32_t offset, uint32_t size) {
        EXPECT_LE(offset + size, s.raw.size());
        return {s.raw.begin() + offset, s.raw.begin() + offset + size};
    }
    RbPtr rb_;
};

TEST_F(RingbufZeroing, DiscardZeroesThePayload) {
    const std::vector<uint32_t> lens = {0, 1, 4, 7, 8, 100, 112, 113, 116, 1000};
    for (uint32_t len : lens) {
        ktr_rb_event ev{};
        ASSERT_EQ(ktr_rb_reserve(rb_.get(), &ev, len), 0);
        std::memset(ev.data, kSecret, len);
        ktr_rb_discard(&ev);
    }
    // An event after them, so that the sub-buffer has something to read.
    ktr_rb_event ev{};
    ASSERT_EQ(ktr_rb_reserve(rb_.get(), &ev, 8), 0);
    std::memset(ev.data, 0x11, 8);
    ktr_rb_commit(&ev);

    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 1U);
    const Subbuf &s = subbufs[0];
    size_t discarded = 0;
    for (const Record &r : s.records) {
        if (r.kind != Kind::Discarded)
            continue;
        uint32_t size = 0;
        ASSERT_LE(r.offset + 8, s.raw.size());
        std::memcpy(&size, &s.raw[r.offset + 4], sizeof(size));
        SCOPED_TRACE("discarded record at " + std::to_string(r.offset) + ", " +
                     std::to_string(size) + " bytes");
        ASSERT_GE(size, 8U);
        EXPECT_EQ(Bytes(s, r.offset + 8, size - 8), std::vector<uint8_t>(size - 8, 0));
        discarded++;
    }
    EXPECT_EQ(discarded, lens.size());
    // Nowhere in the records is a byte of what was refused.
    const uint32_t end = kHdrSize + s.hdr.commit;
    for (uint32_t off = kHdrSize; off < end; off++)
        ASSERT_NE(s.raw[off], kSecret) << "offset " << off;
    EXPECT_EQ(Stats(rb_.get(), 0).discarded, lens.size());
}

TEST_F(RingbufZeroing, RoundUpAndTailPaddingAreZero) {
    // Payloads of every residue mod 4; the writer fills only the first
    // @filled bytes (a struct whose tail padding, at most 4 bytes in a
    // payload of a multiple of 4, it never writes).
    struct Case {
        uint32_t len, filled;
    };
    const std::vector<Case> cases = {{1, 1},   {2, 2},     {3, 3},   {5, 5},
                                     {6, 6},   {7, 7},     {113, 113}, {114, 114},
                                     {115, 115}, {12, 8},  {52, 48}, {56, 52},
                                     {117, 116}, {1000, 996}, {1001, 1000}};
    for (const Case &c : cases) {
        ktr_rb_event ev{};
        ASSERT_EQ(ktr_rb_reserve(rb_.get(), &ev, c.len), 0);
        std::memset(ev.data, 0x11, c.filled);
        ktr_rb_commit(&ev);
    }
    const auto subbufs = ReadAll(rb_.get(), 0);
    ASSERT_EQ(subbufs.size(), 1U);
    const Subbuf &s = subbufs[0];
    size_t i = 0;
    for (const Record &r : s.records) {
        if (r.kind != Kind::Event)
            continue;
        ASSERT_LT(i, cases.size());
        const Case &c = cases[i++];
        SCOPED_TRACE("len " + std::to_string(c.len) + ", filled " + std::to_string(c.filled));
        ASSERT_EQ(r.payload.size(), c.len);
        const uint32_t at = r.offset + (r.type_len ? 4U : 8U);
        const uint32_t rounded = (c.len + 3U) & ~3U;
        EXPECT_EQ(Bytes(s, at, c.filled), std::vector<uint8_t>(c.filled, 0x11));
        EXPECT_EQ(Bytes(s, at + c.filled, rounded - c.filled),
                  std::vector<uint8_t>(rounded - c.filled, 0));
    }
    EXPECT_EQ(i, cases.size());
    const uint32_t end = kHdrSize + s.hdr.commit;
    for (uint32_t off = kHdrSize; off < end; off++)
        ASSERT_NE(s.raw[off], kStale) << "offset " << off;
}

}  // namespace
}  // namespace rbtest
