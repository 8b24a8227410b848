// SPDX-License-Identifier: MIT
//
// The first stage of the event pipeline (pipeline.h): a Source delivers the
// raw sub-buffers of a trace, CPU by CPU in stream order, and says when
// everything up to a time is in hand, so that the merge may emit it.
//
//	live_source.h     the per-CPU streams of /dev/ktr (ktr-read, ktr record)
//	capture_source.h  a capture file (ktr report)
//
// A source pushes into a SourceOutput (the pipeline, which decodes, merges
// and feeds the sinks) until the trace ends: the live source polls the
// device, the capture source reads the file in the order the merge needs.
// It knows nothing of decoding or sinks: it hands bytes over and is told
// whether they were kept.
#ifndef KTR_SOURCE_H
#define KTR_SOURCE_H

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <ktr_ringbuf.h>

#include "ktr/capture.h"
#include "ktr/kallsyms.h"
#include "ktr/result.h"

namespace ktr {

/// Where a source's sub-buffers go (implemented by the pipeline).
class SourceOutput {
public:
	virtual ~SourceOutput() = default;

	/// The next sub-buffer of @cpu: all subbuf_size bytes as read, valid
	/// during the call only. An Error: the pipeline cannot go on (a sink
	/// failed), the source stops and returns it. A value holding an Error:
	/// this sub-buffer was refused (it does not decode, or comes out of
	/// order) and nothing of it was kept; the source decides whether that
	/// ends the trace or only this sub-buffer (then it calls skipped()).
	virtual Result<std::optional<Error>> subbuf(std::uint32_t cpu,
						    std::span<const std::byte> bytes) = 0;
	/// A refused sub-buffer the source goes past: @message (one line, no
	/// program name) is reported and counted.
	virtual void skipped(const std::string &message) = 0;
	/// Every item at or before @ts (local clock) has been handed over.
	virtual Result<void> safe_until(std::uint64_t ts) = 0;

	/// The end time of the last sub-buffer of @cpu kept (0: none yet): the
	/// CPU's next items cannot be earlier.
	[[nodiscard]] virtual std::uint64_t end_ts(std::uint32_t cpu) const = 0;
	/// The sinks want nothing more (their reader went away, or the event
	/// count was reached): a live source stops.
	[[nodiscard]] virtual bool satisfied() const = 0;
};

/// How a source's trace ended.
struct SourceEnd {
	/// The module's counters per CPU at the end, where known.
	std::map<unsigned, ktr_rb_cpu_stats> kernel;
	/// The trace stopped early at damage (a truncated capture file): what
	/// came before it was delivered; the caller reports it after the rest.
	std::optional<Error> damage;
};

class Source {
public:
	virtual ~Source() = default;

	/// What the trace is: CPUs, sub-buffer size, ABI, clock pair, event
	/// formats (the same fields a capture file's header holds).
	[[nodiscard]] virtual const CaptureInfo &info() const noexcept = 0;
	/// The CPUs it reads, ascending (the rows of the statistics).
	[[nodiscard]] virtual const std::vector<unsigned> &cpus() const noexcept = 0;
	/// Names the kernel addresses of stack events, when the source knows
	/// the traced kernel's symbols; empty when it does not.
	[[nodiscard]] virtual Symbolizer symbolizer() const { return {}; }

	/// Deliver the whole trace to @out, then say how it ended.
	virtual Result<SourceEnd> run(SourceOutput &out) = 0;
};

} // namespace ktr

#endif // KTR_SOURCE_H
