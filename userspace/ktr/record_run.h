// SPDX-License-Identifier: MIT
//
// A recording as `ktr record` runs it (cmd_record.cpp): reset, buffer size,
// filters and stacks, the tracer, the events, the command held until all is
// set, the live pipeline to the end, then everything undone. `ktr profile`
// runs the same with its own sink.
#ifndef KTR_RECORD_RUN_H
#define KTR_RECORD_RUN_H

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ktr/sink.h"
#include "output_format.h"
#include "record_output.h"

namespace ktr::cmd {

struct RecordOptions {
	std::vector<std::string> events;
	std::string tracer;
	std::vector<std::string> func_filter;
	std::vector<std::string> func_notrace;
	std::vector<std::string> tracer_opts;
	std::vector<std::string> filters;
	bool stack = false;
	std::vector<std::int32_t> pids;
	bool children = false;
	std::vector<std::string> comms;
	std::string cpus;
	std::string buffer_size;
	std::string output;
	std::string format;
	cli::OutputFormat output_format = cli::OutputFormat::Text;
	bool json = false;
	std::string duration;
	std::vector<std::string> command;
	RecordOutput dest;	// from output, json and command (record_output.h)
	// Which -e each -f / --stack follows (filled from the parse order).
	std::vector<std::optional<std::string>> filter_of_event;
	std::vector<bool> stack_of_event;
	// Events whose kernel stack to record without enabling them (a
	// tracer's events: the tracer is their switch).
	std::vector<std::string> stack_only;
	std::string who = "ktr record";	// prefixes its messages
};

/// Record as @o says into @custom_sink, or (null) into the sink the output
/// options name. Returns the exit code; throws cli::Failure when it cannot
/// start (everything it changed undone).
int run_record(const RecordOptions &o, Sink *custom_sink = nullptr);

} // namespace ktr::cmd

#endif // KTR_RECORD_RUN_H
