// SPDX-License-Identifier: MIT
//
// ktr-stream-probe: raw checks of the /dev/ktr data plane for the VM tests,
// below what ktr-read lets a user do (bad mmap requests, bad ioctl
// arguments, holding a sub-buffer while writers wrap the ring).
//
//   ktr-stream-probe badinput CPU   every bad request fails with its errno
//                                   and changes nothing
//   ktr-stream-probe hold CPU       overwrite mode: a held sub-buffer stays
//                                   intact while markers wrap the ring
//   ktr-stream-probe map CPU        map a stream, close the fd, sleep until
//                                   killed (the mapping alone pins ktr.ko)
//   ktr-stream-probe poll CPU       poll() and blocking GET wake at the
//                                   watermark and after a flush, not before
//   ktr-stream-probe scan CPU TEXT  no byte sequence TEXT anywhere in the
//                                   CPU's mapped sub-buffers (what a filter
//                                   refused is zeroed)
//   ktr-stream-probe getwait CPU TEXT  open the CPU's stream, say "waiting",
//                                   block in GET; once a sub-buffer is held,
//                                   say "held seq=S count=N" (N: times TEXT
//                                   is in it) and sleep holding it until
//                                   killed (a reader killed while blocked
//                                   or while holding, tests/vm/faults.sh)
//
// Prints "ok - ..." / "not ok - ..." lines; exit 1 if any check failed.
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ktr.h>
#include <ktr_event.h>

