// SPDX-License-Identifier: MIT
//
// ktr-bench-writer: the flood generator of `make bench-read` (scripts/bench-read).
//
//   ktr-bench-writer PATH --cpu N --rate EVENTS_PER_S --seconds S [--size BYTES]
//
// Pins itself to CPU N, opens PATH for writing and writes the same short
// message (BYTES long, default 32, ending in a newline) again and again, one
// write() per event: on /dev/ktr each write is one ktr marker event, on
// /sys/kernel/tracing/trace_marker one ftrace print event. --rate paces the
// writes on an absolute schedule (event i is due at start + i / rate), in
// batches of about one millisecond slept for with clock_nanosleep(); a writer
// that falls behind catches up without sleeping. --rate 0 writes as fast as
// it can. It stops after rate * seconds writes or after S seconds, whichever
// comes first, and prints one line:
//
//   ktr-bench-writer path=P cpu=N rate=R seconds=S size=B batch=K attempted=A
//     written=W refused=F errors=ENOSPC:n,... elapsed_ns=E late_ns=L
//
// (on one line). A refused write (the buffer is full: ENOSPC from /dev/ktr,
// EBADF from trace_marker, or any other errno) is counted and not retried.
// late_ns is how far behind its schedule the writer was at the end.
// Exit status: 0, or 2 when it could not start (bad arguments, open, pin).
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <string_view>

#include <fcntl.h>
#include <sched.h>
#include <time.h>
#include <unistd.h>

namespace {

constexpr std::uint64_t ns_per_s = 1000000000ULL;

[[noreturn]] void usage(const char *why)
{
	std::fprintf(stderr,
		     "ktr-bench-writer: %s\n"
		     "usage: ktr-bench-writer PATH --cpu N --rate EVENTS_PER_S --seconds S "
		     "[--size BYTES]\n",
		     why);
	std::exit(2);
}

std::uint64_t number(const char *opt, const char *s)
{
	char *end = nullptr;
	errno = 0;
	const unsigned long long v = std::strtoull(s, &end, 10);
	if (errno || end == s || *end || *s == '-')
		usage((std::string(opt) + " wants a non-negative integer, got '" + s + "'").c_str());
	return v;
}

std::uint64_t now_ns()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<std::uint64_t>(ts.tv_sec) * ns_per_s + static_cast<std::uint64_t>(ts.tv_nsec);
}

void sleep_until(std::uint64_t t)
{
	timespec ts{};
	ts.tv_sec = static_cast<time_t>(t / ns_per_s);
	ts.tv_nsec = static_cast<long>(t % ns_per_s);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr) == EINTR) {
	}
}

// The message: "ktr-bench NNNN..." padded with dots, ending in '\n'.
std::string message(std::size_t size, unsigned cpu)
{
	std::string m = "ktr-bench cpu" + std::to_string(cpu) + " ";
	m.resize(size, '.');
	m.back() = '\n';
	return m;
}

} // namespace

int main(int argc, char **argv)
{
	const char *path = nullptr;
	std::uint64_t cpu = 0, rate = 0, seconds = 0, size = 32;
	bool have_cpu = false, have_rate = false, have_seconds = false;
	for (int i = 1; i < argc; i++) {
		const std::string_view a = argv[i];
		auto value = [&]() -> const char * {
			if (i + 1 >= argc)
				usage((std::string(a) + " wants a value").c_str());
			return argv[++i];
		};
		if (a == "--cpu") {
			cpu = number("--cpu", value());
			have_cpu = true;
		} else if (a == "--rate") {
			rate = number("--rate", value());
			have_rate = true;
		} else if (a == "--seconds") {
			seconds = number("--seconds", value());
			have_seconds = true;
		} else if (a == "--size") {
			size = number("--size", value());
		} else if (a.starts_with("-")) {
			usage(("unknown option '" + std::string(a) + "'").c_str());
		} else if (!path) {
			path = argv[i];
		} else {
			usage("more than one PATH");
		}
	}
	if (!path || !have_cpu || !have_rate || !have_seconds)
		usage("PATH, --cpu, --rate and --seconds are required");
	if (seconds == 0 || seconds > 3600)
		usage("--seconds must be 1..3600");
	if (size < 2 || size > 3984)
		usage("--size must be 2..3984 bytes (a ktr marker holds at most 3984)");
	if (rate > 1000000000)
		usage("--rate must be at most 1000000000");
	if (cpu >= CPU_SETSIZE)
		usage("--cpu is out of range");

	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(static_cast<std::size_t>(cpu), &set);
	if (sched_setaffinity(0, sizeof(set), &set) != 0) {
		std::fprintf(stderr, "ktr-bench-writer: cannot pin to CPU %llu: %s\n",
			     static_cast<unsigned long long>(cpu), std::strerror(errno));
		return 2;
	}
	const int fd = ::open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		std::fprintf(stderr, "ktr-bench-writer: cannot open %s for writing: %s\n", path,
			     std::strerror(errno));
		return 2;
	}

	const std::string msg = message(static_cast<std::size_t>(size), static_cast<unsigned>(cpu));
	// About one batch per millisecond: the sleeps stay well above the timer
	// slack, the bursts well below a sub-buffer.
	const std::uint64_t batch = rate ? (rate >= 1000 ? rate / 1000 : 1) : 64;
	const std::uint64_t total = rate ? rate * seconds : UINT64_MAX;
	const std::uint64_t start = now_ns();
	const std::uint64_t stop = start + seconds * ns_per_s;
	std::uint64_t attempted = 0, written = 0, late = 0;
	std::map<int, std::uint64_t> errors;

	while (attempted < total) {
		const std::uint64_t t = now_ns();
		if (t >= stop)
			break;
		if (rate) {
			// Event number `attempted` is due at start + attempted / rate.
			const std::uint64_t due = start + attempted / rate * ns_per_s +
						  attempted % rate * ns_per_s / rate;
			if (due > t)
				sleep_until(due);
			late = t > due ? t - due : 0;
		}
		const std::uint64_t n = std::min(batch, total - attempted);
		for (std::uint64_t k = 0; k < n; k++) {
			const ssize_t r = ::write(fd, msg.data(), msg.size());
			if (r == static_cast<ssize_t>(msg.size()))
				written++;
			else
				errors[r < 0 ? errno : 0]++;
		}
		attempted += n;
	}
	const std::uint64_t elapsed = now_ns() - start;
	::close(fd);

	std::string errs;
	std::uint64_t refused = 0;
	for (const auto &[e, n] : errors) {
		refused += n;
		if (!errs.empty())
			errs += ',';
		const char *name = e == 0 ? "short" : strerrorname_np(e);
		errs += (name ? std::string(name) : std::to_string(e)) + ':' + std::to_string(n);
	}
	std::printf("ktr-bench-writer path=%s cpu=%llu rate=%llu seconds=%llu size=%llu batch=%llu "
		    "attempted=%llu written=%llu refused=%llu errors=%s elapsed_ns=%llu late_ns=%llu\n",
		    path, static_cast<unsigned long long>(cpu), static_cast<unsigned long long>(rate),
		    static_cast<unsigned long long>(seconds), static_cast<unsigned long long>(size),
		    static_cast<unsigned long long>(batch), static_cast<unsigned long long>(attempted),
		    static_cast<unsigned long long>(written), static_cast<unsigned long long>(refused),
		    errs.empty() ? "none" : errs.c_str(), static_cast<unsigned long long>(elapsed),
		    static_cast<unsigned long long>(late));
	return 0;
}
