// SPDX-License-Identifier: MIT
//
// Netlink extended acknowledgements: with NETLINK_EXT_ACK set on the socket,
// the kernel appends TLVs (NLMSGERR_ATTR_*) to its NLMSG_ERROR messages, the
// most useful being NLMSGERR_ATTR_MSG, a human-readable reason. libnl 3.7 has
// no API for them, so libktr digs them out itself.
#ifndef KTR_EXTACK_H
#define KTR_EXTACK_H

#include <cstdint>
#include <optional>
#include <string>

struct nlmsghdr;

namespace ktr::nl {

/// Turn on extended acks (and capped acks: errors do not echo the request)
/// on netlink socket @fd. Best effort: old kernels simply send no TLVs.
void enable_extack(int fd) noexcept;

/// The NLMSGERR_ATTR_MSG text of NLMSG_ERROR message @nlh (whose nlmsg_len
/// bytes must be readable), or "" when it carries none or is malformed.
std::string extack_message(const nlmsghdr *nlh);

/// The NLMSGERR_ATTR_OFFS of @nlh: the byte offset, in the request, of the
/// attribute the kernel complains about; nullopt when it names none.
std::optional<std::uint32_t> extack_offset(const nlmsghdr *nlh);

} // namespace ktr::nl

#endif // KTR_EXTACK_H
