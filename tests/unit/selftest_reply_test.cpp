// SPDX-License-Identifier: MIT
#include <cerrno>
#include <string>

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <ktr.h>

#include "ktr/selftest.h"
#include "proto/attrs.h"
#include "test_messages.h"

namespace ktr {
namespace {

using test::sample_selftest;
using test::SelftestReply;

std::string error_of(const SelftestReply &reply)
{
	auto msg = reply.build();
	Result<SelftestResult> r = parse_selftest_reply(msg.get());
	if (r)
		return "(parsed fine)";
	EXPECT_EQ(r.error().errnum(), EPROTO);
	return r.error().message();
}

SelftestResult failed_result()
{
	SelftestResult r = sample_selftest();
	r.errors = 3;
	r.error = "cpu 1 stream 0: seq 7 after 9 (duplicate or reordered)";
	return r;
}

TEST(SelftestReply, ParsesCompleteReply)
{
	auto msg = SelftestReply{}.build();
	Result<SelftestResult> r = parse_selftest_reply(msg.get());
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(*r, sample_selftest());
	EXPECT_TRUE(r->passed());
	EXPECT_EQ(r->lost(), r->lost_full + r->lost_overwritten + r->lost_nesting);
	EXPECT_EQ(r->written, r->read + r->lost());
}

TEST(SelftestReply, ParsesFailedRunWithItsError)
{
	SelftestReply reply;
	reply.result = failed_result();
	auto msg = reply.build();
	Result<SelftestResult> r = parse_selftest_reply(msg.get());
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_FALSE(r->passed());
	EXPECT_EQ(r->errors, 3u);
	EXPECT_EQ(r->error, failed_result().error);
}

TEST(SelftestReply, RejectsEachMissingCounter)
{
	for (int type = KTR_ATTR_SELFTEST_MODE; type < KTR_ATTR_SELFTEST_ERROR; type++) {
		const std::string name = proto::attr_name(proto::Space::ktr, type);
		SCOPED_TRACE(name);
		ASSERT_FALSE(name.empty());
		SelftestReply reply;
		reply.omit = {type};
		const std::string message = error_of(reply);
		EXPECT_NE(message.find(name + " missing"), std::string::npos) << message;
		EXPECT_NE(message.find("KTR_CMD_SELFTEST"), std::string::npos) << message;
	}
}

TEST(SelftestReply, RequiresErrorTextWhenErrorsWereFound)
{
	SelftestReply reply;
	reply.result = failed_result();
	reply.omit = {KTR_ATTR_SELFTEST_ERROR};
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_SELFTEST_ERROR missing"), std::string::npos) << message;
}

TEST(SelftestReply, RejectsU32WhereU64IsDue)
{
	SelftestReply reply;
	reply.omit = {KTR_ATTR_SELFTEST_WRITTEN};
	reply.extra = [](nl_msg *m) { nla_put_u32(m, KTR_ATTR_SELFTEST_WRITTEN, 5); };
	EXPECT_EQ(error_of(reply), "invalid reply from the ktr module to KTR_CMD_SELFTEST: "
				   "KTR_ATTR_SELFTEST_WRITTEN is 4 bytes, expected an 8-byte u64");
}

TEST(SelftestReply, RejectsU64WhereU32IsDue)
{
	SelftestReply reply;
	reply.omit = {KTR_ATTR_SELFTEST_CPUS};
	reply.extra = [](nl_msg *m) { nla_put_u64(m, KTR_ATTR_SELFTEST_CPUS, 2); };
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_SELFTEST_CPUS is 8 bytes"), std::string::npos) << message;
}

TEST(SelftestReply, RejectsUnterminatedErrorText)
{
	SelftestReply reply;
	reply.result = failed_result();
	reply.omit = {KTR_ATTR_SELFTEST_ERROR};
	reply.extra = [](nl_msg *m) { nla_put(m, KTR_ATTR_SELFTEST_ERROR, 3, "abc"); };
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_SELFTEST_ERROR is not a NUL-terminated string"),
		  std::string::npos)
		<< message;
}

TEST(SelftestReply, ToleratesUnknownAttributes)
{
	SelftestReply reply;
	reply.extra = [](nl_msg *m) {
		nla_put_u64(m, KTR_ATTR_MAX + 1, 42);
		nla_put_string(m, KTR_ATTR_MAX + 50, "from a newer minor");
	};
	auto msg = reply.build();
	Result<SelftestResult> r = parse_selftest_reply(msg.get());
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(*r, sample_selftest());
}

TEST(SelftestReply, RejectsOtherCommand)
{
	SelftestReply reply;
	reply.cmd = KTR_CMD_GET_INFO;
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("unexpected command"), std::string::npos) << message;
}

TEST(SelftestFormat, TextEndsWithVerdict)
{
	const std::string pass = format_selftest_text(sample_selftest());
	EXPECT_NE(pass.find("verdict:"), std::string::npos) << pass;
	EXPECT_NE(pass.find("PASS (0 errors)"), std::string::npos) << pass;
	EXPECT_NE(pass.find("overwrite"), std::string::npos) << pass;
	const std::string fail = format_selftest_text(failed_result());
	EXPECT_NE(fail.find("FAIL (3 errors; first: cpu 1 stream 0"), std::string::npos) << fail;
}

TEST(SelftestFormat, JsonHasCountersAndVerdict)
{
	const SelftestResult r = sample_selftest();
	const std::string json = format_selftest_json(r);
	EXPECT_NE(json.find("\"written\":" + std::to_string(r.written) + ","), std::string::npos);
	EXPECT_NE(json.find("\"lost\":" + std::to_string(r.lost()) + ","), std::string::npos);
	EXPECT_NE(json.find("\"error\":null"), std::string::npos) << json;
	EXPECT_NE(json.find("\"verdict\":\"pass\""), std::string::npos) << json;
	EXPECT_NE(format_selftest_json(failed_result()).find("\"verdict\":\"fail\""),
		  std::string::npos);
}

TEST(SelftestMode, ParsesNamesOnly)
{
	EXPECT_EQ(*parse_mode("discard"), BufferMode::discard);
	EXPECT_EQ(*parse_mode("overwrite"), BufferMode::overwrite);
	Result<BufferMode> bad = parse_mode("Overwrite");
	ASSERT_FALSE(bad);
	EXPECT_EQ(bad.error().errnum(), EINVAL);
	EXPECT_NE(bad.error().message().find("discard, overwrite"), std::string::npos);
}

} // namespace
} // namespace ktr
