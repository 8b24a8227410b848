// SPDX-License-Identifier: MIT
//
// proto::resolve_family() reading nlctrl's answer (CTRL_CMD_NEWFAMILY)
// through a transport that hands back one built message.
#include <cerrno>

#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "nl_handles.h"
#include "proto/call.h"

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

// Answers every request with one message, then an ack.
class OneReply final : public proto::Transport {
public:
	explicit OneReply(nl::MsgPtr reply) : reply_(std::move(reply)) {}

	Result<proto::KernelAnswer> exchange(nl_msg *, std::string_view,
					     const proto::MessageSink &sink) override
	{
		sink(reply_.get());
		return proto::KernelAnswer{};
	}
	Result<void> set_reply_timeout(std::chrono::milliseconds) override { return {}; }

private:
	nl::MsgPtr reply_;
};

Result<std::uint16_t> resolve_with(nl::MsgPtr reply)
{
	OneReply t{std::move(reply)};
	return proto::resolve_family(t, "ktr");
}

TEST(GenlFamily, ParsesFamilyId)
{
	Result<std::uint16_t> id = resolve_with(family_reply("ktr", 0x1d));
	ASSERT_TRUE(id) << id.error().message();
	EXPECT_EQ(*id, 0x1d);
}

TEST(GenlFamily, RejectsMissingId)
{
	Result<std::uint16_t> id = resolve_with(family_reply("ktr", -1));
	ASSERT_FALSE(id);
	EXPECT_EQ(id.error().errnum(), EPROTO);
	EXPECT_NE(id.error().message().find("CTRL_ATTR_FAMILY_ID missing"), std::string::npos)
		<< id.error().message();
}

TEST(GenlFamily, RejectsOtherFamily)
{
	EXPECT_FALSE(resolve_with(family_reply("nlctrl", 0x10)));
}

TEST(GenlFamily, RejectsIdZero)
{
	EXPECT_FALSE(resolve_with(family_reply("ktr", 0)));
}

} // namespace
} // namespace ktr
