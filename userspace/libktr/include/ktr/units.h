// SPDX-License-Identifier: MIT
//
// Human-friendly sizes.
#ifndef KTR_UNITS_H
#define KTR_UNITS_H

#include <cstdint>
#include <string>

namespace ktr {

/// Bytes in binary units: 512 → "512 B", 65536 → "64 KiB", 1536 → "1.5 KiB",
/// 4194304 → "4 MiB". Exact values print without decimals, others with one
/// (rounded down, so a size is never overstated).
std::string format_bytes(std::uint64_t bytes);

} // namespace ktr

#endif // KTR_UNITS_H
