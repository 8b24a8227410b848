// SPDX-License-Identifier: MIT
//
// ktr-event-load: workloads that trigger the curated kernel events for the
// VM tests.
//
//   ktr-event-load faults PAGES   map PAGES fresh anonymous pages and touch
//                                 each (one user page fault per page), then
//                                 read() /dev/zero into PAGES more fresh pages
//                                 (the kernel faults on each); prints
//                                 "pid N", "user FIRST LAST" and
//                                 "kernel FIRST LAST" (hex, the mappings)
//   ktr-event-load udp COUNT      send COUNT 100-byte UDP datagrams to
//                                 127.0.0.1 and receive them (net_dev_xmit /
//                                 netif_receive_skb on lo, which must be up)
//
// Exit 1 with a one-line message when the workload could not run.
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

namespace {

void *fresh(std::size_t len)
{
	void *m = mmap(nullptr, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED) {
		std::fprintf(stderr, "ktr-event-load: mmap: %s\n", std::strerror(errno));
		std::exit(1);
	}
	return m;
}

void print_range(const char *what, const void *m, std::size_t len)
{
	const auto a = reinterpret_cast<unsigned long>(m);
	std::printf("%s %lx %lx\n", what, a, a + len - 1);
}

int faults(long pages)
{
	const long page = sysconf(_SC_PAGESIZE);
	const auto len = static_cast<std::size_t>(pages * page);
	void *user = fresh(len);
	void *kernel = fresh(len);
	const int zero = open("/dev/zero", O_RDONLY);
	if (zero < 0) {
		std::fprintf(stderr, "ktr-event-load: /dev/zero: %s\n", std::strerror(errno));
		return 1;
	}
	auto *p = static_cast<volatile char *>(user);
	for (long i = 0; i < pages; i++)
		p[i * page] = 1;
	// copy_to_user() into pages not mapped yet: kernel-mode faults.
	if (read(zero, kernel, len) != static_cast<ssize_t>(len)) {
		std::fprintf(stderr, "ktr-event-load: read /dev/zero: %s\n", std::strerror(errno));
		return 1;
	}
	std::printf("pid %d\n", static_cast<int>(getpid()));
	print_range("user", user, len);
	print_range("kernel", kernel, len);
	return 0;
}

int udp(long count)
{
	const int rx = socket(AF_INET, SOCK_DGRAM, 0);
	const int tx = socket(AF_INET, SOCK_DGRAM, 0);
	sockaddr_in a{};
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	socklen_t alen = sizeof(a);
	if (rx < 0 || tx < 0 || bind(rx, reinterpret_cast<sockaddr *>(&a), sizeof(a)) ||
	    getsockname(rx, reinterpret_cast<sockaddr *>(&a), &alen)) {
		std::fprintf(stderr, "ktr-event-load: udp socket: %s\n", std::strerror(errno));
		return 1;
	}
	char buf[100] = {};
	for (long i = 0; i < count; i++) {
		if (sendto(tx, buf, sizeof(buf), 0, reinterpret_cast<sockaddr *>(&a), sizeof(a)) !=
			    static_cast<ssize_t>(sizeof(buf)) ||
		    recv(rx, buf, sizeof(buf), 0) != static_cast<ssize_t>(sizeof(buf))) {
			std::fprintf(stderr, "ktr-event-load: udp to 127.0.0.1: %s (is lo up?)\n",
				     std::strerror(errno));
			return 1;
		}
	}
	std::printf("sent %ld\n", count);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	const std::string mode = argc == 3 ? argv[1] : "";
	const long n = argc == 3 ? std::strtol(argv[2], nullptr, 10) : 0;
	if (mode == "faults" && n > 0)
		return faults(n);
	if (mode == "udp" && n > 0)
		return udp(n);
	std::fprintf(stderr, "usage: ktr-event-load faults PAGES | udp COUNT\n");
	return 2;
}
