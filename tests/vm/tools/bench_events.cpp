// SPDX-License-Identifier: MIT
//
// ktr-bench-events: the two loops of `make bench-events` (scripts/bench-events).
//
//   ktr-bench-events syscall --cpu N [--iterations I] [--reps R]
//   ktr-bench-events switch  --cpu N [--iterations I] [--reps R]
//
// Pins itself to CPU N (sched_setaffinity), then repeats R times (default 5)
// a timed loop of I iterations:
//   syscall  I x getppid() (the raw syscall: no libc caching); one op = one
//            call, i.e. one sys_enter + one sys_exit;
//   switch   I round trips of one byte between this process and a child
//            pinned to the same CPU, over two pipes: each round trip is two
//            context switches (parent -> child -> parent); one op = one
//            switch (round trip / 2).
// Before the timed repetitions one untimed warm-up pass of I / 10 runs.
// Prints one line:
//
//   ktr-bench-events mode=M cpu=N iterations=I reps=R ns_per_op=MEDIAN
//     min=MIN max=MAX samples=S1,S2,...
//
// (on one line; ns per op with two decimals, MEDIAN of the R repetitions).
// Exit status: 0, 1 when a loop failed (a pipe broke), 2 on bad arguments or
// when it could not pin itself.
#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <sched.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace {

[[noreturn]] void usage(const char *why)
{
	std::fprintf(stderr,
		     "ktr-bench-events: %s\n"
		     "usage: ktr-bench-events syscall|switch --cpu N [--iterations I] [--reps R]\n",
		     why);
	std::exit(2);
}

std::uint64_t number(const char *opt, const char *s)
{
	char *end = nullptr;
	errno = 0;
	const unsigned long long v = std::strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v == 0)
		usage((std::string(opt) + " wants a positive integer, got '" + s + "'").c_str());
	return v;
}

std::uint64_t now_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000ULL +
	       static_cast<std::uint64_t>(ts.tv_nsec);
}

bool pin(unsigned cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	return sched_setaffinity(0, sizeof(set), &set) == 0;
}

// ns per getppid(), I calls.
double syscall_loop(std::uint64_t iterations)
{
	const std::uint64_t t0 = now_ns();
	for (std::uint64_t i = 0; i < iterations; i++)
		syscall(SYS_getppid);
	return static_cast<double>(now_ns() - t0) / static_cast<double>(iterations);
}

bool full_io(bool write_side, int fd, char *c)
{
	for (;;) {
		const ssize_t n = write_side ? write(fd, c, 1) : read(fd, c, 1);
		if (n == 1)
			return true;
		if (n < 0 && errno == EINTR)
			continue;
		return false;
	}
}

// The ping-pong partner: pinned to the same CPU, echoes every byte until
// its input closes.
[[noreturn]] void echo_child(unsigned cpu, int in, int out)
{
	if (!pin(cpu))
		_exit(2);
	char c = 0;
	while (full_io(false, in, &c))
		if (!full_io(true, out, &c))
			_exit(1);
	_exit(0);
}

class PingPong {
public:
	explicit PingPong(unsigned cpu)
	{
		int a[2], b[2];
		if (pipe(a) || pipe(b)) {
			std::perror("ktr-bench-events: pipe");
			std::exit(1);
		}
		child_ = fork();
		if (child_ < 0) {
			std::perror("ktr-bench-events: fork");
			std::exit(1);
		}
		if (child_ == 0) {
			close(a[1]);
			close(b[0]);
			echo_child(cpu, a[0], b[1]);
		}
		close(a[0]);
		close(b[1]);
		to_ = a[1];
		from_ = b[0];
	}
	PingPong(const PingPong &) = delete;
	PingPong &operator=(const PingPong &) = delete;

	// ns per context switch over I round trips, or a negative value when
	// the pipe broke.
	double run(std::uint64_t iterations)
	{
		char c = 'x';
		const std::uint64_t t0 = now_ns();
		for (std::uint64_t i = 0; i < iterations; i++)
			if (!full_io(true, to_, &c) || !full_io(false, from_, &c))
				return -1;
		return static_cast<double>(now_ns() - t0) / static_cast<double>(2 * iterations);
	}

	// Closes the pipe to the child; true when it exited normally.
	bool finish()
	{
		close(to_);
		int status = 0;
		while (waitpid(child_, &status, 0) < 0 && errno == EINTR) {
		}
		close(from_);
		return WIFEXITED(status) && WEXITSTATUS(status) == 0;
	}

private:
	pid_t child_ = -1;
	int to_ = -1;
	int from_ = -1;
};

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2)
		usage("missing mode (syscall or switch)");
	const std::string mode = argv[1];
	if (mode != "syscall" && mode != "switch")
		usage(("unknown mode '" + mode + "' (syscall or switch)").c_str());
	long cpu = -1;
	std::uint64_t iterations = mode == "syscall" ? 200000 : 20000;
	std::uint64_t reps = 5;
	for (int i = 2; i < argc; i++) {
		const std::string opt = argv[i];
		if (i + 1 >= argc)
			usage(("missing value after " + opt).c_str());
		const char *val = argv[++i];
		if (opt == "--cpu") {
			char *end = nullptr;
			errno = 0;
			cpu = std::strtol(val, &end, 10);
			if (errno || end == val || *end || cpu < 0 || cpu >= CPU_SETSIZE)
				usage((std::string("--cpu wants a CPU number, got '") + val + "'").c_str());
		} else if (opt == "--iterations") {
			iterations = number("--iterations", val);
		} else if (opt == "--reps") {
			reps = number("--reps", val);
		} else {
			usage(("unknown option " + opt).c_str());
		}
	}
	if (cpu < 0)
		usage("missing --cpu");
	const auto c = static_cast<unsigned>(cpu);
	if (!pin(c)) {
		std::fprintf(stderr, "ktr-bench-events: cannot pin to CPU %u: %s\n", c,
			     std::strerror(errno));
		return 2;
	}

	std::vector<double> samples;
	bool ok = true;
	if (mode == "syscall") {
		syscall_loop(std::max<std::uint64_t>(iterations / 10, 1));
		for (std::uint64_t r = 0; r < reps; r++)
			samples.push_back(syscall_loop(iterations));
	} else {
		PingPong pp(c);
		ok = pp.run(std::max<std::uint64_t>(iterations / 10, 1)) >= 0;
		for (std::uint64_t r = 0; ok && r < reps; r++) {
			const double ns = pp.run(iterations);
			ok = ns >= 0;
			if (ok)
				samples.push_back(ns);
		}
		ok = pp.finish() && ok;
	}
	if (!ok) {
		std::fprintf(stderr, "ktr-bench-events: the ping-pong pipe broke (child died?)\n");
		return 1;
	}

	std::vector<double> sorted = samples;
	std::sort(sorted.begin(), sorted.end());
	const std::size_t n = sorted.size();
	const double median = n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
	std::string list;
	for (double s : samples) {
		char buf[32];
		std::snprintf(buf, sizeof(buf), "%s%.2f", list.empty() ? "" : ",", s);
		list += buf;
	}
	std::printf("ktr-bench-events mode=%s cpu=%u iterations=%llu reps=%llu ns_per_op=%.2f "
		    "min=%.2f max=%.2f samples=%s\n",
		    mode.c_str(), c, static_cast<unsigned long long>(iterations),
		    static_cast<unsigned long long>(reps), median, sorted.front(), sorted.back(),
		    list.c_str());
	return 0;
}
