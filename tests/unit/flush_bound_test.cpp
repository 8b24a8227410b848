// SPDX-License-Identifier: MIT
//
// ktr/flush_bound.h: how far one CPU lets a live reader release merged
// events, online and offline.
#include <gtest/gtest.h>

#include "ktr/flush_bound.h"

namespace ktr {
namespace {

TEST(FlushBound, NothingBeforeTheFirstFlush)
{
	FlushBound b;
	EXPECT_EQ(b.bound(), 0u);
}

TEST(FlushBound, AnOnlineCpuBoundsAtItsLastFlush)
{
	FlushBound b;
	b.observe(100);
	EXPECT_EQ(b.bound(), 100u);
	b.observe(250);
	EXPECT_EQ(b.bound(), 250u);
}

TEST(FlushBound, AnOfflineCpuStopsBoundingAndBoundsAgainWhenBack)
{
	FlushBound b;
	b.observe(100);
	b.observe(180);	// the newest record's time: it went offline
	EXPECT_EQ(b.bound(), 180u);
	b.observe(180);	// still offline: the time did not move
	EXPECT_EQ(b.bound(), std::nullopt);
	b.observe(180);
	EXPECT_EQ(b.bound(), std::nullopt);
	b.observe(900);	// back online: its clock again
	EXPECT_EQ(b.bound(), 900u);
}

TEST(FlushBound, OfflineFromTheStartWithAnEmptyRing)
{
	FlushBound b;
	b.observe(0);
	EXPECT_EQ(b.bound(), 0u);	// one round: not known yet
	b.observe(0);
	EXPECT_EQ(b.bound(), std::nullopt);
}

} // namespace
} // namespace ktr
