// SPDX-License-Identifier: MIT
//
// A filter expression checked against its event's fields; see typecheck.h.
#include "filter/typecheck.h"

#include <limits>
#include <string>

#include <ktr.h>

namespace ktr::filter {

namespace {

const std::string int_ops = "==, !=, <, <=, >, >= or &";
const std::string text_ops = "==, !=, ~ or !~";

// The byte at @i of @s, NUL past its end (patterns are C strings in the
// module).
char at(std::string_view s, std::size_t i)
{
	return i < s.size() ? s[i] : '\0';
}

} // namespace

std::size_t glob_class_end(std::string_view pattern, std::size_t open)
{
	std::size_t q = open + 1;
	if (at(pattern, q) == '!' || at(pattern, q) == '^')
		q++;
	if (!at(pattern, q))
		return std::string_view::npos;
	do {	// a "]" first in the class is a literal
		if (at(pattern, q + 1) == '-' && at(pattern, q + 2) && at(pattern, q + 2) != ']')
			q += 3;
		else
			q++;
	} while (at(pattern, q) && at(pattern, q) != ']');
	return at(pattern, q) == ']' ? q : std::string_view::npos;
}

std::string TypeCheck::int_type_name(const FieldFormat &f)
{
	return (f.is_signed ? "s" : "u") + std::to_string(f.size * 8);
}

std::string TypeCheck::field_names() const
{
	std::string names;
	for (const FieldFormat &f : event_.fields) {
		if (f.type == FieldType::RestU64)
			continue;
		names += (names.empty() ? "" : ", ") + f.name;
	}
	return names;
}

const FieldFormat *TypeCheck::field(std::string_view name, std::size_t col)
{
	const FieldFormat *f = event_.field(name);
	if (!f) {
		diag_.fail(col, "unknown field '" + shown(name, 64) + "' (" + event_.name +
					" has " + field_names() + ")");
		return nullptr;
	}
	if (f->type == FieldType::RestU64) {
		diag_.fail(col, "field '" + f->name + "' holds a list of 64-bit values: " +
					"it cannot be filtered on");
		return nullptr;
	}
	return f;
}

std::optional<std::uint16_t> TypeCheck::op(const FieldFormat &f, const OpToken *tok,
					   std::size_t col, std::string_view found)
{
	const bool is_int = f.type == FieldType::Int;
	if (!tok)
		return diag_.fail(col, "expected a comparison operator after '" + f.name + "' (" +
					       (is_int ? int_ops : text_ops) + "), found " +
					       std::string(found));
	const std::string spelling(tok->spelling);
	const std::uint16_t op = tok->op;
	if (is_int && (op == KTR_FOP_GLOB || op == KTR_FOP_NGLOB))
		return diag_.fail(col, "'" + spelling + "' matches text but '" + f.name +
					       "' is an integer field (use " + int_ops + ")");
	if (is_int)
		return op;
	if (op != KTR_FOP_EQ && op != KTR_FOP_NE && op != KTR_FOP_GLOB && op != KTR_FOP_NGLOB)
		return diag_.fail(col, "'" + spelling + "' compares integers but '" + f.name +
					       "' is a text field (use " + text_ops + ")");
	if (op == KTR_FOP_EQ)
		return std::uint16_t{KTR_FOP_STR_EQ};
	if (op == KTR_FOP_NE)
		return std::uint16_t{KTR_FOP_STR_NE};
	return op;
}

std::optional<std::uint64_t> TypeCheck::integer(const FieldFormat &f, std::uint16_t op,
						std::string_view word, std::size_t col)
{
	const std::string what = "'" + shown(word, 40) + "'";
	std::string_view digits = word;
	const bool negative = digits.starts_with('-');
	if (negative)
		digits.remove_prefix(1);
	unsigned base = 10;
	if (digits.starts_with("0x") || digits.starts_with("0X")) {
		base = 16;
		digits.remove_prefix(2);
	}
	if (base == 10 && digits.size() > 1 && digits[0] == '0')
		return diag_.fail(col, "expected a number for integer field '" + f.name +
					       "' (decimal or 0x hex; no octal), found " + what);
	std::uint64_t magnitude = 0;
	bool overflow = false;
	for (const char c : digits) {
		unsigned d = 0;
		if (c >= '0' && c <= '9')
			d = static_cast<unsigned>(c - '0');
		else if (base == 16 && c >= 'a' && c <= 'f')
			d = static_cast<unsigned>(c - 'a' + 10);
		else if (base == 16 && c >= 'A' && c <= 'F')
			d = static_cast<unsigned>(c - 'A' + 10);
		else
			return diag_.fail(col, "expected a number for integer field '" + f.name +
						       "' (decimal or 0x hex), found " + what);
		if (magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / base)
			overflow = true;
		else
			magnitude = magnitude * base + d;
	}
	if (digits.empty())
		return diag_.fail(col, "expected a number for integer field '" + f.name +
					       "' (decimal or 0x hex), found " + what);

	// The field's range; a mask (&) may also use all the bits of a signed
	// field.
	const unsigned bits = f.size >= 8 ? 64 : f.size * 8;
	const std::uint64_t umax = bits == 64 ? std::numeric_limits<std::uint64_t>::max()
					      : (std::uint64_t{1} << bits) - 1;
	std::uint64_t max_pos = umax;
	std::uint64_t max_neg = 0;	// magnitude
	if (f.is_signed) {
		max_neg = std::uint64_t{1} << (bits - 1);
		max_pos = op == KTR_FOP_BAND ? umax : max_neg - 1;
	}
	if (overflow || (negative ? magnitude > max_neg : magnitude > max_pos)) {
		const std::string lo = f.is_signed ? "-" + std::to_string(max_neg) : "0";
		return diag_.fail(col, what + " is out of range for " + int_type_name(f) +
					       " field '" + f.name + "' (" + lo + " to " +
					       std::to_string(max_pos) +
					       (op == KTR_FOP_BAND && f.is_signed ? " for a mask" : "") +
					       ")");
	}
	return negative ? std::uint64_t{0} - magnitude : magnitude;
}

bool TypeCheck::glob(std::string_view pattern, std::size_t col)
{
	// The module bounds what a glob costs with interrupts off.
	if (++globs_ > KTR_FILTER_GLOBS_MAX) {
		diag_.fail(col, "more than " + std::to_string(KTR_FILTER_GLOBS_MAX) +
					" glob comparisons (~ or !~) in one filter");
		return false;
	}
	if (pattern.size() >= KTR_FILTER_GLOB_LEN_MAX) {
		diag_.fail(col, "the pattern '" + shown(pattern, 40) + "' is longer than " +
					std::to_string(KTR_FILTER_GLOB_LEN_MAX - 1) + " bytes");
		return false;
	}
	for (std::size_t p = 0; p < pattern.size(); p++) {
		if (pattern[p] != '[')
			continue;
		const std::size_t close = glob_class_end(pattern, p);
		if (close == std::string_view::npos) {
			diag_.fail(col, "the pattern '" + shown(pattern, 40) +
						"' has a '[' without its ']'");
			return false;
		}
		p = close;
	}
	return true;
}

} // namespace ktr::filter
