// SPDX-License-Identifier: MIT
//
// ktr-tp-probes: which probes are registered on kernel tracepoints, read from
// the kernel's own memory (/proc/kcore), independently of ktr's counters.
//
//   ktr-tp-probes TRACEPOINT...      e.g. ktr-tp-probes sched_switch sys_enter
//   ktr-tp-probes --all              every tracepoint of the kernel and its modules
//                                    (every __tracepoint_NAME data symbol)
//
// For each tracepoint it finds __tracepoint_NAME in /proc/kallsyms, reads the
// struct tracepoint (include/linux/tracepoint-defs.h) through /proc/kcore and
// prints one line:
//
//   ktr-tp-probes tracepoint=NAME key=E probes=N ktr=K funcs=SYM[,SYM...]
//
// key: the static key's enabled count (0: the tracepoint is a NOP); probes:
// the entries of its funcs array; ktr: how many of them are functions of the
// ktr module (a "[ktr]" symbol of /proc/kallsyms); funcs: their symbol names
// ("-" when none). The layout is checked, not assumed: the name pointer must
// point at NAME and the iterator at __traceiter_NAME; funcs follows
// regfunc/unregfunc, after the probestub pointer where the kernel has one
// (__probestub_NAME, 6.4 and later). --all prints the line only for the
// tracepoints where ktr has a probe, then
//
//   ktr-tp-probes all tracepoints=N enabled=E with_ktr=T ktr_probes=P
//
// (E: tracepoints whose static key is on). Needs root (kallsyms addresses, kcore).
// Exit status: 0; 1 when a tracepoint cannot be read or its layout does not
// match; 2 on bad arguments.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <elf.h>
#include <fcntl.h>
#include <unistd.h>

namespace {

struct Symbols {
	std::map<std::string, std::uint64_t> addr;	  // name -> address (first seen)
	std::map<std::uint64_t, std::string> name;	  // address -> name (text symbols)
	std::map<std::uint64_t, std::string> module;	  // address -> "[mod]" or ""
	std::vector<std::string> tracepoints;		  // NAME of each __tracepoint_NAME datum
};

Symbols read_kallsyms()
{
	Symbols s;
	std::ifstream in("/proc/kallsyms");
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream ls(line);
		std::string a, type, sym, mod;
		if (!(ls >> a >> type >> sym))
			continue;
		ls >> mod;
		const std::uint64_t v = std::strtoull(a.c_str(), nullptr, 16);
		s.addr.emplace(sym, v);
		static const std::string prefix = "__tracepoint_";
		if ((type == "d" || type == "D") && sym.compare(0, prefix.size(), prefix) == 0)
			s.tracepoints.push_back(sym.substr(prefix.size()));
		if (type == "t" || type == "T") {
			s.name.emplace(v, sym);
			s.module.emplace(v, mod);
		}
	}
	return s;
}

class Kcore {
public:
	Kcore() : fd_(open("/proc/kcore", O_RDONLY | O_CLOEXEC))
	{
		Elf64_Ehdr eh{};
		if (fd_ < 0 || pread(fd_, &eh, sizeof(eh), 0) != sizeof(eh) ||
		    std::memcmp(eh.e_ident, ELFMAG, SELFMAG) || eh.e_ident[EI_CLASS] != ELFCLASS64)
			return;
		for (unsigned i = 0; i < eh.e_phnum; i++) {
			Elf64_Phdr ph{};
			const off_t at = static_cast<off_t>(eh.e_phoff + i * sizeof(ph));
			if (pread(fd_, &ph, sizeof(ph), at) != sizeof(ph))
				return;
			if (ph.p_type == PT_LOAD)
				loads_.push_back(ph);
		}
	}
	~Kcore()
	{
		if (fd_ >= 0)
			close(fd_);
	}
	Kcore(const Kcore &) = delete;
	Kcore &operator=(const Kcore &) = delete;

	bool ok() const { return !loads_.empty(); }

	bool read(std::uint64_t addr, void *buf, std::size_t len) const
	{
		for (const Elf64_Phdr &ph : loads_)
			if (addr >= ph.p_vaddr && addr + len <= ph.p_vaddr + ph.p_memsz)
				return pread(fd_, buf, len, static_cast<off_t>(ph.p_offset + (addr - ph.p_vaddr))) ==
				       static_cast<ssize_t>(len);
		return false;
	}

	bool u64(std::uint64_t addr, std::uint64_t *v) const { return read(addr, v, sizeof(*v)); }

private:
	int fd_;
	std::vector<Elf64_Phdr> loads_;
};

