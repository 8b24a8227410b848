// SPDX-License-Identifier: MIT
//
// ktr-read: stream ktr events from /dev/ktr.
//
// This version parses and checks its options, then says honestly that
// streaming is not there yet: the module has no data plane before ABI 1.1.
#include <cerrno>
#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include <ktr.h>

#include "cli_main.h"
#include "ktr/cpu_list.h"
#include "ktr/duration.h"
#include "ktr/number.h"
#include "ktr/version.h"

namespace {

struct ReadOptions {
	std::string output;	// empty: standard output
	bool json = false;
	std::string duration;	// checked by parse_duration()
	std::uint64_t count = 0;	// checked by parse_count()
	std::string cpus;	// checked by parse_cpu_list()
};

void run_read(const ReadOptions &)
{
	throw ktr::cli::Failure(
		ktr::Error{ENOSYS, "streaming is not available in this version of ktr (needs ABI "
				   "1.1); see 'ktr-read --help'"});
}

} // namespace

int main(int argc, char **argv)
{
	CLI::App app{"ktr-read streams ktr events from the per-CPU ring buffers of " KTR_DEVICE_PATH
		     "\n(memory-mapped, zero-copy), merges them by timestamp and writes them as\n"
		     "text or JSON, until interrupted or a limit (-d, -c) is reached.",
		     "ktr-read"};
	app.set_version_flag("--version", ktr::version_line("ktr-read"),
			     "Print the tool version and the ktr ABI it was built for");
	app.footer("NOT AVAILABLE YET: this version of ktr has no streaming interface (it\n"
		   "needs ktr ABI 1.1). The options are accepted and checked, and ktr-read\n"
		   "then exits with status 1.\n"
		   "Reading " KTR_DEVICE_PATH " needs CAP_PERFMON or CAP_SYS_ADMIN.");

	ReadOptions opt;
	app.add_option("-o,--output", opt.output, "Write events to FILE instead of standard output")
		->type_name("FILE");
	app.add_flag("--json", opt.json, "Write one JSON object per event instead of text");
	app.add_option("-d,--duration", opt.duration,
		       "Stop after DURATION: a number and a unit (ns, us, ms, s, m, h), e.g. 10s, 1.5m")
		->type_name("DURATION")
		->check(ktr::cli::validator(ktr::parse_duration));
	app.add_option("-c,--count", opt.count, "Stop after COUNT events")
		->type_name("COUNT")
		->check(ktr::cli::validator(ktr::parse_count));
	app.add_option("--cpus", opt.cpus, "Read only the CPUs in LIST, e.g. 0-3,8 (default: all)")
		->type_name("LIST")
		->check(ktr::cli::validator(ktr::parse_cpu_list));
	app.callback([&opt] { run_read(opt); });

	return ktr::cli::run(app, argc, argv);
}
