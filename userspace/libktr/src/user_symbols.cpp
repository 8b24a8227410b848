// SPDX-License-Identifier: MIT
#include "ktr/user_symbols.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cxxabi.h>
#include <filesystem>
#include <fcntl.h>
#include <fstream>
#include <gelf.h>
#include <libelf.h>
#include <sstream>
#include <unistd.h>

namespace ktr {

namespace {

struct ElfHandle {
	int fd = -1;
	Elf *elf = nullptr;
	~ElfHandle()
	{
		if (elf)
			elf_end(elf);
		if (fd >= 0)
			close(fd);
	}
};

std::string demangle(const char *name)
{
	int status = -1;
	char *d = abi::__cxa_demangle(name, nullptr, nullptr, &status);
	std::string out = status == 0 && d ? d : name;
	std::free(d);
	return out;
}

} // namespace

ElfSymbols ElfSymbols::load(const std::string &path)
{
	ElfSymbols out;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return out;
	ElfHandle f;
	f.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (f.fd < 0)
		return out;
	f.elf = elf_begin(f.fd, ELF_C_READ, nullptr);
	if (!f.elf || elf_kind(f.elf) != ELF_K_ELF)
		return out;
	std::vector<GElf_Phdr> loads;
	std::size_t nphdr = 0;
	if (elf_getphdrnum(f.elf, &nphdr) == 0)
		for (std::size_t i = 0; i < nphdr; i++) {
			GElf_Phdr ph;
			if (gelf_getphdr(f.elf, static_cast<int>(i), &ph) && ph.p_type == PT_LOAD)
				loads.push_back(ph);
		}
	for (const Elf64_Word type : {Elf64_Word{SHT_SYMTAB}, Elf64_Word{SHT_DYNSYM}}) {
		for (Elf_Scn *scn = nullptr; (scn = elf_nextscn(f.elf, scn));) {
			GElf_Shdr shdr;
			if (!gelf_getshdr(scn, &shdr) || shdr.sh_type != type || shdr.sh_entsize == 0)
				continue;
			Elf_Data *data = elf_getdata(scn, nullptr);
			if (!data)
				continue;
			const std::size_t n = shdr.sh_size / shdr.sh_entsize;
			for (std::size_t i = 0; i < n; i++) {
				GElf_Sym sym;
				if (!gelf_getsym(data, static_cast<int>(i), &sym))
					continue;
				const unsigned t = GELF_ST_TYPE(sym.st_info);
				if ((t != STT_FUNC && t != STT_GNU_IFUNC) || sym.st_shndx == SHN_UNDEF ||
				    sym.st_value == 0)
					continue;
				const char *s = elf_strptr(f.elf, shdr.sh_link, sym.st_name);
				if (!s || !*s)
					continue;
				// Virtual address to file offset, through its segment.
				for (const GElf_Phdr &ph : loads) {
					if (sym.st_value < ph.p_vaddr ||
					    sym.st_value >= ph.p_vaddr + ph.p_filesz)
						continue;
					const std::uint64_t off = sym.st_value - ph.p_vaddr + ph.p_offset;
					out.syms_.push_back({off, off + std::max<std::uint64_t>(sym.st_size, 1),
							     demangle(s)});
					break;
				}
			}
		}
		if (!out.syms_.empty())
			break;	// .symtab found: .dynsym adds nothing
	}
	std::sort(out.syms_.begin(), out.syms_.end(),
		  [](const Sym &a, const Sym &b) { return a.start < b.start; });
	return out;
}

std::string ElfSymbols::name_at(std::uint64_t offset) const
{
	auto it = std::upper_bound(syms_.begin(), syms_.end(), offset,
				   [](std::uint64_t o, const Sym &s) { return o < s.start; });
	// Sizes may overlap (aliases): look back over the ones starting here.
	while (it != syms_.begin()) {
		--it;
		if (offset < it->end)
			return it->name;
		if (it->start + (1ULL << 20) < offset)
			break;
	}
	return "";
}

std::vector<UserMapping> parse_maps(std::string_view text)
{
	std::vector<UserMapping> out;
	std::istringstream in{std::string(text)};
	std::string line;
	while (std::getline(in, line)) {
		UserMapping m;
		char perms[8] = {};
		int path_at = 0;
		if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64 " %*s %*u %n",
				&m.start, &m.end, perms, &m.offset, &path_at) < 4 ||
		    path_at <= 0)
			continue;
		m.path = line.substr(static_cast<std::size_t>(path_at));
		// Only executable mappings hold code; of those without a file,
		// the vDSO is named (a hit, not a miss to read the maps again for).
		if (perms[2] != 'x' || (m.path != "[vdso]" && (m.path.empty() || m.path[0] != '/')))
			continue;
		out.push_back(std::move(m));
	}
	return out;
}

