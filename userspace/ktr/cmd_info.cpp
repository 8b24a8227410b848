// SPDX-License-Identifier: MIT
//
// ktr info [--json]: what the loaded module reports about itself.
#include <iostream>
#include <memory>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/info_format.h"

namespace ktr::cmd {

namespace {

struct InfoOptions {
	bool json = false;
};

void run_info(const InfoOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	const Info info = cli::or_fail(ctl.get_info());
	std::cout << (opt.json ? format_info_json(info) : format_info_text(info));
}

} // namespace

void setup_info(CLI::App &app)
{
	auto opt = std::make_shared<InfoOptions>();
	CLI::App *sub = app.add_subcommand(
		"info", "Show the loaded ktr module: versions, kernel, CPUs, buffer geometry");
	sub->add_flag("--json", opt->json, "Print one JSON object instead of text");
	sub->callback([opt] { run_info(*opt); });
}

} // namespace ktr::cmd
