// SPDX-License-Identifier: MIT
//
// Netlink messages built on the host, as the kernel would send them, for the
// parser tests.
#ifndef KTR_TEST_MESSAGES_H
#define KTR_TEST_MESSAGES_H

#include <cstdint>
#include <functional>
#include <set>
#include <string_view>

#include <ktr.h>

#include "ktr/info.h"
#include "ktr/selftest.h"
#include "nl_handles.h"

namespace ktr::test {

/// An arbitrary family id, as the kernel would assign it.
inline constexpr int test_family_id = 0x1d;

/// The values a healthy module would report.
Info sample_info();

/// A KTR_CMD_GET_INFO reply. By default complete and valid for ABI 1.0 with
/// sample_info(); each knob spoils it in one way.
struct InfoReply {
	Info info = sample_info();
	std::uint8_t cmd = KTR_CMD_GET_INFO;
	std::set<int> omit;			// attribute types left out
	std::function<void(nl_msg *)> extra;	// called after the regular attributes

	[[nodiscard]] nl::MsgPtr build() const;
};

/// The counters of a healthy self-test run.
SelftestResult sample_selftest();

/// A KTR_CMD_SELFTEST reply, complete and valid for ABI 1.1 with
/// sample_selftest() by default; each knob spoils it in one way.
struct SelftestReply {
	SelftestResult result = sample_selftest();
	std::uint8_t cmd = KTR_CMD_SELFTEST;
	std::set<int> omit;			// attribute types left out
	std::function<void(nl_msg *)> extra;	// called after the regular attributes

	[[nodiscard]] nl::MsgPtr build() const;
};

/// An NLMSG_ERROR message answering @request with -@errnum; @capped drops
/// the request payload, @ext_msg (if non-empty) becomes NLMSGERR_ATTR_MSG.
nl::MsgPtr error_message(nl_msg *request, int errnum, bool capped, std::string_view ext_msg);

} // namespace ktr::test

#endif // KTR_TEST_MESSAGES_H
