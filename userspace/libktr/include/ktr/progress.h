// SPDX-License-Identifier: MIT
//
// The status line of a long ktr record -o / ktr-read -o on a terminal: one
// line on stderr, rewritten in place ("\r" ... erase to end of line) at
// most every interval, fed by the pipeline's progress hook (pipeline.h):
//
//	  12.5s  1234567 events  98765 events/s  0 lost  37.6 MiB
//
// Nothing at all is written when stderr is not a terminal (a log file or
// a pipe gets no control characters), or when it is not enabled; finish()
// erases the line so that what follows starts on a clean one.
#ifndef KTR_PROGRESS_H
#define KTR_PROGRESS_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ktr/read_stats.h"

namespace ktr {

struct ProgressSample {
	std::chrono::nanoseconds elapsed{0};
	std::uint64_t events = 0;
	std::uint64_t lost = 0;
	std::uint64_t file_bytes = 0;
};

/// The text of the line (no "\r", no newline), as above.
std::string format_progress(const ProgressSample &s);

class ProgressLine {
public:
	using Clock = std::chrono::steady_clock;

	/// Writes to @fd when @enabled and @fd is a terminal (isatty()); the
	/// size shown is that of @file (not shown when empty).
	ProgressLine(int fd, std::string file, bool enabled);
	~ProgressLine() { finish(); }
	ProgressLine(const ProgressLine &) = delete;
	ProgressLine &operator=(const ProgressLine &) = delete;

	/// New counts: the line is rewritten if an interval passed since the
	/// last time.
	void update(const std::vector<ReadStats> &cpus);
	/// Erase the line (once).
	void finish();

	[[nodiscard]] bool active() const noexcept { return active_; }

	/// For tests: write even when @fd is no terminal, and take the time
	/// from @now.
	void force_for_test(std::function<Clock::time_point()> now);

	static constexpr std::chrono::milliseconds interval{250};

private:
	int fd_;
	std::string file_;
	bool active_;
	bool shown_ = false;
	std::function<Clock::time_point()> now_ = [] { return Clock::now(); };
	Clock::time_point start_;
	Clock::time_point last_{};
};

} // namespace ktr

#endif // KTR_PROGRESS_H
