// SPDX-License-Identifier: MIT
#include <cerrno>
#include <string>

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/msg.h>

#include <ktr.h>

#include "ktr/info.h"
#include "test_messages.h"

namespace ktr {
namespace {

using test::InfoReply;
using test::sample_info;

struct NamedAttr {
	int type;
	const char *name;
};

constexpr NamedAttr all_attrs[] = {
	{KTR_ATTR_ABI_MAJOR, "KTR_ATTR_ABI_MAJOR"},
	{KTR_ATTR_ABI_MINOR, "KTR_ATTR_ABI_MINOR"},
	{KTR_ATTR_MODULE_VERSION, "KTR_ATTR_MODULE_VERSION"},
	{KTR_ATTR_CPUS_POSSIBLE, "KTR_ATTR_CPUS_POSSIBLE"},
	{KTR_ATTR_CPUS_ONLINE, "KTR_ATTR_CPUS_ONLINE"},
	{KTR_ATTR_SUBBUF_SIZE, "KTR_ATTR_SUBBUF_SIZE"},
	{KTR_ATTR_NR_SUBBUFS, "KTR_ATTR_NR_SUBBUFS"},
	{KTR_ATTR_KERNEL_RELEASE, "KTR_ATTR_KERNEL_RELEASE"},
};

std::string error_of(const InfoReply &reply)
{
	auto msg = reply.build();
	Result<Info> info = parse_info_reply(msg.get());
	if (info)
		return "(parsed fine)";
	EXPECT_EQ(info.error().errnum(), EPROTO);
	return info.error().message();
}

TEST(InfoReply, ParsesCompleteReply)
{
	auto msg = InfoReply{}.build();
	Result<Info> info = parse_info_reply(msg.get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(*info, sample_info());
}

TEST(InfoReply, RejectsEachMissingAttribute)
{
	for (const NamedAttr &attr : all_attrs) {
		SCOPED_TRACE(attr.name);
		InfoReply reply;
		reply.omit = {attr.type};
		const std::string message = error_of(reply);
		EXPECT_NE(message.find(attr.name), std::string::npos) << message;
		EXPECT_NE(message.find("missing"), std::string::npos) << message;
		EXPECT_NE(message.find("KTR_CMD_GET_INFO"), std::string::npos) << message;
	}
}

TEST(InfoReply, RejectsShortU32)
{
	InfoReply reply;
	reply.omit = {KTR_ATTR_CPUS_ONLINE};
	reply.extra = [](nl_msg *m) { nla_put_u16(m, KTR_ATTR_CPUS_ONLINE, 4); };
	EXPECT_EQ(error_of(reply), "invalid reply from the ktr module to KTR_CMD_GET_INFO: "
				   "KTR_ATTR_CPUS_ONLINE is 2 bytes, expected a 4-byte u32");
}

TEST(InfoReply, RejectsLongU32)
{
	InfoReply reply;
	reply.omit = {KTR_ATTR_SUBBUF_SIZE};
	reply.extra = [](nl_msg *m) { nla_put_u64(m, KTR_ATTR_SUBBUF_SIZE, 65536); };
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_SUBBUF_SIZE is 8 bytes"), std::string::npos) << message;
}

TEST(InfoReply, RejectsU32WhereStringIsDue)
{
	InfoReply reply;
	reply.omit = {KTR_ATTR_MODULE_VERSION};
	reply.extra = [](nl_msg *m) { nla_put_u32(m, KTR_ATTR_MODULE_VERSION, 0x41414141); };
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_MODULE_VERSION is not a NUL-terminated string"),
		  std::string::npos)
		<< message;
}

TEST(InfoReply, RejectsEmptyStringAttribute)
{
	InfoReply reply;
	reply.omit = {KTR_ATTR_KERNEL_RELEASE};
	reply.extra = [](nl_msg *m) { nla_put(m, KTR_ATTR_KERNEL_RELEASE, 0, nullptr); };
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_KERNEL_RELEASE"), std::string::npos) << message;
}

TEST(InfoReply, RejectsOverlongString)
{
	InfoReply reply;
	reply.info.kernel_release = std::string(info_string_max, 'x');	// + NUL: one too many
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_KERNEL_RELEASE is longer than 256 bytes"),
		  std::string::npos)
		<< message;
}

TEST(InfoReply, AcceptsLongestString)
{
	InfoReply reply;
	reply.info.kernel_release = std::string(info_string_max - 1, 'x');
	auto msg = reply.build();
	Result<Info> info = parse_info_reply(msg.get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(info->kernel_release, reply.info.kernel_release);
}

TEST(InfoReply, ToleratesUnknownAttributes)
{
	InfoReply reply;
	reply.extra = [](nl_msg *m) {
		nla_put_u64(m, KTR_ATTR_MAX + 1, 42);
		nla_put_string(m, KTR_ATTR_MAX + 100, "from a newer minor");
		nla_put(m, KTR_ATTR_MAX + 2, 0, nullptr);
	};
	auto msg = reply.build();
	Result<Info> info = parse_info_reply(msg.get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(*info, sample_info());
}

TEST(InfoReply, AcceptsNewerAbiMinor)
{
	InfoReply reply;
	reply.info.abi_minor = KTR_ABI_MINOR + 7;
	auto msg = reply.build();
	Result<Info> info = parse_info_reply(msg.get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(info->abi_minor, KTR_ABI_MINOR + 7u);
}

TEST(InfoReply, ReportsAbiMajorMismatchBeforeAnythingElse)
{
	// A module of another major may send a different set of attributes:
	// the user must hear "mismatch", not "attribute missing".
	InfoReply reply;
	reply.info.abi_major = KTR_ABI_MAJOR + 1;
	reply.info.abi_minor = 3;
	reply.omit = {KTR_ATTR_SUBBUF_SIZE, KTR_ATTR_NR_SUBBUFS};
	reply.extra = [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_CPUS_ONLINE, 1); };	// bad type too
	auto msg = reply.build();
	Result<Info> info = parse_info_reply(msg.get());
	ASSERT_FALSE(info);
	EXPECT_EQ(info.error().errnum(), EPROTO);
	const std::string &message = info.error().message();
	EXPECT_NE(message.find("ABI mismatch"), std::string::npos) << message;
	EXPECT_NE(message.find(std::to_string(KTR_ABI_MAJOR + 1) + ".3"), std::string::npos)
		<< message;
}

TEST(InfoReply, RejectsMissingAbiMajor)
{
	InfoReply reply;
	reply.omit = {KTR_ATTR_ABI_MAJOR};
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("KTR_ATTR_ABI_MAJOR missing"), std::string::npos) << message;
}

TEST(InfoReply, RejectsOtherCommand)
{
	InfoReply reply;
	reply.cmd = KTR_CMD_GET_INFO + 1;
	const std::string message = error_of(reply);
	EXPECT_NE(message.find("unexpected command"), std::string::npos) << message;
}

TEST(InfoReply, RejectsMessageWithoutGenlHeader)
{
	nl::MsgPtr msg{nlmsg_alloc_simple(test::test_family_id, 0)};
	ASSERT_TRUE(msg);
	Result<Info> info = parse_info_reply(msg.get());
	ASSERT_FALSE(info);
	EXPECT_EQ(info.error().errnum(), EPROTO);
	EXPECT_NE(info.error().message().find("truncated"), std::string::npos);
}

} // namespace
} // namespace ktr

