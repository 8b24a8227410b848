// SPDX-License-Identifier: MIT
//
// ktr profile [-F HZ] [-d DURATION] [-P PID]... [--no-user-stack]
//             [-o FILE] [--svg FILE] [--title TEXT] [-- COMMAND [ARG...]]
// ktr profile --input CAPTURE [--kallsyms FILE] [-o FILE] [--svg FILE]
//
// A sampling profile, like `perf record -F 99 -g` and FlameGraph's
// stackcollapse + flamegraph.pl in one: the profile tracer
// (kmod/tracer/ktr_tracer_profile.c) samples every CPU HZ times a second,
// with the kernel stack of each sample (stack capture on profile:sample)
// and the user stack (a frame-pointer walk), for the duration, until
// Ctrl-C, or for the life of COMMAND (then only it and its children are
// sampled). The recording is `ktr record`'s (record_run.h), into one sink:
// the samples folded (ktr/folded_sink.h), written at the end as folded
// stacks (to -o, else stdout unless --svg is given) and, with --svg, as an
// interactive flame graph (ktr/flamegraph_svg.h). --input folds a capture
// file instead (`ktr record -p profile ... -o F.ktr`): the same sink
// behind the capture source.
#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include "cli_main.h"
#include "commands.h"
#include "ktr/capture_source.h"
#include "ktr/duration.h"
#include "ktr/flamegraph_svg.h"
#include "ktr/folded_sink.h"
#include "ktr/kallsyms.h"
#include "ktr/pipeline.h"
#include "ktr/user_symbols.h"
#include "pipeline_cli.h"
#include "record_run.h"