namespace {

std::vector<UserMapping> read_maps(std::int32_t tgid)
{
	std::ifstream in("/proc/" + std::to_string(tgid) + "/maps");
	std::stringstream ss;
	ss << in.rdbuf();
	return parse_maps(ss.str());
}

// Misses that read the maps again, per process and name.
constexpr unsigned max_rereads = 16;

} // namespace

void UserSymbols::remember(std::int32_t tgid)
{
	std::ifstream in("/proc/" + std::to_string(tgid) + "/comm");
	std::string comm;
	if (tgid <= 0 || !std::getline(in, comm))
		return;
	const Key key{tgid, comm};
	{
		const std::lock_guard<std::mutex> lock(lock_);
		if (maps_.contains(key))
			return;
	}
	// A kernel thread has no maps: remembered empty too, so that the scans
	// every quarter second do not read it again (a sample of it that names
	// a user address still gets its reads on a miss, in name()).
	std::vector<UserMapping> maps = read_maps(tgid);
	const std::lock_guard<std::mutex> lock(lock_);
	maps_.emplace(key, Maps{std::move(maps), 0});
}

void UserSymbols::remember_all()
{
	std::error_code ec;
	for (const auto &e : std::filesystem::directory_iterator("/proc", ec)) {
		const std::string name = e.path().filename().string();
		if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos)
			continue;
		remember(static_cast<std::int32_t>(std::stol(name)));
	}
}

UserSymbols::Maps &UserSymbols::maps_of(const Key &key)
{
	auto it = maps_.find(key);
	if (it == maps_.end())
		it = maps_.emplace(key, Maps{read_maps(key.first), 0}).first;
	return it->second;
}

const ElfSymbols &UserSymbols::symbols_of(const std::string &path)
{
	auto it = files_.find(path);
	if (it == files_.end())
		it = files_.emplace(path, std::make_unique<ElfSymbols>(ElfSymbols::load(path))).first;
	return *it->second;
}

std::string UserSymbols::name(std::int32_t tgid, std::string_view comm, std::uint64_t addr)
{
	if (tgid <= 0)
		return "";
	const std::lock_guard<std::mutex> lock(lock_);
	Maps &m = maps_of(Key{tgid, std::string(comm)});
	for (int pass = 0; pass < 2; pass++) {
		for (const UserMapping &map : m.maps) {
			if (addr < map.start || addr >= map.end)
				continue;
			const std::uint64_t off = addr - map.start + map.offset;
			if (map.path == "[vdso]")
				return "[vdso]";
			if (std::string n = symbols_of(map.path).name_at(off); !n.empty())
				return n;
			char buf[32];
			std::snprintf(buf, sizeof(buf), "+0x%" PRIx64, off);
			const std::size_t slash = map.path.rfind('/');
			return map.path.substr(slash + 1) + buf;
		}
		if (pass > 0 || m.rereads >= max_rereads)
			break;
		m.rereads++;
		// A process gone (or a zombie) has no maps: keep what was read.
		if (std::vector<UserMapping> again = read_maps(tgid); !again.empty())
			m.maps = std::move(again);
		else
			break;
	}
	return "";
}

} // namespace ktr
