// SPDX-License-Identifier: MIT
//
// The stop request of the streaming tools (ktr-read, ktr record): SIGINT and
// SIGTERM set a flag that the live source (ktr/live_source.h) checks between
// polls, which the signal interrupts (no SA_RESTART); SIGPIPE is ignored, so
// a reader on the other end of a closed pipe is seen as a failed write.
#ifndef KTR_CLI_STOP_SIGNALS_H
#define KTR_CLI_STOP_SIGNALS_H

#include <atomic>

namespace ktr::cli {

/// The flag the handlers set.
const std::atomic<bool> &stop_flag() noexcept;

/// Set the flag (async-signal-safe): for handlers of other signals.
void request_stop() noexcept;

/// Install the handlers of SIGINT and SIGTERM, ignore SIGPIPE, and unblock
/// SIGINT and SIGTERM (a parent may start us with them blocked so that an
/// early stop is not lost: one pending now stops us cleanly).
void install_stop_signals();

} // namespace ktr::cli

#endif // KTR_CLI_STOP_SIGNALS_H
