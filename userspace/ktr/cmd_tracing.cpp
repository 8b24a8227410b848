// SPDX-License-Identifier: MIT
//
// ktr start | stop | reset
// start/stop: switch recording on and off (KTR_CMD_START/_STOP; enabled
// events stay enabled, like ftrace's tracing_on). reset: every event off,
// the buffer emptied and its counters zeroed, tracing on (KTR_CMD_RESET;
// refused while ktr-read or another stream reader runs).
#include <iostream>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"

namespace ktr::cmd {

namespace {

void run_set_on(bool on)
{
	Control ctl = cli::or_fail(Control::open());
	const bool now = cli::or_fail(on ? ctl.start() : ctl.stop());
	std::cout << "tracing " << (now ? "on" : "off (stopped)") << '\n';
}

void run_reset()
{
	Control ctl = cli::or_fail(Control::open());
	if (Result<void> r = ctl.reset(); !r)
		throw cli::Failure(r.error());
	std::cout << "reset: every event disabled, buffer emptied, counters zeroed, tracing on\n";
}

} // namespace

void setup_tracing(CLI::App &app)
{
	app.add_subcommand("start", "Record events again after 'ktr stop'")->callback([] {
		run_set_on(true);
	});
	app.add_subcommand("stop",
			   "Stop recording (enabled events stay enabled; what they miss is "
			   "counted as 'stopped' in 'ktr stat')")
		->callback([] { run_set_on(false); });
	app.add_subcommand("reset",
			   "Disable every event, empty the buffer, zero its counters and start "
			   "tracing (stop readers first)")
		->callback([] { run_reset(); });
}

} // namespace ktr::cmd
