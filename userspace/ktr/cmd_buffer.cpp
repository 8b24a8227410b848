// SPDX-License-Identifier: MIT
//
// ktr buffer [--size-per-cpu SIZE | --subbuf-size S --nr-subbufs N]
//            [--mode discard|overwrite]
// Without options: the trace buffer's configuration (KTR_CMD_GET_INFO).
// With: replace the buffer (KTR_CMD_SET_BUFFER; its contents and counters
// go; refused while a stream reader runs). Sizes take K/M/G suffixes.
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "cli_main.h"
#include "commands.h"
#include "ktr/buffer_geometry.h"
#include "ktr/control.h"
#include "ktr/selftest.h"
#include "ktr/tracing.h"
#include "ktr/units.h"

namespace ktr::cmd {

namespace {

struct BufferOptions {
	std::string size_per_cpu;
	std::string subbuf_size;
	std::uint32_t nr_subbufs = 0;
	std::string mode;
};

void print_config(const BufferConfig &c)
{
	std::cout << "sub-buffer size:     " << format_bytes(c.subbuf_size) << '\n'
		  << "sub-buffers per CPU: " << c.nr_subbufs << '\n'
		  << "buffer per CPU:      "
		  << format_bytes(std::uint64_t{c.subbuf_size} * c.nr_subbufs) << '\n'
		  << "mode:                " << mode_text(c.mode) << '\n';
}

void run_buffer(const BufferOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	const Info info = cli::or_fail(ctl.get_info());
	const BufferConfig current{info.subbuf_size, info.nr_subbufs, info.buffer_mode.value_or(0)};

	BufferRequest req;
	if (!opt.subbuf_size.empty())
		req.subbuf_size = cli::or_fail(parse_size(opt.subbuf_size, "--subbuf-size"));
	if (opt.nr_subbufs)
		req.nr_subbufs = opt.nr_subbufs;
	if (!opt.size_per_cpu.empty()) {
		const std::uint32_t size = cli::or_fail(parse_size(opt.size_per_cpu, "--size-per-cpu"));
		req.nr_subbufs = cli::or_fail(
			nr_subbufs_for(size, req.subbuf_size.value_or(current.subbuf_size)));
	}
	if (!opt.mode.empty())
		req.mode = static_cast<std::uint32_t>(cli::or_fail(parse_mode(opt.mode)));
	if (req.empty()) {
		print_config(current);
		return;
	}
	if (Result<void> ok = check_buffer_request(req, current); !ok)
		throw cli::Failure(ok.error(), cli::exit_usage);
	print_config(cli::or_fail(ctl.set_buffer(req)));
}

} // namespace

void setup_buffer(CLI::App &app)
{
	auto opt = std::make_shared<BufferOptions>();
	CLI::App *sub = app.add_subcommand(
		"buffer", "Show or change the trace buffer: size per CPU, sub-buffers, mode "
			  "(a change empties it; stop readers first)");
	CLI::Option *per_cpu =
		sub->add_option("--size-per-cpu", opt->size_per_cpu,
				"Bytes per CPU (K/M suffixes): a power-of-two number of sub-buffers")
			->type_name("SIZE")
			->check(cli::validator(
				[](const std::string &t) { return parse_size(t, ""); }));
	sub->add_option("--subbuf-size", opt->subbuf_size,
			"Sub-buffer size (K/M suffixes): " + subbuf_size_range_text())
		->type_name("SIZE")
		->check(cli::validator(
			[](const std::string &t) { return parse_size(t, ""); }));
	sub->add_option("--nr-subbufs", opt->nr_subbufs,
			"Sub-buffers per CPU: " + nr_subbufs_range_text())
		->type_name("N")
		->check(cli::validator([](const std::string &t) { return parse_nr_subbufs(t); }))
		->excludes(per_cpu);
	sub->add_option("--mode", opt->mode,
			"discard (drop new events when full) or overwrite (flight recorder)")
		->type_name("MODE")
		->check(cli::validator([](const std::string &t) { return parse_mode(t); }));
	sub->callback([opt] { run_buffer(*opt); });
}

} // namespace ktr::cmd
