// SPDX-License-Identifier: MIT
//
// libktr's request path (NetlinkTransport, extended acks, family lookup) against the
// real kernel of this machine, using the always-present "nlctrl" family: the
// ktr family itself is never there on the host.
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netlink/genl/genl.h>
#include <netlink/socket.h>

#include "extack.h"
#include "nl_handles.h"
#include "proto/call.h"
#include "proto/netlink_transport.h"

namespace ktr {
namespace {

class HostGenetlink : public ::testing::Test {
protected:
	void SetUp() override
	{
		sock_.reset(nl_socket_alloc());
		ASSERT_TRUE(sock_);
		if (const int rc = genl_connect(sock_.get()); rc < 0)
			GTEST_SKIP() << "no generic netlink here: " << nl_geterror(rc);
		fd_ = nl_socket_get_fd(sock_.get());
		nl::enable_extack(fd_);
		transport_ = std::make_unique<proto::NetlinkTransport>(std::move(sock_));
		ASSERT_TRUE(transport_->set_reply_timeout(std::chrono::seconds(5)));
	}

	nl::SockPtr sock_;
	int fd_ = -1;
	std::unique_ptr<proto::NetlinkTransport> transport_;
};

TEST_F(HostGenetlink, ResolvesControllerFamily)
{
	Result<std::uint16_t> id = proto::resolve_family(*transport_, "nlctrl");
	ASSERT_TRUE(id) << id.error().message();
	EXPECT_EQ(*id, GENL_ID_CTRL);
}

TEST_F(HostGenetlink, MissingFamilyIsEnoent)
{
	Result<std::uint16_t> id = proto::resolve_family(*transport_, "ktr-no-such");
	ASSERT_FALSE(id);
	EXPECT_EQ(id.error().errnum(), ENOENT) << id.error().message();
}

TEST_F(HostGenetlink, KernelExtAckReachesTheMessage)
{
	// A name longer than GENL_NAMSIZ fails nlctrl's attribute policy; the
	// kernel explains why in an extended ack, echoing the request or not.
	for (const bool capped : {true, false}) {
		SCOPED_TRACE(capped ? "capped" : "uncapped");
		const int cap = capped ? 1 : 0;
		ASSERT_EQ(setsockopt(fd_, SOL_NETLINK, NETLINK_CAP_ACK, &cap, sizeof(cap)), 0);

		Result<std::uint16_t> id = proto::resolve_family(
			*transport_, "a-family-name-far-too-long-for-generic-netlink");
		ASSERT_FALSE(id);
		EXPECT_EQ(id.error().errnum(), EINVAL) << id.error().message();
		EXPECT_NE(id.error().message().find("[kernel: "), std::string::npos)
			<< id.error().message();
	}
}

TEST_F(HostGenetlink, SocketStaysUsableAfterErrors)
{
	EXPECT_FALSE(proto::resolve_family(*transport_, "ktr-no-such"));
	Result<std::uint16_t> id = proto::resolve_family(*transport_, "nlctrl");
	EXPECT_TRUE(id) << id.error().message();
}

} // namespace
} // namespace ktr
