// SPDX-License-Identifier: MIT
//
// ktr stat [--json]: the per-CPU counters of the trace buffer
// (KTR_CMD_GET_STATS), like trace-cmd stat, with a total row.
#include <iostream>
#include <memory>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/tracing.h"

namespace ktr::cmd {

namespace {

struct StatOptions {
	bool json = false;
};

void run_stat(const StatOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	const std::vector<CpuStats> stats = cli::or_fail(ctl.get_stats());
	std::cout << (opt.json ? format_stats_json(stats) : format_stats_text(stats));
}

} // namespace

void setup_stat(CLI::App &app)
{
	auto opt = std::make_shared<StatOptions>();
	CLI::App *sub = app.add_subcommand(
		"stat", "Show the per-CPU counters of the trace buffer: buffered, read, lost");
	sub->add_flag("--json", opt->json, "Print one JSON object instead of a table");
	sub->callback([opt] { run_stat(*opt); });
}

} // namespace ktr::cmd
