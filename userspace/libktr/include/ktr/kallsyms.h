// SPDX-License-Identifier: MIT
//
// ktr::Kallsyms: kernel addresses to "function+0xoff" names, from
// /proc/kallsyms (text symbols only), for the stack traces ktr records.
// Without CAP_SYSLOG, or with kptr_restrict, the kernel shows every address
// as 0: the table is then empty and names nothing.
#ifndef KTR_KALLSYMS_H
#define KTR_KALLSYMS_H

#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <vector>

namespace ktr {

/// Names a kernel address ("function+0xoff"), or "" when it cannot.
using Symbolizer = std::function<std::string(std::uint64_t addr)>;

class Kallsyms {
public:
	/// Reads /proc/kallsyms (or @path); an unreadable file gives an empty
	/// table.
	static Kallsyms load(const std::string &path = "/proc/kallsyms");
	/// Parses lines "ADDR TYPE NAME [MODULE]"; lines that are not text
	/// symbols (type t or T) or have a zero address are skipped.
	static Kallsyms parse(std::istream &in);

	/// "name+0xoff" or "name+0xoff [module]"; "" when @addr lies before the
	/// first symbol or the table is empty.
	[[nodiscard]] std::string name(std::uint64_t addr) const;
	[[nodiscard]] std::size_t size() const noexcept { return syms_.size(); }

private:
	struct Sym {
		std::uint64_t addr;
		std::string name;	// with " [module]" when in a module
	};
	std::vector<Sym> syms_;	// sorted by address
};

/// A Symbolizer for the running kernel: /proc/kallsyms, read at its first
/// call (so a stream without stack events never reads it).
Symbolizer running_kernel_symbolizer();

} // namespace ktr

#endif // KTR_KALLSYMS_H
