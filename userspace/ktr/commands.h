// SPDX-License-Identifier: MIT
//
// The subcommands of `ktr`, one file each: setup_<name>() adds the
// subcommand to the app, binds its options and sets the callback that runs it.
#ifndef KTR_COMMANDS_H
#define KTR_COMMANDS_H

#include <CLI/CLI.hpp>

namespace ktr::cmd {

void setup_info(CLI::App &app);
void setup_selftest(CLI::App &app);
void setup_report(CLI::App &app);
void setup_marker(CLI::App &app);
void setup_list(CLI::App &app);
void setup_enable(CLI::App &app);
void setup_disable(CLI::App &app);
void setup_tracing(CLI::App &app);
void setup_stat(CLI::App &app);
void setup_buffer(CLI::App &app);
void setup_filter(CLI::App &app);
void setup_record(CLI::App &app);
void setup_attach(CLI::App &app);
void setup_detach(CLI::App &app);
void setup_funclat(CLI::App &app);
void setup_hist(CLI::App &app);
void setup_probe(CLI::App &app);
void setup_tracer(CLI::App &app);
void setup_latency(CLI::App &app);
void setup_profile(CLI::App &app);

} // namespace ktr::cmd

#endif // KTR_COMMANDS_H
