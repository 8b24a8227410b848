// SPDX-License-Identifier: MIT
//
// ktr hist EVENT FIELD [--log2 | --linear STEP] [-f FILTER] [--by FIELD]
// ktr hist --pair START:END --key FIELD[,FIELD...] [--linear STEP] [-f FILTER] [--by FIELD]
//          [-i FILE | -d DURATION | --cpus LIST] [--from T] [--to T]
//
// A histogram of one integer field of one event (ktr/hist_sink.h), or of
// the latency between two events paired on key fields (ktr/pair_sink.h),
// printed like bpftrace's hist()/lhist(). The events come from a capture
// file (-i, as ktr report reads it) or from the live stream (as ktr-read
// reads it, until Ctrl-C or -d: the events must be enabled, 'ktr enable').
// The filter is the kernel's grammar, run here on the recorded events.
#include <cerrno>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "cli_main.h"
#include "commands.h"
#include "ktr/capture_source.h"
#include "ktr/cpu_list.h"
#include "ktr/duration.h"
#include "ktr/hist_sink.h"
#include "ktr/live_source.h"
#include "ktr/number.h"
#include "ktr/pair_sink.h"
#include "ktr/pipeline.h"
#include "ktr/window_sink.h"
#include "pipeline_cli.h"
#include "stop_signals.h"

namespace ktr::cmd {

namespace {

struct HistCmdOptions {
	std::string event;
	std::string field;
	bool log2 = false;
	std::string linear;
	std::string filter;
	std::string by;
	std::string pair;
	std::vector<std::string> keys;
	std::string input;
	std::string duration;
	std::string cpus;
	std::string from;
	std::string to;
	bool json = false;
};

void usage(const std::string &message)
{
	throw cli::Failure(Error{EINVAL, message}, cli::exit_usage);
}

void run_hist(const HistCmdOptions &o)
{
	HistSpec spec;
	if (!o.linear.empty()) {
		if (o.log2)
			usage("--log2 and --linear exclude each other");
		spec.step = cli::or_fail(parse_count(o.linear));	// at least 1
	}
	std::optional<TimeBound> from, to;
	if (!o.from.empty())
		from = cli::or_fail(parse_time_bound(o.from, "--from"));
	if (!o.to.empty())
		to = cli::or_fail(parse_time_bound(o.to, "--to"));
	if (!o.input.empty() && (!o.duration.empty() || !o.cpus.empty()))
		usage("-d and --cpus are for the live stream, not for a capture file (-i)");

	std::cout.flush();
	FdOutput out(STDOUT_FILENO);
	std::unique_ptr<Sink> sink;
	if (!o.pair.empty()) {
		const std::size_t colon = o.pair.find(':');
		if (colon == std::string::npos || colon == 0 || colon + 1 == o.pair.size() ||
		    o.pair.find(':', colon + 1) != std::string::npos)
			usage("--pair '" + o.pair + "': START:END, e.g. sys_enter:sys_exit");
		if (o.keys.empty())
			usage("--pair needs --key FIELD[,FIELD...], e.g. --key pid,id");
		if (!o.event.empty())
			usage("--pair takes no EVENT FIELD arguments");
		PairOptions p;
		p.start = o.pair.substr(0, colon);
		p.end = o.pair.substr(colon + 1);
		p.keys = o.keys;
		p.spec = spec;
		p.filter = o.filter;
		p.by = o.by;
		auto pairs = std::make_unique<PairSink>(p, out);
		pairs->set_json(o.json);
		sink = std::move(pairs);
	} else {
		if (o.event.empty() || o.field.empty())
			usage("give EVENT FIELD, or --pair START:END --key FIELDS");
		if (!o.keys.empty())
			usage("--key goes with --pair");
		HistOptions h;
		h.event = o.event;
		h.field = o.field;
		h.spec = spec;
		h.filter = o.filter;
		h.by = o.by;
		auto hist = std::make_unique<HistSink>(h, out);
		hist->set_json(o.json);
		sink = std::move(hist);
	}
	WindowSink window(*sink, from, to);
	Sink *const sinks[] = {(from || to) ? static_cast<Sink *>(&window) : sink.get()};
	PipelineOptions pipe;
	pipe.warn = [](const std::string &message) { std::cerr << "ktr: " << message << "\n"; };

	PipelineResult res;
	if (!o.input.empty()) {
		CaptureSource source = cli::or_fail(CaptureSource::open(o.input));
		res = cli::or_fail(run_pipeline(source, sinks, pipe));
	} else {
		LiveOptions live;
		if (!o.duration.empty())
			live.duration = cli::or_fail(parse_duration(o.duration));
		if (!o.cpus.empty())
			live.cpus = cli::or_fail(parse_cpu_list(o.cpus));
		cli::install_stop_signals();
		live.stop = &cli::stop_flag();
		live.note = pipe.warn;
		LiveSource source = cli::or_fail(LiveSource::open(live));
		res = cli::or_fail(run_pipeline(source, sinks, pipe));
	}
	cli::fail_on_errors(res);
}

} // namespace

void setup_hist(CLI::App &app)
{
	auto opt = std::make_shared<HistCmdOptions>();
	CLI::App *sub = app.add_subcommand(
		"hist", "Histogram of an event's integer field, or of the latency between two "
			"events paired on key fields (bpftrace's hist()/lhist() look), from a "
			"capture file (-i) or the live stream");
	sub->add_option("event", opt->event, "The event, e.g. sys_exit or raw_syscalls:sys_exit")
		->type_name("EVENT");
	sub->add_option("field", opt->field, "An integer field of it, e.g. ret (pid for common_pid)")
		->type_name("FIELD");
	sub->add_flag("--log2", opt->log2, "Power-of-two buckets (the default)");
	sub->add_option("--linear", opt->linear, "Linear buckets STEP wide (ns for --pair)")
		->type_name("STEP")
		->check(cli::validator(parse_count));
	sub->add_option("-f,--filter", opt->filter,
			"Only events this filter keeps (ktr filter's grammar; with --pair: START "
			"events), e.g. 'ret < 0'")
		->type_name("EXPR");
	sub->add_flag("--json", opt->json,
		      "Print one JSON object: every histogram's buckets (range, low, high, count), "
		      "count, avg, min, max, and the event counts");
	sub->add_option("--by", opt->by, "One histogram per value of FIELD (with --pair: of START)")
		->type_name("FIELD");
	sub->add_option("--pair", opt->pair,
			"Latency from START to the next END with the same --key values, e.g. "
			"sys_enter:sys_exit")
		->type_name("START:END");
	sub->add_option("--key", opt->keys, "The fields a pair is matched on, e.g. pid,id")
		->type_name("FIELDS")
		->delimiter(',');
	sub->add_option("-i,--input", opt->input, "Read a capture file (.ktr) instead of the live stream")
		->type_name("FILE");
	sub->add_option("-d,--duration", opt->duration, "Live: stop after DURATION, e.g. 10s")
		->type_name("DURATION")
		->check(cli::validator(parse_duration));
	sub->add_option("--cpus", opt->cpus, "Live: read only the CPUs in LIST, e.g. 0-3")
		->type_name("LIST")
		->check(cli::validator(parse_cpu_list));
	cli::add_time_window(sub, opt->from, opt->to);
	sub->footer("The histogram goes to stdout when the trace ends (Ctrl-C or -d for the live "
		    "stream); unmatched pair ends and lost events are counted below it.");
	sub->callback([opt] { run_hist(*opt); });
}

} // namespace ktr::cmd
