// SPDX-License-Identifier: MIT
#include "stop_signals.h"

#include <csignal>

namespace ktr::cli {

namespace {

std::atomic<bool> stop_requested{false};

void on_stop(int)
{
	request_stop();
}

} // namespace

const std::atomic<bool> &stop_flag() noexcept
{
	return stop_requested;
}

void request_stop() noexcept
{
	stop_requested.store(true, std::memory_order_relaxed);
}

void install_stop_signals()
{
	struct sigaction sa {};
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, nullptr);
	sigaction(SIGTERM, &sa, nullptr);
	signal(SIGPIPE, SIG_IGN);
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigprocmask(SIG_UNBLOCK, &stop, nullptr);
}

} // namespace ktr::cli
