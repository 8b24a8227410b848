// SPDX-License-Identifier: MIT
//
// CPU lists in the kernel's cpulist format (as in /sys/devices/system/cpu/online).
#ifndef KTR_CPU_LIST_H
#define KTR_CPU_LIST_H

#include <string_view>
#include <vector>

#include "ktr/result.h"

namespace ktr {

/// Highest CPU number accepted (well above any NR_CPUS a kernel is built with).
inline constexpr unsigned cpu_list_max = 65535;

/// Parse "0-3,8,10-11" into sorted, distinct CPU numbers. Ranges are
/// inclusive; whitespace is not allowed. Errors (EINVAL, ERANGE) say which
/// part of the list is wrong. Whether the CPUs exist is not checked here.
Result<std::vector<unsigned>> parse_cpu_list(std::string_view text);

} // namespace ktr

#endif // KTR_CPU_LIST_H
