// SPDX-License-Identifier: MIT
#include "ktr/units.h"

#include <array>
#include <string_view>

namespace ktr {

std::string format_bytes(std::uint64_t bytes)
{
	constexpr std::array<std::string_view, 7> units = {"B",	  "KiB", "MiB", "GiB",
							   "TiB", "PiB", "EiB"};
	std::size_t unit = 0;
	while (unit + 1 < units.size() && bytes >> (10 * (unit + 1)) != 0)
		unit++;

	const unsigned shift = static_cast<unsigned>(10 * unit);
	const std::uint64_t whole = bytes >> shift;
	const std::uint64_t rest = bytes - (whole << shift);
	std::string out = std::to_string(whole);
	if (rest != 0) {
		// One decimal, rounded down: rest * 10 / 2^shift (rest < 2^60: no overflow).
		out += '.';
		out += std::to_string((rest * 10) >> shift);
	}
	out += ' ';
	out += units[unit];
	return out;
}

} // namespace ktr
