// SPDX-License-Identifier: MIT
//
// ktr-funclat-probe: helpers for tests/vm/funclat.sh.
//
//   ktr-funclat-probe calls N GOFILE
//	Waits until GOFILE exists (looking every 10 ms), then calls getppid(2)
//	exactly N times (syscall(2): __x64_sys_getppid runs N times) and exits.
//	Nothing else it does calls getppid.
//   ktr-funclat-probe raw CASE
//	Sends KTR_IOC_FUNCLAT_OPEN requests below libktr, to test the module's
//	own checks, and prints "errno=E failed=F" (E 0: success; F the @failed
//	index, or "none"), plus what read() gave for the cases that read.
#include <cerrno>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <ktr.h>

namespace {

int calls(long n, const char *gofile)
{
	while (access(gofile, F_OK) != 0)
		usleep(10000);
	for (long i = 0; i < n; i++)
		syscall(SYS_getppid);
	return 0;
}

void print_result(int ret, int err, const ktr_funclat_open &o)
{
	if (o.failed == KTR_FUNCLAT_NONE)
		std::printf("errno=%d failed=none\n", ret < 0 ? err : 0);
	else
		std::printf("errno=%d failed=%u\n", ret < 0 ? err : 0, o.failed);
}

int raw(const std::string &c)
{
	const int dev = open(KTR_DEVICE_PATH, c == "wronly" ? O_WRONLY : O_RDWR);
	if (dev < 0) {
		std::printf("cannot open %s: %s\n", KTR_DEVICE_PATH, std::strerror(errno));
		return 1;
	}
	std::vector<char> names(KTR_FUNCLAT_FUNCS_MAX * 2 * KTR_FUNCLAT_NAME_SLOT, '\0');
	auto set = [&](unsigned i, const char *name) {
		std::strncpy(&names[i * KTR_FUNCLAT_NAME_SLOT], name, KTR_FUNCLAT_NAME_SLOT);
	};
	ktr_funclat_open o{};
	o.size = sizeof(o);
	o.nr_funcs = 1;
	o.names = reinterpret_cast<std::uintptr_t>(names.data());
	o.stat_size = sizeof(ktr_funclat_stat);
	o.failed = 12345;	// the module must write it
	set(0, "__x64_sys_getppid");
	for (unsigned i = 1; i < 2 * KTR_FUNCLAT_FUNCS_MAX; i++)
		set(i, "__x64_sys_getppid");
	if (c == "nr65") {
		o.nr_funcs = KTR_FUNCLAT_FUNCS_MAX + 1;
	} else if (c == "nr0") {
		o.nr_funcs = 0;
	} else if (c == "flags") {
		o.flags = 1;
	} else if (c == "unterminated") {
		o.nr_funcs = 2;
		std::memset(&names[KTR_FUNCLAT_NAME_SLOT], 'x', KTR_FUNCLAT_NAME_SLOT);
	} else if (c == "empty") {
		o.nr_funcs = 3;
		set(2, "");
	} else if (c == "unknown") {
		o.nr_funcs = 3;
		set(1, "vfs_read");
		set(2, "ktr_no_such_function_xyz");
	} else if (c == "notentry") {
		o.nr_funcs = 2;
		set(1, "kprobe_ftrace_handler");	// NOKPROBE: blacklisted
	} else if (c == "pid") {
		o.pid = 0x3ffffff0;
	} else if (c == "stat0") {
		o.stat_size = KTR_FUNCLAT_STAT_SIZE_VER0 - 8;
	} else if (c == "unit") {
		o.unit_ns = KTR_FUNCLAT_UNIT_NS_MAX + 1;
	} else if (c == "maxactive") {
		o.maxactive = KTR_FUNCLAT_MAXACTIVE_MAX + 1;
	} else if (c == "bigstat") {
		o.stat_size = 1024;
	} else if (c == "cap") {
		// KTR_FUNCLAT_SETS_MAX sets open at once; one more is refused
		// until one closes.
		std::vector<int> fds;
		int err = 0;
		for (unsigned i = 0; i <= KTR_FUNCLAT_SETS_MAX; i++) {
			const int fd = ioctl(dev, KTR_IOC_FUNCLAT_OPEN, &o);
			if (fd < 0) {
				err = errno;
				break;
			}
			fds.push_back(fd);
		}
		std::printf("opened=%zu next_errno=%d", fds.size(), err);
		if (!fds.empty()) {
			close(fds.back());
			fds.pop_back();
		}
		const int fd = ioctl(dev, KTR_IOC_FUNCLAT_OPEN, &o);
		std::printf(" after_close_errno=%d\n", fd < 0 ? errno : 0);
		if (fd >= 0)
			fds.push_back(fd);
		for (const int f : fds)
			close(f);
		return 0;
	} else if (c != "read" && c != "wronly") {
		std::printf("unknown case %s\n", c.c_str());
		return 2;
	}
	const int fd = ioctl(dev, KTR_IOC_FUNCLAT_OPEN, &o);
	const int err = errno;
	print_result(fd, err, o);
	if (fd < 0)
		return 0;
	std::vector<unsigned char> buf(2048, 0xaa);
	const ssize_t small = read(fd, buf.data(), o.stat_size - 1);
	std::printf("short read: %zd errno=%d\n", small, small < 0 ? errno : 0);
	const ssize_t n = read(fd, buf.data(), buf.size());
	ktr_funclat_stat st;
	std::memcpy(&st, buf.data(), sizeof(st));
	bool tail_zero = true;
	for (std::size_t i = sizeof(st); i < o.stat_size; i++)
		tail_zero = tail_zero && buf[i] == 0;
	std::printf("read: %zd size=%u index=%u tail_zero=%d\n", n, st.size, st.index,
		    tail_zero ? 1 : 0);
	close(fd);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc == 4 && std::strcmp(argv[1], "calls") == 0)
		return calls(std::strtol(argv[2], nullptr, 10), argv[3]);
	if (argc == 3 && std::strcmp(argv[1], "raw") == 0)
		return raw(argv[2]);
	std::fprintf(stderr, "usage: ktr-funclat-probe calls N GOFILE | raw CASE\n");
	return 2;
}
