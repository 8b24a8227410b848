// SPDX-License-Identifier: MIT
#include "test_messages.h"

#include <stdexcept>
#include <string>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

namespace ktr::test {

namespace {

void check(int rc)
{
	if (rc < 0)
		throw std::runtime_error("building a test message failed: " + std::to_string(rc));
}

} // namespace

Info sample_info()
{
	return Info{
		.abi_major = KTR_ABI_MAJOR,
		.abi_minor = KTR_ABI_MINOR,
		.module_version = "0.1.0",
		.cpus_possible = 8,
		.cpus_online = 4,
		.subbuf_size = 65536,
		.nr_subbufs = 8,
		.kernel_release = "6.1.0-18-amd64",
	};
}

nl::MsgPtr InfoReply::build() const
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, test_family_id, 0, 0, cmd, KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");

	nl_msg *m = msg.get();
	const auto u32 = [&](int type, std::uint32_t v) {
		if (!omit.contains(type))
			check(nla_put_u32(m, type, v));
	};
	const auto str = [&](int type, const std::string &v) {
		if (!omit.contains(type))
			check(nla_put_string(m, type, v.c_str()));
	};
	u32(KTR_ATTR_ABI_MAJOR, info.abi_major);
	u32(KTR_ATTR_ABI_MINOR, info.abi_minor);
	str(KTR_ATTR_MODULE_VERSION, info.module_version);
	u32(KTR_ATTR_CPUS_POSSIBLE, info.cpus_possible);
	u32(KTR_ATTR_CPUS_ONLINE, info.cpus_online);
	u32(KTR_ATTR_SUBBUF_SIZE, info.subbuf_size);
	u32(KTR_ATTR_NR_SUBBUFS, info.nr_subbufs);
	str(KTR_ATTR_KERNEL_RELEASE, info.kernel_release);
	if (extra)
		extra(m);
	return msg;
}

nl::MsgPtr error_message(nl_msg *request, int errnum, bool capped, std::string_view ext_msg)
{
	int flags = 0;
	if (capped)
		flags |= NLM_F_CAPPED;
	if (!ext_msg.empty())
		flags |= NLM_F_ACK_TLVS;
	nl::MsgPtr msg{nlmsg_alloc_simple(NLMSG_ERROR, flags)};
	if (!msg)
		throw std::runtime_error("nlmsg_alloc_simple failed");

	nlmsghdr *req = nlmsg_hdr(request);
	nlmsgerr err{};
	err.error = -errnum;
	err.msg = *req;
	check(nlmsg_append(msg.get(), &err, sizeof(err), NLMSG_ALIGNTO));
	if (!capped)
		check(nlmsg_append(msg.get(), nlmsg_data(req),
				   static_cast<std::size_t>(nlmsg_datalen(req)), NLMSG_ALIGNTO));
	if (!ext_msg.empty()) {
		const std::string text{ext_msg};
		check(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, text.c_str()));
		check(nla_put_u32(msg.get(), NLMSGERR_ATTR_OFFS, 20));
	}
	return msg;
}

} // namespace ktr::test