namespace ktr::cmd {

namespace {

struct ProfileOptions {
	std::uint64_t freq = 99;
	std::string duration;
	std::vector<std::int32_t> pids;
	bool no_user_stack = false;
	std::string output;
	std::string svg;
	std::string title;
	std::string input;
	std::string kallsyms;
	std::vector<std::string> command;
};

// The folded text goes to @path ("" or "-": stdout).
class FoldedOutput {
public:
	explicit FoldedOutput(const std::string &path)
	{
		if (path.empty() || path == "-")
			return;
		fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (fd_ < 0)
			throw cli::Failure(Error{errno, "cannot create " + path});
	}
	~FoldedOutput()
	{
		out_.reset();
		if (fd_ >= 0)
			close(fd_);
	}
	FoldedOutput(const FoldedOutput &) = delete;
	FoldedOutput &operator=(const FoldedOutput &) = delete;
	LineOutput &out()
	{
		if (!out_)
			out_ = std::make_unique<FdOutput>(fd_ >= 0 ? fd_ : STDOUT_FILENO);
		return *out_;
	}

private:
	int fd_ = -1;
	std::unique_ptr<FdOutput> out_;
};

void write_svg(const ProfileOptions &o, const FoldedSink &folded)
{
	FlameGraphOptions fg;
	fg.title = o.title.empty() ? "ktr profile" : o.title;
	std::string what;
	if (!o.input.empty())
		what = o.input;
	else if (!o.command.empty())
		what = o.command[0];
	else
		what = "all CPUs";
	fg.subtitle = what + ": " + std::to_string(folded.samples()) + " samples" +
		      (o.input.empty() ? " at " + std::to_string(o.freq) + " Hz" : "");
	std::ofstream f(o.svg, std::ios::binary | std::ios::trunc);
	if (!f)
		throw cli::Failure(Error{errno ? errno : EIO, "cannot create " + o.svg});
	f << flamegraph_svg(folded.stacks(), fg);
	f.close();
	if (!f)
		throw cli::Failure(Error{EIO, "cannot write " + o.svg});
}

// What the samples hold, on stderr: the user knows what is missing.
void summary(const FoldedSink &folded)
{
	std::cerr << "ktr profile: " << folded.samples() << " samples, "
		  << folded.stacks().stacks().size() << " distinct stacks; "
		  << folded.kernel_stacks() << " with a kernel stack, " << folded.user_stacks()
		  << " with a user stack";
	if (folded.lost_events())
		std::cerr << "; " << folded.lost_events()
			  << " events lost (a bigger buffer: ktr buffer, or a lower -F)";
	std::cerr << "\n";
	if (folded.samples() && !folded.user_stacks())
		std::cerr << "ktr profile: no user stacks: the profile tracer walks frame pointers; "
			     "code built without them (-fno-omit-frame-pointer -mno-omit-leaf-frame-pointer) shows only its "
			     "sampled address\n";
}

int run_profile(const ProfileOptions &o)
{
	FoldedOutput dest(o.output);
	const bool print_folded = !o.output.empty() || o.svg.empty();
	// User frames named from the live processes' maps: not for a capture,
	// whose processes are gone (their pids may name others now).
	UserSymbolizer usym;
	std::shared_ptr<UserSymbols> usyms;
	if (o.input.empty()) {
		usyms = std::make_shared<UserSymbols>();
		usym = [usyms](std::int32_t tgid, std::string_view comm, std::uint64_t addr) {
			return usyms->name(tgid, comm, addr);
		};
	}
	FoldedSink folded(print_folded ? &dest.out() : nullptr, usym);
	int rc = 0;

	if (!o.input.empty()) {
		if (!o.kallsyms.empty()) {
			auto syms = std::make_shared<Kallsyms>(Kallsyms::load(o.kallsyms));
			if (syms->size() == 0)
				throw cli::Failure(Error{ENOENT, o.kallsyms +
									 ": no kernel text symbols (not a "
									 "kallsyms file, or read without "
									 "CAP_SYSLOG)"});
			folded.set_kernel_symbolizer(
				[syms](std::uint64_t addr) { return syms->name(addr); });
		}
		CaptureSource source = cli::or_fail(CaptureSource::open(o.input));
		Sink *const sinks[] = {&folded};
		PipelineOptions pipe;
		pipe.warn = [](const std::string &m) { std::cerr << "ktr profile: " << m << "\n"; };
		const PipelineResult res = cli::or_fail(run_pipeline(source, sinks, pipe));
		summary(folded);
		if (!o.svg.empty())
			write_svg(o, folded);
		cli::fail_on_errors(res);
		return 0;
	}

	// The kernel's symbols read now, not at the first sample: the profiler
	// reading /proc/kallsyms while the timers run would sample itself.
	auto ksyms = std::make_shared<const Kallsyms>(Kallsyms::load());
	if (ksyms->size())
		folded.set_kernel_symbolizer(
			[ksyms](std::uint64_t addr) { return ksyms->name(addr); });

	RecordOptions r;
	r.who = "ktr profile";
	r.tracer = "profile";
	r.tracer_opts = {"freq=" + std::to_string(o.freq),
			 std::string("user_stack=") + (o.no_user_stack ? "0" : "1")};
	r.stack_only = {"profile:sample"};
	r.pids = o.pids;
	r.duration = o.duration;
	r.command = o.command;
	{
		// The samples come in batches, maybe after their process exited:
		// read the maps of what runs meanwhile (4 times a second).
		std::jthread maps_reader([usyms](std::stop_token stop) {
			while (!stop.stop_requested()) {
				usyms->remember_all();
				for (int i = 0; i < 25 && !stop.stop_requested(); i++)
					std::this_thread::sleep_for(std::chrono::milliseconds(10));
			}
		});
		rc = run_record(r, &folded);
	}
	summary(folded);
	if (!o.svg.empty())
		write_svg(o, folded);
	return rc;
}

} // namespace

void setup_profile(CLI::App &app)
{
	auto o = std::make_shared<ProfileOptions>();
	CLI::App *sub = app.add_subcommand(
		"profile", "Sample every CPU (or a command) at a frequency with kernel and user "
			   "stacks: folded stacks and a flame graph SVG");
	sub->add_option("-F,--freq", o->freq, "Samples per second on each CPU (1..10000)")
		->type_name("HZ")
		->check(CLI::Range(1, 10000));
	sub->add_option("-d,--duration", o->duration,
			"Without a command: stop after this long (\"10s\"); default: Ctrl-C")
		->type_name("DURATION")
		->check(cli::validator(parse_duration));
	sub->add_option("-P,--pid", o->pids, "Only these processes (all their threads)")
		->type_name("PID")
		->allow_extra_args(false);
	sub->add_flag("--no-user-stack", o->no_user_stack,
		      "Do not record user stacks (only the sampled user address)");
	sub->add_option("-o,--output", o->output,
			"Write the folded stacks (FlameGraph's format: comm;frame;... count) to "
			"FILE; default: stdout, unless --svg is given")
		->type_name("FILE");
	sub->add_option("--svg", o->svg,
			"Write an interactive flame graph (hover, click to zoom, search) to FILE")
		->type_name("FILE");
	sub->add_option("--title", o->title, "The flame graph's title (default: ktr profile)")
		->type_name("TEXT");
	sub->add_option("--input", o->input,
			"Fold the profile:sample events of a capture file instead of recording "
			"('ktr record -p profile -e profile:sample --stack -o FILE')")
		->type_name("CAPTURE");
	sub->add_option("--kallsyms", o->kallsyms,
			"With --input: name kernel addresses from this copy of the traced "
			"kernel's /proc/kallsyms (default: addresses in hex)")
		->type_name("FILE");
	sub->add_option("command", o->command, "The command to run and profile (after --)")
		->type_name("COMMAND");
	sub->callback([o, sub] {
		if (!o->input.empty()) {
			for (const char *live : {"--freq", "--duration", "--pid", "--no-user-stack"})
				if (sub->count(live))
					throw cli::Failure(Error{EINVAL, std::string(live) +
										 " is for recording, not --input"},
							   cli::exit_usage);
			if (!o->command.empty())
				throw cli::Failure(Error{EINVAL, "--input folds a capture: no command"},
						   cli::exit_usage);
		} else if (!o->kallsyms.empty()) {
			throw cli::Failure(Error{EINVAL, "--kallsyms is for --input (a live profile "
							 "uses the running kernel's)"},
					   cli::exit_usage);
		}
		if (!o->command.empty() && !o->duration.empty())
			throw cli::Failure(Error{EINVAL, "-d is for profiling without a command"},
					   cli::exit_usage);
		if (const int rc = run_profile(*o); rc != 0)
			throw cli::Failure(Error{ECANCELED, "profiling did not complete"}, rc);
	});
}

} // namespace ktr::cmd
