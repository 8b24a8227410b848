// SPDX-License-Identifier: MIT
//
// Merging per-CPU streams: global time order, ties, lost items, the
// emit_until boundary, bounded holding, refusals and counters.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/decode.h"
#include "ktr/merge.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;
using test::SubbufBuilder;

constexpr std::uint32_t kSize = 4096;

// A sub-buffer of @cpu with events at @times, each tagged with @tag0 + i
// (in the payload's pid field).
DecodedSubbuf sub(std::uint32_t cpu, std::uint64_t seq, std::uint64_t time_stamp,
		  const std::vector<std::uint64_t> &times, std::int32_t tag0 = 0,
		  std::uint64_t lost = 0)
{
	SubbufBuilder b(cpu, seq, time_stamp);
	b.lost(lost);
	std::uint64_t prev = time_stamp;
	for (std::size_t i = 0; i < times.size(); i++) {
		b.event(static_cast<std::uint32_t>(times[i] - prev),
			test::event_payload(100, tag0 + static_cast<std::int32_t>(i)));
		prev = times[i];
	}
	const Bytes raw = b.build();
	Result<DecodedSubbuf> r = decode_subbuf(raw, cpu, kSize);
	EXPECT_TRUE(r) << r.error().message();
	return std::move(r).value();
}

std::int32_t tag_of(std::span<const std::byte> payload)
{
	std::int32_t tag;
	std::memcpy(&tag, payload.data() + 4, 4);
	return tag;
}

// Collects items as "c<cpu>@<ts>#<tag>" and "c<cpu>@<ts>!lost<count>".
struct Collector {
	std::vector<std::string> items;
	MergeSink sink()
	{
		return [this](const MergedItem &item) -> Result<void> {
			if (const auto *e = std::get_if<MergedEvent>(&item))
				items.push_back("c" + std::to_string(e->cpu) + "@" + std::to_string(e->ts) +
						"#" + std::to_string(tag_of(e->payload)));
			else {
				const auto &l = std::get<MergedLost>(item);
				items.push_back("c" + std::to_string(l.cpu) + "@" + std::to_string(l.ts) +
						"!lost" + std::to_string(l.count));
			}
			return {};
		};
	}
	std::vector<std::string> take() { return std::exchange(items, {}); }
};

using Items = std::vector<std::string>;

TEST(Merge, InterleavedCpusComeOutInTimeOrder)
{
	Merger m(3);
	ASSERT_TRUE(m.add(0, sub(0, 0, 10, {10, 30, 50})));
	ASSERT_TRUE(m.add(1, sub(1, 0, 20, {20, 40})));
	ASSERT_TRUE(m.add(2, sub(2, 0, 5, {5, 60})));
	Collector c;
	ASSERT_TRUE(m.emit_all(c.sink()));
	EXPECT_EQ(c.take(), (Items{"c2@5#0", "c0@10#0", "c1@20#0", "c0@30#1", "c1@40#1",
				    "c0@50#2", "c2@60#1"}));
	EXPECT_TRUE(m.empty());
	EXPECT_EQ(m.queued_subbufs(), 0U);
}

TEST(Merge, TiesGoToTheLowerCpuThenStreamOrder)
{
	Merger m(3);
	ASSERT_TRUE(m.add(2, sub(2, 0, 10, {10})));
	ASSERT_TRUE(m.add(1, sub(1, 0, 10, {10, 10})));
	ASSERT_TRUE(m.add(0, sub(0, 0, 10, {10, 10, 10})));
	ASSERT_TRUE(m.add(0, sub(0, 1, 10, {10}, 3)));
	Collector c;
	ASSERT_TRUE(m.emit_all(c.sink()));
	EXPECT_EQ(c.take(), (Items{"c0@10#0", "c0@10#1", "c0@10#2", "c0@10#3", "c1@10#0",
				    "c1@10#1", "c2@10#0"}));
}

