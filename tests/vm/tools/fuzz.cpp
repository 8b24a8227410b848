// SPDX-License-Identifier: MIT
//
// ktr-fuzz: bounded, seeded fuzzing of ktr's two user interfaces, for the
// VM tests (tests/vm/fuzz.sh, on the debug kernel: KASAN, lockdep and
// kmemleak judge what the kernel did).
//
//   ktr-fuzz netlink SECONDS SEED   typed, policy-aware requests to every
//                                   command of the "ktr" family: attributes
//                                   of every type from the protocol's
//                                   attribute table (libktr src/proto),
//                                   valid, at and past their limits, of the
//                                   wrong length, nested garbage, plausible
//                                   event/tracer/probe/filter texts; dumps
//                                   and plain requests
//   ktr-fuzz nobody SECONDS SEED    the same, unprivileged: every answer
//                                   must be an error (never success)
//   ktr-fuzz device SECONDS SEED    /dev/ktr and stream fds from two threads
//                                   and forked children: open, STREAM_OPEN
//                                   with random structs, mmap of every
//                                   shape, GET/PUT/FLUSH, read, write,
//                                   poll, random ioctls, close, munmap
//
// Prints one summary line (requests or operations, and the errnos seen);
// exit 1 when a contract the tool can see was broken (an unprivileged
// request that succeeded, a mapping that allowed writing), 2 on setup
// failure.
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <netlink/attr.h>
#include <netlink/msg.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ktr.h>

#include "genl_client.h"
#include "proto/attrs.h"

