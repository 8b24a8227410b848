// SPDX-License-Identifier: MIT
//
// ktr-read: stream ktr events from /dev/ktr (see live_reader.h).
#include <cerrno>
#include <csignal>
#include <cstdint>
#include <limits>
#include <string>

#include <CLI/CLI.hpp>

#include <ktr.h>

#include "cli_main.h"
#include "ktr/cpu_list.h"
#include "ktr/duration.h"
#include "ktr/number.h"
#include "ktr/version.h"
#include "live_reader.h"

namespace {

struct RawOptions {
	std::string output;
	bool json = false;
	std::string duration;
	std::string count;
	std::string cpus;
	std::string watermark = "1";
	std::string flush_interval = "200ms";
	bool quiet = false;
};

void on_signal(int)
{
	ktr::read::request_stop();
}

// SIGINT/SIGTERM stop the loop (poll() returns EINTR: no SA_RESTART); a
// reader on the other end of a pipe going away is seen as EPIPE.
void install_signals()
{
	struct sigaction sa {};
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);
	// A parent may start us with them blocked (ktr record does, so that a
	// stop it sends early is not lost): one pending now stops us cleanly.
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &stop, nullptr);
}

void run_read(const RawOptions &raw)
{
	namespace cli = ktr::cli;
	ktr::read::ReadOptions opt;
	opt.output = raw.output;
	opt.json = raw.json;
	opt.quiet = raw.quiet;
	if (!raw.duration.empty())
		opt.duration = cli::or_fail(ktr::parse_duration(raw.duration));
	if (!raw.count.empty())
		opt.count = cli::or_fail(ktr::parse_count(raw.count));
	if (!raw.cpus.empty())
		opt.cpus = cli::or_fail(ktr::parse_cpu_list(raw.cpus));
	const std::uint64_t wm = cli::or_fail(ktr::parse_count(raw.watermark));
	if (wm == 0 || wm > KTR_NR_SUBBUFS_MAX)
		throw cli::Failure(ktr::Error{EINVAL, "--watermark must be 1.." +
							       std::to_string(KTR_NR_SUBBUFS_MAX)},
				   cli::exit_usage);
	opt.watermark = static_cast<std::uint32_t>(wm);
	opt.flush_interval = cli::or_fail(ktr::parse_duration(raw.flush_interval));
	if (opt.flush_interval < std::chrono::milliseconds(1))
		throw cli::Failure(ktr::Error{EINVAL, "--flush-interval must be at least 1ms"},
				   cli::exit_usage);
	if (!opt.output.empty() && opt.json)
		throw cli::Failure(ktr::Error{EINVAL, "--json and -o exclude each other: a capture "
						      "file is binary; run 'ktr report --json' on it"},
				   cli::exit_usage);

	install_signals();
	const int status = cli::or_fail(ktr::read::run_live(opt));
	if (status)
		throw cli::Failure(ktr::Error{EPROTO, "some sub-buffers could not be decoded (see above)"},
				   status);
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
		"next to the kernel's own counters.\n"
		"Reading " KTR_DEVICE_PATH " needs CAP_PERFMON or CAP_SYS_ADMIN. One reader per CPU.");

	RawOptions opt;
	app.add_option("-o,--output", opt.output,
		       "Write a binary capture file (e.g. trace.ktr) instead of text; read it "
		       "back with 'ktr report FILE'")
		->type_name("FILE");
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
