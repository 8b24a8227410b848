// SPDX-License-Identifier: MIT
//
// ktr stat [--json]: the per-CPU counters of the trace buffer
// (KTR_CMD_GET_STATS), like trace-cmd stat, with a total row; in text,
// when dynamic probes exist, a short section of their missed hits (the
// kernel's nmissed: hits that could not reach ktr).
#include <cerrno>
#include <iostream>
#include <memory>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/probes.h"
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
	if (opt.json)
		return;
	// A module without probes (ABI minor < 5) has nothing to add.
	Result<std::vector<ProbeInfo>> probes = ctl.list_probes();
	if (!probes && probes.error().errnum() == EOPNOTSUPP)
		return;
	if (const std::string section = format_probe_stats(cli::or_fail(std::move(probes)));
	    !section.empty())
		std::cout << '\n' << section;
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