namespace {

using Clock = std::chrono::steady_clock;
using ktr_tools::Answer;
using ktr_tools::die;
using ktr_tools::Sock;
using ktr_tools::transact;
namespace proto = ktr::proto;

std::atomic<int> failures{0};

// Texts the parsers behind string attributes see: event and tracer names,
// globs, probe definitions, filter expressions, option settings.
const char *const words[] = {
	"sched_switch", "sched_wakeup", "sys_enter", "sys_exit", "irq_handler_entry",
	"*", "sched:*", "ktr:marker", "nop", "function", "filter=vfs_read", "all=0",
	"p:fz do_sys_openat2 a=%si:string", "r:fzr vfs_read $retval", "p:fz2 vfs_read+3",
	"-:fz", "p:fz3 nosuchfunc", "u:fzu /bin/busybox:0x10", "pid == 1", "comm ~ \"k*\"",
	"prev_pid > 0 && next_pid < 10", "(((((", "\"unterminated", "%di:u64", "+0(%sp):x8",
	"",
};

struct Rng {
	std::mt19937_64 g;
	explicit Rng(std::uint64_t seed) : g(seed) {}
	std::uint64_t operator()(std::uint64_t n) { return n ? g() % n : 0; }
	bool chance(unsigned pct) { return (*this)(100) < pct; }
	std::string bytes(std::size_t n)
	{
		std::string s(n, '\0');
		for (char &c : s)
			c = static_cast<char>(g());
		return s;
	}
};

std::uint64_t pick_number(Rng &r)
{
	static const std::uint64_t edges[] = {0, 1, 2, 3, 7, 8, 63, 64, 255, 4095, 4096, 65536,
					      1u << 20, 0x7fffffffu, 0xffffffffu,
					      0x7fffffffffffffffull, ~0ull};
	return r.chance(70) ? edges[r(std::size(edges))] : r.g();
}

// The bytes of one attribute of @spec (nullptr: a type the table does not
// know): mostly the right shape with edge values, sometimes the wrong one.
std::string attr_value(Rng &r, const proto::AttrSpec *spec, int depth);

void put_random_attrs(Rng &r, nl_msg *m, proto::Space space, int depth)
{
	const int n = static_cast<int>(r(depth ? 4 : 6));
	for (int i = 0; i < n; i++) {
		const int type = static_cast<int>(r(KTR_ATTR_MAX + 3));
		const proto::AttrSpec *spec = proto::attr_spec(space, type);
		const std::string v = attr_value(r, spec, depth);
		nla_put(m, type | (r.chance(3) ? NLA_F_NESTED : 0), static_cast<int>(v.size()),
			v.data());
	}
}

std::string attr_value(Rng &r, const proto::AttrSpec *spec, int depth)
{
	if (!spec || r.chance(8))
		return r.bytes(r(40));
	const std::uint64_t v = pick_number(r);
	switch (spec->kind) {
	case proto::Kind::u8:
	case proto::Kind::flag:
		return std::string(1, static_cast<char>(r.chance(50) ? v & 1 : v));
	case proto::Kind::u16: {
		const auto x = static_cast<std::uint16_t>(v);
		return std::string(reinterpret_cast<const char *>(&x), sizeof(x));
	}
	case proto::Kind::u32: {
		const auto x = static_cast<std::uint32_t>(v);
		return std::string(reinterpret_cast<const char *>(&x), sizeof(x));
	}
	case proto::Kind::u64:
		return std::string(reinterpret_cast<const char *>(&v), sizeof(v));
	case proto::Kind::string:
	case proto::Kind::names: {
		std::string s = r.chance(60) ? words[r(std::size(words))]
					     : r.bytes(r(spec->max_len ? spec->max_len + 8 : 300));
		if (r.chance(10))
			s.append(spec->max_len ? spec->max_len : 4096, 'x');	// past the limit
		if (spec->kind == proto::Kind::names && r.chance(50))
			s += std::string(1, '\0') + words[r(std::size(words))];
		if (!r.chance(10))
			s.push_back('\0');	// sometimes unterminated
		return s;
	}
	case proto::Kind::nested: {
		if (depth >= 2)
			return r.bytes(r(16));
		nl_msg *inner = nlmsg_alloc();
		if (!inner)
			die("out of memory");
		put_random_attrs(r, inner, spec->inner, depth + 1);
		const nlmsghdr *h = nlmsg_hdr(inner);
		std::string s(static_cast<const char *>(nlmsg_data(h)),
			      static_cast<std::size_t>(nlmsg_datalen(h)));
		nlmsg_free(inner);
		return s;
	}
	case proto::Kind::binary: {
		const std::size_t elem = spec->elem_size ? spec->elem_size : 1;
		std::size_t n = elem * r(spec->max_len ? spec->max_len / elem + 3 : 64);
		if (r.chance(15))
			n += 1 + r(elem);	// not a multiple of its element
		return r.bytes(n);
	}
	}
	return {};
}

// One request: a command (known ones mostly, a few past the last),
// sometimes as a dump, with random attributes.
int fuzz_netlink(double seconds, std::uint64_t seed, bool unprivileged)
{
	if (unprivileged && ::geteuid() == 0)
		die("nobody mode must run unprivileged");
	Sock s;
	Rng r(seed);
	std::map<int, std::uint64_t> errs;
	std::uint64_t n = 0, succeeded = 0;
	const auto end = Clock::now() + std::chrono::duration<double>(seconds);
	while (Clock::now() < end) {
		const int cmd = static_cast<int>(r(KTR_CMD_MAX + 3));
		const bool dump = r.chance(25);
		const Answer a = transact(s, cmd, dump, [&](nl_msg *m) {
			put_random_attrs(r, m, proto::Space::ktr, 0);
		});
		n++;
		errs[a.err]++;
		if (a.err == 0)
			succeeded++;
		if (unprivileged && a.err == 0) {
			std::printf("not ok - unprivileged command %d%s succeeded\n", cmd,
				    dump ? " (dump)" : "");
			failures++;
		}
	}
	std::printf("netlink%s: %llu requests in %.0f s (seed %llu), %llu succeeded; errnos:",
		    unprivileged ? " (unprivileged)" : "", static_cast<unsigned long long>(n),
		    seconds, static_cast<unsigned long long>(seed),
		    static_cast<unsigned long long>(succeeded));
	for (const auto &[e, c] : errs)
		if (e)
			std::printf(" %s=%llu", strerrorname_np(e) ? strerrorname_np(e) : "?",
				    static_cast<unsigned long long>(c));
	std::printf("\n");
	return failures ? 1 : 0;
}

// --- the device ------------------------------------------------------------

struct DeviceStats {
	std::mutex lock;
	std::map<std::string, std::uint64_t> ops;
	std::map<int, std::uint64_t> errs;
	void count(const char *op, long ret)
	{
		const int e = ret < 0 ? errno : 0;
		std::lock_guard<std::mutex> g(lock);
		ops[op]++;
		errs[e]++;
	}
};

std::atomic<bool> stop{false};

// One worker: its own fds and mappings (a mapping is only ever touched and
// unmapped by the thread that made it), random operations on them.
void device_worker(std::uint64_t seed, DeviceStats &st)
{
	Rng r(seed);
	std::vector<int> devs, streams;
	struct Map {
		void *p;
		std::size_t len;
		bool readable;
	};
	std::vector<Map> maps;
	const long page = ::sysconf(_SC_PAGESIZE);
	std::vector<char> buf(1 << 17);
	auto any = [&](std::vector<int> &v) { return v.empty() ? -1 : v[r(v.size())]; };
	while (!stop.load(std::memory_order_relaxed)) {
		// Keep a few of each open: the fd table must not run out.
		if (devs.size() > 6) {
			st.count("close_dev", ::close(devs.front()));
			devs.erase(devs.begin());
		}
		if (streams.size() > 6) {
			st.count("close_stream", ::close(streams.front()));
			streams.erase(streams.begin());
		}
		while (maps.size() > 16) {
			st.count("munmap", ::munmap(maps.front().p, maps.front().len));
			maps.erase(maps.begin());
		}
		switch (r(14)) {
		case 0: {
			static const int modes[] = {O_RDWR, O_RDONLY, O_WRONLY, O_RDWR | O_NONBLOCK};
			const int fd = ::open(KTR_DEVICE_PATH, modes[r(4)] | O_CLOEXEC);
			st.count("open", fd);
			if (fd >= 0)
				devs.push_back(fd);
			break;
		}
		case 1: {
			// STREAM_OPEN: a struct of random size and content, mostly sane.
			std::vector<unsigned char> arg(static_cast<std::size_t>(page) + 64);
			ktr_stream_open o{};
			o.size = r.chance(80) ? sizeof(o) : static_cast<std::uint32_t>(r(arg.size() + 8));
			o.cpu = static_cast<std::uint32_t>(r.chance(80) ? r(3) : pick_number(r));
			o.watermark = static_cast<std::uint32_t>(r.chance(80) ? r(4) : pick_number(r));
			std::memcpy(arg.data(), &o, sizeof(o));
			if (r.chance(10))
				arg[sizeof(o) + r(16)] = 1;	// non-zero bytes past what is known
			const int fd = ::ioctl(any(devs), KTR_IOC_STREAM_OPEN, arg.data());
			st.count("stream_open", fd);
			if (fd >= 0) {
				if (r.chance(50))
					::fcntl(fd, F_SETFL, O_NONBLOCK);
				streams.push_back(fd);
			}
			break;
		}
		case 2: {
			const int fd = any(streams);
			static const int prots[] = {PROT_READ, PROT_READ | PROT_WRITE, PROT_EXEC,
						    PROT_READ | PROT_EXEC, PROT_NONE};
			// The whole mapping (its size from the meta page), the meta
			// page alone, or any other length.
			std::size_t len = static_cast<std::size_t>(page);
			if (r.chance(50)) {
				void *meta = ::mmap(nullptr, len, PROT_READ, MAP_SHARED, fd, 0);
				if (meta != MAP_FAILED) {
					len = static_cast<std::size_t>(
						static_cast<const ktr_stream_meta *>(meta)->mmap_size);
					::munmap(meta, static_cast<std::size_t>(page));
				}
			} else if (r.chance(50)) {
				len *= 1 + r(2000);
			}
			const int flags = r.chance(85) ? MAP_SHARED : MAP_PRIVATE;
			const off_t off = r.chance(85) ? 0 : static_cast<off_t>(r(8)) * page;
			const int prot = prots[r.chance(70) ? 0 : r(5)];
			void *p = ::mmap(nullptr, len, prot, flags, fd, off);
			st.count("mmap", p == MAP_FAILED ? -1 : 0);
			if (p != MAP_FAILED) {
				if (prot & (PROT_WRITE | PROT_EXEC)) {
					std::printf("not ok - a stream mapped with PROT_%s\n",
						    prot & PROT_WRITE ? "WRITE" : "EXEC");
					failures++;
				}
				maps.push_back({p, len, (prot & PROT_READ) != 0});
			}
			break;
		}
		case 3:
			if (!maps.empty()) {
				const std::size_t i = r(maps.size());
				// Touch the meta page (always there when mapped).
				if (maps[i].readable) {
					volatile const char *c = static_cast<const char *>(maps[i].p);
					(void)c[r(static_cast<std::uint64_t>(page))];
				}
				if (r.chance(50)) {
					st.count("munmap", ::munmap(maps[i].p, maps[i].len));
					maps.erase(maps.begin() + static_cast<long>(i));
				}
			}
			break;
		case 4: {
			ktr_stream_subbuf a{};
			a.size = r.chance(90) ? sizeof(a) : static_cast<std::uint32_t>(r(64));
			a.flags = r.chance(90) ? KTR_GET_NONBLOCK : static_cast<std::uint32_t>(r.g()) | 1u;
			st.count("get", ::ioctl(any(streams), KTR_IOC_GET_SUBBUF, &a));
			break;
		}
		case 5:
			st.count("put", ::ioctl(any(streams), KTR_IOC_PUT_SUBBUF));
			break;
		case 6:
			st.count("flush", ::ioctl(any(streams), KTR_IOC_FLUSH));
			break;
		case 7: {
			// read() on a stream: only non-blocking ones (a blocking one
			// with nothing ready would wait for writers).
			const int fd = any(streams);
			if (fd >= 0 && (::fcntl(fd, F_GETFL) & O_NONBLOCK))
				st.count("read", ::read(fd, buf.data(), r.chance(80) ? buf.size() : r(8192)));
			break;
		}
		case 8: {
			const std::string text = r.chance(70) ? "fuzz marker" : r.bytes(r(9000));
			st.count("write", ::write(any(devs), text.data(), text.size()));
			break;
		}
		case 9: {
			pollfd p{any(streams), POLLIN, 0};
			st.count("poll", ::poll(&p, 1, 0));
			break;
		}
		case 10: {
			// Any ioctl number of ktr's magic (and a few others), on either
			// kind of fd, with a valid buffer, NULL or a bad pointer.
			const unsigned long nr = r.chance(90) ? _IOC(r(4), KTR_IOC_MAGIC, r(12), r(300))
							     : r.g();
			void *arg = r.chance(60) ? buf.data()
						 : r.chance(50) ? nullptr : reinterpret_cast<void *>(1);
			std::memset(buf.data(), static_cast<int>(r(256)), 512);
			// Never a blocking GET: it would wait for writers.
			if (_IOC_TYPE(nr) == KTR_IOC_MAGIC && _IOC_NR(nr) == _IOC_NR(KTR_IOC_GET_SUBBUF))
				break;
			const int fd = r.chance(50) ? any(devs) : any(streams);
			const long ret = ::ioctl(fd, nr, arg);
			st.count("ioctl", ret);
			if (ret >= 0 && _IOC_TYPE(nr) == KTR_IOC_MAGIC &&
			    _IOC_NR(nr) == _IOC_NR(KTR_IOC_STREAM_OPEN))
				streams.push_back(static_cast<int>(ret));
			else if (ret >= 0 && _IOC_TYPE(nr) == KTR_IOC_MAGIC &&
				 _IOC_NR(nr) == _IOC_NR(KTR_IOC_FUNCLAT_OPEN))
				::close(static_cast<int>(ret));
			break;
		}
		case 11: {
			// A child inherits the fds (not the mappings), uses and exits.
			const pid_t c = ::fork();
			if (c == 0) {
				const int fd = any(streams);
				ktr_stream_subbuf a{};
				a.size = sizeof(a);
				a.flags = KTR_GET_NONBLOCK;
				if (::ioctl(fd, KTR_IOC_GET_SUBBUF, &a) == 0 && r.chance(50))
					::ioctl(fd, KTR_IOC_PUT_SUBBUF);
				::ioctl(fd, KTR_IOC_FLUSH);
				::_exit(0);	// a held sub-buffer goes back at the last close
			}
			st.count("fork", c);
			if (c > 0)
				::waitpid(c, nullptr, 0);
			break;
		}
		case 12:
			if (!streams.empty()) {
				const std::size_t i = r(streams.size());
				st.count("close_stream", ::close(streams[i]));
				streams.erase(streams.begin() + static_cast<long>(i));
			}
			break;
		case 13:
			if (!devs.empty() && r.chance(30)) {
				const std::size_t i = r(devs.size());
				st.count("close_dev", ::close(devs[i]));
				devs.erase(devs.begin() + static_cast<long>(i));
			}
			break;
		}
	}
	for (const Map &m : maps)
		::munmap(m.p, m.len);
	for (int fd : streams)
		::close(fd);
	for (int fd : devs)
		::close(fd);
}

int fuzz_device(double seconds, std::uint64_t seed)
{
	DeviceStats st;
	std::thread a(device_worker, seed, std::ref(st));
	std::thread b(device_worker, seed * 31 + 7, std::ref(st));
	std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
	stop = true;
	a.join();
	b.join();
	std::uint64_t total = 0;
	for (const auto &[op, c] : st.ops)
		total += c;
	std::printf("device: %llu operations in %.0f s (seed %llu):",
		    static_cast<unsigned long long>(total), seconds,
		    static_cast<unsigned long long>(seed));
	for (const auto &[op, c] : st.ops)
		std::printf(" %s=%llu", op.c_str(), static_cast<unsigned long long>(c));
	std::printf("; errnos:");
	for (const auto &[e, c] : st.errs)
		std::printf(" %s=%llu", e ? (strerrorname_np(e) ? strerrorname_np(e) : "?") : "ok",
			    static_cast<unsigned long long>(c));
	std::printf("\n");
	return failures ? 1 : 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc != 4) {
		std::fprintf(stderr, "usage: ktr-fuzz netlink|nobody|device SECONDS SEED\n");
		return 2;
	}
	const std::string mode = argv[1];
	const double seconds = std::strtod(argv[2], nullptr);
	const std::uint64_t seed = std::strtoull(argv[3], nullptr, 0);
	if (seconds <= 0)
		die("SECONDS must be positive");
	if (mode == "netlink")
		return fuzz_netlink(seconds, seed, false);
	if (mode == "nobody")
		return fuzz_netlink(seconds, seed, true);
	if (mode == "device")
		return fuzz_device(seconds, seed);
	die("unknown mode " + mode);
}
