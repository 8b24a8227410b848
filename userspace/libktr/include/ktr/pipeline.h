// SPDX-License-Identifier: MIT
//
// The event pipeline that ktr-read, ktr record and ktr report all run:
//
//	source (source.h) -> decode (decode.h) -> merge by time (merge.h) -> sinks (sink.h)
//	live streams          checks every byte     only when a sink takes      text, JSON Lines,
//	or a capture file     counts (read_stats.h)  merged items               capture file
//
//	LiveSource src = ...;               // or CaptureSource
//	StringOutput out;                    // or FdOutput(STDOUT_FILENO)
//	LineSink text(LineFormat::Text, out);
//	Sink *sinks[] = {&text};
//	Result<PipelineResult> r = run_pipeline(src, sinks, opt);
//
// What goes wrong on the way is counted the same whatever the source: a
// sub-buffer that does not decode is refused (a live source skips it and
// goes on, a capture source stops there: the rest of a damaged file cannot
// be trusted); an event a sink cannot write is reported through
// opt.warn and counted, and the stream goes on.
#ifndef KTR_PIPELINE_H
#define KTR_PIPELINE_H

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ktr/read_stats.h"
#include "ktr/result.h"
#include "ktr/sink.h"
#include "ktr/source.h"

namespace ktr {

struct PipelineOptions {
	/// Stop after this many events written by the merged sinks (without
	/// any: after the sub-buffer that reaches it).
	std::optional<std::uint64_t> count;
	/// Receives one line per problem that does not stop the pipeline (no
	/// program name); unset: they are only counted.
	std::function<void(const std::string &)> warn;
	/// Called after each sub-buffer kept, with the counts so far (one per
	/// CPU of the source): a progress display (progress.h). Unset: nothing.
	std::function<void(const std::vector<ReadStats> &)> progress;
};

struct PipelineResult {
	std::vector<ReadStats> cpus;		// one per CPU of the source
	std::uint64_t skipped_subbufs = 0;	// refused and skipped
	std::uint64_t event_errors = 0;		// events a sink could not write
	std::optional<Error> damage;		// see SourceEnd::damage

	/// One line for the errors counted above ("some sub-buffers could not
	/// be decoded (see above)"), or nullopt when there were none.
	[[nodiscard]] std::optional<std::string> error_summary() const;
};

/// Run @source to its end through decode and merge into @sinks. An Error:
/// something that stops the pipeline (the source failed, a sink could not
/// start or write); the sinks may then be incomplete.
Result<PipelineResult> run_pipeline(Source &source, std::span<Sink *const> sinks,
				    const PipelineOptions &opt = {});

} // namespace ktr

#endif // KTR_PIPELINE_H
