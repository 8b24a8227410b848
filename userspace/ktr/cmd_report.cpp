// SPDX-License-Identifier: MIT
//
// ktr report FILE [--json] [--format FORMAT -o OUT] [--cpu LIST] [--ts-diff]
// [--from T] [--to T] [--stat]: the events of a capture file (.ktr), merged
// by time, as text lines or JSON Lines on stdout, as a CTF or Perfetto trace
// in OUT, or (--stat) their counts by event, CPU and task; per-CPU counts on
// stderr at the end.
// A first pass over the file learns the names of its tasks, so that events
// before a task was named show its name (CommSink).
//
// The capture source (ktr/capture_source.h) through the pipeline
// (ktr/pipeline.h) into a line sink (or ktr/stat_sink.h) on stdout, behind
// a time window (ktr/window_sink.h) when --from/--to cut one: the same
// stages as ktr-read.
// A damaged file still shows every event before the damage, then fails with
// one line saying where.
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
#include "ktr/line_sink.h"
#include "ktr/pipeline.h"
#include "ktr/stat_sink.h"
#include "ktr/window_sink.h"
#include "output_format.h"
#include "pipeline_cli.h"

namespace ktr::cmd {

namespace {

struct ReportOptions {
	std::string file;
	bool json = false;
	std::string format;
	std::string output;
	std::string cpus;	// checked by parse_cpu_list()
	bool stat = false;
	bool ts_diff = false;
	std::string from;
	std::string to;
};

// The task names the whole capture gives (the first of each pid), for
// events seen before their task was named: a first pass over the file.
// A damaged file gives the names before the damage.
CommTable::Lookup names_in_capture(const std::string &file)
{
	Result<CaptureSource> source = CaptureSource::open(file);
	if (!source)
		return {};
	CommSink names;
	Sink *const sinks[] = {&names};
	PipelineOptions pipe;
	pipe.warn = [](const std::string &) {};
	(void)run_pipeline(*source, sinks, pipe);
	return table_comm_lookup(names.comms());
}

void run_report(const ReportOptions &opt)
{
	Result<cli::OutputFormat> format = cli::output_format(opt.format, opt.json, opt.output, false);
	if (!format)
		throw cli::Failure(format.error(), cli::exit_usage);
	const bool lines_out =
		*format == cli::OutputFormat::Text || *format == cli::OutputFormat::Json;
	std::optional<TimeBound> from, to;
	if (!opt.from.empty())
		from = cli::or_fail(parse_time_bound(opt.from, "--from"));
	if (!opt.to.empty())
		to = cli::or_fail(parse_time_bound(opt.to, "--to"));
	if (opt.stat && (!lines_out || opt.ts_diff))
		throw cli::Failure(Error{EINVAL, "--stat prints counts, not events: no --format "
						 "or --ts-diff with it (--json: the counts as JSON)"},
				   cli::exit_usage);
	if (opt.ts_diff && !lines_out)
		throw cli::Failure(Error{EINVAL, "--ts-diff is for text and JSON lines, not --format " +
						 opt.format},
				   cli::exit_usage);
	CaptureSource source = cli::or_fail(CaptureSource::open(opt.file));
	const std::uint32_t ncpus = source.info().nr_cpus;
	if (!opt.cpus.empty()) {
		const std::vector<unsigned> list = cli::or_fail(parse_cpu_list(opt.cpus));
		for (const unsigned cpu : list)
			if (cpu >= ncpus)
				throw cli::Failure(Error{EINVAL, "--cpu " + opt.cpus + ": the capture has CPUs 0-" +
									 std::to_string(ncpus - 1) +
									 " only"});
		source.select(list);
	}

	std::cout.flush();
	FdOutput out(STDOUT_FILENO);
	std::unique_ptr<Sink> sink;
	if (opt.stat) {
		auto stat = std::make_unique<StatSink>(out);
		stat->set_comm_fallback(names_in_capture(opt.file));
		stat->set_json(*format == cli::OutputFormat::Json);
		sink = std::move(stat);
	} else if (lines_out) {
		auto lines = std::make_unique<LineSink>(
			*format == cli::OutputFormat::Json ? LineFormat::Json : LineFormat::Text, out);
		lines->set_ts_diff(opt.ts_diff);
		lines->set_comm_fallback(names_in_capture(opt.file));
		sink = std::move(lines);
	} else {
		sink = cli::make_sink(*format, opt.output, out);
	}
	WindowSink window(*sink, from, to);
	Sink *const sinks[] = {(from || to) ? static_cast<Sink *>(&window) : sink.get()};
	PipelineOptions pipe;
	pipe.warn = [](const std::string &message) { std::cerr << "ktr: " << message << "\n"; };
	const PipelineResult res = cli::or_fail(run_pipeline(source, sinks, pipe));
	std::cerr << format_capture_stats(res.cpus);
	cli::fail_on_errors(res);
}

} // namespace

void setup_report(CLI::App &app)
{
	auto opt = std::make_shared<ReportOptions>();
	CLI::App *sub = app.add_subcommand(
		"report", "Show the events of a capture file (.ktr) merged by time, as text or JSON "
			  "Lines; per-CPU counts go to stderr");
	sub->add_option("file", opt->file, "The capture file")->required()->type_name("FILE");
	sub->add_flag("--json", opt->json, "Print one JSON object per line instead of text");
	sub->add_option("--format", opt->format,
			"Output format: text, json, ctf (a CTF trace for babeltrace2 and Trace "
			"Compass, written into the directory -o) or perfetto (a Perfetto trace, "
			"the file -o)")
		->type_name("FORMAT");
	sub->add_option("-o,--output", opt->output, "The CTF trace's directory (--format ctf) or the Perfetto trace's file")
		->type_name("PATH");
	sub->add_option("--cpu", opt->cpus, "Show only the CPUs in LIST, e.g. 0-3,8 (default: all)")
		->type_name("LIST")
		->check(cli::validator(parse_cpu_list));
	sub->add_flag("--stat", opt->stat,
		      "Print counts instead of events: by event, by CPU (with lost events), by task "
		      "(--json: one JSON object)");
	sub->add_flag("--ts-diff", opt->ts_diff,
		      "Show the time since the previous event on each line (JSON: ts_diff_ns)");
	cli::add_time_window(sub, opt->from, opt->to);
	sub->callback([opt] { run_report(*opt); });
}

} // namespace ktr::cmd
