// SPDX-License-Identifier: MIT
//
// Seeded random fuzzing of the decoder (and the event printer behind it):
// valid sub-buffers, hand-built and from the host ring buffer, mutated by
// byte flips, word overwrites, header field changes and truncation. The
// decoder must return a value or an Error, never crash or read out of
// bounds (this test also runs under ASan/UBSan in build/user-asan).
#include <cerrno>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_event.h>
#include <ktr_ringbuf.h>

#include "ktr/decode.h"
#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "rb_source.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;
using test::pattern;
using test::SubbufBuilder;

constexpr std::uint32_t kSize = 4096;
constexpr int kIterations = 20000;

std::vector<Bytes> seeds()
{
	std::vector<Bytes> out;
	const Bytes marker = test::marker_payload(42, 40, "fuzzer", "hello, world\n");
	out.push_back(SubbufBuilder(0, 1, 1000)
			      .event(0, marker)
			      .event(3, pattern(8))
			      .long_event(1, pattern(5))
			      .time_extend(1ULL << 33)
			      .event(0, marker)
			      .discarded(2, 12)
			      .time_stamp(1ULL << 50)
			      .discarded(0, 7)
			      .event(9, test::marker_payload(7, 7, "0123456789abcdefXYZ", ""))
			      .build());
	out.push_back(SubbufBuilder(0, 2, 5).lost(3).flags(KTR_RB_SB_FLUSHED).build());
	out.push_back(SubbufBuilder(0, 3, 5).long_event(0, pattern(kSize - 64 - 8 - 4)).build());

	test::RingSource rs(kSize, 4, KTR_RB_MODE_DISCARD, 1);
	std::uint64_t ts = 100;
	for (int i = 0; i < 60; i++) {
		ts += (i % 7 == 0) ? std::uint64_t{1} << 28 : static_cast<std::uint64_t>(i);
		if (i % 13 == 0)
			ts += std::uint64_t{1} << 59;
		(void)rs.write(0, ts, test::marker_payload(i, i, "rb", std::string(static_cast<std::size_t>(i * 5 % 97), 'x')),
			       i % 11 == 0);
	}
	for (Bytes &b : rs.drain(0))
		out.push_back(std::move(b));
	return out;
}

// Touch every byte the decoder hands out, and print every event.
std::uint64_t consume(const DecodedSubbuf &d, EventPrinter &printer)
{
	std::uint64_t sum = d.header().seq + d.end_ts() + d.discarded();
	for (const Record &r : d.records()) {
		for (const std::byte b : r.payload)
			sum += std::to_integer<unsigned>(b);
		Result<std::string> t = printer.text(0, r.ts, r.payload);
		Result<std::string> j = printer.json(0, r.ts, r.payload);
		sum += t ? t->size() : t.error().message().size();
		sum += j ? j->size() : j.error().message().size();
	}
	return sum;
}

