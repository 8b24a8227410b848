// SPDX-License-Identifier: MIT
#include "ktr/number.h"

#include <cerrno>
#include <charconv>
#include <string>

#include "ktr/errors.h"

namespace ktr {

Result<std::uint64_t> parse_count(std::string_view text)
{
	const auto invalid = [&](int errnum, std::string_view why) {
		return Error{errnum, "invalid count '" + one_line(text) + "': " + std::string(why)};
	};

	std::uint64_t n = 0;
	const char *end = text.data() + text.size();
	const auto [ptr, ec] = std::from_chars(text.data(), end, n);
	if (ec == std::errc::result_out_of_range)
		return invalid(ERANGE, "too large");
	if (text.empty() || ec != std::errc{} || ptr != end)
		return invalid(EINVAL, "expected a positive whole number");
	if (n == 0)
		return invalid(EINVAL, "must be at least 1");
	return n;
}

} // namespace ktr
