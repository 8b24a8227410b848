// SPDX-License-Identifier: MIT
//
// ktr attach TRACEPOINT [-n NARGS]
// ktr detach TRACEPOINT
// Raw attach (KTR_CMD_ATTACH_RAW / _DETACH_RAW): record the raw arguments
// of any tracepoint of the kernel or of a loaded module, as event
// "raw:TRACEPOINT" (enabled at once; see 'ktr list raw:*'), and stop.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/errors.h"
#include "ktr/raw.h"

namespace ktr::cmd {

namespace {

struct AttachOptions {
	std::string name;
	std::uint32_t nargs = raw_nargs_max;
};

void run_attach(const AttachOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	if (Result<void> r = ctl.attach_raw(opt.name, opt.nargs); !r)
		throw cli::Failure(r.error());
	std::cout << "attached raw:" << opt.name << " (" << opt.nargs
		  << (opt.nargs == 1 ? " argument" : " arguments") << ")\n";
}

void run_detach(const AttachOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	if (Result<void> r = ctl.detach_raw(opt.name); !r)
		throw cli::Failure(r.error());
	std::cout << "detached raw:" << strip_raw_system(opt.name) << '\n';
}

} // namespace

void setup_attach(CLI::App &app)
{
	auto opt = std::make_shared<AttachOptions>();
	CLI::App *sub = app.add_subcommand(
		"attach", "Record the raw arguments of a tracepoint (of the kernel or a loaded "
			  "module) as event raw:TRACEPOINT");
	sub->add_option("tracepoint", opt->name,
			"The tracepoint's name, without a system (sched_switch, sys_enter)")
		->type_name("TRACEPOINT")
		->required()
		->check(cli::validator(
			[](const std::string &t) { return check_tracepoint_name(t); }));
	sub->add_option("-n,--nargs", opt->nargs,
			"Arguments to record, 0-6 (default 6); those beyond the tracepoint's "
			"own are meaningless")
		->type_name("NARGS")
		->check(CLI::Range(0U, raw_nargs_max));
	sub->callback([opt] { run_attach(*opt); });
}

void setup_detach(CLI::App &app)
{
	auto opt = std::make_shared<AttachOptions>();
	CLI::App *sub = app.add_subcommand("detach", "Stop recording a raw event and remove it");
	sub->add_option("tracepoint", opt->name, "The tracepoint's name (raw: prefix allowed)")
		->type_name("TRACEPOINT")
		->required()
		->check(cli::validator([](const std::string &t) {
			return check_tracepoint_name(strip_raw_system(t));
		}));
	sub->callback([opt] { run_detach(*opt); });
}

} // namespace ktr::cmd
