// SPDX-License-Identifier: MIT
//
// The generated x86_64 syscall table (gen_syscall_names.cmake), in the
// order of <asm/unistd_64.h>. Use syscall_name() (ktr/syscall_names.h).
#ifndef KTR_SYSCALL_TABLE_H
#define KTR_SYSCALL_TABLE_H

#include <cstddef>
#include <cstdint>

namespace ktr::detail {

struct SyscallEntry {
	std::int32_t nr;
	const char *name;
};

extern const SyscallEntry syscall_table_x86_64[];
extern const std::size_t syscall_table_x86_64_size;

} // namespace ktr::detail

#endif // KTR_SYSCALL_TABLE_H
