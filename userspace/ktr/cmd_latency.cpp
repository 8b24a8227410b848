// SPDX-License-Identifier: MIT
//
// ktr latency [--json]              the latency tracer's maximum, its task,
//                                   the histogram and the worst-case trace
// ktr latency --watch [--count N] [--timeout D] [--json]
//                                   print each new-maximum notice
// Wakeup latency (KTR_CMD_GET_LATENCY, ABI minor 8): the tracers wakeup
// and wakeup_rt (`ktr tracer set wakeup [--opt threshold=NS]`) measure the
// time from a task's wakeup to the switch onto it; their data stay
// readable after they stop, until a latency tracer is set again.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/duration.h"
#include "ktr/event_print.h"
#include "ktr/events.h"
#include "ktr/latency.h"
#include "ktr/latency_watch.h"
#include "stop_signals.h"

namespace ktr::cmd {

namespace {

struct LatencyOptions {
	bool json = false;
	bool watch = false;
	std::uint64_t count = 0;	// --watch: stop after this many (0: never)
	std::string timeout;		// --watch: give up after this long
};

void run_show(const LatencyOptions &o)
{
	Control ctl = cli::or_fail(Control::open());
	const LatencyReport report = cli::or_fail(ctl.get_latency());
	// The trace's events are printed as ktr-read prints them: with the
	// module's formats, times on CLOCK_MONOTONIC.
	const FormatTable formats = cli::or_fail(formats_from(cli::or_fail(ctl.list_events())));
	const Info info = cli::or_fail(ctl.get_info());
	ClockMap clock;
	if (info.clock)
		clock = ClockMap{info.clock->local_ns, info.clock->mono_ns};
	EventPrinter printer(formats, clock);
	printer.set_comm_fallback(proc_comm_lookup());
	std::cout << (o.json ? format_latency_json(report, printer)
			     : format_latency_text(report, printer));
}

void run_watch(const LatencyOptions &o)
{
	std::chrono::nanoseconds limit{0};
	if (!o.timeout.empty()) {
		Result<std::chrono::nanoseconds> d = parse_duration(o.timeout);
		if (!d)
			throw cli::Failure(d.error(), cli::exit_usage);
		limit = *d;
	}
	cli::install_stop_signals();
	LatencyWatch watch = cli::or_fail(LatencyWatch::open());
	// Subscribed: a script may now cause the maximum it waits for.
	std::cerr << "ktr latency: watching for new maxima\n" << std::flush;
	const auto start = std::chrono::steady_clock::now();
	std::uint64_t seen = 0;
	while (!cli::stop_flag().load() && (o.count == 0 || seen < o.count)) {
		if (limit.count() && std::chrono::steady_clock::now() - start >= limit)
			throw cli::Failure(Error{ETIMEDOUT, "no new maximum within " + o.timeout +
								    " (" + std::to_string(seen) +
								    " seen)"});
		Result<void> r = watch.wait(std::chrono::milliseconds(200),
					    [&](const LatencyNotice &n) {
						    if (o.count && seen >= o.count)
							    return;
						    seen++;
						    std::cout << format_latency_notice(n, o.json)
							      << std::flush;
					    });
		if (!r && r.error().errnum() == ENOBUFS)
			std::cerr << "ktr latency: " << r.error().message() << '\n';
		else
			cli::or_fail(std::move(r));
	}
}

} // namespace

void setup_latency(CLI::App &app)
{
	auto o = std::make_shared<LatencyOptions>();
	CLI::App *lat = app.add_subcommand(
		"latency", "Show the wakeup latency tracer's maximum, histogram and worst-case "
			   "trace ('ktr tracer set wakeup' or wakeup_rt first)");
	lat->add_flag("--json", o->json, "Print one JSON document (--watch: JSON Lines)");
	lat->add_flag("--watch", o->watch,
		      "Print each new maximum the tracer announces (above its threshold "
		      "option) until interrupted");
	lat->add_option("--count", o->count, "--watch: stop after N new maxima")
		->type_name("N");
	lat->add_option("--timeout", o->timeout,
			"--watch: fail if the count is not reached within this time (e.g. 10s)")
		->type_name("DURATION");
	lat->callback([o] {
		if (!o->watch && (o->count || !o->timeout.empty()))
			throw cli::Failure(Error{EINVAL, "--count and --timeout go with --watch"},
					   cli::exit_usage);
		if (o->watch)
			run_watch(*o);
		else
			run_show(*o);
	});
}

} // namespace ktr::cmd
