// SPDX-License-Identifier: MIT
#include "ktr/progress.h"

#include <cinttypes>
#include <cstdio>

#include <sys/stat.h>
#include <unistd.h>

#include "ktr/units.h"

namespace ktr {

std::string format_progress(const ProgressSample &s)
{
	const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(s.elapsed).count();
	const std::uint64_t rate =
		ms > 0 ? static_cast<std::uint64_t>(static_cast<double>(s.events) * 1000.0 /
						    static_cast<double>(ms))
		       : 0;
	char buf[160];
	std::snprintf(buf, sizeof(buf),
		      "%5lld.%01llds  %" PRIu64 " events  %" PRIu64 " events/s  %" PRIu64 " lost",
		      static_cast<long long>(ms / 1000), static_cast<long long>(ms % 1000 / 100),
		      s.events, rate, s.lost);
	std::string out = buf;
	if (s.file_bytes)
		out += "  " + format_bytes(s.file_bytes);
	return out;
}

ProgressLine::ProgressLine(int fd, std::string file, bool enabled)
	: fd_(fd), file_(std::move(file)), active_(enabled && isatty(fd) == 1),
	  start_(Clock::now())
{
}

void ProgressLine::force_for_test(std::function<Clock::time_point()> now)
{
	now_ = std::move(now);
	active_ = true;
	start_ = now_();
	last_ = {};
}

void ProgressLine::update(const std::vector<ReadStats> &cpus)
{
	if (!active_)
		return;
	const Clock::time_point t = now_();
	if (shown_ && t - last_ < interval)
		return;
	if (!shown_ && t - start_ < interval)
		return;	// a short run shows nothing
	last_ = t;
	ProgressSample s;
	s.elapsed = std::chrono::duration_cast<std::chrono::nanoseconds>(t - start_);
	for (const ReadStats &c : cpus) {
		s.events += c.events;
		s.lost += c.lost;
	}
	struct stat st {};
	if (!file_.empty() && stat(file_.c_str(), &st) == 0 && st.st_size > 0)
		s.file_bytes = static_cast<std::uint64_t>(st.st_size);
	const std::string line = "\r" + format_progress(s) + "\x1b[K";
	shown_ = true;
	if (write(fd_, line.data(), line.size()) < 0)
		active_ = false;	// nothing more: stderr went away
}

void ProgressLine::finish()
{
	if (active_ && shown_) {
		static constexpr char erase[] = "\r\x1b[K";
		if (write(fd_, erase, sizeof(erase) - 1) < 0) {
			// nothing to do: stderr went away
		}
	}
	shown_ = false;
	active_ = false;
}

} // namespace ktr
