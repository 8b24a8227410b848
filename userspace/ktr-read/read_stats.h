// SPDX-License-Identifier: MIT
//
// Per-CPU statistics ktr-read prints on exit: what it read next to what the
// kernel counted, so that a loss is never silent.
#ifndef KTR_READ_READ_STATS_H
#define KTR_READ_READ_STATS_H

#include <cstdint>
#include <string>
#include <vector>

#include <ktr_ringbuf.h>

#include "ktr/decode.h"

namespace ktr::read {

struct CpuStats {
	unsigned cpu = 0;
	std::uint64_t subbufs = 0;
	std::uint64_t events = 0;
	std::uint64_t bytes = 0;	// record bytes (hdr.commit)
	std::uint64_t lost = 0;		// reported by sub-buffer headers
	ktr_rb_cpu_stats kernel{};	// the module's counters at the end

	void add(const DecodedSubbuf &sb) noexcept;
};

/// The table printed to stderr: one row per CPU and a total.
std::string format_read_stats(const std::vector<CpuStats> &cpus);

} // namespace ktr::read

#endif // KTR_READ_READ_STATS_H
