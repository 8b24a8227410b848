// SPDX-License-Identifier: MIT
//
// The source of ktr-read and ktr record: one Stream (device.h) per selected
// CPU of /dev/ktr, sub-buffers taken as they fill (poll at the watermark)
// and handed over in place, zero-copy, until a stop is asked for, the
// duration passes or the sinks are satisfied (pipeline.h).
//
// Order across CPUs: every flush_interval the source flushes each CPU and
// notes the CPU's flush_ts (meta page). An event that was not in a
// sub-buffer sealed by that flush has a time at or after it, so once the
// next round has read everything, all events before the smallest flush_ts
// of the previous round are in hand (safe_until). A round of lag covers
// writers that a flush interrupted (they publish when they finish). Memory
// is what two rounds bring in.
//
// Loss: each sub-buffer's lost count becomes a "[LOST n EVENTS]" item at its
// place. Events dropped after the last sub-buffer are reported by the
// kernel in an empty sub-buffer that a flush starts (uapi/ktr.h): the end
// flushes and drains twice, so the stream accounts for every loss.
//
// A sub-buffer that does not decode is skipped with a message; the kernel
// writes the next one independently. Stack addresses are named from this
// machine's /proc/kallsyms: the traced kernel is the running one.
#ifndef KTR_LIVE_SOURCE_H
#define KTR_LIVE_SOURCE_H

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ktr/capture.h"
#include "ktr/device.h"
#include "ktr/event_format.h"
#include "ktr/flush_bound.h"
#include "ktr/source.h"

namespace ktr {

struct LiveOptions {
	std::vector<unsigned> cpus;	// empty: every possible CPU
	std::uint32_t watermark = 1;
	std::chrono::nanoseconds flush_interval = std::chrono::milliseconds(200);
	std::optional<std::chrono::nanoseconds> duration;
	/// Set (say, from a signal handler) to stop; checked between polls,
	/// which a signal interrupts.
	const std::atomic<bool> *stop = nullptr;
	/// Receives notes that do not stop the source (one line, no program
	/// name): a module too old to list its event formats.
	std::function<void(const std::string &)> note;
};

class LiveSource final : public Source {
public:
	/// Open /dev/ktr, learn the module's event formats (KTR_CMD_LIST_EVENTS;
	/// before ABI 1.3, the built-in ones, with a note) and open the stream
	/// of every selected CPU. @opt must outlive the source.
	static Result<LiveSource> open(const LiveOptions &opt);

	[[nodiscard]] const CaptureInfo &info() const noexcept override { return info_; }
	[[nodiscard]] const std::vector<unsigned> &cpus() const noexcept override { return cpu_ids_; }
	[[nodiscard]] Symbolizer symbolizer() const override;
	Result<SourceEnd> run(SourceOutput &out) override;

	LiveSource(LiveSource &&) noexcept = default;
	LiveSource &operator=(LiveSource &&) = delete;
	LiveSource(const LiveSource &) = delete;
	LiveSource &operator=(const LiveSource &) = delete;
	~LiveSource() override = default;

private:
	struct Cpu {
		Stream stream;
		FlushBound bound;			// from the flush_ts of the rounds so far
		std::uint64_t prev_flush_end = 0;	// flush_end of the previous round
	};

	LiveSource(const LiveOptions &opt, Device dev, std::vector<Cpu> cpus, CaptureInfo info);
	Result<void> drain(SourceOutput &out, Cpu &c);
	Result<void> drain_all(SourceOutput &out);
	Result<void> flush_round(SourceOutput &out);
	Result<void> finish(SourceOutput &out);
	[[nodiscard]] bool done(const SourceOutput &out) const;

	const LiveOptions &opt_;
	Device dev_;
	std::vector<Cpu> cpus_;
	std::vector<unsigned> cpu_ids_;
	CaptureInfo info_;
};

} // namespace ktr

#endif // KTR_LIVE_SOURCE_H
