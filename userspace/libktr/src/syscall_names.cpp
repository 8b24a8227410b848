// SPDX-License-Identifier: MIT
#include "ktr/syscall_names.h"

#include <cstddef>
#include <vector>

#include "syscall_table.h"

namespace ktr {

std::string_view syscall_name(std::int64_t nr)
{
	// Indexed by number once; the header's numbers are dense but not
	// guaranteed to be.
	static const std::vector<const char *> by_nr = [] {
		std::vector<const char *> v;
		for (std::size_t i = 0; i < detail::syscall_table_x86_64_size; i++) {
			const detail::SyscallEntry &e = detail::syscall_table_x86_64[i];
			if (e.nr < 0)
				continue;
			const auto at = static_cast<std::size_t>(e.nr);
			if (v.size() <= at)
				v.resize(at + 1, nullptr);
			v[at] = e.name;
		}
		return v;
	}();
	if (nr < 0 || static_cast<std::uint64_t>(nr) >= by_nr.size())
		return {};
	const char *name = by_nr[static_cast<std::size_t>(nr)];
	return name ? std::string_view(name) : std::string_view();
}

} // namespace ktr
