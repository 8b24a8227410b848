// SPDX-License-Identifier: MIT
//
// ktr-memhog LEAVE_MIB: take the guest's memory until MemAvailable is at
// most LEAVE_MIB, say "holding N MiB, MemAvailable M MiB", and hold it
// until killed (memory pressure while tracing, tests/vm/faults.sh). Pages
// are touched so they are really used; oom_score_adj is 1000, so if the
// kernel has to kill, the hog goes first.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <unistd.h>

namespace {

long mem_available_mib()
{
	std::ifstream in("/proc/meminfo");
	for (std::string key; in >> key;) {
		long kib = 0;
		in >> kib;
		if (key == "MemAvailable:")
			return kib / 1024;
		in.ignore(1 << 10, '\n');
	}
	return -1;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 2) {
		std::fprintf(stderr, "usage: ktr-memhog LEAVE_MIB\n");
		return 2;
	}
	const long leave = std::strtol(argv[1], nullptr, 10);
	if (std::FILE *f = std::fopen("/proc/self/oom_score_adj", "w")) {
		std::fputs("1000", f);
		std::fclose(f);
	}
	constexpr std::size_t chunk = 4u << 20;
	std::vector<void *> held;
	for (long avail = mem_available_mib(); avail > leave; avail = mem_available_mib()) {
		void *p = std::malloc(chunk);
		if (!p)
			break;
		std::memset(p, 0xa5, chunk);
		held.push_back(p);
	}
	std::printf("holding %zu MiB, MemAvailable %ld MiB\n", held.size() * (chunk >> 20),
		    mem_available_mib());
	std::fflush(stdout);
	for (;;)
		::pause();
}
