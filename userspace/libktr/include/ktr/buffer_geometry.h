// SPDX-License-Identifier: MIT
// The module's rule for a buffer geometry, for user space: the answer of
// ktr_rb_geometry_check() itself (kmod/ringbuf/ktr_rb_geometry.h, the header
// the module's ktr_rb_check_geometry() compiles, licensed like the uapi
// headers), worded for a command line. User space never restates the
// limits: they come from uapi/ktr.h and the one check.
#pragma once

#include <cstdint>
#include <string>

#include "ktr/result.h"

namespace ktr {

/// Checks a geometry as SET_BUFFER does (the bound: KTR_BUFFER_BYTES_PER_CPU_MAX
/// per CPU with the reader's spare; the page size: this machine's). EINVAL with
/// one line saying what is wrong first and the allowed range.
Result<void> check_geometry(std::uint32_t subbuf_size, std::uint32_t nr_subbufs,
			    std::uint32_t mode);

/// Only the sub-buffer size, on a kernel of @page_size (e.g. the one that
/// wrote a capture file): EINVAL as above.
Result<void> check_subbuf_size(std::uint32_t subbuf_size, std::uint32_t page_size);

/// Only the sub-buffer count: EINVAL as above.
Result<void> check_nr_subbufs(std::uint32_t nr_subbufs);

/// "a power of two from 4 KiB to 4 MiB" (from the uapi limits).
std::string subbuf_size_range_text();

/// "a power of two from 2 to 4096" (from the uapi limits).
std::string nr_subbufs_range_text();

} // namespace ktr