TEST(Merge, LostItemComesJustBeforeItsSubbufsFirstEvent)
{
	Merger m(2);
	ASSERT_TRUE(m.add(0, sub(0, 0, 10, {10, 20})));
	ASSERT_TRUE(m.add(0, sub(0, 3, 30, {30, 40}, 2, 5)));	// seq gap: overwritten
	ASSERT_TRUE(m.add(1, sub(1, 0, 25, {25})));
	ASSERT_TRUE(m.add(1, sub(1, 1, 26, {}, 0, 7)));	// lost, no events
	ASSERT_TRUE(m.add(1, sub(1, 2, 30, {30, 45})));
	Collector c;
	ASSERT_TRUE(m.emit_all(c.sink()));
	EXPECT_EQ(c.take(), (Items{"c0@10#0", "c0@20#1", "c1@25#0", "c1@26!lost7", "c0@30!lost5",
				    "c0@30#2", "c1@30#0", "c0@40#3", "c1@45#1"}));
}

TEST(Merge, EmitUntilStopsAtTheLimitInclusive)
{
	Merger m(2);
	ASSERT_TRUE(m.add(0, sub(0, 0, 10, {10, 20, 30})));
	ASSERT_TRUE(m.add(1, sub(1, 0, 15, {15, 20, 35}, 0, 2)));
	Collector c;
	ASSERT_TRUE(m.emit_until(9, c.sink()));
	EXPECT_TRUE(c.take().empty());
	ASSERT_TRUE(m.emit_until(20, c.sink()));
	EXPECT_EQ(c.take(), (Items{"c0@10#0", "c1@15!lost2", "c1@15#0", "c0@20#1", "c1@20#1"}));
	ASSERT_TRUE(m.emit_until(20, c.sink()));
	EXPECT_TRUE(c.take().empty());
	EXPECT_EQ(m.queued_subbufs(), 2U);
	// More data arrives for CPU 0 while CPU 1 still holds an item.
	ASSERT_TRUE(m.add(0, sub(0, 1, 31, {31, 40})));
	ASSERT_TRUE(m.emit_until(34, c.sink()));
	EXPECT_EQ(c.take(), (Items{"c0@30#2", "c0@31#0"}));
	EXPECT_EQ(m.queued_subbufs(), 2U);	// CPU 0's first is done and released
	ASSERT_TRUE(m.emit_all(c.sink()));
	EXPECT_EQ(c.take(), (Items{"c1@35#2", "c0@40#1"}));
	EXPECT_EQ(m.queued_subbufs(), 0U);
}

TEST(Merge, EmptySubbufsAreReleasedAtOnce)
{
	Merger m(1);
	ASSERT_TRUE(m.add(0, sub(0, 0, 10, {})));
	EXPECT_EQ(m.queued_subbufs(), 0U);
	EXPECT_TRUE(m.empty());
	EXPECT_EQ(m.last_end_ts(0), 10U);
	EXPECT_EQ(m.counters(0).subbufs, 1U);
}

TEST(Merge, RefusesWhatBreaksTheStream)
{
	Merger m(2);
	EXPECT_FALSE(m.last_end_ts(1));
	Result<void> r = m.add(2, sub(2, 0, 10, {10}));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	EXPECT_EQ(r.error().message(), "CPU 2 is out of range (2 CPUs)");
	r = m.add(0, sub(1, 0, 10, {10}));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "sub-buffer of CPU 1 given as CPU 0");

	ASSERT_TRUE(m.add(0, sub(0, 5, 10, {10, 20})));
	r = m.add(0, sub(0, 5, 30, {30}));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EPROTO);
	EXPECT_EQ(r.error().message(),
		  "CPU 0: sub-buffer seq 5 comes after seq 5 (sub-buffers out of order)");
	r = m.add(0, sub(0, 6, 19, {19}));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "CPU 0: time goes backwards: sub-buffer seq 6 starts at 19 "
				       "ns, the previous one ended at 20 ns");
	EXPECT_TRUE(m.add(0, sub(0, 6, 20, {20})));
}