struct Totals {
	unsigned tracepoints = 0, enabled = 0, with_ktr = 0, ktr_probes = 0;
};

// quiet: print the line only when ktr has a probe there.
bool report(const std::string &tp, const Symbols &syms, const Kcore &kc, bool quiet, Totals *t)
{
	auto sym = [&](const std::string &n) -> std::uint64_t {
		auto it = syms.addr.find(n);
		return it == syms.addr.end() ? 0 : it->second;
	};
	const std::uint64_t base = sym("__tracepoint_" + tp);
	if (!base) {
		std::fprintf(stderr, "ktr-tp-probes: no __tracepoint_%s in /proc/kallsyms\n", tp.c_str());
		return false;
	}
	// struct tracepoint: name, static_key {atomic_t enabled; 8-byte union},
	// static_call_key, static_call_tramp, iterator, [probestub,] regfunc,
	// unregfunc, funcs.
	std::uint64_t name_ptr = 0, iterator = 0, after_iter = 0;
	std::int32_t enabled = 0;
	char name[128] = {};
	if (!kc.u64(base, &name_ptr) || !kc.read(base + 8, &enabled, sizeof(enabled)) ||
	    !kc.u64(base + 40, &iterator) || !kc.u64(base + 48, &after_iter) ||
	    !kc.read(name_ptr, name, sizeof(name) - 1)) {
		std::fprintf(stderr, "ktr-tp-probes: cannot read __tracepoint_%s through /proc/kcore\n",
			     tp.c_str());
		return false;
	}
	if (tp != name || iterator != sym("__traceiter_" + tp)) {
		std::fprintf(stderr,
			     "ktr-tp-probes: __tracepoint_%s does not have the expected layout "
			     "(name '%s', iterator %#llx)\n",
			     tp.c_str(), name, static_cast<unsigned long long>(iterator));
		return false;
	}
	const std::uint64_t stub = sym("__probestub_" + tp);
	const std::uint64_t funcs_at = base + (stub && after_iter == stub ? 72 : 64);
	std::uint64_t funcs = 0;
	if (!kc.u64(funcs_at, &funcs)) {
		std::fprintf(stderr, "ktr-tp-probes: cannot read the funcs of %s\n", tp.c_str());
		return false;
	}
	unsigned probes = 0, ktr = 0;
	std::string list;
	// struct tracepoint_func { void *func; void *data; int prio; }: 24 bytes,
	// the array ends with a NULL func.
	for (std::uint64_t at = funcs; funcs && probes < 1000; at += 24) {
		std::uint64_t f = 0;
		if (!kc.u64(at, &f)) {
			std::fprintf(stderr, "ktr-tp-probes: cannot read a probe of %s\n", tp.c_str());
			return false;
		}
		if (!f)
			break;
		probes++;
		auto it = syms.name.find(f);
		const std::string fname = it == syms.name.end() ? "?" : it->second;
		if (it != syms.name.end() && syms.module.at(f) == "[ktr]")
			ktr++;
		list += (list.empty() ? "" : ",") + fname;
	}
	t->tracepoints++;
	t->enabled += enabled != 0;
	t->with_ktr += ktr != 0;
	t->ktr_probes += ktr;
	if (!quiet || ktr)
		std::printf("ktr-tp-probes tracepoint=%s key=%d probes=%u ktr=%u funcs=%s\n",
			    tp.c_str(), enabled, probes, ktr, list.empty() ? "-" : list.c_str());
	return true;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2) {
		std::fprintf(stderr, "usage: ktr-tp-probes TRACEPOINT... | --all\n");
		return 2;
	}
	const Symbols syms = read_kallsyms();
	const Kcore kc;
	if (!kc.ok()) {
		std::fprintf(stderr, "ktr-tp-probes: cannot read /proc/kcore: %s (root and "
				     "CONFIG_PROC_KCORE needed)\n", std::strerror(errno));
		return 1;
	}
	bool ok = true;
	Totals t;
	if (argc == 2 && std::strcmp(argv[1], "--all") == 0) {
		for (const std::string &tp : syms.tracepoints)
			ok = report(tp, syms, kc, true, &t) && ok;
		std::printf("ktr-tp-probes all tracepoints=%u enabled=%u with_ktr=%u ktr_probes=%u\n",
			    t.tracepoints, t.enabled, t.with_ktr, t.ktr_probes);
		return ok && t.tracepoints ? 0 : 1;
	}
	for (int i = 1; i < argc; i++)
		ok = report(argv[i], syms, kc, false, &t) && ok;
	return ok ? 0 : 1;
}
