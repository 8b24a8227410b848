// SPDX-License-Identifier: MIT
#include "ktr/control.h"

#include <cerrno>
#include <optional>
#include <string_view>

#include <netlink/genl/genl.h>
#include <netlink/socket.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <ktr.h>

#include "extack.h"
#include "genl_family.h"
#include "genl_transact.h"
#include "ktr/errors.h"
#include "nl_errno.h"
#include "nl_handles.h"

namespace ktr {

void Control::SockFree::operator()(nl_sock *sock) const noexcept
{
	nl_socket_free(sock);
}

Result<Control> Control::open()
{
	std::unique_ptr<nl_sock, SockFree> sock{nl_socket_alloc()};
	if (!sock)
		return Error{ENOMEM, "out of memory"};
	if (const int rc = genl_connect(sock.get()); rc < 0)
		return nl::libnl_error(rc, "cannot open a generic netlink socket");

	const int fd = nl_socket_get_fd(sock.get());
	nl::enable_extack(fd);
	const timeval timeout{.tv_sec = reply_timeout.count(), .tv_usec = 0};
	if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout)) < 0)
		return Error{errno, "cannot set a reply timeout on the netlink socket"};

	Result<std::uint16_t> family = nl::resolve_family(sock.get(), KTR_GENL_NAME);
	if (!family) {
		if (family.error().errnum() == ENOENT)
			return module_not_loaded_error();
		return family.error();
	}
	return Control{std::move(sock), *family};
}

Result<Info> Control::get_info()
{
	constexpr std::string_view name = "KTR_CMD_GET_INFO";

	const nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg)
		return Error{ENOMEM, "out of memory"};
	if (!genlmsg_put(msg.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family_, 0, 0, KTR_CMD_GET_INFO,
			 KTR_GENL_VERSION))
		return Error{ENOMEM, "cannot build KTR_CMD_GET_INFO"};

	std::optional<Info> info;
	const Result<void> r = nl::transact(sock_.get(), msg.get(), name,
					    [&](nl_msg *reply) -> Result<void> {
		Result<Info> parsed = parse_info_reply(reply);
		if (!parsed)
			return parsed.error();
		info = std::move(*parsed);
		return {};
	});
	if (!r)
		return r.error();
	if (!info)
		return bad_reply_error(name, "no reply message");
	return std::move(*info);
}

} // namespace ktr
