// SPDX-License-Identifier: MIT
//
// ktr-syscall-seq FILE: makes a known sequence of system calls, then prints
// the raw_syscalls events they must produce, as ktr prints them (the text
// after the event name's "sys_"), one per line, after "pid N":
//
//	pid 1234
//	sys_enter: NR 3 close (1e240, 0, 0, 0, 0, 0)
//	sys_exit: NR 3 close = -9
//	...
//
// The sequence starts and ends with close() of a bogus descriptor
// (123456, 654321: -EBADF), so a test can cut it out of the process's
// events. Every call goes through syscall(2) with all six arguments, so
// every argument register is known. FILE must hold at least 100 bytes.
// Nothing is printed until the sequence is over (stdout is written after).
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

namespace {

std::vector<std::string> expected;

std::string hex(std::uint64_t v)
{
	char buf[24];
	std::snprintf(buf, sizeof(buf), "%" PRIx64, v);
	return buf;
}

// Calls syscall @nr with six arguments and records the two events it gives.
long call(long nr, const char *name, std::uint64_t a0, std::uint64_t a1 = 0,
	  std::uint64_t a2 = 0, std::uint64_t a3 = 0, std::uint64_t a4 = 0, std::uint64_t a5 = 0)
{
	long r = syscall(nr, a0, a1, a2, a3, a4, a5);
	if (r == -1)
		r = -errno;
	const std::string head = "NR " + std::to_string(nr) + " " + name;
	expected.push_back("sys_enter: " + head + " (" + hex(a0) + ", " + hex(a1) + ", " + hex(a2) +
			   ", " + hex(a3) + ", " + hex(a4) + ", " + hex(a5) + ")");
	expected.push_back("sys_exit: " + head + " = " + std::to_string(r));
	return r;
}

std::uint64_t addr(const void *p) { return reinterpret_cast<std::uintptr_t>(p); }

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: ktr-syscall-seq FILE (of 100 bytes or more)\n");
		return 2;
	}
	static char buf[128];
	static const char missing[] = "/nonexistent/ktr-syscall-seq";
	static const char devnull[] = "/dev/null";
	const auto at_fdcwd = static_cast<std::uint64_t>(static_cast<std::int64_t>(AT_FDCWD));
	expected.reserve(64);	// no allocation inside the sequence

	call(SYS_close, "close", 123456);
	call(SYS_getppid, "getppid", 0);
	const long fd = call(SYS_openat, "openat", at_fdcwd, addr(argv[1]), O_RDONLY);
	const long n1 = call(SYS_read, "read", static_cast<std::uint64_t>(fd), addr(buf), 64);
	const long n2 = call(SYS_read, "read", static_cast<std::uint64_t>(fd), addr(buf), 36);
	const long out = call(SYS_openat, "openat", at_fdcwd, addr(devnull), O_WRONLY);
	call(SYS_write, "write", static_cast<std::uint64_t>(out), addr(buf), 17);
	call(SYS_close, "close", static_cast<std::uint64_t>(out));
	call(SYS_close, "close", static_cast<std::uint64_t>(fd));
	const long enoent = call(SYS_openat, "openat", at_fdcwd, addr(missing), O_RDONLY);
	call(SYS_getpid, "getpid", 0);
	call(SYS_close, "close", 654321);

	if (fd < 0 || n1 != 64 || n2 != 36 || out < 0 || enoent != -ENOENT) {
		std::fprintf(stderr, "ktr-syscall-seq: unexpected results (open %ld, reads %ld %ld, "
				     "/dev/null %ld, missing %ld)\n",
			     fd, n1, n2, out, enoent);
		return 1;
	}
	std::printf("pid %d\n", static_cast<int>(getpid()));
	for (const std::string &line : expected)
		std::printf("%s\n", line.c_str());
	return 0;
}
