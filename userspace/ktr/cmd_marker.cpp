// SPDX-License-Identifier: MIT
//
// ktr marker [--count N] [--seq] TEXT...
// Writes TEXT (the words joined by spaces) into the trace as a marker event,
// as user space annotates a trace (ftrace's trace_marker). --count repeats
// it, --seq appends " <n>" (0, 1, ...) so that each marker is unique: a load
// generator for tests. Markers the kernel refuses because the buffer is
// full are counted as lost there and reported here; they are not an error
// when --count > 1. --netlink sends KTR_CMD_WRITE_MARKER instead of
// writing /dev/ktr (same event; any refusal is an error with the kernel's
// message) and prints the CPU it was recorded on.
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/device.h"
#include "ktr/number.h"

namespace ktr::cmd {

namespace {

struct MarkerOptions {
	std::vector<std::string> words;
	std::string count = "1";
	bool seq = false;
	bool netlink = false;
};

void run_netlink_marker(const std::string &text, std::uint64_t count, bool seq)
{
	Control ctl = cli::or_fail(Control::open());
	for (std::uint64_t i = 0; i < count; i++) {
		const std::uint32_t cpu =
			cli::or_fail(ctl.write_marker(seq ? text + " " + std::to_string(i) : text));
		if (count == 1)
			std::cout << "marker recorded on CPU " << cpu << '\n';
	}
}

void run_marker(const MarkerOptions &opt)
{
	std::string text;
	for (const auto &w : opt.words)
		text += (text.empty() ? "" : " ") + w;
	const std::uint64_t count = cli::or_fail(parse_count(opt.count));
	if (count == 0)
		throw cli::Failure(Error{EINVAL, "--count must be at least 1"}, cli::exit_usage);
	if (opt.netlink) {
		run_netlink_marker(text, count, opt.seq);
		return;
	}

	const Device dev = cli::or_fail(Device::open());
	std::uint64_t written = 0, full = 0, other = 0;
	for (std::uint64_t i = 0; i < count; i++) {
		const std::string line = opt.seq ? text + " " + std::to_string(i) : text;
		switch (cli::or_fail(dev.write_marker(line))) {
		case MarkerRefusal::None:
			written++;
			break;
		case MarkerRefusal::BufferFull:
			full++;
			break;
		default:
			other++;
			break;
		}
	}
	if (count == 1 && written == 0)
		throw cli::Failure(Error{ENOSPC, full ? "marker lost: the trace buffer is full"
						      : "marker refused: the trace buffer is disabled"});
	if (count > 1)
		std::cerr << "ktr: " << written << " markers written, " << full
			  << " lost (buffer full), " << other << " refused (disabled or nested)\n";
}

} // namespace

void setup_marker(CLI::App &app)
{
	auto opt = std::make_shared<MarkerOptions>();
	CLI::App *sub = app.add_subcommand(
		"marker", "Write a marker event (text) into the trace on this CPU, like "
			  "ftrace's trace_marker");
	sub->add_option("text", opt->words, "The text (words are joined by spaces)")
		->required();
	sub->add_option("--count", opt->count, "Write it this many times (default 1)");
	sub->add_flag("--seq", opt->seq, "Append \" <n>\" (0, 1, ...) to each marker");
	sub->add_flag("--netlink", opt->netlink,
		      "Send it over the control plane (KTR_CMD_WRITE_MARKER) instead of "
		      "writing /dev/ktr");
	sub->callback([opt] { run_marker(*opt); });
}

} // namespace ktr::cmd
