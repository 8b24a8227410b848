// SPDX-License-Identifier: MIT
#include "ktr/elf_symbol.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <memory>
#include <unistd.h>

namespace ktr {

namespace {

struct ElfFile {
	int fd = -1;
	Elf *elf = nullptr;
	~ElfFile()
	{
		if (elf)
			elf_end(elf);
		if (fd >= 0)
			close(fd);
	}
};

// The value of function @name in the symbol table @scn, if there.
bool find_in(Elf *elf, Elf_Scn *scn, std::string_view name, std::uint64_t *value)
{
	GElf_Shdr shdr;
	if (!gelf_getshdr(scn, &shdr) || shdr.sh_entsize == 0)
		return false;
	Elf_Data *data = elf_getdata(scn, nullptr);
	if (!data)
		return false;
	const std::size_t n = shdr.sh_size / shdr.sh_entsize;
	for (std::size_t i = 0; i < n; i++) {
		GElf_Sym sym;
		if (!gelf_getsym(data, static_cast<int>(i), &sym))
			continue;
		if (GELF_ST_TYPE(sym.st_info) != STT_FUNC &&
		    GELF_ST_TYPE(sym.st_info) != STT_GNU_IFUNC)
			continue;
		if (sym.st_shndx == SHN_UNDEF || sym.st_value == 0)
			continue;
		const char *s = elf_strptr(elf, shdr.sh_link, sym.st_name);
		if (s && name == s) {
			*value = sym.st_value;
			return true;
		}
	}
	return false;
}

} // namespace

Result<std::uint64_t> elf_symbol_offset(const std::string &path, std::string_view symbol)
{
	if (elf_version(EV_CURRENT) == EV_NONE)
		return Error{ENOEXEC, "libelf is too old"};
	ElfFile f;
	f.fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (f.fd < 0)
		return Error{errno, "cannot open " + path + ": " + std::strerror(errno)};
	f.elf = elf_begin(f.fd, ELF_C_READ, nullptr);
	if (!f.elf || elf_kind(f.elf) != ELF_K_ELF)
		return Error{ENOEXEC, path + " is not an ELF file"};

	std::uint64_t value = 0;
	bool found = false;
	for (const Elf64_Word type : {Elf64_Word{SHT_SYMTAB}, Elf64_Word{SHT_DYNSYM}}) {
		for (Elf_Scn *scn = nullptr; !found && (scn = elf_nextscn(f.elf, scn));) {
			GElf_Shdr shdr;
			if (gelf_getshdr(scn, &shdr) && shdr.sh_type == type)
				found = find_in(f.elf, scn, symbol, &value);
		}
		if (found)
			break;
	}
	if (!found)
		return Error{ENOENT, "no function " + std::string(symbol) + " in " + path};

	std::size_t nphdr = 0;
	if (elf_getphdrnum(f.elf, &nphdr) != 0)
		return Error{ENOEXEC, path + " has no program headers"};
	for (std::size_t i = 0; i < nphdr; i++) {
		GElf_Phdr ph;
		if (!gelf_getphdr(f.elf, static_cast<int>(i), &ph) || ph.p_type != PT_LOAD)
			continue;
		if (value >= ph.p_vaddr && value < ph.p_vaddr + ph.p_filesz)
			return value - ph.p_vaddr + ph.p_offset;
	}
	return Error{ENOEXEC, "function " + std::string(symbol) + " of " + path +
				      " is outside every loaded segment"};
}

Result<std::string> resolve_uprobe_symbol(std::string_view def)
{
	// The target is the second blank-separated token; a uprobe's starts
	// with '/' and its last ':' separates the path from the location.
	const auto blank = [](char c) { return c == ' ' || c == '\t'; };
	std::size_t b = 0;
	while (b < def.size() && blank(def[b]))
		b++;
	while (b < def.size() && !blank(def[b]))
		b++;
	while (b < def.size() && blank(def[b]))
		b++;
	std::size_t e = b;
	while (e < def.size() && !blank(def[e]))
		e++;
	const std::string_view target = def.substr(b, e - b);
	const std::size_t colon = target.rfind(':');
	if (target.empty() || target[0] != '/' || colon == std::string_view::npos)
		return std::string(def);
	std::string_view loc = target.substr(colon + 1);
	if (loc.empty() || (loc[0] >= '0' && loc[0] <= '9'))
		return std::string(def);	// numeric: the module's form already

	std::uint64_t extra = 0;
	if (const std::size_t plus = loc.find('+'); plus != std::string_view::npos) {
		std::string_view num = loc.substr(plus + 1);
		int base = 10;
		if (num.starts_with("0x") || num.starts_with("0X")) {
			num.remove_prefix(2);
			base = 16;
		}
		const auto [ptr, ec] = std::from_chars(num.data(), num.data() + num.size(), extra, base);
		if (ec != std::errc() || ptr != num.data() + num.size() || num.empty())
			return Error{EINVAL, "bad offset after " + std::string(loc.substr(0, plus)) +
						     " in the uprobe target"};
		loc = loc.substr(0, plus);
	}
	const std::string path(target.substr(0, colon));
	Result<std::uint64_t> off = elf_symbol_offset(path, loc);
	if (!off)
		return off.error();
	char hex[24];
	const auto [end, ec] = std::to_chars(hex, hex + sizeof(hex), *off + extra, 16);
	(void)ec;
	std::string out(def.substr(0, b));
	out += path + ":0x" + std::string(hex, end);
	out += def.substr(e);
	return out;
}

} // namespace ktr
