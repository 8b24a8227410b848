// SPDX-License-Identifier: MIT
//
// ktr::Control: the control-plane client, a generic netlink socket talking
// to the "ktr" family of the loaded module (see uapi/ktr.h).
//
//	auto ctl = ktr::Control::open();
//	if (!ctl) { report(ctl.error()); ... }
//	auto info = ctl->get_info();
//
// open() fails with module_not_loaded_error() when the family does not
// exist; get_info() fails with abi_mismatch_error() when the module speaks
// another ABI major. Requests time out after reply_timeout.
#ifndef KTR_CONTROL_H
#define KTR_CONTROL_H

#include <chrono>
#include <cstdint>
#include <memory>

#include "ktr/info.h"
#include "ktr/result.h"
#include "ktr/selftest.h"

struct nl_sock;

namespace ktr {

class Control {
public:
	static constexpr std::chrono::seconds reply_timeout{5};

	/// Connect a generic netlink socket and resolve the "ktr" family.
	static Result<Control> open();

	/// KTR_CMD_GET_INFO.
	Result<Info> get_info();

	/// KTR_CMD_SELFTEST: blocks while the test runs. The reply timeout is
	/// raised for this request to the duration plus selftest_grace.
	Result<SelftestResult> selftest(const SelftestRequest &req);

	/// How much longer than the duration to wait for the self-test reply
	/// (set-up, the final drain and checks: slow on a debug kernel).
	static constexpr std::chrono::seconds selftest_grace{60};

	/// The resolved family id (for diagnostics).
	[[nodiscard]] std::uint16_t family_id() const noexcept { return family_; }

	Control(Control &&) noexcept = default;
	Control &operator=(Control &&) noexcept = default;
	Control(const Control &) = delete;
	Control &operator=(const Control &) = delete;
	~Control() = default;

private:
	struct SockFree {
		void operator()(nl_sock *sock) const noexcept;
	};

	Control(std::unique_ptr<nl_sock, SockFree> sock, std::uint16_t family) noexcept
		: sock_(std::move(sock)), family_(family) {}

	std::unique_ptr<nl_sock, SockFree> sock_;
	std::uint16_t family_;
};

} // namespace ktr

#endif // KTR_CONTROL_H
