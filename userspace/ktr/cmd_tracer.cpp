// SPDX-License-Identifier: MIT
//
// ktr tracer                        the current tracer and its options
// ktr tracer list [--json]          every tracer, its options, the current one
// ktr tracer set NAME [--opt K=V]...
// Tracers (KTR_CMD_LIST_TRACERS / SET_TRACER, ABI minor 7): one is current
// at a time, like ftrace's current_tracer: nop (the default), function
// (kernel function entries through ftrace: --opt filter=GLOB), or one a
// module registered (ktr_register_tracer()). Its events are listed by
// `ktr list` (system: the tracer's name) and read by ktr-read like any.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/tracers.h"

namespace ktr::cmd {

namespace {

struct TracerOptions {
	std::string name;
	std::vector<std::string> opts;
	bool json = false;
};

void run_show()
{
	Control ctl = cli::or_fail(Control::open());
	std::cout << format_current_tracer(cli::or_fail(ctl.list_tracers()));
}

void run_list(const TracerOptions &o)
{
	Control ctl = cli::or_fail(Control::open());
	const std::vector<TracerInfo> tracers = cli::or_fail(ctl.list_tracers());
	std::cout << (o.json ? format_tracers_json(tracers) : format_tracers_text(tracers));
}

void run_set(const TracerOptions &o)
{
	if (Result<void> ok = check_tracer_name(o.name); !ok)
		throw cli::Failure(ok.error(), cli::exit_usage);
	Result<std::vector<TracerSetting>> settings = record_tracer_settings(o.name, {}, {}, o.opts);
	if (!settings)
		throw cli::Failure(settings.error(), cli::exit_usage);
	if (Result<std::string> blob = encode_tracer_settings(*settings); !blob)
		throw cli::Failure(blob.error(), cli::exit_usage);
	Control ctl = cli::or_fail(Control::open());
	const std::string now = cli::or_fail(ctl.set_tracer(o.name, *settings));
	std::cout << "current tracer: " << now << '\n';
}

} // namespace

void setup_tracer(CLI::App &app)
{
	auto o = std::make_shared<TracerOptions>();
	CLI::App *tracer = app.add_subcommand(
		"tracer", "Show, list or set the current tracer (nop, function, or one a "
			  "module registered)");
	tracer->callback([tracer] {
		if (tracer->get_subcommands().empty())
			run_show();
	});

	CLI::App *list = tracer->add_subcommand(
		"list", "Every tracer with its options; '*' marks the current one");
	list->add_flag("--json", o->json, "Print JSON Lines instead of text");
	list->callback([o] { run_list(*o); });

	CLI::App *set = tracer->add_subcommand(
		"set", "Make tracer NAME current (the previous one stops), with options "
		       "(see 'ktr tracer list')");
	set->add_option("name", o->name, "The tracer (e.g. nop, function)")
		->type_name("NAME")
		->required();
	set->add_option("--opt", o->opts,
			"An option of the tracer: KEY=VALUE (repeat it; e.g. "
			"--opt filter='vfs_*' for function)")
		->type_name("K=V");
	set->callback([o] { run_set(*o); });
}

} // namespace ktr::cmd
