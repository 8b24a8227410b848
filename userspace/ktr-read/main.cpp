// SPDX-License-Identifier: MIT
//
// ktr-read: stream ktr events from /dev/ktr: the live source
// (ktr/live_source.h) through the pipeline (ktr/pipeline.h) into text, JSON
// Lines or a capture file.
#include <cerrno>
#include <cstdint>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include <CLI/CLI.hpp>

#include <ktr.h>

#include "cli_main.h"
#include "ktr/cpu_list.h"
#include "ktr/duration.h"
#include "ktr/line_sink.h"
#include "ktr/live_source.h"
#include "ktr/number.h"
#include "ktr/pipeline.h"
#include "ktr/progress.h"
#include "ktr/version.h"
#include "output_format.h"
#include "pipeline_cli.h"
#include "stop_signals.h"

namespace {

struct RawOptions {
	std::string output;
	std::string format;
	bool json = false;
	std::string duration;
	std::string count;
	std::string cpus;
	std::string watermark = "1";
	std::string flush_interval = "200ms";
	bool quiet = false;
};

void warn(const std::string &message)
{
	std::cerr << "ktr-read: " << message << '\n';
}

void run_read(const RawOptions &raw)
{
	namespace cli = ktr::cli;
	ktr::LiveOptions live;
	ktr::PipelineOptions pipe;
	if (!raw.duration.empty())
		live.duration = cli::or_fail(ktr::parse_duration(raw.duration));
	if (!raw.count.empty())
		pipe.count = cli::or_fail(ktr::parse_count(raw.count));
	if (!raw.cpus.empty())
		live.cpus = cli::or_fail(ktr::parse_cpu_list(raw.cpus));
	const std::uint64_t wm = cli::or_fail(ktr::parse_count(raw.watermark));
	if (wm == 0 || wm > KTR_NR_SUBBUFS_MAX)
		throw cli::Failure(ktr::Error{EINVAL, "--watermark must be 1.." +
							       std::to_string(KTR_NR_SUBBUFS_MAX)},
				   cli::exit_usage);
	live.watermark = static_cast<std::uint32_t>(wm);
	live.flush_interval = cli::or_fail(ktr::parse_duration(raw.flush_interval));
	if (live.flush_interval < std::chrono::milliseconds(1))
		throw cli::Failure(ktr::Error{EINVAL, "--flush-interval must be at least 1ms"},
				   cli::exit_usage);
	ktr::Result<cli::OutputFormat> format =
		cli::output_format(raw.format, raw.json, raw.output, true);
	if (!format)
		throw cli::Failure(format.error(), cli::exit_usage);

	cli::install_stop_signals();
	live.stop = &cli::stop_flag();
	live.note = warn;
	pipe.warn = warn;
	ktr::LiveSource source = cli::or_fail(ktr::LiveSource::open(live));
	ktr::FdOutput out(STDOUT_FILENO);
	// Tasks named by no event yet: the live system's names.
	std::unique_ptr<ktr::Sink> sink =
		cli::make_sink(*format, raw.output, out, ktr::proc_comm_lookup());
	ktr::Sink *const sinks[] = {sink.get()};
	// Writing a file from a terminal: one status line on stderr meanwhile.
	ktr::ProgressLine progress(STDERR_FILENO, raw.output, !raw.output.empty() && !raw.quiet);
	if (progress.active())
		pipe.progress = [&progress](const std::vector<ktr::ReadStats> &cpus) {
			progress.update(cpus);
		};
	const ktr::PipelineResult res = cli::or_fail(ktr::run_pipeline(source, sinks, pipe));
	progress.finish();
	if (!raw.quiet)
		std::cerr << ktr::format_read_stats("ktr-read", res.cpus);
	cli::fail_on_errors(res);
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"ktr-read streams ktr events from the per-CPU ring buffers of " KTR_DEVICE_PATH
		     "\n(memory-mapped, zero-copy), merges the CPUs by timestamp and writes one\n"
		     "line per event (text like trace-cmd, or JSON), or a binary capture file,\n"
		     "until Ctrl-C, SIGTERM, a duration (-d) or an event count (-c).",
		     "ktr-read"};
	app.set_version_flag("--version", ktr::version_line("ktr-read"),
			     "Print the tool version and the ktr ABI it was built for");
	app.footer(
		"Output: text lines 'comm-pid [cpu] seconds.micros: event: fields', times on\n"
		"CLOCK_MONOTONIC; 'CPU:N [LOST n EVENTS]' where the kernel lost events on CPU N.\n"
		"On exit, per-CPU statistics go to stderr: events, bytes and lost as read,\n"
		"next to the kernel's own counters. With -o on a terminal, a status line on\n"
		"stderr shows elapsed time, events, events/s, lost events and the file size.\n"
		"Reading " KTR_DEVICE_PATH " needs CAP_PERFMON or CAP_SYS_ADMIN. One reader per CPU.");

	RawOptions opt;
	app.add_option("-o,--output", opt.output,
		       "Write a binary capture file (e.g. trace.ktr) instead of text; read it "
		       "back with 'ktr report FILE'. With --format ctf: the CTF trace's directory")
		->type_name("FILE");
	app.add_option("--format", opt.format,
		       "Output format: text, json, ktr (a capture file, the default with -o) or "
		       "ctf (a CTF trace for babeltrace2 and Trace Compass, in the directory -o) or "
		       "perfetto (a Perfetto trace, the file -o)")
		->type_name("FORMAT");
	app.add_flag("--json", opt.json, "Write one JSON object per event (JSON Lines)");
	app.add_option("-d,--duration", opt.duration,
		       "Stop after DURATION: a number and a unit (ns, us, ms, s, m, h), e.g. 10s")
		->type_name("DURATION")
		->check(ktr::cli::validator(ktr::parse_duration));
	app.add_option("-c,--count", opt.count,
		       "Stop after COUNT events (with -o: after the sub-buffer that reaches it)")
		->type_name("COUNT")
		->check(ktr::cli::validator(ktr::parse_count));
	app.add_option("--cpus", opt.cpus, "Read only the CPUs in LIST, e.g. 0-3,8 (default: all)")
		->type_name("LIST")
		->check(ktr::cli::validator(ktr::parse_cpu_list));
	app.add_option("--watermark", opt.watermark,
		       "Wake up when N sub-buffers of a CPU are full (default 1)")
		->type_name("N")
		->check(ktr::cli::validator(ktr::parse_count));
	app.add_option("--flush-interval", opt.flush_interval,
		       "Flush partly filled sub-buffers this often, for live output (default "
		       "200ms); events are shown about two intervals after they happen")
		->type_name("DURATION")
		->check(ktr::cli::validator(ktr::parse_duration));
	app.add_flag("-q,--quiet", opt.quiet, "Do not print the statistics on exit");
	app.callback([&opt] { run_read(opt); });

	return ktr::cli::run(app, argc, argv);
}
