// SPDX-License-Identifier: MIT
//
// ktr selftest [--mode discard|overwrite] [--subbuf-size N] [--subbufs N]
//              [--duration 2s] [--json]
// Runs the ring buffer's in-kernel self-test (KTR_CMD_SELFTEST) on a buffer
// of its own and prints its counters and verdict. Exit 1 when it found
// errors. Ranges and powers of two are checked by the module, whose message
// is shown. The self-test lives in the test module ktr_rb_test.ko, loaded
// after ktr.ko; without it the module's message says to load it.
#include <chrono>
#include <cstdint>
#include <iostream>
#include <limits>
#include <memory>
#include <optional>
#include <string>

#include "cli_main.h"
#include "commands.h"
#include "ktr/buffer_geometry.h"
#include "ktr/control.h"
#include "ktr/duration.h"
#include "ktr/number.h"
#include "ktr/selftest.h"

namespace ktr::cmd {

namespace {

struct SelftestOptions {
	std::string mode;
	std::string subbuf_size;
	std::string subbufs;
	std::string duration = "2s";
	bool json = false;
};

std::uint32_t to_u32(const std::string &text, const std::string &option)
{
	const std::uint64_t v = cli::or_fail(parse_count(text));
	if (v > std::numeric_limits<std::uint32_t>::max())
		throw cli::Failure(Error{ERANGE, option + " " + text + " is far too large"},
				   cli::exit_usage);
	return static_cast<std::uint32_t>(v);
}

void run_selftest(const SelftestOptions &opt)
{
	SelftestRequest req;
	if (!opt.mode.empty())
		req.mode = cli::or_fail(parse_mode(opt.mode));
	if (!opt.subbuf_size.empty())
		req.subbuf_size = to_u32(opt.subbuf_size, "--subbuf-size");
	if (!opt.subbufs.empty())
		req.nr_subbufs = to_u32(opt.subbufs, "--subbufs");
	const auto d = cli::or_fail(parse_duration(opt.duration));
	const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
	if (ms > std::numeric_limits<std::uint32_t>::max())
		throw cli::Failure(Error{ERANGE, "--duration " + opt.duration + " is far too long"},
				   cli::exit_usage);
	req.duration_ms = static_cast<std::uint32_t>(ms);

	Control ctl = cli::or_fail(Control::open());
	const SelftestResult r = cli::or_fail(ctl.selftest(req));
	std::cout << (opt.json ? format_selftest_json(r) : format_selftest_text(r));
	if (!r.passed())
		throw cli::Failure(Error{EPROTO, "ring buffer self-test FAILED: " +
							 std::to_string(r.errors) +
							 " error(s); first: " + r.error});
}

} // namespace

void setup_selftest(CLI::App &app)
{
	auto opt = std::make_shared<SelftestOptions>();
	CLI::App *sub = app.add_subcommand(
		"selftest",
		"Stress and check the ring buffer inside the kernel (writer kthread + hrtimer per "
		"CPU, concurrent reader) on a buffer of its own; exit 1 if any event was corrupted, "
		"duplicated, reordered or unaccounted. Needs the test module ktr_rb_test.ko loaded "
		"after ktr.ko (insmod ktr_rb_test.ko)");
	sub->add_option("--mode", opt->mode, "Buffer mode: discard (default) or overwrite")
		->type_name("MODE")
		->check(cli::validator([](const std::string &t) { return parse_mode(t); }));
	sub->add_option("--subbuf-size", opt->subbuf_size,
			"Sub-buffer size in bytes (" + subbuf_size_range_text() +
				"; default: the module's)")
		->type_name("BYTES")
		->check(cli::validator([](const std::string &t) { return parse_count(t); }));
	sub->add_option("--subbufs", opt->subbufs,
			"Sub-buffers per CPU (" + nr_subbufs_range_text() + "; default: the module's)")
		->type_name("N")
		->check(cli::validator([](const std::string &t) { return parse_count(t); }));
	sub->add_option("--duration", opt->duration,
			"How long the writers run, e.g. 500ms, 2s (10ms..60s; default 2s)")
		->type_name("TIME")
		->check(cli::validator([](const std::string &t) { return parse_duration(t); }));
	sub->add_flag("--json", opt->json, "Print one JSON object instead of text");
	sub->callback([opt] { run_selftest(*opt); });
}

} // namespace ktr::cmd
