// SPDX-License-Identifier: MIT
//
// ktr funclat FUNC... [-d DURATION] [-P PID] [--us|--ns] [--maxactive N] [--json]
//
// Per-function log2 latency histograms, aggregated in the kernel
// (KTR_IOC_FUNCLAT_OPEN, ABI minor 6): one kretprobe per function adds
// every call's duration to per-CPU histograms; nothing goes through the
// trace buffer and the trace session is not touched. Runs until -d elapses
// or Ctrl-C, then prints each function's histogram (bpftrace's hist()
// layout) and count/avg/min/max, or one JSON document. A FUNC holding
// * ? [ is a glob over the kernel's traceable functions, expanded here:
// Debian's 6.1 kernel has no multi-function probe (fprobe), so each match
// is a kretprobe of its own, at most 64 in all.
#include <cerrno>
#include <chrono>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "cli_main.h"
#include "commands.h"
#include "ktr/device.h"
#include "ktr/duration.h"
#include "ktr/funclat.h"
#include "stop_signals.h"

namespace ktr::cmd {

namespace {

struct FuncLatCliOptions {
	std::vector<std::string> funcs;
	std::string duration;
	std::int32_t pid = 0;
	bool us = false;
	bool ns = false;
	std::uint32_t maxactive = 0;
	bool json = false;
};

std::vector<std::string> expand(const std::vector<std::string> &args)
{
	bool any_glob = false;
	for (const std::string &a : args)
		any_glob = any_glob || is_function_glob(a);
	std::vector<std::string> available;
	if (any_glob)
		available = cli::or_fail(load_traceable_functions());
	Result<std::vector<std::string>> funcs = expand_functions(args, available);
	if (!funcs)
		throw cli::Failure(funcs.error(), cli::exit_usage);
	for (const std::string &f : *funcs)
		if (auto ok = check_function_name(f); !ok)
			throw cli::Failure(ok.error(), cli::exit_usage);
	return std::move(funcs).value();
}

void run_funclat(const FuncLatCliOptions &o)
{
	std::optional<std::chrono::nanoseconds> duration;
	if (!o.duration.empty())
		duration = cli::or_fail(parse_duration(o.duration));
	std::vector<std::string> funcs = expand(o.funcs);

	FuncLatOptions opts;
	opts.pid = o.pid;
	opts.unit = o.us ? LatUnit::Us : LatUnit::Ns;
	opts.maxactive = o.maxactive;
	const Device dev = cli::or_fail(Device::open());
	cli::install_stop_signals();
	const FuncLat fl = cli::or_fail(FuncLat::open(dev, std::move(funcs), opts));
	const auto start = std::chrono::steady_clock::now();
	const std::size_t n = fl.functions().size();
	std::cerr << "ktr funclat: measuring " << n << (n == 1 ? " function" : " functions")
		  << (duration ? "" : "; Ctrl-C to end") << std::endl;

	// Short sleeps: a signal ends one early, and the flag is seen at once.
	const auto slice = std::chrono::milliseconds(50);
	while (!cli::stop_flag().load(std::memory_order_relaxed)) {
		if (duration && std::chrono::steady_clock::now() - start >= *duration)
			break;
		std::this_thread::sleep_for(slice);
	}
	const std::vector<FuncStat> stats = cli::or_fail(fl.read());
	const auto elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(
		std::chrono::steady_clock::now() - start);
	if (o.json)
		std::cout << format_funclat_json(stats, opts.unit, elapsed, o.pid);
	else
		std::cout << format_funclat_text(stats, opts.unit);
	for (const FuncStat &s : stats)
		if (s.missed)
			std::cerr << "ktr funclat: " << s.name << ": " << s.missed
				  << " calls missed (no free kretprobe instance or a nested "
				     "probe: try a larger --maxactive)\n";
}

} // namespace

void setup_funclat(CLI::App &app)
{
	auto o = std::make_shared<FuncLatCliOptions>();
	CLI::App *sub = app.add_subcommand(
		"funclat", "Per-function latency histograms (log2, like bpftrace's hist()) "
			   "aggregated in the kernel, with count/avg/min/max");
	sub->add_option("function", o->funcs,
			"Kernel functions (NAME or MOD:NAME), or globs over the traceable "
			"ones ('vfs_*'); at most 64 in all, one kretprobe each")
		->type_name("FUNC")
		->required();
	sub->add_option("-d,--duration", o->duration, "Stop after this long (\"10s\"); default: Ctrl-C")
		->type_name("DURATION")
		->check(cli::validator(parse_duration));
	sub->add_option("-P,--pid", o->pid, "Only the calls made by this process (all its threads)")
		->type_name("PID")
		->check(CLI::Range(1, 0x3fffffff));
	CLI::Option *us = sub->add_flag("--us", o->us, "Histograms in microseconds");
	CLI::Option *ns = sub->add_flag("--ns", o->ns, "Histograms in nanoseconds (the default)");
	us->excludes(ns);
	sub->add_option("--maxactive", o->maxactive,
			"Calls of one function that may be pending at once (kretprobe "
			"instances); default: the module's, max(64, 4 x CPUs)")
		->type_name("N")
		->check(CLI::Range(1U, KTR_FUNCLAT_MAXACTIVE_MAX));
	sub->add_flag("--json", o->json, "Print one JSON document instead of text");
	sub->footer("A glob is expanded against /sys/kernel/tracing/available_filter_functions "
		    "(or /proc/kallsyms). Calls of -P's process made in interrupt context "
		    "count for it. Needs CAP_PERFMON or CAP_SYS_ADMIN.");
	sub->callback([o] { run_funclat(*o); });
}

} // namespace ktr::cmd
