// SPDX-License-Identifier: MIT
//
// ktr::Info: what KTR_CMD_GET_INFO reports about the loaded module, and the
// parser for its reply. The parser is a pure function of the message, so it
// is unit-tested with messages built on the host.
#ifndef KTR_INFO_H
#define KTR_INFO_H

#include <cstdint>
#include <optional>
#include <string>

#include "ktr/result.h"

struct nl_msg;

namespace ktr {

/// A (record clock, CLOCK_MONOTONIC) pair sampled at the same instant.
struct InfoClock {
	std::uint64_t local_ns = 0;
	std::uint64_t mono_ns = 0;

	bool operator==(const InfoClock &) const = default;
};

struct Info {
	std::uint32_t abi_major = 0;
	std::uint32_t abi_minor = 0;
	std::string module_version;
	std::uint32_t cpus_possible = 0;
	std::uint32_t cpus_online = 0;
	std::uint32_t subbuf_size = 0;	// sub-buffer size, bytes (minor 4: current)
	std::uint32_t nr_subbufs = 0;	// sub-buffers per CPU (minor 4: current)
	std::string kernel_release;
	// ABI minor 2: the trace buffer (absent from older modules).
	std::optional<std::uint32_t> buffer_mode;	// enum ktr_rb_mode
	std::optional<InfoClock> clock;
	// ABI minor 4: tracing on (true) or stopped.
	std::optional<bool> tracing_on;

	bool operator==(const Info &) const = default;
};

/// Longest string attribute accepted in a GET_INFO reply, NUL included.
inline constexpr std::uint16_t info_string_max = 256;

/// Parse a KTR_CMD_GET_INFO reply (a complete generic netlink message).
///
/// Checks the ABI major first (another major → abi_mismatch_error(), even if
/// the rest of the message looks different), then every known attribute
/// against libktr's attribute table (u32 exactly 4 bytes, strings
/// NUL-terminated and at most info_string_max bytes) and requires those of
/// ABI 1.0. Unknown attributes (a newer ABI minor) are ignored. Errors name
/// the attribute.
Result<Info> parse_info_reply(nl_msg *reply);

} // namespace ktr

#endif // KTR_INFO_H