TEST(Merge, Counters)
{
	Merger m(2);
	ASSERT_TRUE(m.add(1, sub(1, 0, 10, {10, 20})));
	ASSERT_TRUE(m.add(1, sub(1, 1, 30, {30}, 0, 4)));
	const MergeCounters &n = m.counters(1);
	EXPECT_EQ(n.subbufs, 2U);
	EXPECT_EQ(n.events, 3U);
	EXPECT_EQ(n.bytes, 3U * (4 + 8));
	EXPECT_EQ(n.lost, 4U);
	EXPECT_EQ(m.counters(0).events, 0U);
	EXPECT_EQ(m.last_end_ts(1), 30U);
}

TEST(Merge, SinkErrorStopsAndTheRestStaysQueued)
{
	Merger m(1);
	ASSERT_TRUE(m.add(0, sub(0, 0, 10, {10, 20, 30})));
	int calls = 0;
	const Result<void> r = m.emit_all([&](const MergedItem &) -> Result<void> {
		if (++calls == 2)
			return Error{EIO, "sink failed"};
		return {};
	});
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "sink failed");
	Collector c;
	ASSERT_TRUE(m.emit_all(c.sink()));
	EXPECT_EQ(c.take(), (Items{"c0@30#2"}));
}

TEST(Merge, RandomStreamsMergeIntoOneSortedStream)
{
	std::minstd_rand rng(99);
	const auto rand = [&rng](std::uint32_t n) { return static_cast<std::uint32_t>(rng() % n); };
	for (int round = 0; round < 20; round++) {
		const std::uint32_t ncpus = 1 + rand(6);
		Merger m(ncpus);
		// (ts, cpu, tag) of everything added, and what came out.
		std::vector<std::tuple<std::uint64_t, std::uint32_t, std::int32_t>> in, out;
		std::vector<std::uint64_t> now(ncpus, 0), seq(ncpus, 0);
		const MergeSink sink = [&](const MergedItem &item) -> Result<void> {
			if (const auto *e = std::get_if<MergedEvent>(&item))
				out.emplace_back(e->ts, e->cpu, tag_of(e->payload));
			return {};
		};
		std::uint64_t horizon = 0;
		for (int step = 0; step < 60; step++) {
			const std::uint32_t cpu = rand(ncpus);
			std::vector<std::uint64_t> times;
			std::uint64_t t = now[cpu] + rand(20);
			const std::uint64_t start = t;
			const unsigned n = rand(5);
			for (unsigned i = 0; i < n; i++) {
				times.push_back(t);
				t += rand(4);
			}
			const auto tag0 = static_cast<std::int32_t>(in.size());
			for (std::size_t i = 0; i < times.size(); i++)
				in.emplace_back(times[i], cpu, tag0 + static_cast<std::int32_t>(i));
			ASSERT_TRUE(m.add(cpu, sub(cpu, seq[cpu]++, start, times, tag0)));
			now[cpu] = times.empty() ? start : times.back();
			// Safe to emit: what no CPU can still precede.
			std::uint64_t safe = *std::min_element(now.begin(), now.end());
			if (safe > horizon && rand(2) != 0) {
				ASSERT_TRUE(m.emit_until(safe - 1, sink));
				horizon = safe;
			}
		}
		ASSERT_TRUE(m.emit_all(sink));
		std::stable_sort(in.begin(), in.end(), [](const auto &a, const auto &b) {
			return std::tie(std::get<0>(a), std::get<1>(a)) <
			       std::tie(std::get<0>(b), std::get<1>(b));
		});
		ASSERT_EQ(out, in) << "round " << round;
		EXPECT_EQ(m.queued_subbufs(), 0U);
	}
}

} // namespace
} // namespace ktr
