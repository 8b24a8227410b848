// SPDX-License-Identifier: MIT
//
// Dumps through nl::transact() (what Control::list_events() uses): the end
// of a dump (NLMSG_DONE, with the error a dump that failed part-way
// carries) parsed from messages built here, and a real dump of the kernel's
// "nlctrl" family on this machine (the ktr family is never there).
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
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

#include "extack.h"
#include "genl_family.h"
#include "genl_transact.h"
#include "nl_handles.h"

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
	const nl::KernelFailure f = nl::dump_done_status(nlmsg_hdr(msg.get()));
	EXPECT_EQ(f.errnum, 0);
	EXPECT_EQ(f.extack, "");
}

TEST(DumpDone, FailedDumpWithAndWithoutMessage)
{
	auto plain = done_message(-EMSGSIZE);
	nl::KernelFailure f = nl::dump_done_status(nlmsg_hdr(plain.get()));
	EXPECT_EQ(f.errnum, EMSGSIZE);
	EXPECT_EQ(f.extack, "");

	auto told = done_message(-EINVAL, "event 3: no such tracepoint");
	f = nl::dump_done_status(nlmsg_hdr(told.get()));
	EXPECT_EQ(f.errnum, EINVAL);
	EXPECT_EQ(f.extack, "event 3: no such tracepoint");
}

TEST(DumpDone, OddMessages)
{
	// An old kernel's bare NLMSG_DONE, and values that are no errno.
	nl::MsgPtr bare{nlmsg_alloc_simple(NLMSG_DONE, NLM_F_MULTI)};
	ASSERT_TRUE(bare);
	EXPECT_EQ(nl::dump_done_status(nlmsg_hdr(bare.get())).errnum, 0);
	auto positive = done_message(5);
	EXPECT_EQ(nl::dump_done_status(nlmsg_hdr(positive.get())).errnum, 0);
	auto huge = done_message(-2147483647 - 1);
	EXPECT_EQ(nl::dump_done_status(nlmsg_hdr(huge.get())).errnum, EPROTO);
	// A message of another type carries no dump status.
	nl::MsgPtr other{nlmsg_alloc_simple(NLMSG_ERROR, 0)};
	ASSERT_TRUE(other);
	int err = -EPERM;
	ASSERT_EQ(nlmsg_append(other.get(), &err, sizeof(err), NLMSG_ALIGNTO), 0);
	EXPECT_EQ(nl::dump_done_status(nlmsg_hdr(other.get())).errnum, 0);
}

class HostDump : public ::testing::Test {
protected:
	void SetUp() override
	{
		sock_.reset(nl_socket_alloc());
		ASSERT_TRUE(sock_);
		if (const int rc = genl_connect(sock_.get()); rc < 0)
			GTEST_SKIP() << "no generic netlink here: " << nl_geterror(rc);
		const int fd = nl_socket_get_fd(sock_.get());
		nl::enable_extack(fd);
		const timeval timeout{.tv_sec = 5, .tv_usec = 0};
		ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)), 0);
	}

	// CTRL_CMD_GETFAMILY as a dump: one message per registered family.
	Result<std::vector<std::string>> dump_families()
	{
		nl::MsgPtr msg{nlmsg_alloc()};
		if (!msg || !genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0,
					 NLM_F_DUMP, CTRL_CMD_GETFAMILY, 1))
			return Error{ENOMEM, "cannot build the request"};
		std::vector<std::string> names;
		const Result<void> r = nl::transact(
			sock_.get(), msg.get(), "CTRL_CMD_GETFAMILY", [&](nl_msg *reply) -> Result<void> {
				nlattr *tb[CTRL_ATTR_MAX + 1] = {};
				if (genlmsg_parse(nlmsg_hdr(reply), 0, tb, CTRL_ATTR_MAX, nullptr) < 0 ||
				    !tb[CTRL_ATTR_FAMILY_NAME])
					return Error{EPROTO, "bad family message"};
				names.emplace_back(nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]));
				return {};
			});
		if (!r)
			return r.error();
		return names;
	}

	nl::SockPtr sock_;
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
		Result<std::uint16_t> id = nl::resolve_family(sock_.get(), "nlctrl");
		ASSERT_TRUE(id) << id.error().message();
		EXPECT_EQ(*id, GENL_ID_CTRL);
	}
}

TEST_F(HostDump, HandlerErrorsDoNotStopTheDump)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	ASSERT_TRUE(msg);
	ASSERT_TRUE(genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, NLM_F_DUMP,
				CTRL_CMD_GETFAMILY, 1));
	int calls = 0;
	const Result<void> r = nl::transact(sock_.get(), msg.get(), "CTRL_CMD_GETFAMILY",
					    [&](nl_msg *) -> Result<void> {
						    calls++;
						    return Error{EPROTO, "message " + std::to_string(calls)};
					    });
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "message 1");	// the first error
	// The rest was read: the socket is still usable.
	Result<std::uint16_t> id = nl::resolve_family(sock_.get(), "nlctrl");
	EXPECT_TRUE(id) << id.error().message();
}

} // namespace
} // namespace ktr
