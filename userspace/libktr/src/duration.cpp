// SPDX-License-Identifier: MIT
#include "ktr/duration.h"

#include <array>
#include <cerrno>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>

#include "ktr/errors.h"

namespace ktr {

namespace {

struct Unit {
	std::string_view suffix;
	std::uint64_t ns;
};

constexpr std::array<Unit, 6> units = {{
	{"ns", 1},
	{"us", 1'000},
	{"ms", 1'000'000},
	{"s", 1'000'000'000},
	{"m", 60'000'000'000},
	{"h", 3'600'000'000'000},
}};

constexpr std::string_view unit_list = "ns, us, ms, s, m or h";

std::optional<std::uint64_t> unit_ns(std::string_view suffix)
{
	for (const Unit &u : units) {
		if (u.suffix == suffix)
			return u.ns;
	}
	return std::nullopt;
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

Error invalid(std::string_view text, std::string_view why)
{
	return {EINVAL, "invalid duration '" + one_line(text) + "': " + std::string(why)};
}

Error too_large(std::string_view text)
{
	return {ERANGE, "invalid duration '" + one_line(text) + "': too large"};
}

} // namespace

Result<std::chrono::nanoseconds> parse_duration(std::string_view text)
{
	constexpr auto max_ns = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());

	if (text.empty())
		return invalid(text, "empty; give a number and a unit, e.g. '5s' or '100ms'");
	if (text.front() == '-')
		return invalid(text, "must not be negative");

	// Split "<int>[.<frac>]<unit>".
	std::size_t i = 0;
	while (i < text.size() && is_digit(text[i]))
		i++;
	const std::string_view int_digits = text.substr(0, i);
	std::string_view frac_digits;
	if (i < text.size() && text[i] == '.') {
		const std::size_t start = ++i;
		while (i < text.size() && is_digit(text[i]))
			i++;
		frac_digits = text.substr(start, i - start);
		if (frac_digits.empty())
			return invalid(text, "expected digits after '.'");
	}
	if (int_digits.empty())
		return invalid(text, "expected a number, e.g. '5s' or '100ms'");
	const std::string_view suffix = text.substr(i);
	if (suffix.empty())
		return invalid(text, "missing unit; use " + std::string(unit_list) + " (e.g. '" +
					     std::string(text) + "s')");
	const std::optional<std::uint64_t> scale = unit_ns(suffix);
	if (!scale)
		return invalid(text, "unknown unit '" + one_line(suffix) + "'; use " +
					     std::string(unit_list));

	std::uint64_t ns = 0;
	for (const char c : int_digits) {
		const auto digit = static_cast<std::uint64_t>(c - '0');
		if (__builtin_mul_overflow(ns, std::uint64_t{10}, &ns) ||
		    __builtin_add_overflow(ns, digit, &ns))
			return too_large(text);
	}
	if (__builtin_mul_overflow(ns, *scale, &ns))
		return too_large(text);

	// Each fractional digit is worth scale / 10^k; finer than 1 ns is dropped.
	std::uint64_t place = *scale;
	for (const char c : frac_digits) {
		place /= 10;
		if (place == 0)
			break;
		if (__builtin_add_overflow(ns, static_cast<std::uint64_t>(c - '0') * place, &ns))
			return too_large(text);
	}
	if (ns > max_ns)
		return too_large(text);
	return std::chrono::nanoseconds{static_cast<std::int64_t>(ns)};
}

} // namespace ktr
