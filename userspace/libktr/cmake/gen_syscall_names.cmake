# Writes OUT, a C++ table of the x86_64 syscall names, from UNISTD (the
# <asm/unistd_64.h> of linux-libc-dev): every "#define __NR_<name> <nr>".
# Run by the build (cmake -P), so the table follows the installed header.
file(STRINGS "${UNISTD}" lines REGEX "^#define __NR_[a-z0-9_]+ [0-9]+$")
set(body "")
set(count 0)
foreach(line IN LISTS lines)
    string(REGEX REPLACE "^#define __NR_([a-z0-9_]+) ([0-9]+)$" "\\2;\\1" pair "${line}")
    list(GET pair 0 nr)
    list(GET pair 1 name)
    string(APPEND body "\t{${nr}, \"${name}\"},\n")
    math(EXPR count "${count} + 1")
endforeach()
if(count LESS 100)
    message(FATAL_ERROR "${UNISTD}: only ${count} syscall numbers found")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${UNISTD} by gen_syscall_names.cmake; do not edit.
#include \"syscall_table.h\"

namespace ktr::detail {

const SyscallEntry syscall_table_x86_64[] = {
${body}};
const std::size_t syscall_table_x86_64_size = ${count};

} // namespace ktr::detail
")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
