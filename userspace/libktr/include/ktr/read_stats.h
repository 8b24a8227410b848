// SPDX-License-Identifier: MIT
//
// Read statistics: per CPU, what a pipeline read (sub-buffers, events,
// record bytes, events the sub-buffers report lost) next to the kernel's
// own counters, so that a loss is never silent. The pipeline counts them
// (pipeline.h); ktr-read, ktr record and ktr report print them with the
// formatters below.
#ifndef KTR_READ_STATS_H
#define KTR_READ_STATS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ktr_ringbuf.h>

#include "ktr/decode.h"

namespace ktr {

/// One CPU's read statistics.
struct ReadStats {
	unsigned cpu = 0;
	std::uint64_t subbufs = 0;
	std::uint64_t events = 0;
	std::uint64_t bytes = 0;	// record bytes (hdr.commit)
	std::uint64_t lost = 0;		// reported by sub-buffer headers
	/// The module's counters at the end: from the meta page (live), or
	/// from the capture's STATS chunk (absent when the file has none).
	std::optional<ktr_rb_cpu_stats> kernel;

	void add(const DecodedSubbuf &sb) noexcept;
};

/// The table ktr-read and ktr record print on stderr: a title naming
/// @tool, one row per CPU and a total.
std::string format_read_stats(std::string_view tool, const std::vector<ReadStats> &cpus);

/// The lines ktr report prints on stderr: "CPU N: E events, B bytes, L lost"
/// and, when the capture has the kernel's counters, " (kernel: W written,
/// L lost)"; CPUs with no sub-buffer and no counters are left out.
std::string format_capture_stats(const std::vector<ReadStats> &cpus);

} // namespace ktr

#endif // KTR_READ_STATS_H
