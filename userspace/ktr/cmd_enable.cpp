// SPDX-License-Identifier: MIT
//
// ktr enable EVENT_OR_GLOB...
// ktr disable EVENT_OR_GLOB...
// Start or stop recording events (KTR_CMD_ENABLE_EVENTS / _DISABLE_EVENTS):
// one request per argument, in order, each an event name, a glob over
// names ("sched_*", "*") or "system:glob" ("sched:*"). Prints what each
// matched; stops at the first argument that fails (those before it stay
// done). Markers are always recorded.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/errors.h"
#include "ktr/events.h"

namespace ktr::cmd {

namespace {

struct EnableOptions {
	std::vector<std::string> globs;
};

void run_set(const EnableOptions &opt, bool enable)
{
	Control ctl = cli::or_fail(Control::open());
	for (const std::string &glob : opt.globs) {
		const std::uint32_t n =
			cli::or_fail(enable ? ctl.enable_events(glob) : ctl.disable_events(glob));
		std::cout << (enable ? "enabled " : "disabled ") << n
			  << (n == 1 ? " event" : " events") << " matching '" << one_line(glob)
			  << "'\n";
	}
}

void setup_set(CLI::App &app, bool enable)
{
	auto opt = std::make_shared<EnableOptions>();
	CLI::App *sub = app.add_subcommand(
		enable ? "enable" : "disable",
		enable ? "Start recording events (see 'ktr list')"
		       : "Stop recording events (markers are always recorded)");
	sub->add_option("event", opt->globs,
			"Event names, globs over names (\"sched_*\", \"*\") or system:glob "
			"(\"sched:*\"); one request each, in order")
		->type_name("EVENT_OR_GLOB")
		->required()
		->check(cli::validator([](const std::string &t) { return check_event_glob(t); }));
	sub->callback([opt, enable] { run_set(*opt, enable); });
}

} // namespace

void setup_enable(CLI::App &app)
{
	setup_set(app, true);
}

void setup_disable(CLI::App &app)
{
	setup_set(app, false);
}

} // namespace ktr::cmd
