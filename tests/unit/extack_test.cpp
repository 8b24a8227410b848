// SPDX-License-Identifier: MIT
#include <cerrno>
#include <string>

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "extack.h"
#include "test_messages.h"

namespace ktr {
namespace {

// A request with an odd payload length, so echoing it needs padding.
nl::MsgPtr odd_request()
{
	nl::MsgPtr msg{nlmsg_alloc()};
	EXPECT_TRUE(msg && genlmsg_put(msg.get(), 0, 7, test::test_family_id, 0, 0, 1, 1));
	EXPECT_EQ(nla_put_string(msg.get(), 4, "abcdefg"), 0);	// 8 bytes + header
	EXPECT_EQ(nla_put_u8(msg.get(), 5, 1), 0);
	return msg;
}

TEST(ExtAck, ReadsMessageFromCappedAck)
{
	auto req = odd_request();
	auto err = test::error_message(req.get(), EPERM, true, "ktr: needs CAP_PERFMON");
	EXPECT_EQ(nl::extack_message(nlmsg_hdr(err.get())), "ktr: needs CAP_PERFMON");
}

TEST(ExtAck, ReadsMessageAfterEchoedRequest)
{
	auto req = odd_request();
	auto err = test::error_message(req.get(), EINVAL, false, "bad attribute");
	EXPECT_EQ(nl::extack_message(nlmsg_hdr(err.get())), "bad attribute");
}

TEST(ExtAck, EmptyWithoutTlvs)
{
	auto req = odd_request();
	for (const bool capped : {false, true}) {
		auto err = test::error_message(req.get(), EINVAL, capped, "");
		EXPECT_EQ(nl::extack_message(nlmsg_hdr(err.get())), "");
	}
}

TEST(ExtAck, EmptyForOtherMessageTypes)
{
	auto req = odd_request();
	EXPECT_EQ(nl::extack_message(nlmsg_hdr(req.get())), "");
}

TEST(ExtAck, EmptyWhenEchoedLengthIsBogus)
{
	auto req = odd_request();
	auto err = test::error_message(req.get(), EINVAL, false, "bad attribute");
	nlmsghdr *nlh = nlmsg_hdr(err.get());
	auto *e = static_cast<nlmsgerr *>(nlmsg_data(nlh));
	e->msg.nlmsg_len = 0xffff;	// claims more echo than the message holds
	EXPECT_EQ(nl::extack_message(nlh), "");
	e->msg.nlmsg_len = 3;		// shorter than a header
	EXPECT_EQ(nl::extack_message(nlh), "");
}

TEST(ExtAck, StopsAtAttributeEndWithoutNul)
{
	auto req = odd_request();
	nl::MsgPtr err{nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_CAPPED | NLM_F_ACK_TLVS)};
	ASSERT_TRUE(err);
	nlmsgerr e{};
	e.error = -EINVAL;
	e.msg = *nlmsg_hdr(req.get());
	ASSERT_EQ(nlmsg_append(err.get(), &e, sizeof(e), NLMSG_ALIGNTO), 0);
	ASSERT_EQ(nla_put(err.get(), NLMSGERR_ATTR_MSG, 3, "abc"), 0);	// no NUL
	EXPECT_EQ(nl::extack_message(nlmsg_hdr(err.get())), "abc");
}

} // namespace
} // namespace ktr
