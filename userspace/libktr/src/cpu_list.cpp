// SPDX-License-Identifier: MIT
#include "ktr/cpu_list.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstddef>
#include <optional>
#include <string>

#include "ktr/errors.h"

namespace ktr {

namespace {

Error invalid(int errnum, std::string_view text, std::string_view why)
{
	return {errnum, "invalid CPU list '" + one_line(text) + "': " + std::string(why)};
}

// A whole decimal CPU number, or nullopt.
std::optional<unsigned long> parse_number(std::string_view s)
{
	unsigned long n = 0;
	const char *end = s.data() + s.size();
	const auto [ptr, ec] = std::from_chars(s.data(), end, n);
	if (s.empty() || ec != std::errc{} || ptr != end)
		return std::nullopt;
	return n;
}

} // namespace

Result<std::vector<unsigned>> parse_cpu_list(std::string_view text)
{
	if (text.empty())
		return invalid(EINVAL, text, "empty; give CPUs like '0-3,8'");

	std::vector<bool> set(cpu_list_max + 1);
	std::string_view rest = text;
	while (true) {
		const std::size_t comma = rest.find(',');
		const std::string_view item = rest.substr(0, comma);
		const std::size_t dash = item.find('-');
		const std::string_view first_s = item.substr(0, dash);
		const std::string_view last_s =
			dash == std::string_view::npos ? first_s : item.substr(dash + 1);

		if (item.empty())
			return invalid(EINVAL, text, "empty entry (stray comma?)");
		const std::optional<unsigned long> first = parse_number(first_s);
		const std::optional<unsigned long> last = parse_number(last_s);
		if (!first || !last)
			return invalid(EINVAL, text, "'" + one_line(item) +
							     "' is not a CPU number or range");
		if (*last > cpu_list_max)
			return invalid(ERANGE, text, "CPU " + std::to_string(*last) + " is too large");
		if (*first > *last)
			return invalid(EINVAL, text, "range '" + std::string(item) + "' is reversed");
		std::fill(set.begin() + static_cast<std::ptrdiff_t>(*first),
			  set.begin() + static_cast<std::ptrdiff_t>(*last) + 1, true);

		if (comma == std::string_view::npos)
			break;
		rest.remove_prefix(comma + 1);
	}
	std::vector<unsigned> cpus;
	for (unsigned cpu = 0; cpu <= cpu_list_max; cpu++) {
		if (set[cpu])
			cpus.push_back(cpu);
	}
	return cpus;
}

} // namespace ktr
