// SPDX-License-Identifier: MIT
//
// User addresses to function names, for the user stacks of `ktr profile`
// (folded_sink.h's UserSymbolizer): the process's /proc/PID/maps, read
// the first time the process is asked about under a command name and kept
// (so a process that exited after its first sample still names its
// frames; an exec, which changes the name, reads them again, and so does
// an address no mapping holds, a few times: a library loaded since), gives
// the file and offset; that file's ELF symbol table (.symtab, else .dynsym; read
// once per file) the function, demangled. What cannot be named comes back
// as "FILE+0xOFFSET" (the file's base name), the vDSO as "[vdso]", or ""
// when no mapping holds the address (the caller shows it in hex). A read
// that finds no maps (the process is gone) keeps the ones read before.
//
// Only as good as the live system: a process gone before its first
// lookup, or a capture read on another machine, names nothing. The
// samples of a short process may be folded only after it exited (the
// stream comes in batches): remember_all(), called meanwhile from another
// thread (it is thread-safe), reads the maps of the processes that run.
#ifndef KTR_USER_SYMBOLS_H
#define KTR_USER_SYMBOLS_H

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ktr {

/// The function symbols of one ELF file, by file offset.
class ElfSymbols {
public:
	/// Reads @path; a file that cannot be read or is not ELF gives an
	/// empty table.
	static ElfSymbols load(const std::string &path);

	/// The (demangled) function holding file offset @offset, or "".
	[[nodiscard]] std::string name_at(std::uint64_t offset) const;
	[[nodiscard]] std::size_t size() const noexcept { return syms_.size(); }

private:
	struct Sym {
		std::uint64_t start, end;	// file offsets
		std::string name;
	};
	std::vector<Sym> syms_;	// sorted by start
};

/// One line of /proc/PID/maps that maps code: a file, or "[vdso]".
struct UserMapping {
	std::uint64_t start = 0, end = 0, offset = 0;
	std::string path;
};

/// The file mappings of a maps text (/proc/PID/maps lines).
std::vector<UserMapping> parse_maps(std::string_view text);

class UserSymbols {
public:
	/// The name of @addr in process @tgid, named @comm (see the top of
	/// this file).
	std::string name(std::int32_t tgid, std::string_view comm, std::uint64_t addr);

	/// Read now, if not read yet under its current name, the maps of
	/// process @tgid (kept even when it has none: a kernel thread).
	void remember(std::int32_t tgid);
	/// remember() every process of /proc.
	void remember_all();

private:
	struct Maps {
		std::vector<UserMapping> maps;
		unsigned rereads = 0;	// after misses
	};
	using Key = std::pair<std::int32_t, std::string>;
	Maps &maps_of(const Key &key);
	const ElfSymbols &symbols_of(const std::string &path);

	std::mutex lock_;	// guards maps_ and files_
	std::map<Key, Maps> maps_;
	std::map<std::string, std::unique_ptr<ElfSymbols>> files_;
};

} // namespace ktr

#endif // KTR_USER_SYMBOLS_H
