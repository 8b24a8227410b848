// SPDX-License-Identifier: MIT
//
// x86_64 system call names by number, from the <asm/unistd_64.h> ktr was
// built with (raw_syscalls:sys_enter / sys_exit carry only the number).
#ifndef KTR_SYSCALL_NAMES_H
#define KTR_SYSCALL_NAMES_H

#include <cstdint>
#include <string_view>

namespace ktr {

/// "openat" for 257; an empty view for a number the table lacks
/// (negative, too large, or a gap such as the ia32/x32 numbers).
std::string_view syscall_name(std::int64_t nr);

} // namespace ktr

#endif // KTR_SYSCALL_NAMES_H
