// SPDX-License-Identifier: MIT
#include "ktr/event_filter.h"

#include <cstdint>
#include <cstring>
#include <string>
#include <tuple>
#include <utility>
#include <variant>
#include <vector>

namespace ktr {

namespace {

// The class "[...]" at @pat[at] against @c: whether it matches, and where
// the pattern goes on (at + 1 with no closing "]": the "[" is a literal).
std::pair<bool, std::size_t> glob_class(std::string_view pat, std::size_t at, char c)
{
	std::size_t q = at + 1;
	bool neg = false;
	if (q < pat.size() && (pat[q] == '!' || pat[q] == '^')) {
		neg = true;
		q++;
	}
	if (q >= pat.size())
		return {c == '[', at + 1};
	bool match = false;
	const auto uc = static_cast<unsigned char>(c);
	do {	// a "]" first in the class is a literal
		if (q + 2 < pat.size() && pat[q + 1] == '-' && pat[q + 2] != ']') {
			if (uc >= static_cast<unsigned char>(pat[q]) &&
			    uc <= static_cast<unsigned char>(pat[q + 2]))
				match = true;
			q += 3;
		} else {
			if (c == pat[q])
				match = true;
			q++;
		}
	} while (q < pat.size() && pat[q] != ']');
	if (q >= pat.size())
		return {c == '[', at + 1};
	return {match != neg, q + 1};
}

} // namespace

bool filter_glob_match(std::string_view pat, std::string_view text)
{
	// Backtracking to the last star only: pattern length x text length.
	std::size_t p = 0, s = 0;
	std::size_t star_p = std::string_view::npos, star_s = 0;
	while (s < text.size() || p < pat.size()) {
		if (p < pat.size() && pat[p] == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		bool match = false;
		std::size_t next = p + 1;
		if (s < text.size() && p < pat.size()) {
			if (pat[p] == '?')
				match = true;
			else if (pat[p] == '[')
				std::tie(match, next) = glob_class(pat, p, text[s]);
			else
				match = pat[p] == text[s];
		}
		if (match) {
			p = next;
			s++;
			continue;
		}
		if (star_p == std::string_view::npos || star_s >= text.size())
			return false;
		p = star_p;
		s = ++star_s;
	}
	return true;
}

Result<EventFilter> EventFilter::compile(const EventFormat &event, std::string_view expr)
{
	Result<FilterProgram> prog = compile_filter(event, expr);
	if (!prog)
		return prog.error();
	return EventFilter(event, std::move(prog).value());
}

bool EventFilter::compare(const ktr_filter_insn &in, std::span<const std::byte> payload) const
{
	const FieldFormat *field = nullptr;
	for (const FieldFormat &f : event_->fields)
		if (f.offset == in.offset && f.size == in.size &&
		    (f.type == FieldType::Int) == (in.op < KTR_FOP_STR_EQ))
			field = &f;
	if (!field)
		return false;
	Result<FieldValue> v = field_value(*event_, *field, payload);
	if (field->type == FieldType::Int) {
		if (!v)
			return false;
		const bool is_signed = std::holds_alternative<std::int64_t>(*v);
		const std::uint64_t u = is_signed
						? static_cast<std::uint64_t>(std::get<std::int64_t>(*v))
						: std::get<std::uint64_t>(*v);
		const auto s = static_cast<std::int64_t>(u), w = static_cast<std::int64_t>(in.value);
		switch (in.op) {
		case KTR_FOP_EQ: return u == in.value;
		case KTR_FOP_NE: return u != in.value;
		case KTR_FOP_LT: return is_signed ? s < w : u < in.value;
		case KTR_FOP_LE: return is_signed ? s <= w : u <= in.value;
		case KTR_FOP_GT: return is_signed ? s > w : u > in.value;
		case KTR_FOP_GE: return is_signed ? s >= w : u >= in.value;
		default: return (u & in.value) != 0;	// KTR_FOP_BAND
		}
	}
	// Text: up to its first NUL; a location outside the payload is "".
	std::string text;
	if (v && std::holds_alternative<std::string>(*v))
		text = std::get<std::string>(*v);
	else if (field->type != FieldType::StringLoc)
		return false;
	text.resize(strnlen(text.c_str(), text.size()));
	if (in.value >= prog_.strings.size())
		return false;
	const char *operand = prog_.strings.c_str() + in.value;
	switch (in.op) {
	case KTR_FOP_STR_EQ: return text == operand;
	case KTR_FOP_STR_NE: return text != operand;
	case KTR_FOP_GLOB: return filter_glob_match(operand, text);
	default: return !filter_glob_match(operand, text);	// KTR_FOP_NGLOB
	}
}

bool EventFilter::matches(std::span<const std::byte> payload) const
{
	std::vector<bool> st;
	st.reserve(prog_.insns.size());
	for (const ktr_filter_insn &in : prog_.insns) {
		switch (in.op) {
		case KTR_FOP_AND:
		case KTR_FOP_OR: {
			if (st.size() < 2)
				return false;
			const bool b = st.back();
			st.pop_back();
			st.back() = in.op == KTR_FOP_AND ? st.back() && b : st.back() || b;
			break;
		}
		case KTR_FOP_NOT:
			if (st.empty())
				return false;
			st.back() = !st.back();
			break;
		default:
			st.push_back(compare(in, payload));
			break;
		}
	}
	return st.size() == 1 && st.back();
}

} // namespace ktr
