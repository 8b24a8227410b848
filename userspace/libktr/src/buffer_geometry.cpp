// SPDX-License-Identifier: MIT
#include "ktr/buffer_geometry.h"

#include <cerrno>
#include <limits>

#include "ktr/units.h"

#include <unistd.h>

#include "ktr_rb_geometry.h"
#include "ktr.h"

namespace ktr {

namespace {

// A geometry that passes on every field but the one being checked.
constexpr std::uint64_t no_bound = std::numeric_limits<std::uint64_t>::max();

// The page size of the kernel this tool talks to (the same machine's).
std::uint32_t host_page_size()
{
	const long n = sysconf(_SC_PAGESIZE);
	return n > 0 ? static_cast<std::uint32_t>(n) : 4096U;
}

Result<void> worded(ktr_rb_geometry_error e, std::uint32_t subbuf_size,
		    std::uint32_t nr_subbufs, std::uint32_t mode)
{
	switch (e) {
	case KTR_RB_GEO_OK:
		return {};
	case KTR_RB_GEO_SUBBUF_SIZE:
		return Error{EINVAL, "sub-buffer size " + std::to_string(subbuf_size) + " must be " +
					     subbuf_size_range_text() + ", at least a page"};
	case KTR_RB_GEO_NR_SUBBUFS:
		return Error{EINVAL, "sub-buffer count " + std::to_string(nr_subbufs) + " must be " +
					     nr_subbufs_range_text()};
	case KTR_RB_GEO_MODE:
		return Error{EINVAL, "unknown buffer mode " + std::to_string(mode)};
	case KTR_RB_GEO_TOO_BIG:
		return Error{EINVAL, "sub-buffer size x (count + 1) = " +
					     format_bytes(std::uint64_t{subbuf_size} * (nr_subbufs + 1ULL)) +
					     " exceeds " + format_bytes(KTR_BUFFER_BYTES_PER_CPU_MAX) +
					     " per CPU"};
	}
	return Error{EINVAL, "buffer geometry rejected (reason " + std::to_string(e) + ")"};
}

} // namespace

Result<void> check_geometry(std::uint32_t subbuf_size, std::uint32_t nr_subbufs,
			    std::uint32_t mode)
{
	return worded(ktr_rb_geometry_check(subbuf_size, nr_subbufs, mode,
					    KTR_BUFFER_BYTES_PER_CPU_MAX, host_page_size()),
		      subbuf_size, nr_subbufs, mode);
}

Result<void> check_subbuf_size(std::uint32_t subbuf_size, std::uint32_t page_size)
{
	return worded(ktr_rb_geometry_check(subbuf_size, KTR_NR_SUBBUFS_MIN, KTR_RB_MODE_DISCARD,
					    no_bound, page_size),
		      subbuf_size, KTR_NR_SUBBUFS_MIN, KTR_RB_MODE_DISCARD);
}

Result<void> check_nr_subbufs(std::uint32_t nr_subbufs)
{
	return worded(ktr_rb_geometry_check(KTR_SUBBUF_SIZE_MIN, nr_subbufs, KTR_RB_MODE_DISCARD,
					    no_bound, 0),
		      KTR_SUBBUF_SIZE_MIN, nr_subbufs, KTR_RB_MODE_DISCARD);
}

std::string subbuf_size_range_text()
{
	return "a power of two from " + format_bytes(KTR_SUBBUF_SIZE_MIN) + " to " +
	       format_bytes(KTR_SUBBUF_SIZE_MAX);
}

std::string nr_subbufs_range_text()
{
	return "a power of two from " + std::to_string(KTR_NR_SUBBUFS_MIN) + " to " +
	       std::to_string(KTR_NR_SUBBUFS_MAX);
}

} // namespace ktr