TEST(DecodeFuzz, MutatedSubbufsNeverCrash)
{
	const std::vector<Bytes> base = seeds();
	ASSERT_GE(base.size(), 4U);
	for (const Bytes &b : base)
		ASSERT_TRUE(decode_subbuf(b, 0, kSize)) << decode_subbuf(b, 0, kSize).error().message();

	std::mt19937_64 rng(20240611);
	const auto pick = [&](std::uint64_t n) {
		return std::uniform_int_distribution<std::uint64_t>(0, n - 1)(rng);
	};
	const std::uint32_t interesting[] = {0, 1, 3, 4, 8, 28, 29, 30, 31, 60, 64, 0x7fffffe0,
					     kSize, kSize - 64, 0xfffffffc, 0xffffffff};
	EventPrinter printer(builtin_formats(), ClockMap{1000, 5000});

	int accepted = 0, refused = 0;
	std::uint64_t sink = 0;
	for (int i = 0; i < kIterations; i++) {
		Bytes sb = base[pick(base.size())];
		const int mutations = 1 + static_cast<int>(pick(4));
		std::size_t len = sb.size();
		for (int m = 0; m < mutations; m++) {
			switch (pick(6)) {
			case 0:	// flip a byte
				sb[pick(sb.size())] ^= static_cast<std::byte>(1 + pick(255));
				break;
			case 1:	// a record word: type/len/delta
				test::put_u32(sb, 64 + 4 * pick(64),
					      static_cast<std::uint32_t>(pick(32) | (pick(4) << 5)));
				break;
			case 2:	// an interesting value anywhere aligned
				test::put_u32(sb, 4 * pick(sb.size() / 4),
					      interesting[pick(std::size(interesting))]);
				break;
			case 3:	// a header field: size, commit, entries, lost, cpu
				test::put_u32(sb, std::vector<std::size_t>{0, 24, 28, 32, 40}[pick(5)],
					      interesting[pick(std::size(interesting))]);
				break;
			case 4:	// commit nudged by a little
				test::put_u32(sb, 24,
					      test::get_u32(sb, 24) +
						      static_cast<std::uint32_t>(pick(17)) - 8);
				break;
			default:	// truncated
				len = pick(sb.size() + 1);
				break;
			}
		}
		Result<DecodedSubbuf> r = decode_subbuf(std::span(sb).first(len), 0, kSize,
							pick(4) == 0 ? pick(2000) : 0);
		if (r) {
			accepted++;
			sink += consume(*r, printer);
		} else {
			refused++;
			EXPECT_TRUE(r.error().errnum() == EPROTO || r.error().errnum() == EINVAL);
			EXPECT_FALSE(r.error().message().empty());
			EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
		}
	}
	EXPECT_GT(accepted, 100);
	EXPECT_GT(refused, kIterations / 2);
	RecordProperty("accepted", accepted);
	EXPECT_NE(sink, 0U);
}

TEST(DecodeFuzz, RandomPayloadsNeverCrashThePrinter)
{
	std::mt19937 rng(7);
	EventPrinter printer(builtin_formats(), ClockMap{});
	for (int i = 0; i < 5000; i++) {
		Bytes p(std::uniform_int_distribution<std::size_t>(0, 64)(rng));
		for (std::byte &b : p)
			b = static_cast<std::byte>(rng() & 0xff);
		if (p.size() >= 4 && rng() % 2)
			test::put_u32(p, 0, 1);	// marker id, flags 0
		(void)printer.text(1, rng(), p);
		(void)printer.json(1, rng(), p);
	}
}

// Probe events locate their strings (FieldType::StringLoc): random
// locations and payload lengths must decode to text or an Error, never
// make the printer read outside the payload.
TEST(DecodeFuzz, RandomStringLocationsNeverCrashThePrinter)
{
	FormatTable table = builtin_formats();
	ASSERT_TRUE(table.add(EventFormat{KTR_EVENT_PROBE_FIRST,
					  "kprobes",
					  "p",
					  {{"common_id", FieldType::Int, 0, 2, false},
					   {"common_flags", FieldType::Int, 2, 2, false},
					   {"common_pid", FieldType::Int, 4, 4, true},
					   {"a", FieldType::StringLoc, 8, 4, false},
					   {"b", FieldType::StringLoc, 12, 4, false},
					   {"ip", FieldType::Int, 16, 8, false, FieldDisplay::Symbol}}}));
	std::mt19937 rng(17);
	EventPrinter printer(table, ClockMap{});
	printer.set_symbolizer([](std::uint64_t addr) { return addr % 2 ? "f+0x1" : ""; });
	int decoded = 0, refused = 0;
	for (int i = 0; i < 20000; i++) {
		Bytes p(std::uniform_int_distribution<std::size_t>(8, 96)(rng));
		for (std::byte &b : p)
			b = static_cast<std::byte>(rng() & 0xff);
		test::put_u32(p, 0, KTR_EVENT_PROBE_FIRST);	// id, flags 0
		if (p.size() >= 16 && rng() % 2) {	// plausible locations
			const auto near = [&] {
				return static_cast<std::uint32_t>((rng() % (p.size() + 8)) |
								  ((rng() % 40) << 16));
			};
			test::put_u32(p, 8, near());
			test::put_u32(p, 12, near());
		}
		const Result<std::string> t = printer.text(0, 0, p);
		const Result<std::string> j = printer.json(0, 0, p);
		EXPECT_EQ(bool(t), bool(j));
		(t ? decoded : refused)++;
	}
	EXPECT_GT(decoded, 1000);
	EXPECT_GT(refused, 1000);
}

} // namespace
} // namespace ktr
