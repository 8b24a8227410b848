// SPDX-License-Identifier: MIT
//
// ktr-cycles: enable/disable and filter set/clear cycles through libktr, as
// fast as the kernel answers, for tests/vm/cycles.sh (issue 14: cycles of
// every event and of filters while events flow).
//
//   ktr-cycles events N GLOB         N times: enable GLOB, disable GLOB
//   ktr-cycles filters N EVENT EXPR  N times: set EXPR (and stack capture,
//                                    every other cycle) on EVENT, clear both
//
// Each request must succeed and say what it did (events: the same non-zero
// count enabled and disabled each cycle). Prints one line,
//   ktr-cycles MODE cycles=N changed=C ms=T
// (C: events switched per cycle, or 1 for filters), and exits 0; on the
// first failure, one line "ktr-cycles: cycle I: WHAT" and exit 1; exit 2
// on bad arguments.
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "ktr/control.h"
#include "ktr/filters.h"

namespace {

[[noreturn]] void fail(long i, const std::string &what)
{
	std::fprintf(stderr, "ktr-cycles: cycle %ld: %s\n", i, what.c_str());
	std::exit(1);
}

long run_events(ktr::Control &ctl, long n, const std::string &glob)
{
	std::uint32_t per = 0;
	for (long i = 0; i < n; i++) {
		ktr::Result<std::uint32_t> on = ctl.enable_events(glob);
		if (!on)
			fail(i, "enable " + glob + ": " + on.error().message());
		ktr::Result<std::uint32_t> off = ctl.disable_events(glob);
		if (!off)
			fail(i, "disable " + glob + ": " + off.error().message());
		if (*on == 0 || *on != *off || (i && *on != per))
			fail(i, "enabled " + std::to_string(*on) + ", disabled " +
					std::to_string(*off) + " (first cycle: " +
					std::to_string(per) + ")");
		per = *on;
	}
	return per;
}

long run_filters(ktr::Control &ctl, long n, const std::string &event, const std::string &expr)
{
	ktr::Result<std::vector<ktr::EventInfo>> events = ctl.list_events();
	if (!events)
		fail(0, "list events: " + events.error().message());
	for (long i = 0; i < n; i++) {
		const std::optional<bool> stack =
			i % 2 ? std::optional<bool>(true) : std::nullopt;
		ktr::Result<std::vector<ktr::EventFilterRequest>> reqs =
			ktr::event_filter_requests(*events, event, expr, stack);
		if (!reqs || reqs->size() != 1)
			fail(i, "filter " + event + " '" + expr + "': " +
					(reqs ? "not one event" : reqs.error().message()));
		ktr::EventFilterRequest req = reqs->front();
		if (ktr::Result<void> r = ctl.set_event_filter(req); !r)
			fail(i, "set: " + r.error().message());
		req.action = ktr::EventFilterRequest::Program::Clear;
		if (req.stack)
			req.stack = false;
		if (ktr::Result<void> r = ctl.set_event_filter(req); !r)
			fail(i, "clear: " + r.error().message());
	}
	return 1;
}

} // namespace

int main(int argc, char **argv)
{
	const std::string mode = argc > 1 ? argv[1] : "";
	const long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 0;
	const bool events = mode == "events" && argc == 4;
	const bool filters = mode == "filters" && argc == 5;
	if (n <= 0 || (!events && !filters)) {
		std::fprintf(stderr, "usage: ktr-cycles events N GLOB | filters N EVENT EXPR\n");
		return 2;
	}
	ktr::Result<ktr::Control> ctl = ktr::Control::open();
	if (!ctl)
		fail(0, ctl.error().message());
	const auto t0 = std::chrono::steady_clock::now();
	const long changed = events ? run_events(*ctl, n, argv[3])
				    : run_filters(*ctl, n, argv[3], argv[4]);
	const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
		std::chrono::steady_clock::now() - t0);
	std::printf("ktr-cycles %s cycles=%ld changed=%ld ms=%lld\n", mode.c_str(), n, changed,
		    static_cast<long long>(ms.count()));
	return 0;
}
