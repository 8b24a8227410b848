// SPDX-License-Identifier: MIT
#include "genl_family.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "genl_transact.h"
#include "ktr/errors.h"
#include "nl_handles.h"

namespace ktr::nl {

namespace {

constexpr std::string_view request_name = "CTRL_CMD_GETFAMILY";

std::array<nla_policy, CTRL_ATTR_MAX + 1> make_ctrl_policy()
{
	std::array<nla_policy, CTRL_ATTR_MAX + 1> policy{};
	policy[CTRL_ATTR_FAMILY_ID].type = NLA_U16;
	policy[CTRL_ATTR_FAMILY_NAME].type = NLA_STRING;
	policy[CTRL_ATTR_FAMILY_NAME].maxlen = GENL_NAMSIZ;
	return policy;
}

} // namespace

Result<std::uint16_t> parse_family_reply(nl_msg *reply, std::string_view name)
{
	static const auto policy = make_ctrl_policy();
	std::array<nlattr *, CTRL_ATTR_MAX + 1> tb{};

	nlmsghdr *nlh = nlmsg_hdr(reply);
	if (const int rc = genlmsg_parse(nlh, 0, tb.data(), CTRL_ATTR_MAX, policy.data()); rc < 0)
		return bad_reply_error(request_name, nl_geterror(rc));
	if (!tb[CTRL_ATTR_FAMILY_ID] || !tb[CTRL_ATTR_FAMILY_NAME])
		return bad_reply_error(request_name, "family id or name missing");
	if (nla_get_string(tb[CTRL_ATTR_FAMILY_NAME]) != name)
		return bad_reply_error(request_name, "answer about another family");
	const std::uint16_t id = nla_get_u16(tb[CTRL_ATTR_FAMILY_ID]);
	if (id == 0)
		return bad_reply_error(request_name, "family id 0");
	return id;
}

Result<std::uint16_t> resolve_family(nl_sock *sock, std::string_view name)
{
	const MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	const std::string name_str{name};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, GENL_ID_CTRL, 0, 0,
			 CTRL_CMD_GETFAMILY, 1) ||
	    nla_put_string(msg.get(), CTRL_ATTR_FAMILY_NAME, name_str.c_str()) < 0)
		return Error{ENOMEM, "cannot build " + std::string(request_name)};

	std::optional<std::uint16_t> id;
	const Result<void> r = transact(sock, msg.get(), request_name,
					[&](nl_msg *reply) -> Result<void> {
		Result<std::uint16_t> parsed = parse_family_reply(reply, name);
		if (!parsed)
			return parsed.error();
		id = *parsed;
		return {};
	});
	if (!r)
		return r.error();
	if (!id)
		return bad_reply_error(request_name, "no reply message");
	return *id;
}

} // namespace ktr::nl
