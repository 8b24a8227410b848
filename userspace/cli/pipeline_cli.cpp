// SPDX-License-Identifier: MIT
#include "pipeline_cli.h"

#include <cerrno>
#include <optional>

#include "cli_main.h"
#include "ktr/window_sink.h"

namespace ktr::cli {

void add_time_window(CLI::App *sub, std::string &from, std::string &to)
{
	const auto check = validator([](const std::string &t) { return parse_time_bound(t, ""); });
	sub->add_option("--from", from,
			"Only events at or after T: seconds as the lines show them (5025.5), or "
			"+DURATION after the first event (+1.5s)")
		->type_name("T")
		->check(check);
	sub->add_option("--to", to, "Only events at or before T (as --from)")
		->type_name("T")
		->check(check);
}

void fail_on_errors(const PipelineResult &res)
{
	if (res.damage)
		throw Failure(*res.damage);
	if (const std::optional<std::string> failed = res.error_summary())
		throw Failure(Error{EPROTO, *failed});
}

} // namespace ktr::cli
