// SPDX-License-Identifier: MIT
//
// ktr filter                               show the filters set
// ktr filter [-P PID]... [--children] [-c COMM]... [--cpus LIST]
// ktr filter -e EVENT_OR_GLOB [EXPR | --none] [--stack | --no-stack]
// ktr filter --clear
//
// Task filters (pids, comms, CPUs) apply to every event; an event filter
// (ftrace's syntax: "prev_pid == 1 && next_comm ~ \"kworker*\"") to the
// events the glob matches, compiled for each. --no-pids, --no-comms and
// --all-cpus clear one kind of task filter.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/cpu_list.h"
#include "ktr/events.h"
#include "ktr/filters.h"

namespace ktr::cmd {

namespace {

struct FilterOptions {
	std::vector<std::int32_t> pids;
	bool no_pids = false;
	bool children = false;
	bool no_children = false;
	std::vector<std::string> comms;
	bool no_comms = false;
	std::string cpus;
	bool all_cpus = false;
	std::string event;
	std::string expr;
	bool none = false;
	bool stack = false;
	bool no_stack = false;
	bool clear = false;
};

TaskFilter task_filter(const FilterOptions &o)
{
	TaskFilter f;
	if (!o.pids.empty())
		f.pids = o.pids;
	else if (o.no_pids)
		f.pids = std::vector<std::int32_t>{};
	if (o.children)
		f.follow = true;
	else if (o.no_children)
		f.follow = false;
	if (!o.comms.empty())
		f.comms = o.comms;
	else if (o.no_comms)
		f.comms = std::vector<std::string>{};
	if (!o.cpus.empty()) {
		std::vector<unsigned> cpus = cli::or_fail(parse_cpu_list(o.cpus));
		f.cpus = std::vector<std::uint32_t>(cpus.begin(), cpus.end());
	} else if (o.all_cpus) {
		f.cpus = std::vector<std::uint32_t>{};
	}
	return f;
}

void run_filter(const FilterOptions &o)
{
	Control ctl = cli::or_fail(Control::open());
	if (o.clear) {
		cli::or_fail(ctl.clear_filters());
		std::cout << "filters cleared\n";
		return;
	}
	const TaskFilter tf = task_filter(o);
	const bool task_given = tf.pids || tf.follow || tf.comms || tf.cpus;
	if (!o.event.empty()) {
		std::optional<std::string> expr;
		if (!o.expr.empty())
			expr = o.expr;
		std::optional<bool> stack;
		if (o.stack || o.no_stack)
			stack = o.stack;
		if (!expr && !o.none && !stack)
			throw cli::Failure(Error{EINVAL, "-e needs a filter expression, --none, "
							 "--stack or --no-stack"},
					   cli::exit_usage);
		const std::vector<EventInfo> events = cli::or_fail(ctl.list_events());
		std::vector<EventFilterRequest> reqs =
			cli::or_fail(event_filter_requests(events, o.event, expr, stack));
		for (EventFilterRequest &req : reqs) {
			if (o.none)
				req.action = EventFilterRequest::Program::Clear;
			cli::or_fail(ctl.set_event_filter(req));
		}
	} else if (!o.expr.empty() || o.none || o.stack || o.no_stack) {
		throw cli::Failure(Error{EINVAL, "an event filter, --none and --stack need "
						 "-e EVENT_OR_GLOB"},
				   cli::exit_usage);
	}
	if (task_given)
		cli::or_fail(ctl.set_task_filter(tf));
	std::cout << format_filter_state(cli::or_fail(ctl.get_filters()));
}

} // namespace

void setup_filter(CLI::App &app)
{
	auto o = std::make_shared<FilterOptions>();
	CLI::App *sub = app.add_subcommand(
		"filter", "Show or set what is recorded: tasks (pids, comms), CPUs, "
			  "per-event filters and stacks");
	sub->add_option("-P,--pid", o->pids, "Only these processes (all their threads)")
		->type_name("PID");
	sub->add_flag("--no-pids", o->no_pids, "Remove the process filter");
	sub->add_flag("--children", o->children,
		      "With -P: also processes they fork from now on");
	sub->add_flag("--no-children", o->no_children, "Stop following children");
	sub->add_option("-c,--comm", o->comms,
			"Only tasks whose command name matches (a glob, 15 bytes at most)")
		->type_name("COMM");
	sub->add_flag("--no-comms", o->no_comms, "Remove the command-name filter");
	sub->add_option("--cpus", o->cpus, "Only events on these CPUs (\"0-3,6\")")
		->type_name("LIST");
	sub->add_flag("--all-cpus", o->all_cpus, "Remove the CPU filter");
	sub->add_option("-e,--event", o->event, "The events an expression, --none or --stack "
						"is for (a name, glob or system:glob)")
		->type_name("EVENT_OR_GLOB");
	sub->add_option("expr", o->expr,
			"ftrace-style filter: FIELD OP VALUE joined by && || ! ( ); ops "
			"== != < <= > >= & for integers, == != ~ !~ for text")
		->type_name("EXPR");
	sub->add_flag("--none", o->none, "Remove the filter of the -e events");
	sub->add_flag("--stack", o->stack, "Record the kernel stack after each -e event");
	sub->add_flag("--no-stack", o->no_stack, "Stop recording stacks of the -e events");
	sub->add_flag("--clear", o->clear, "Remove every filter and stack capture");
	sub->callback([o] { run_filter(*o); });
}

} // namespace ktr::cmd
