// SPDX-License-Identifier: MIT
//
// The streaming loop of ktr-read: one Stream per selected CPU, sub-buffers
// taken as they fill (poll at the watermark) and decoded in place, merged
// across CPUs by timestamp, written as text, JSON Lines or a capture file.
//
// Order across CPUs: every flush_interval the reader flushes each CPU and
// notes the CPU's flush_ts (meta page). An event that was not in a
// sub-buffer sealed by that flush has a time at or after it, so once the
// next round has read everything, all events before the smallest flush_ts
// of the previous round are in hand: they are emitted, the rest waits. A
// round of lag covers writers that a flush interrupted (they publish
// when they finish). Memory is what two rounds bring in.
//
// Loss: each sub-buffer's lost count becomes a "[LOST n EVENTS]" item at its
// place. Events dropped after the last sub-buffer are reported by the
// kernel in an empty sub-buffer that a flush starts (uapi/ktr.h), so the
// stream accounts for every loss once the final flushes are drained.
#ifndef KTR_READ_LIVE_READER_H
#define KTR_READ_LIVE_READER_H

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ktr/result.h"

namespace ktr::read {

struct ReadOptions {
	std::string output;	// capture file; empty: text/JSON on stdout
	bool json = false;
	std::optional<std::chrono::nanoseconds> duration;
	std::optional<std::uint64_t> count;
	std::vector<unsigned> cpus;	// empty: every possible CPU
	std::uint32_t watermark = 1;
	std::chrono::nanoseconds flush_interval = std::chrono::milliseconds(200);
	bool quiet = false;		// no statistics on stderr
};

/// Stream until SIGINT/SIGTERM, the duration or the count. Returns the exit
/// status (0, or 1 when a sub-buffer could not be decoded); an Error for
/// failures that stop it (no module, no permission, output not writable).
Result<int> run_live(const ReadOptions &opt);

/// Ask run_live() to stop (async-signal-safe).
void request_stop() noexcept;

} // namespace ktr::read

#endif // KTR_READ_LIVE_READER_H
