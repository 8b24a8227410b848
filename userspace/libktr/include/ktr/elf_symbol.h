// SPDX-License-Identifier: MIT
//
// Where a function of an executable or shared library starts in its file,
// for uprobes: the kernel probes PATH:OFFSET, users name PATH:SYMBOL
// (`ktr probe add 'p:rl /bin/bash:readline'`), so the tools turn the one
// into the other from the ELF symbol tables (libelf), as ftrace's users
// do by hand with readelf.
#ifndef KTR_ELF_SYMBOL_H
#define KTR_ELF_SYMBOL_H

#include <cstdint>
#include <string>
#include <string_view>

#include "ktr/result.h"

namespace ktr {

/// The file offset of function @symbol in the ELF file @path: its value
/// in .symtab (or .dynsym when stripped) mapped through the PT_LOAD
/// segment that holds it. Errors (one line each): the file cannot be read
/// or is not ELF (ENOEXEC), no function of that name (ENOENT), a symbol
/// outside every loaded segment (ENOEXEC).
Result<std::uint64_t> elf_symbol_offset(const std::string &path, std::string_view symbol);

/// A uprobe definition ("p[:NAME] /PATH:SYMBOL[+OFFS] ARGS...") with its
/// PATH:SYMBOL[+OFFS] target turned into PATH:0xOFFSET, the form the
/// module takes; other definitions come back unchanged.
Result<std::string> resolve_uprobe_symbol(std::string_view definition);

} // namespace ktr

#endif // KTR_ELF_SYMBOL_H
