// SPDX-License-Identifier: MIT
#include "ktr/kallsyms.h"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>

namespace ktr {

Kallsyms Kallsyms::load(const std::string &path)
{
	std::ifstream in(path);
	if (!in)
		return {};
	return parse(in);
}

Kallsyms Kallsyms::parse(std::istream &in)
{
	Kallsyms k;
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream words(line);
		std::string addr_text, type, name, module;
		if (!(words >> addr_text >> type >> name) || (type != "t" && type != "T"))
			continue;
		words >> module;
		std::uint64_t addr = 0;
		if (std::sscanf(addr_text.c_str(), "%" SCNx64, &addr) != 1 || addr == 0)
			continue;
		k.syms_.push_back({addr, module.empty() ? name : name + " " + module});
	}
	std::stable_sort(k.syms_.begin(), k.syms_.end(),
			 [](const Sym &a, const Sym &b) { return a.addr < b.addr; });
	return k;
}

std::string Kallsyms::name(std::uint64_t addr) const
{
	auto it = std::upper_bound(syms_.begin(), syms_.end(), addr,
				   [](std::uint64_t a, const Sym &s) { return a < s.addr; });
	if (it == syms_.begin())
		return "";
	--it;
	std::string sym = it->name, module;
	if (const auto sp = sym.find(' '); sp != std::string::npos) {
		module = sym.substr(sp);
		sym.resize(sp);
	}
	char off[24];
	std::snprintf(off, sizeof(off), "+0x%" PRIx64, addr - it->addr);
	return sym + off + module;
}

Symbolizer running_kernel_symbolizer()
{
	return [syms = std::shared_ptr<const Kallsyms>()](std::uint64_t addr) mutable {
		if (!syms)
			syms = std::make_shared<const Kallsyms>(Kallsyms::load());
		return syms->name(addr);
	};
}

} // namespace ktr
