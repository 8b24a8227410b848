// SPDX-License-Identifier: MIT
//
// What the commands that run the event pipeline (ktr report, ktr hist,
// ktr-read) share on the command line: the --from/--to time window options
// and the verdict at the end of a run.
#ifndef KTR_CLI_PIPELINE_CLI_H
#define KTR_CLI_PIPELINE_CLI_H

#include <string>

#include <CLI/CLI.hpp>

#include "ktr/pipeline.h"

namespace ktr::cli {

/// --from T and --to T on @sub, checked by parse_time_bound().
void add_time_window(CLI::App *sub, std::string &from, std::string &to);

/// Throw Failure when the run of @res ended badly: the damage of a capture
/// file, then the errors the CPUs met (one line).
void fail_on_errors(const PipelineResult &res);

} // namespace ktr::cli

#endif // KTR_CLI_PIPELINE_CLI_H
