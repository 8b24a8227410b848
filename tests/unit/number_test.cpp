// SPDX-License-Identifier: MIT
#include <cerrno>
#include <cstdint>
#include <limits>

#include <gtest/gtest.h>

#include "ktr/number.h"

namespace ktr {
namespace {

TEST(ParseCount, AcceptsPositiveWholeNumbers)
{
	for (const auto &[text, value] : {std::pair<const char *, std::uint64_t>{"1", 1},
					  {"1000", 1000},
					  {"18446744073709551615", UINT64_MAX}}) {
		Result<std::uint64_t> n = parse_count(text);
		ASSERT_TRUE(n) << text << ": " << n.error().message();
		EXPECT_EQ(*n, value);
	}
}

TEST(ParseCount, RejectsEverythingElse)
{
	for (const char *text : {"", "0", "-1", "+1", "1e3", " 1", "1 ", "1.5", "abc", "0x10"}) {
		Result<std::uint64_t> n = parse_count(text);
		ASSERT_FALSE(n) << text;
		EXPECT_EQ(n.error().errnum(), EINVAL) << text;
	}
	Result<std::uint64_t> n = parse_count("18446744073709551616");
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().errnum(), ERANGE);
}

} // namespace
} // namespace ktr
