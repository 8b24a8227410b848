// SPDX-License-Identifier: MIT
//
// ktr-lat-sleeper [-f PRIO] N USEC: a task woken by a timer N times:
// prints its pid, then sleeps USEC microseconds (nanosleep) N times; with
// -f, as SCHED_FIFO at PRIO first (tests/vm/tracer-wakeup.sh).
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <sched.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int arg = 1;
	if (argc > 2 && std::strcmp(argv[1], "-f") == 0) {
		sched_param sp{};
		sp.sched_priority = std::atoi(argv[2]);
		if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0) {
			std::fprintf(stderr, "sched_setscheduler: %s\n", std::strerror(errno));
			return 1;
		}
		arg = 3;
	}
	if (argc != arg + 2) {
		std::fprintf(stderr, "usage: ktr-lat-sleeper [-f PRIO] N USEC\n");
		return 2;
	}
	const long n = std::atol(argv[arg]);
	const long usec = std::atol(argv[arg + 1]);
	std::printf("%d\n", static_cast<int>(getpid()));
	std::fflush(stdout);
	const timespec ts{usec / 1000000, (usec % 1000000) * 1000};
	for (long i = 0; i < n; i++)
		if (nanosleep(&ts, nullptr) != 0 && errno != EINTR)
			return 1;
	return 0;
}