namespace {

int failures = 0;

void check(bool cond, const std::string &what)
{
	std::printf("%s - %s\n", cond ? "ok" : "not ok", what.c_str());
	if (!cond)
		failures++;
}

// The call failed with exactly @want.
void expect_errno(long ret, int want, const std::string &what)
{
	const int got = ret < 0 ? errno : 0;
	check(ret < 0 && got == want,
	      what + " -> " + (ret < 0 ? std::strerror(got) : std::string("success")) +
		      " (want " + std::strerror(want) + ")");
}

int open_dev()
{
	const int fd = ::open(KTR_DEVICE_PATH, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		std::perror(KTR_DEVICE_PATH);
		std::exit(2);
	}
	return fd;
}

int open_stream(int dev, unsigned cpu, unsigned watermark = 1)
{
	ktr_stream_open o{};
	o.size = sizeof(o);
	o.cpu = cpu;
	o.watermark = watermark;
	return ::ioctl(dev, KTR_IOC_STREAM_OPEN, &o);
}

ktr_stream_meta read_meta(int st)
{
	const long page = ::sysconf(_SC_PAGESIZE);
	void *p = ::mmap(nullptr, static_cast<size_t>(page), PROT_READ, MAP_SHARED, st, 0);
	if (p == MAP_FAILED) {
		std::perror("mmap meta");
		std::exit(2);
	}
	ktr_stream_meta m;
	std::memcpy(&m, p, sizeof(m));
	::munmap(p, static_cast<size_t>(page));
	return m;
}

long get(int st, unsigned flags, ktr_stream_subbuf *out = nullptr)
{
	ktr_stream_subbuf a{};
	a.size = sizeof(a);
	a.flags = flags;
	const long ret = ::ioctl(st, KTR_IOC_GET_SUBBUF, &a);
	if (out)
		*out = a;
	return ret;
}

void write_markers(int dev, int n, const char *text)
{
	for (int i = 0; i < n; i++)
		if (::write(dev, text, std::strlen(text)) < 0 && errno != ENOSPC)
			std::perror("marker");
}

int badinput(unsigned cpu)
{
	const int dev = open_dev();
	const long page = ::sysconf(_SC_PAGESIZE);

	// Stream open arguments.
	ktr_stream_open o{};
	o.size = 8;
	expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, &o), EINVAL, "STREAM_OPEN with size 8");
	o = {};
	o.size = sizeof(o);
	o.cpu = 100000;
	expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, &o), EINVAL, "STREAM_OPEN of CPU 100000");
	o.cpu = cpu;
	o.flags = 1;
	expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, &o), EINVAL, "STREAM_OPEN with flags 1");
	o.flags = 0;
	o.watermark = KTR_NR_SUBBUFS_MAX + 1;
	expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, &o), EINVAL,
		     "STREAM_OPEN with a watermark above nr_subbufs");
	expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, nullptr), EFAULT, "STREAM_OPEN with NULL");
	{
		// A newer caller's larger struct: unknown fields must be zero;
		// absurd sizes are refused before anything is read.
		struct {
			ktr_stream_open o;
			std::uint64_t next;
		} big{};
		big.o.size = sizeof(big);
		big.o.cpu = 100000;	// not opened if accepted by mistake
		big.next = 1;
		expect_errno(::ioctl(dev, _IOW(KTR_IOC_MAGIC, 1, decltype(big)), &big), E2BIG,
			     "STREAM_OPEN with a non-zero unknown field");
		big.next = 0;
		expect_errno(::ioctl(dev, _IOW(KTR_IOC_MAGIC, 1, decltype(big)), &big), EINVAL,
			     "STREAM_OPEN, larger struct, zero tail: checked as usual (bad CPU)");
		big.o.size = 1U << 20;
		expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, &big), E2BIG,
			     "STREAM_OPEN with size 1 MiB");
	}
	{
		const int wronly = ::open(KTR_DEVICE_PATH, O_WRONLY | O_CLOEXEC);
		o = {};
		o.size = sizeof(o);
		o.cpu = cpu;
		expect_errno(::ioctl(wronly, KTR_IOC_STREAM_OPEN, &o), EBADF,
			     "STREAM_OPEN on a write-only /dev/ktr fd");
		check(::write(wronly, "w", 1) == 1, "a write-only fd writes markers");
		::close(wronly);
	}
	expect_errno(::ioctl(dev, _IO(KTR_IOC_MAGIC, 99)), ENOTTY, "unknown ioctl on /dev/ktr");

	const int st = open_stream(dev, cpu);
	check(st >= 0, "STREAM_OPEN of CPU " + std::to_string(cpu));
	if (st < 0)
		return 1;
	expect_errno(open_stream(dev, cpu), EBUSY, "a second stream of the same CPU");

	const ktr_stream_meta m = read_meta(st);
	check(m.size == sizeof(m) && m.cpu == cpu && m.abi_major == KTR_ABI_MAJOR,
	      "meta page: size, cpu, ABI");
	o = {};
	o.size = sizeof(o);
	o.cpu = cpu == 0 ? 1 : 0;
	o.watermark = m.nr_subbufs;
	expect_errno(::ioctl(dev, KTR_IOC_STREAM_OPEN, &o), EINVAL,
		     "STREAM_OPEN with watermark == nr_subbufs (never reached)");
	check(m.data_offset == static_cast<unsigned long>(page) &&
		      m.mmap_size == m.data_offset + std::uint64_t{m.nr_data_subbufs} * m.subbuf_size,
	      "meta page: data offset and mapping size");
	const auto size = static_cast<size_t>(m.mmap_size);

	// mmap requests.
	auto map_err = [&](int prot, int flags, off_t off, size_t len, int want,
			   const std::string &what) {
		void *p = ::mmap(nullptr, len, prot, flags, st, off);
		if (p != MAP_FAILED)
			::munmap(p, len);
		expect_errno(p == MAP_FAILED ? -1 : 0, want, what);
	};
	map_err(PROT_READ | PROT_WRITE, MAP_SHARED, 0, size, EACCES, "mmap PROT_WRITE");
	map_err(PROT_READ | PROT_EXEC, MAP_SHARED, 0, size, EPERM, "mmap PROT_EXEC");
	map_err(PROT_READ, MAP_PRIVATE, 0, size, EINVAL, "mmap MAP_PRIVATE");
	map_err(PROT_READ, MAP_SHARED, page, size - static_cast<size_t>(page), EINVAL,
		"mmap at offset one page");
	map_err(PROT_READ, MAP_SHARED, 0, size + static_cast<size_t>(page), EINVAL,
		"mmap one page too long");
	map_err(PROT_READ, MAP_SHARED, 0, 2 * static_cast<size_t>(page), EINVAL,
		"mmap of two pages (neither meta page alone nor all)");
	void *p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, st, 0);
	check(p != MAP_FAILED, "mmap of the whole stream, read-only");
	if (p != MAP_FAILED) {
		expect_errno(::mprotect(p, size, PROT_READ | PROT_WRITE), EACCES,
			     "mprotect PROT_WRITE afterwards");
		expect_errno(::mprotect(p, size, PROT_READ | PROT_EXEC), EACCES,
			     "mprotect PROT_EXEC afterwards");
		::munmap(p, size);
	}

	// Get/put arguments.
	ktr_stream_subbuf a{};
	a.size = 4;
	expect_errno(::ioctl(st, KTR_IOC_GET_SUBBUF, &a), EINVAL, "GET_SUBBUF with size 4");
	a.size = sizeof(a);
	a.flags = 0x80;
	expect_errno(::ioctl(st, KTR_IOC_GET_SUBBUF, &a), EINVAL, "GET_SUBBUF with unknown flag");
	expect_errno(::ioctl(st, KTR_IOC_GET_SUBBUF, nullptr), EFAULT, "GET_SUBBUF with NULL");
	expect_errno(::ioctl(st, KTR_IOC_PUT_SUBBUF), EINVAL, "PUT_SUBBUF with nothing held");
	expect_errno(::ioctl(st, _IO(KTR_IOC_MAGIC, 99)), ENOTTY, "unknown ioctl on a stream");
	std::vector<char> small(m.subbuf_size - 1);
	expect_errno(::read(st, small.data(), small.size()), EINVAL,
		     "read() shorter than a sub-buffer");
	expect_errno(::write(st, "x", 1), EBADF, "write() to a stream");

	// Markers.
	std::string big(KTR_MARKER_MAX + 1, 'x');
	expect_errno(::write(dev, big.data(), big.size()), EINVAL, "marker of KTR_MARKER_MAX + 1");
	check(::write(dev, "x", 0) == 0, "marker of 0 bytes writes nothing");
	void *hole = ::mmap(nullptr, static_cast<size_t>(page), PROT_NONE,
			    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	expect_errno(::write(dev, hole, 10), EFAULT, "marker from an unreadable address");
	::munmap(hole, static_cast<size_t>(page));

	// None of that recorded or lost anything (but the write-only fd's
	// marker), and a marker still works.
	ktr_stream_meta before = read_meta(st);
	check(before.stats.written == 1 && before.stats.lost_full == 0,
	      "nothing written or lost by the bad requests (written=" +
		      std::to_string(before.stats.written) + ")");
	ktr_stream_subbuf first{};
	check(::ioctl(st, KTR_IOC_FLUSH) == 0 && get(st, KTR_GET_NONBLOCK, &first) == 0 &&
		      ::ioctl(st, KTR_IOC_PUT_SUBBUF) == 0,
	      "the write-only fd's marker is read");
	check(::write(dev, "hello", 5) == 5, "a good marker is accepted");
	check(::ioctl(st, KTR_IOC_FLUSH) == 0, "FLUSH");
	ktr_stream_subbuf got{};
	const ktr_stream_meta flushed = read_meta(st);
	check(get(st, KTR_GET_NONBLOCK, &got) == 0,
	      "GET_SUBBUF after flush (written=" + std::to_string(flushed.stats.written) +
		      " ready=" + std::to_string(flushed.ready) + " produced=" +
		      std::to_string(flushed.produced) + " consumed=" +
		      std::to_string(flushed.consumed) + ")");
	check(got.offset == m.data_offset + std::uint64_t{got.id} * m.subbuf_size &&
		      got.id < m.nr_data_subbufs,
	      "GET_SUBBUF offset matches its id");
	expect_errno(get(st, KTR_GET_NONBLOCK), EBUSY, "GET_SUBBUF while holding one");
	std::vector<char> buf(m.subbuf_size);
	if (got.size)
		expect_errno(::read(st, buf.data(), buf.size()), EBUSY, "read() while holding one");
	check(::ioctl(st, KTR_IOC_PUT_SUBBUF) == 0, "PUT_SUBBUF");
	expect_errno(get(st, KTR_GET_NONBLOCK), EAGAIN, "GET_SUBBUF non-blocking when empty");
	const ktr_stream_meta after = read_meta(st);
	check(after.stats.written == 2 && after.stats.read == 2 && after.stats.buffered == 0,
	      "exactly the two good markers were written and read");

	// read() into a buffer whose second half is unmapped: the second
	// sub-buffer is not lost but copied by the next read().
	check(::write(dev, "one", 3) == 3 && ::ioctl(st, KTR_IOC_FLUSH) == 0 &&
		      ::write(dev, "two", 3) == 3 && ::ioctl(st, KTR_IOC_FLUSH) == 0,
	      "two flushed sub-buffers");
	const size_t sb = m.subbuf_size;
	auto *two = static_cast<char *>(::mmap(nullptr, 2 * sb, PROT_READ | PROT_WRITE,
					       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	::munmap(two + sb, sb);
	const ssize_t n1 = ::read(st, two, 2 * sb);
	check(n1 == static_cast<ssize_t>(sb), "read() with a hole: the first sub-buffer (" +
						      std::to_string(n1) + " bytes)");
	std::uint64_t seq1 = 0, seq2 = 0;
	std::memcpy(&seq1, two + 8, 8);	// ktr_rb_subbuf_hdr.seq
	const ssize_t n2 = ::read(st, buf.data(), buf.size());
	std::memcpy(&seq2, buf.data() + 8, 8);
	check(n2 == static_cast<ssize_t>(sb) && seq2 == seq1 + 1,
	      "the next read() gets the one that could not be copied (seq " +
		      std::to_string(seq1) + " then " + std::to_string(seq2) + ")");
	::munmap(two, sb);
	const ktr_stream_meta last = read_meta(st);
	check(last.stats.written == 4 && last.stats.read == 4 && last.held_id == KTR_STREAM_NONE,
	      "all four markers read, nothing held");
	::close(st);
	::close(dev);
	return failures ? 1 : 0;
}

// Overwrite mode: hold the oldest sub-buffer, wrap the ring many times with
// markers, and check the held bytes did not change.
int hold(unsigned cpu)
{
	const int dev = open_dev();
	const int st = open_stream(dev, cpu);
	check(st >= 0, "STREAM_OPEN");
	const ktr_stream_meta m = read_meta(st);
	check(m.mode == KTR_RB_MODE_OVERWRITE, "the buffer is in overwrite mode");
	const auto size = static_cast<size_t>(m.mmap_size);
	const auto *map = static_cast<const unsigned char *>(
		::mmap(nullptr, size, PROT_READ, MAP_SHARED, st, 0));
	check(map != MAP_FAILED, "mmap");

	// Each marker is ~48 bytes: this fills the ring several times over.
	const int per_ring = static_cast<int>(m.nr_subbufs * (m.subbuf_size / 48));
	write_markers(dev, per_ring, "fill-before-hold");
	ktr_stream_subbuf got{};
	check(get(st, KTR_GET_NONBLOCK, &got) == 0, "GET_SUBBUF of a full sub-buffer");
	std::vector<unsigned char> copy(map + got.offset, map + got.offset + m.subbuf_size);
	write_markers(dev, 4 * per_ring, "wrap-while-held");
	const ktr_stream_meta mid = read_meta(st);
	check(std::memcmp(copy.data(), map + got.offset, m.subbuf_size) == 0,
	      "the held sub-buffer is unchanged after wrapping the ring");
	check(::ioctl(st, KTR_IOC_PUT_SUBBUF) == 0, "PUT_SUBBUF");
	const ktr_stream_meta after = read_meta(st);
	check(after.stats.subbufs_overwritten > mid.stats.subbufs_overwritten ||
		      after.stats.lost_overwritten > 0,
	      "sub-buffers were overwritten meanwhile (" +
		      std::to_string(after.stats.subbufs_overwritten) + ")");
	::close(st);
	::close(dev);
	return failures ? 1 : 0;
}

// Wakeups: poll() sleeps while fewer than the watermark are ready, wakes
// when a flush makes one ready, and when the watermark is reached; a
// blocking GET sleeps until a writer fills a sub-buffer.
int poll_wakeups(unsigned cpu)
{
	const int dev = open_dev();
	const int st = open_stream(dev, cpu, 2);
	check(st >= 0, "STREAM_OPEN with watermark 2");
	const ktr_stream_meta m = read_meta(st);
	pollfd p{st, POLLIN, 0};
	check(::poll(&p, 1, 300) == 0, "poll() of an empty stream times out");

	// One full sub-buffer (below the watermark) is not enough.
	const std::string text(200, 'p');
	const int per_subbuf = static_cast<int>(m.subbuf_size / 240) + 1;
	write_markers(dev, per_subbuf, text.c_str());
	check(::poll(&p, 1, 300) == 0, "one full sub-buffer, watermark 2: no wakeup");
	// A flush makes poll() readable although the watermark is not reached.
	check(::ioctl(st, KTR_IOC_FLUSH) == 0, "FLUSH");
	check(::poll(&p, 1, 1000) == 1 && (p.revents & POLLIN), "readable after a flush");
	ktr_stream_subbuf a{};
	while (get(st, KTR_GET_NONBLOCK, &a) == 0)
		::ioctl(st, KTR_IOC_PUT_SUBBUF);
	check(::poll(&p, 1, 300) == 0, "drained: no wakeup");

	// The watermark reached by writers wakes a poller: the writer that
	// publishes the second sub-buffer does (nothing polls for it).
	const pid_t child = ::fork();
	if (child == 0) {
		::usleep(300000);
		write_markers(dev, 3 * per_subbuf, text.c_str());
		::_exit(0);
	}
	const int n = ::poll(&p, 1, 5000);
	check(n == 1 && (p.revents & POLLIN), "poll() wakes when writers reach the watermark");
	::waitpid(child, nullptr, 0);
	while (get(st, KTR_GET_NONBLOCK, &a) == 0)
		::ioctl(st, KTR_IOC_PUT_SUBBUF);

	// A blocking GET sleeps until a sub-buffer is ready.
	const pid_t writer = ::fork();
	if (writer == 0) {
		::usleep(300000);
		write_markers(dev, 3 * per_subbuf, text.c_str());
		::_exit(0);
	}
	check(get(st, 0, &a) == 0, "blocking GET returns once writers fill sub-buffers");
	::ioctl(st, KTR_IOC_PUT_SUBBUF);
	::waitpid(writer, nullptr, 0);
	::close(st);

	// Streams closed while armed and while writers publish (their wakeup
	// hook runs in those writers, on the stream's CPU; the closer runs on
	// another): the debug kernel's KASAN and lockdep watch release against
	// a writer inside the hook and against its irq_work.
	const pid_t flood = ::fork();
	if (flood == 0) {
		for (;;)
			write_markers(dev, per_subbuf, text.c_str());
	}
	cpu_set_t others;
	CPU_ZERO(&others);
	for (unsigned c = 0; c < CPU_SETSIZE && c < 64; c++)
		if (c != cpu)
			CPU_SET(c, &others);
	check(::sched_setaffinity(0, sizeof(others), &others) == 0,
	      "the closer moves off the writers' CPU");
	int woken = 0;
	for (int i = 0; i < 30; i++) {
		const int s2 = open_stream(dev, cpu, 1);
		if (s2 < 0) {
			check(false, "STREAM_OPEN under load");
			break;
		}
		// Drained, poll() arms the ring and sleeps until a writer wakes it.
		for (int k = 0; k < 10000 && get(s2, KTR_GET_NONBLOCK, &a) == 0; k++)
			::ioctl(s2, KTR_IOC_PUT_SUBBUF);
		pollfd q{s2, POLLIN, 0};
		if (::poll(&q, 1, 5000) == 1 && (q.revents & POLLIN))
			woken++;
		// Half of them close armed: drained again, polled with no wait.
		if (i % 2) {
			for (int k = 0; k < 10000 && get(s2, KTR_GET_NONBLOCK, &a) == 0; k++)
				::ioctl(s2, KTR_IOC_PUT_SUBBUF);
			::poll(&q, 1, 0);
		}
		::close(s2);
	}
	::kill(flood, SIGKILL);
	::waitpid(flood, nullptr, 0);
	// 5 s per poll only tells a lost wakeup (a hang) from a late one.
	check(woken == 30, "30 streams opened, woken by writers and closed under load (" +
				   std::to_string(woken) + " woken)");
	::close(dev);
	return failures ? 1 : 0;
}

int map_and_sleep(unsigned cpu)
{
	const int dev = open_dev();
	const int st = open_stream(dev, cpu);
	if (st < 0) {
		std::perror("STREAM_OPEN");
		return 1;
	}
	const ktr_stream_meta m = read_meta(st);
	void *p = ::mmap(nullptr, static_cast<size_t>(m.mmap_size), PROT_READ, MAP_SHARED, st, 0);
	if (p == MAP_FAILED) {
		std::perror("mmap");
		return 1;
	}
	::close(st);
	::close(dev);
	std::printf("mapped\n");
	std::fflush(stdout);
	for (;;)
		::pause();
}

// Count of @text in the @len bytes at @p.
size_t count_in(const char *p, size_t len, const std::string &text)
{
	size_t n = 0;
	for (const char *q = p; q < p + len;) {
		const void *hit = ::memmem(q, static_cast<size_t>(p + len - q), text.data(),
					   text.size());
		if (!hit)
			break;
		n++;
		q = static_cast<const char *>(hit) + 1;
	}
	return n;
}

int get_and_wait(unsigned cpu, const std::string &text)
{
	const int dev = open_dev();
	const int st = open_stream(dev, cpu);
	if (st < 0) {
		std::perror("STREAM_OPEN");
		return 1;
	}
	const ktr_stream_meta m = read_meta(st);
	const auto size = static_cast<size_t>(m.mmap_size);
	void *p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, st, 0);
	if (p == MAP_FAILED) {
		std::perror("mmap");
		return 1;
	}
	std::printf("waiting\n");
	std::fflush(stdout);
	ktr_stream_subbuf got{};
	while (get(st, 0, &got) != 0) {
		if (errno != EINTR) {
			std::perror("GET_SUBBUF");
			return 1;
		}
	}
	const size_t n = count_in(static_cast<const char *>(p) + got.offset, m.subbuf_size, text);
	std::printf("held seq=%llu count=%zu\n", static_cast<unsigned long long>(got.seq), n);
	std::fflush(stdout);
	for (;;)
		::pause();
}

} // namespace

