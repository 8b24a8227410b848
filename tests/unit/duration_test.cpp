// SPDX-License-Identifier: MIT
#include <cerrno>
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "ktr/duration.h"

namespace ktr {
namespace {

using namespace std::chrono_literals;
using std::chrono::nanoseconds;

void expect_duration(std::string_view text, nanoseconds expected)
{
	Result<nanoseconds> d = parse_duration(text);
	ASSERT_TRUE(d) << text << ": " << d.error().message();
	EXPECT_EQ(d->count(), expected.count()) << text;
}

void expect_rejected(std::string_view text, int errnum)
{
	Result<nanoseconds> d = parse_duration(text);
	ASSERT_FALSE(d) << text << " parsed as " << d->count() << " ns";
	EXPECT_EQ(d.error().errnum(), errnum) << text << ": " << d.error().message();
	EXPECT_TRUE(d.error().message().starts_with("invalid duration '"))
		<< d.error().message();
}

TEST(ParseDuration, AcceptsEveryUnit)
{
	expect_duration("5s", 5s);
	expect_duration("100ms", 100ms);
	expect_duration("2m", 2min);
	expect_duration("1h", 1h);
	expect_duration("250us", 250us);
	expect_duration("10ns", 10ns);
	expect_duration("0s", 0s);
	expect_duration("007s", 7s);
}

TEST(ParseDuration, AcceptsFractions)
{
	expect_duration("1.5s", 1500ms);
	expect_duration("0.25ms", 250us);
	expect_duration("1.5m", 90s);
	expect_duration("0.5h", 30min);
	expect_duration("0.000000001s", 1ns);
	expect_duration("1.5ns", 1ns);			// below 1 ns: truncated
	expect_duration("0.0000000019s", 1ns);
	expect_duration("2.0000000000000000000000001s", 2s);	// many digits are fine
}

TEST(ParseDuration, RejectsMalformedText)
{
	expect_rejected("", EINVAL);
	expect_rejected("s", EINVAL);
	expect_rejected("5", EINVAL);		// a unit is required
	expect_rejected("5x", EINVAL);
	expect_rejected("5S", EINVAL);
	expect_rejected("5 s", EINVAL);
	expect_rejected(" 5s", EINVAL);
	expect_rejected("5s ", EINVAL);
	expect_rejected("+5s", EINVAL);
	expect_rejected(".5s", EINVAL);
	expect_rejected("5.s", EINVAL);
	expect_rejected("1.2.3s", EINVAL);
	expect_rejected("1e3s", EINVAL);
	expect_rejected("5s5", EINVAL);
	expect_rejected("1m30s", EINVAL);
	expect_rejected("bogus", EINVAL);
}

TEST(ParseDuration, RejectsNegative)
{
	expect_rejected("-1s", EINVAL);
	expect_rejected("-0s", EINVAL);
	Result<nanoseconds> d = parse_duration("-1s");
	ASSERT_FALSE(d);
	EXPECT_EQ(d.error().message(), "invalid duration '-1s': must not be negative");
}

TEST(ParseDuration, RejectsOverflow)
{
	expect_duration("9223372036854775807ns", nanoseconds::max());
	expect_rejected("9223372036854775808ns", ERANGE);
	expect_rejected("18446744073709551616ns", ERANGE);	// 2^64
	expect_rejected("99999999999999999999999s", ERANGE);
	expect_duration("2562047h", 2562047h);
	expect_rejected("2562048h", ERANGE);
	expect_rejected("9223372036.854775808s", ERANGE);
	expect_rejected("5124095576030431h", ERANGE);		// * 3.6e12 wraps 2^64
}

TEST(ParseDuration, MessageNamesTheProblem)
{
	Result<nanoseconds> d = parse_duration("5x");
	ASSERT_FALSE(d);
	EXPECT_EQ(d.error().message(),
		  "invalid duration '5x': unknown unit 'x'; use ns, us, ms, s, m or h");
	d = parse_duration("5");
	ASSERT_FALSE(d);
	EXPECT_NE(d.error().message().find("'5s'"), std::string::npos) << d.error().message();
}

} // namespace
} // namespace ktr
