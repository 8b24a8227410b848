// SPDX-License-Identifier: MIT
//
// How a request reaches the kernel and its answer comes back: the seam
// under the protocol layer. NetlinkTransport (netlink_transport.h) is the
// real one, a libnl generic netlink socket; unit tests put a fake here and
// script what "the kernel" answers.
#ifndef KTR_PROTO_TRANSPORT_H
#define KTR_PROTO_TRANSPORT_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "ktr/result.h"

struct nl_msg;

namespace ktr::proto {

/// How the kernel ended an exchange: errnum 0 when it acknowledged the
/// request (or completed the dump); else its errno (positive), its
/// extended-ack message ("" if none) and the offset in the request of the
/// attribute it complains about (NLMSGERR_ATTR_OFFS), if any.
struct KernelAnswer {
	int errnum = 0;
	std::string extack;
	std::optional<std::uint32_t> extack_offset;
};

/// Called for every reply message of an exchange, in order.
using MessageSink = std::function<void(nl_msg *reply)>;

class Transport {
public:
	virtual ~Transport() = default;

	/// Send @request (a complete generic netlink message with its family,
	/// command and flags; NLM_F_DUMP for a dump) and hand every reply
	/// message to @sink until the kernel acknowledges it, fails it, or
	/// ends the dump. A local failure (socket, timeout) is an Error naming
	/// @name ("KTR_CMD_GET_INFO"); the kernel's own answer is a
	/// KernelAnswer. An exception thrown by @sink propagates after the
	/// exchange is read to its end (or abandoned).
	virtual Result<KernelAnswer> exchange(nl_msg *request, std::string_view name,
					      const MessageSink &sink) = 0;

	/// How long to wait for a reply from now on.
	virtual Result<void> set_reply_timeout(std::chrono::milliseconds timeout) = 0;

	Transport() = default;
	Transport(const Transport &) = delete;
	Transport &operator=(const Transport &) = delete;
};

} // namespace ktr::proto

#endif // KTR_PROTO_TRANSPORT_H
