// SPDX-License-Identifier: MIT
#include <cerrno>

#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "genl_family.h"
#include "nl_handles.h"

namespace ktr {
namespace {

nl::MsgPtr family_reply(const char *name, int id)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	EXPECT_TRUE(msg && genlmsg_put(msg.get(), 0, 1, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 2));
	if (name) {
		EXPECT_EQ(nla_put_string(msg.get(), CTRL_ATTR_FAMILY_NAME, name), 0);
	}
	if (id >= 0) {
		EXPECT_EQ(nla_put_u16(msg.get(), CTRL_ATTR_FAMILY_ID, static_cast<uint16_t>(id)), 0);
	}
	EXPECT_EQ(nla_put_u32(msg.get(), CTRL_ATTR_VERSION, 1), 0);
	return msg;
}

TEST(GenlFamily, ParsesFamilyId)
{
	auto msg = family_reply("ktr", 0x1d);
	Result<std::uint16_t> id = nl::parse_family_reply(msg.get(), "ktr");
	ASSERT_TRUE(id) << id.error().message();
	EXPECT_EQ(*id, 0x1d);
}

TEST(GenlFamily, RejectsMissingId)
{
	auto msg = family_reply("ktr", -1);
	Result<std::uint16_t> id = nl::parse_family_reply(msg.get(), "ktr");
	ASSERT_FALSE(id);
	EXPECT_EQ(id.error().errnum(), EPROTO);
}

TEST(GenlFamily, RejectsOtherFamily)
{
	auto msg = family_reply("nlctrl", 0x10);
	EXPECT_FALSE(nl::parse_family_reply(msg.get(), "ktr"));
}

TEST(GenlFamily, RejectsIdZero)
{
	auto msg = family_reply("ktr", 0);
	EXPECT_FALSE(nl::parse_family_reply(msg.get(), "ktr"));
}

} // namespace
} // namespace ktr
