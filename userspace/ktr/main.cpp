// SPDX-License-Identifier: MIT
//
// ktr: control the ktr kernel tracer.
#include <CLI/CLI.hpp>

#include "cli_main.h"
#include "commands.h"
#include "ktr/version.h"

int main(int argc, char **argv)
{
	CLI::App app{"ktr controls the ktr kernel tracer: a loadable kernel module\n"
		     "(ktr.ko) that records kernel events into per-CPU ring buffers.\n"
		     "Events are streamed with ktr-read.",
		     "ktr"};
	app.set_version_flag("--version", ktr::version_line("ktr"),
			     "Print the tool version and the ktr ABI it was built for");
	app.require_subcommand(1);

	ktr::cmd::setup_info(app);
	ktr::cmd::setup_list(app);
	ktr::cmd::setup_enable(app);
	ktr::cmd::setup_disable(app);
	ktr::cmd::setup_tracing(app);
	ktr::cmd::setup_stat(app);
	ktr::cmd::setup_buffer(app);
	ktr::cmd::setup_filter(app);
	ktr::cmd::setup_record(app);
	ktr::cmd::setup_profile(app);
	ktr::cmd::setup_attach(app);
	ktr::cmd::setup_detach(app);
	ktr::cmd::setup_funclat(app);
	ktr::cmd::setup_probe(app);
	ktr::cmd::setup_tracer(app);
	ktr::cmd::setup_latency(app);
	ktr::cmd::setup_selftest(app);
	ktr::cmd::setup_report(app);
	ktr::cmd::setup_hist(app);
	ktr::cmd::setup_marker(app);

	// After the subcommands, which would inherit it.
	app.footer("Run 'ktr <command> --help' for the options of a command.\n"
		   "Controlling ktr needs CAP_PERFMON or CAP_SYS_ADMIN.");

	return ktr::cli::run(app, argc, argv);
}