namespace ktr {
namespace {

// A module of ABI minor 1 has no trace buffer attributes: still a good reply.
TEST(InfoReplyMinor2, OlderModuleWithoutBufferAttributes)
{
	InfoReply reply;
	reply.info.abi_minor = 1;
	reply.info.buffer_mode.reset();
	reply.info.clock.reset();
	const auto info = parse_info_reply(reply.build().get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_FALSE(info->buffer_mode);
	EXPECT_FALSE(info->clock);
}

TEST(InfoReplyMinor2, BufferModeAndClockPair)
{
	InfoReply reply;
	const auto info = parse_info_reply(reply.build().get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(info->buffer_mode, std::optional<std::uint32_t>{KTR_RB_MODE_OVERWRITE});
	ASSERT_TRUE(info->clock);
	EXPECT_EQ(info->clock->local_ns, 5000000000ULL);
	EXPECT_EQ(info->clock->mono_ns, 5123456789ULL);
	EXPECT_EQ(*info, sample_info());
}

TEST(InfoReplyMinor2, ShortClockAttributeIsNamed)
{
	InfoReply reply;
	reply.omit.insert(KTR_ATTR_CLOCK_MONO_NS);
	reply.extra = [](nl_msg *m) { nla_put_u32(m, KTR_ATTR_CLOCK_MONO_NS, 7); };
	const auto info = parse_info_reply(reply.build().get());
	ASSERT_FALSE(info);
	EXPECT_NE(info.error().message().find("KTR_ATTR_CLOCK_MONO_NS is 4 bytes, expected an 8-byte u64"),
		  std::string::npos)
		<< info.error().message();
}

// ABI minor 4: KTR_ATTR_TRACING_ON, a u8 flag, absent from older modules.
TEST(InfoReplyMinor4, TracingOnFlag)
{
	InfoReply reply;
	reply.info.tracing_on = false;
	auto info = parse_info_reply(reply.build().get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(info->tracing_on, std::optional<bool>{false});

	reply.info.tracing_on.reset();
	info = parse_info_reply(reply.build().get());
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_FALSE(info->tracing_on);
}

TEST(InfoReplyMinor4, BadTracingOnIsNamed)
{
	InfoReply two;
	two.omit.insert(KTR_ATTR_TRACING_ON);
	two.extra = [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_TRACING_ON, 2); };
	auto info = parse_info_reply(two.build().get());
	ASSERT_FALSE(info);
	EXPECT_NE(info.error().message().find("KTR_ATTR_TRACING_ON is 2"), std::string::npos)
		<< info.error().message();

	InfoReply wide;
	wide.omit.insert(KTR_ATTR_TRACING_ON);
	wide.extra = [](nl_msg *m) { nla_put_u32(m, KTR_ATTR_TRACING_ON, 1); };
	info = parse_info_reply(wide.build().get());
	ASSERT_FALSE(info);
	EXPECT_NE(info.error().message().find("KTR_ATTR_TRACING_ON is 4 bytes, expected a 1-byte u8"),
		  std::string::npos)
		<< info.error().message();
}

} // namespace
} // namespace ktr
