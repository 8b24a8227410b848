// SPDX-License-Identifier: MIT
//
// The raw generic netlink client of the VM test tools (ktr-ctl-probe,
// ktr-fuzz): a socket bound to the "ktr" family, and one request with
// everything the kernel answered, below what libktr lets a user send.
#ifndef KTR_TOOLS_GENL_CLIENT_H
#define KTR_TOOLS_GENL_CLIENT_H

#include <functional>
#include <string>
#include <vector>

struct nl_msg;
struct nl_sock;

namespace ktr_tools {

/// Print "PROGRAM: @what" on stderr and exit 2.
[[noreturn]] void die(const std::string &what);

/// What the kernel answered: errno (0: success), extack message, and the
/// data messages (copied).
struct Answer {
	int err = 0;
	std::string msg;
	std::vector<std::vector<char>> replies;
};

struct Sock {
	nl_sock *sk = nullptr;
	int family = 0;

	/// @fd: a NETLINK_GENERIC socket opened elsewhere (-1: open one).
	/// Extended acks on, the "ktr" family resolved (die() without it).
	explicit Sock(int fd = -1);
	~Sock();
	Sock(const Sock &) = delete;
	Sock &operator=(const Sock &) = delete;
};

using Fill = std::function<void(nl_msg *)>;

/// Send command @cmd (a dump with @dump) with the attributes @fill puts.
void send_request(Sock &s, int cmd, bool dump, const Fill &fill);
/// Collect the answer to the request sent last, up to the ack or the end
/// of the dump.
Answer receive_answer(Sock &s);
/// Both: one request and its whole answer.
Answer transact(Sock &s, int cmd, bool dump, const Fill &fill);

} // namespace ktr_tools

#endif // KTR_TOOLS_GENL_CLIENT_H
