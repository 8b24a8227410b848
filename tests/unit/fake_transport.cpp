// SPDX-License-Identifier: MIT
#include "fake_transport.h"

#include <cerrno>
#include <stdexcept>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>

#include "test_messages.h"

namespace ktr::test {

FakeAnswer kernel_fails(int errnum, std::string message, bool at_first_attr)
{
	FakeAnswer a;
	a.end.errnum = errnum;
	a.end.extack = std::move(message);
	if (at_first_attr)
		a.end.extack_offset = NLMSG_HDRLEN + GENL_HDRLEN;
	return a;
}

nl::MsgPtr reply_message(std::uint8_t cmd, const std::function<void(nl_msg *)> &put)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, FakeKernel::family_id, 0, 0, cmd,
				 KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");
	if (put)
		put(msg.get());
	return msg;
}

proto::Attrs SeenRequest::attrs() const
{
	nlmsghdr *nlh = nlmsg_hdr(msg.get());
	const genlmsghdr *gnlh = genlmsg_hdr(nlh);
	return proto::Attrs{proto::Space::ktr, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0)};
}

void FakeKernel::module_abi(std::uint32_t major, std::uint32_t minor)
{
	on(KTR_CMD_GET_INFO, [major, minor](const SeenRequest &) {
		InfoReply r;
		r.info.abi_major = major;
		r.info.abi_minor = minor;
		FakeAnswer a;
		a.replies.push_back(r.build());
		return a;
	});
}

Result<proto::KernelAnswer> FakeKernel::exchange(nl_msg *request, std::string_view,
						 const proto::MessageSink &sink)
{
	nlmsghdr *nlh = nlmsg_hdr(request);
	SeenRequest req;
	req.family = nlh->nlmsg_type;
	req.flags = nlh->nlmsg_flags;
	req.cmd = genlmsg_hdr(nlh)->cmd;
	req.msg.reset(nlmsg_convert(nlh));
	seen.push_back(std::move(req));
	const SeenRequest &r = seen.back();

	FakeAnswer answer;
	if (r.family == GENL_ID_CTRL) {
		if (!loaded)
			return proto::KernelAnswer{ENOENT, "", std::nullopt};
		nl::MsgPtr msg{nlmsg_alloc()};
		genlmsg_put(msg.get(), 0, 1, GENL_ID_CTRL, 0, 0, CTRL_CMD_NEWFAMILY, 2);
		nla_put_string(msg.get(), CTRL_ATTR_FAMILY_NAME, KTR_GENL_NAME);
		nla_put_u16(msg.get(), CTRL_ATTR_FAMILY_ID, family_id);
		answer.replies.push_back(std::move(msg));
	} else if (r.family != family_id) {
		return proto::KernelAnswer{ENOENT, "no such family", std::nullopt};
	} else if (auto it = scripts_.find(r.cmd); it != scripts_.end()) {
		answer = it->second(r);
	} else {
		answer = kernel_fails(EOPNOTSUPP);
	}
	if (answer.local)
		return *answer.local;
	for (const nl::MsgPtr &m : answer.replies)
		sink(m.get());
	return answer.end;
}

Result<void> FakeKernel::set_reply_timeout(std::chrono::milliseconds timeout)
{
	timeouts.push_back(timeout);
	return {};
}

std::vector<std::uint8_t> FakeKernel::commands() const
{
	std::vector<std::uint8_t> out;
	for (const SeenRequest &r : seen)
		if (r.family == family_id)
			out.push_back(r.cmd);
	return out;
}

} // namespace ktr::test
