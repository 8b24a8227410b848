// SPDX-License-Identifier: MIT
//
// Control of tracing (ABI minor 4): start/stop, reset, per-CPU statistics,
// markers over netlink and the trace buffer's configuration. The parsers
// are pure functions of a message and the argument checks pure functions
// of text, unit-tested without a kernel; Control (ktr/control.h) sends the
// requests.
#ifndef KTR_TRACING_H
#define KTR_TRACING_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ktr/result.h"

struct nl_msg;

namespace ktr {

/// One message of the KTR_CMD_GET_STATS dump: a CPU's ring accounting
/// (struct ktr_rb_cpu_stats, uapi/ktr_ringbuf.h).
struct CpuStats {
	std::uint32_t cpu = 0;
	bool online = false;
	std::uint64_t written = 0;
	std::uint64_t bytes = 0;
	std::uint64_t read = 0;
	std::uint64_t buffered = 0;
	std::uint64_t lost_full = 0;
	std::uint64_t lost_overwritten = 0;
	std::uint64_t lost_nesting = 0;
	std::uint64_t lost_disabled = 0;
	std::uint64_t discarded = 0;
	std::uint64_t subbufs_written = 0;
	std::uint64_t subbufs_read = 0;
	std::uint64_t subbufs_overwritten = 0;

	/// Every lost_* counter summed.
	[[nodiscard]] std::uint64_t lost() const noexcept
	{
		return lost_full + lost_overwritten + lost_nesting + lost_disabled;
	}
	bool operator==(const CpuStats &) const = default;
};

/// Geometry and mode of the trace buffer (KTR_ATTR_BUFFER).
struct BufferConfig {
	std::uint32_t subbuf_size = 0;	// bytes
	std::uint32_t nr_subbufs = 0;	// per CPU
	std::uint32_t mode = 0;		// enum ktr_rb_mode

	bool operator==(const BufferConfig &) const = default;
};

/// What KTR_CMD_SET_BUFFER asks for: absent values stay as they are.
struct BufferRequest {
	std::optional<std::uint32_t> subbuf_size;
	std::optional<std::uint32_t> nr_subbufs;
	std::optional<std::uint32_t> mode;

	[[nodiscard]] bool empty() const noexcept
	{
		return !subbuf_size && !nr_subbufs && !mode;
	}
};

/// Parse one KTR_CMD_GET_STATS message: KTR_ATTR_CPU (u32), _CPU_ONLINE
/// (u8, 0/1) and KTR_ATTR_STATS (nested, every KTR_STATS_* counter a u64)
/// are required; unknown attributes are ignored. Errors (EPROTO) name the
/// attribute.
Result<CpuStats> parse_stats_message(nl_msg *msg);

/// The KTR_ATTR_TRACING_ON (u8, 0/1, required) of a reply to @cmd
/// (START, STOP or RESET); @name names the request.
Result<bool> parse_tracing_on_reply(nl_msg *reply, std::uint8_t cmd, std::string_view name);

/// The KTR_ATTR_BUFFER of a KTR_CMD_SET_BUFFER reply (all three required).
Result<BufferConfig> parse_buffer_reply(nl_msg *reply);

/// The KTR_ATTR_CPU (u32, required) of a KTR_CMD_WRITE_MARKER reply.
Result<std::uint32_t> parse_marker_reply(nl_msg *reply);

/// A size on the command line: a positive whole number of bytes with an
/// optional K, M or G suffix (binary: K = 1024; "KiB"/"k"/"KB" also
/// accepted), e.g. "4096", "64K", "1M". EINVAL names @what (if not empty)
/// and the text;
/// ERANGE above 4 GiB - 1.
Result<std::uint32_t> parse_size(std::string_view text, std::string_view what);

/// A sub-buffer count on the command line: a power of two in
/// [KTR_NR_SUBBUFS_MIN, _MAX], else EINVAL.
Result<std::uint32_t> parse_nr_subbufs(std::string_view text);

/// "discard" / "overwrite" / "unknown (N)".
std::string mode_text(std::uint32_t mode);

/// Checks what `ktr buffer` would send, as the module checks it, so that a
/// bad value fails before any request (EINVAL, one line naming the option):
/// sub-buffer size a power of two in [KTR_SUBBUF_SIZE_MIN, _MAX], count a
/// power of two in [KTR_NR_SUBBUFS_MIN, _MAX], at most
/// KTR_BUFFER_BYTES_PER_CPU_MAX per CPU with the spare; mode known.
/// @current fills what @req leaves out.
Result<void> check_buffer_request(const BufferRequest &req, const BufferConfig &current);

/// `--size-per-cpu SIZE` with the sub-buffer size @subbuf_size: the
/// sub-buffer count (SIZE / subbuf_size, a power of two, at least 2).
/// EINVAL when SIZE is not such a multiple, with the nearest choices.
Result<std::uint32_t> nr_subbufs_for(std::uint64_t size_per_cpu, std::uint32_t subbuf_size);

/// The table of `ktr stat`: one row per CPU (trace-cmd stat's numbers:
/// entries buffered, written, read, bytes, lost by reason, sub-buffers),
/// then a "total" row.
std::string format_stats_text(const std::vector<CpuStats> &stats);

/// JSON: {"cpus":[{cpu, online, counters...}], "total":{counters...}}.
std::string format_stats_json(const std::vector<CpuStats> &stats);

/// The sum of every counter of @stats (cpu = number of CPUs, online: any).
CpuStats stats_total(const std::vector<CpuStats> &stats);

} // namespace ktr

#endif // KTR_TRACING_H
