// SPDX-License-Identifier: MIT
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "ktr/units.h"

namespace ktr {
namespace {

TEST(FormatBytes, ExactUnits)
{
	EXPECT_EQ(format_bytes(0), "0 B");
	EXPECT_EQ(format_bytes(512), "512 B");
	EXPECT_EQ(format_bytes(1023), "1023 B");
	EXPECT_EQ(format_bytes(1024), "1 KiB");
	EXPECT_EQ(format_bytes(4096), "4 KiB");
	EXPECT_EQ(format_bytes(65536), "64 KiB");
	EXPECT_EQ(format_bytes(4u << 20), "4 MiB");
	EXPECT_EQ(format_bytes(std::uint64_t{3} << 30), "3 GiB");
	EXPECT_EQ(format_bytes(std::uint64_t{1} << 60), "1 EiB");
}

TEST(FormatBytes, InexactValuesRoundDown)
{
	EXPECT_EQ(format_bytes(1536), "1.5 KiB");
	EXPECT_EQ(format_bytes(1025), "1.0 KiB");
	EXPECT_EQ(format_bytes((2u << 20) - 1), "1.9 MiB");
	EXPECT_EQ(format_bytes(std::numeric_limits<std::uint64_t>::max()), "15.9 EiB");
}

} // namespace
} // namespace ktr