// Every byte a reader of CPU @cpu can map: TEXT must not be among them.
int scan(unsigned cpu, const std::string &text)
{
	const int dev = open_dev();
	const int st = open_stream(dev, cpu);
	if (st < 0) {
		std::perror("STREAM_OPEN");
		return 2;
	}
	const ktr_stream_meta m = read_meta(st);
	const auto size = static_cast<size_t>(m.mmap_size);
	void *p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, st, 0);
	if (p == MAP_FAILED) {
		std::perror("mmap");
		return 2;
	}
	const auto *data = static_cast<const char *>(p) + m.data_offset;
	const size_t len = size - static_cast<size_t>(m.data_offset);
	const size_t found = count_in(data, len, text);
	check(found == 0, "\"" + text + "\" in CPU " + std::to_string(cpu) + "'s " +
				  std::to_string(m.nr_data_subbufs) + " mapped sub-buffers: " +
				  std::to_string(found) + " times");
	::munmap(p, size);
	::close(st);
	::close(dev);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && std::string(argv[1]) == "scan")
		return scan(static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)), argv[3]);
	if (argc == 4 && std::string(argv[1]) == "getwait")
		return get_and_wait(static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10)),
				    argv[3]);
	if (argc != 3) {
		std::fprintf(stderr, "usage: ktr-stream-probe badinput|hold|map|poll CPU\n"
				     "       ktr-stream-probe scan|getwait CPU TEXT\n");
		return 2;
	}
	const std::string mode = argv[1];
	const auto cpu = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
	// Markers go to the writer's CPU: write them on the CPU under test.
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (mode != "map" && ::sched_setaffinity(0, sizeof(set), &set) != 0) {
		std::perror("sched_setaffinity");
		return 2;
	}
	if (mode == "badinput")
		return badinput(cpu);
	if (mode == "hold")
		return hold(cpu);
	if (mode == "map")
		return map_and_sleep(cpu);
	if (mode == "poll")
		return poll_wakeups(cpu);
	std::fprintf(stderr, "ktr-stream-probe: unknown mode %s\n", mode.c_str());
	return 2;
}
