// SPDX-License-Identifier: MIT
//
// The status line of ktr record -o / ktr-read -o (ktr/progress.h): its
// text, its pace (at most one line per interval, none in the first), the
// erase at the end, and silence when stderr is not a terminal.

#include <chrono>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "ktr/progress.h"

namespace ktr {
namespace {

using namespace std::chrono_literals;

TEST(Progress, Text)
{
	ProgressSample s;
	s.elapsed = 12'560ms;
	s.events = 1'256'000;
	s.lost = 3;
	s.file_bytes = 3 << 20;
	EXPECT_EQ(format_progress(s), "   12.5s  1256000 events  100000 events/s  3 lost  3 MiB");
	s.elapsed = 0ms;
	s.file_bytes = 0;
	EXPECT_EQ(format_progress(s), "    0.0s  1256000 events  0 events/s  3 lost");
}

std::string drain(int fd)
{
	std::string out;
	char buf[512];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		out.append(buf, static_cast<std::size_t>(n));
	return out;
}

TEST(Progress, PaceAndErase)
{
	int p[2];
	ASSERT_EQ(pipe2(p, O_NONBLOCK), 0);
	auto now = ProgressLine::Clock::time_point{} + 1h;
	{
		ProgressLine line(p[1], "", true);
		EXPECT_FALSE(line.active());	// a pipe is no terminal
		line.force_for_test([&now] { return now; });
		std::vector<ReadStats> cpus(2);
		cpus[0].events = 10;
		cpus[1].events = 5;
		cpus[1].lost = 2;
		line.update(cpus);
		EXPECT_EQ(drain(p[0]), "");	// nothing in the first interval
		now += 500ms;
		line.update(cpus);
		EXPECT_EQ(drain(p[0]), "\r    0.5s  15 events  30 events/s  2 lost\x1b[K");
		now += 100ms;
		line.update(cpus);
		EXPECT_EQ(drain(p[0]), "");	// not again within the interval
		now += 150ms;
		line.update(cpus);
		EXPECT_EQ(drain(p[0]), "\r    0.7s  15 events  20 events/s  2 lost\x1b[K");
		line.finish();
		EXPECT_EQ(drain(p[0]), "\r\x1b[K");
	}
	EXPECT_EQ(drain(p[0]), "");	// erased once
	close(p[0]);
	close(p[1]);
}

TEST(Progress, SilentWhenNotATerminal)
{
	int p[2];
	ASSERT_EQ(pipe2(p, O_NONBLOCK), 0);
	{
		ProgressLine line(p[1], "", true);
		std::vector<ReadStats> cpus(1);
		line.update(cpus);
		line.finish();
	}
	EXPECT_EQ(drain(p[0]), "");
	close(p[0]);
	close(p[1]);
}

} // namespace
} // namespace ktr
