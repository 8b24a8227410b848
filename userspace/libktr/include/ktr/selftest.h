// SPDX-License-Identifier: MIT
//
// KTR_CMD_SELFTEST: the ring buffer's in-kernel self-test (see uapi/ktr.h).
// The request, the counters of its reply with their parser (a pure function
// of the message, unit-tested on the host), and how `ktr selftest` shows
// them.
#ifndef KTR_SELFTEST_H
#define KTR_SELFTEST_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ktr/result.h"

struct nl_msg;

namespace ktr {

enum class BufferMode : std::uint32_t { discard = 0, overwrite = 1 };

/// "discard" / "overwrite".
std::string_view mode_name(BufferMode mode);
/// The inverse of mode_name(); EINVAL for anything else.
Result<BufferMode> parse_mode(std::string_view text);

/// What to ask for; unset fields take the module's defaults.
struct SelftestRequest {
	std::optional<BufferMode> mode;
	std::optional<std::uint32_t> subbuf_size;
	std::optional<std::uint32_t> nr_subbufs;
	std::optional<std::uint32_t> duration_ms;
};

struct SelftestResult {
	std::uint32_t mode = 0;		// enum ktr_rb_mode as the module used it
	std::uint32_t subbuf_size = 0;
	std::uint32_t nr_subbufs = 0;
	std::uint32_t duration_ms = 0;
	std::uint32_t cpus = 0;
	std::uint32_t elapsed_ms = 0;
	std::uint64_t written = 0;
	std::uint64_t read = 0;
	std::uint64_t bytes = 0;
	std::uint64_t lost_full = 0;
	std::uint64_t lost_overwritten = 0;
	std::uint64_t lost_nesting = 0;
	std::uint64_t lost_disabled = 0;
	std::uint64_t lost_reported = 0;
	std::uint64_t buffered = 0;
	std::uint64_t subbufs_read = 0;
	std::uint64_t subbufs_overwritten = 0;
	std::uint64_t hardirq_written = 0;
	std::uint64_t nested = 0;
	std::uint64_t flushes = 0;
	std::uint64_t long_events = 0;
	std::uint64_t time_records = 0;
	std::uint64_t errors = 0;
	std::string error;	// the first problem, "" when errors == 0

	/// Every way an event was lost.
	[[nodiscard]] std::uint64_t lost() const noexcept
	{
		return lost_full + lost_overwritten + lost_nesting + lost_disabled;
	}
	/// The only pass: no error found.
	[[nodiscard]] bool passed() const noexcept { return errors == 0; }

	bool operator==(const SelftestResult &) const = default;
};

/// Longest KTR_ATTR_SELFTEST_ERROR accepted, NUL included.
inline constexpr std::uint16_t selftest_error_max = 1024;

/// Parse a KTR_CMD_SELFTEST reply (a complete generic netlink message).
/// Every counter is required (u32 exactly 4 bytes, u64 exactly 8);
/// KTR_ATTR_SELFTEST_ERROR is required when ERRORS > 0. Unknown attributes
/// are ignored. Errors (EPROTO) name the attribute.
Result<SelftestResult> parse_selftest_reply(nl_msg *reply);

/// Aligned "key: value" lines, ending with a "verdict:" line.
std::string format_selftest_text(const SelftestResult &r);

/// One JSON object on one line (keys as the SelftestResult fields, plus
/// "mode" as a name, "lost" and "verdict": "pass" / "fail").
std::string format_selftest_json(const SelftestResult &r);

} // namespace ktr

#endif // KTR_SELFTEST_H
