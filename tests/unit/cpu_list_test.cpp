// SPDX-License-Identifier: MIT
#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/cpu_list.h"

namespace ktr {
namespace {

using Cpus = std::vector<unsigned>;

Cpus parsed(std::string_view text)
{
	Result<Cpus> cpus = parse_cpu_list(text);
	EXPECT_TRUE(cpus) << text << ": " << cpus.error().message();
	return cpus ? *cpus : Cpus{};
}

int rejected(std::string_view text)
{
	Result<Cpus> cpus = parse_cpu_list(text);
	EXPECT_FALSE(cpus) << text;
	if (cpus)
		return 0;
	EXPECT_TRUE(cpus.error().message().starts_with("invalid CPU list '"))
		<< cpus.error().message();
	return cpus.error().errnum();
}

TEST(ParseCpuList, SinglesAndRanges)
{
	EXPECT_EQ(parsed("0"), Cpus({0}));
	EXPECT_EQ(parsed("0-3"), Cpus({0, 1, 2, 3}));
	EXPECT_EQ(parsed("0-1,4,6-7"), Cpus({0, 1, 4, 6, 7}));
	EXPECT_EQ(parsed("5-5"), Cpus({5}));
}

TEST(ParseCpuList, SortsAndMergesDuplicates)
{
	EXPECT_EQ(parsed("7,0-2,1,2-3"), Cpus({0, 1, 2, 3, 7}));
}

TEST(ParseCpuList, RejectsMalformedLists)
{
	EXPECT_EQ(rejected(""), EINVAL);
	EXPECT_EQ(rejected(","), EINVAL);
	EXPECT_EQ(rejected("1,"), EINVAL);
	EXPECT_EQ(rejected(",1"), EINVAL);
	EXPECT_EQ(rejected("1,,2"), EINVAL);
	EXPECT_EQ(rejected("-1"), EINVAL);
	EXPECT_EQ(rejected("1-"), EINVAL);
	EXPECT_EQ(rejected("1-2-3"), EINVAL);
	EXPECT_EQ(rejected("3-1"), EINVAL);
	EXPECT_EQ(rejected("a"), EINVAL);
	EXPECT_EQ(rejected(" 1"), EINVAL);
	EXPECT_EQ(rejected("+1"), EINVAL);
	EXPECT_EQ(rejected("0x1"), EINVAL);
}

TEST(ParseCpuList, RejectsHugeCpuNumbers)
{
	EXPECT_EQ(parsed(std::to_string(cpu_list_max)), Cpus({cpu_list_max}));
	EXPECT_EQ(rejected(std::to_string(cpu_list_max + 1)), ERANGE);
	EXPECT_EQ(rejected("0-99999999999999999999999"), EINVAL);	// not a number we can hold
}

} // namespace
} // namespace ktr
