// SPDX-License-Identifier: MIT
//
// ktr list [GLOB] [-v|--fields] [--json]: the event types the loaded module
// knows (KTR_CMD_LIST_EVENTS), with their id and state (enabled, disabled,
// unavailable: this kernel lacks the tracepoint); --fields adds each
// event's payload layout. GLOB filters as `ktr enable` matches: a name, a
// glob over names ("sched_*") or "system:glob" ("sched:*"); a GLOB that
// matches nothing is an error (exit 1), as for `ktr enable`.
#include <cerrno>
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

struct ListOptions {
	std::string glob;	// "" lists every event
	bool fields = false;
	bool json = false;
};

void run_list(const ListOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	std::vector<EventInfo> events = cli::or_fail(ctl.list_events());
	if (!opt.glob.empty()) {
		std::erase_if(events, [&](const EventInfo &ev) {
			return !event_matches(ev.format, opt.glob);
		});
		if (events.empty())
			throw cli::Failure(Error{ENOENT, "no event matches '" + one_line(opt.glob) + "'"});
	}
	std::cout << (opt.json ? format_events_json(events)
			       : format_events_text(events, opt.fields));
}

} // namespace

void setup_list(CLI::App &app)
{
	auto opt = std::make_shared<ListOptions>();
	CLI::App *sub = app.add_subcommand(
		"list", "List the events the loaded ktr module can record: id, state (enabled, "
			"disabled, or unavailable in this kernel) and, with --fields, their "
			"payload fields");
	sub->add_option("glob", opt->glob,
			"Only events matching this name, glob (\"sched_*\") or system:glob "
			"(\"sched:*\")")
		->type_name("GLOB")
		->check(cli::validator([](const std::string &t) { return check_event_glob(t); }));
	sub->add_flag("-v,--fields", opt->fields,
		      "Show each event's fields: name, type, offset and size in the payload");
	sub->add_flag("--json", opt->json,
		      "Print one JSON object per event (JSON Lines), fields included");
	sub->callback([opt] { run_list(*opt); });
}

} // namespace ktr::cmd
