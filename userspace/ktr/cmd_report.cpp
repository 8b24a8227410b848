// SPDX-License-Identifier: MIT
//
// ktr report FILE [--json] [--cpu LIST]: the events of a capture file (.ktr),
// merged by time, as text lines or JSON Lines on stdout; per-CPU counts on
// stderr at the end. A first pass over the file learns the names of its
// tasks, so that events before a task was named show its name (CommSink).
//
// The capture source (ktr/capture_source.h) through the pipeline
// (ktr/pipeline.h) into a line sink on stdout: the same stages as ktr-read.
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

namespace ktr::cmd {

namespace {

struct ReportOptions {
	std::string file;
	bool json = false;
	std::string cpus;	// checked by parse_cpu_list()
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
	LineSink sink(opt.json ? LineFormat::Json : LineFormat::Text, out);
	sink.set_comm_fallback(names_in_capture(opt.file));
	Sink *const sinks[] = {&sink};
	PipelineOptions pipe;
	pipe.warn = [](const std::string &message) { std::cerr << "ktr: " << message << "\n"; };
	const PipelineResult res = cli::or_fail(run_pipeline(source, sinks, pipe));
	std::cerr << format_capture_stats(res.cpus);
	if (res.damage)
		throw cli::Failure(*res.damage);
	if (const std::optional<std::string> failed = res.error_summary())
		throw cli::Failure(Error{EPROTO, *failed});
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
	sub->add_option("--cpu", opt->cpus, "Show only the CPUs in LIST, e.g. 0-3,8 (default: all)")
		->type_name("LIST")
		->check(cli::validator(parse_cpu_list));
	sub->callback([opt] { run_report(*opt); });
}

} // namespace ktr::cmd
