// SPDX-License-Identifier: MIT
#include "extack.h"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <cstring>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <sys/socket.h>

namespace ktr::nl {

void enable_extack(int fd) noexcept
{
	const int one = 1;
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one));
	(void)setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one));
}

/*
 * Layout of an NLMSG_ERROR message (see netlink_ack() in the kernel):
 *
 *   struct nlmsghdr          type NLMSG_ERROR, flags NLM_F_ACK_TLVS [| NLM_F_CAPPED]
 *   struct nlmsgerr          error + the header of the request
 *   request payload          only without NLM_F_CAPPED, padded to NLMSG_ALIGNTO
 *   struct nlattr ...        NLMSGERR_ATTR_MSG, NLMSGERR_ATTR_OFFS, ...
 */
namespace {

// The NLMSGERR_ATTR_* TLVs of NLMSG_ERROR message @nlh, or nullptr.
const nlattr *extack_attrs(const nlmsghdr *nlh, int *len)
{
	constexpr std::size_t err_len = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(nlmsgerr));

	if (nlh->nlmsg_type != NLMSG_ERROR || !(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return nullptr;
	const std::size_t total = nlh->nlmsg_len;
	if (total < err_len)
		return nullptr;

	const auto *bytes = reinterpret_cast<const unsigned char *>(nlh);
	nlmsgerr err;
	std::memcpy(&err, bytes + NLMSG_HDRLEN, sizeof(err));

	std::size_t offset = err_len;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
		if (err.msg.nlmsg_len < NLMSG_HDRLEN)
			return nullptr;
		offset += NLMSG_ALIGN(err.msg.nlmsg_len - NLMSG_HDRLEN);
	}
	if (offset >= total)
		return nullptr;
	*len = static_cast<int>(total - offset);
	return reinterpret_cast<const nlattr *>(bytes + offset);
}

} // namespace

std::optional<std::uint32_t> extack_offset(const nlmsghdr *nlh)
{
	int len = 0;
	const nlattr *attrs = extack_attrs(nlh, &len);
	if (!attrs)
		return std::nullopt;
	const nlattr *offs = nla_find(attrs, len, NLMSGERR_ATTR_OFFS);
	if (!offs || nla_len(offs) != sizeof(std::uint32_t))
		return std::nullopt;
	std::uint32_t v;
	std::memcpy(&v, nla_data(offs), sizeof(v));
	return v;
}

std::string extack_message(const nlmsghdr *nlh)
{
	int len = 0;
	const nlattr *attrs = extack_attrs(nlh, &len);
	if (!attrs)
		return {};
	const nlattr *msg = nla_find(attrs, len, NLMSGERR_ATTR_MSG);
	if (!msg || nla_len(msg) <= 0)
		return {};
	const auto *text = static_cast<const char *>(nla_data(msg));
	return {text, strnlen(text, static_cast<std::size_t>(nla_len(msg)))};
}

} // namespace ktr::nl
