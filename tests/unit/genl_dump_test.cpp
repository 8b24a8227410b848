// SPDX-License-Identifier: MIT
//
// Dumps through the protocol layer's NetlinkTransport and call helper (what
// Control::list_events() uses): the end
// of a dump (NLMSG_DONE, with the error a dump that failed part-way
// carries) parsed from messages built here, and a real dump of the kernel's
// "nlctrl" family on this machine (the ktr family is never there).
#include <algorithm>
#include <chrono>
#include <memory>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/socket.h>

#include "nl_handles.h"
#include "proto/call.h"
#include "proto/netlink_transport.h"

namespace ktr {
namespace {

// An NLMSG_DONE carrying @err, with @ext_msg as NLMSGERR_ATTR_MSG if given.
nl::MsgPtr done_message(int err, const char *ext_msg = nullptr)
{
	nl::MsgPtr msg{nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI | (ext_msg ? NLM_F_ACK_TLVS : 0))};
	if (!msg)
		throw std::runtime_error("nlmsg_alloc_simple failed");
	if (nlmsg_append(msg.get(), &err, sizeof(err), NLMSG_ALIGNTO) < 0)
		throw std::runtime_error("nlmsg_append failed");
	if (ext_msg && nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, ext_msg) < 0)
		throw std::runtime_error("nla_put_string failed");
	return msg;
}

TEST(DumpDone, CompletedDump)
{
	auto msg = done_message(0);
	const proto::KernelAnswer f = proto::dump_done_status(nlmsg_hdr(msg.get()));
	EXPECT_EQ(f.errnum, 0);
	EXPECT_EQ(f.extack, "");
}

TEST(DumpDone, FailedDumpWithAndWithoutMessage)
{
	auto plain = done_message(-EMSGSIZE);
	proto::KernelAnswer f = proto::dump_done_status(nlmsg_hdr(plain.get()));
	EXPECT_EQ(f.errnum, EMSGSIZE);
	EXPECT_EQ(f.extack, "");

	auto told = done_message(-EINVAL, "event 3: no such tracepoint");
	f = proto::dump_done_status(nlmsg_hdr(told.get()));
	EXPECT_EQ(f.errnum, EINVAL);
	EXPECT_EQ(f.extack, "event 3: no such tracepoint");
}

TEST(DumpDone, OddMessages)
{
	// An old kernel's bare NLMSG_DONE, and values that are no errno.
	nl::MsgPtr bare{nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI)};
	ASSERT_TRUE(bare);
	EXPECT_EQ(proto::dump_done_status(nlmsg_hdr(bare.get())).errnum, 0);
	auto positive = done_message(5);
	EXPECT_EQ(proto::dump_done_status(nlmsg_hdr(positive.get())).errnum, 0);
	auto huge = done_message(-2147483647 - 1);
	EXPECT_EQ(proto::dump_done_status(nlmsg_hdr(huge.get())).errnum, EPROTO);
	// A message of another type carries no dump status.
	nl::MsgPtr other{nlmsg_alloc_simple(NLMSG_ERROR, 0)};
	ASSERT_TRUE(other);
	int err = -EPERM;
	ASSERT_EQ(nlmsg_append(other.get(), &err, sizeof(err), NLMSG_ALIGNTO), 0);
	EXPECT_EQ(proto::dump_done_status(nlmsg_hdr(other.get())).errnum, 0);
}

class HostDump : public ::testing::Test {
protected:
	void SetUp() override
	{
		auto t = proto::NetlinkTransport::open(std::chrono::seconds(5));
		if (!t)
			GTEST_SKIP() << "no generic netlink here: " << t.error().message();
		transport_ = std::move(*t);
	}

	// CTRL_CMD_GETFAMILY as a dump: one message per registered family.
	static proto::Request families_request()
	{
		return proto::Request::other_family(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
						    CTRL_CMD_NEWFAMILY, proto::Space::ctrl,
						    "CTRL_CMD_GETFAMILY", proto::Expect::dump);
	}

	Result<std::vector<std::string>> dump_families()
	{
		proto::Request req = families_request();
		std::vector<std::string> names;
		const Result<void> r = proto::call(*transport_, GENL_ID_CTRL, req,
						   [&](const proto::Attrs &a) -> Result<void> {
			if (!a.check({CTRL_ATTR_FAMILY_NAME}).empty())
				return Error{EPROTO, "bad family message"};
			names.push_back(a.str(CTRL_ATTR_FAMILY_NAME));
			return {};
		});
		if (!r)
			return r.error();
		return names;
	}

	std::unique_ptr<proto::NetlinkTransport> transport_;
};

TEST_F(HostDump, ReadsTheWholeDumpToItsEnd)
{
	// Without the end of the dump handled, this would wait for an ack
	// that never comes, and time out.
	Result<std::vector<std::string>> names = dump_families();
	ASSERT_TRUE(names) << names.error().message();
	EXPECT_NE(std::find(names->begin(), names->end(), "nlctrl"), names->end());
}

TEST_F(HostDump, SocketStaysInStepAfterADump)
{
	// No stray message (an ack after NLMSG_DONE) may be left for the next
	// request to trip over.
	for (int i = 0; i < 3; i++) {
		Result<std::vector<std::string>> names = dump_families();
		ASSERT_TRUE(names) << names.error().message();
		Result<std::uint16_t> id = proto::resolve_family(*transport_, "nlctrl");
		ASSERT_TRUE(id) << id.error().message();
		EXPECT_EQ(*id, GENL_ID_CTRL);
	}
}

TEST_F(HostDump, HandlerErrorsDoNotStopTheDump)
{
	proto::Request req = families_request();
	int calls = 0;
	const Result<void> r = proto::call(*transport_, GENL_ID_CTRL, req,
					   [&](const proto::Attrs &) -> Result<void> {
						   calls++;
						   return Error{EPROTO, "message " + std::to_string(calls)};
					   });
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "message 1");	// the first error
	EXPECT_EQ(calls, 1);	// the rest is read, not handed over
	// The rest was read: the socket is still usable.
	Result<std::uint16_t> id = proto::resolve_family(*transport_, "nlctrl");
	EXPECT_TRUE(id) << id.error().message();
}

} // namespace
} // namespace ktr
