// SPDX-License-Identifier: MIT
//
// The program and the normalized text of a filter; see codegen.h.
#include "filter/codegen.h"

#include <utility>

#include <ktr.h>

namespace ktr::filter {

namespace {

const char *op_name(std::uint16_t op)
{
	switch (op) {
	case KTR_FOP_EQ:
	case KTR_FOP_STR_EQ:
		return "==";
	case KTR_FOP_NE:
	case KTR_FOP_STR_NE:
		return "!=";
	case KTR_FOP_LT:
		return "<";
	case KTR_FOP_LE:
		return "<=";
	case KTR_FOP_GT:
		return ">";
	case KTR_FOP_GE:
		return ">=";
	case KTR_FOP_BAND:
		return "&";
	case KTR_FOP_GLOB:
		return "~";
	default:
		return "!~";
	}
}

std::string quoted(std::string_view s)
{
	std::string out = "\"";
	for (const char c : s) {
		if (c == '"' || c == '\\')
			out += '\\';
		out += c;
	}
	return out + "\"";
}

} // namespace

Piece comparison_text(const FieldFormat &f, std::uint16_t op, std::string_view value_text)
{
	std::string value;
	if (f.type == FieldType::Int) {
		value = value_text;
		for (char &c : value) {
			if (c >= 'A' && c <= 'Z')
				c = static_cast<char>(c - 'A' + 'a');
		}
	} else {
		value = quoted(value_text);
	}
	return Piece{f.name + " " + op_name(op) + " " + value, Level::Compare};
}

void join(Piece &left, std::string_view op, Piece right, Level level)
{
	if (left.level < level)
		left.text = "(" + left.text + ")";
	if (right.level <= level)
		right.text = "(" + right.text + ")";
	left.text += " " + std::string(op) + " " + right.text;
	left.level = level;
}

Piece negation(const Piece &operand)
{
	const bool paren = operand.level < Level::Not;
	return Piece{"!" + (paren ? "(" + operand.text + ")" : operand.text), Level::Not};
}

bool ProgramBuilder::emit(std::uint16_t op, std::size_t col, const FieldFormat *f,
			  std::uint64_t value)
{
	if (prog_.insns.size() >= KTR_FILTER_INSNS_MAX) {
		diag_.fail(col, "the expression needs more than " +
					std::to_string(KTR_FILTER_INSNS_MAX) +
					" instructions (fewer comparisons, please)");
		return false;
	}
	ktr_filter_insn in{};
	in.op = op;
	if (f) {
		in.offset = f->offset;
		in.size = f->size;
		in.value = value;
	}
	prog_.insns.push_back(in);
	return true;
}

std::optional<std::uint64_t> ProgramBuilder::add_string(const std::string &s, std::size_t col)
{
	if (const auto it = string_offsets_.find(s); it != string_offsets_.end())
		return it->second;
	if (prog_.strings.size() + s.size() + 1 >= KTR_FILTER_STRINGS_MAX)
		return diag_.fail(col, "the strings take more than " +
					       std::to_string(KTR_FILTER_STRINGS_MAX - 1) + " bytes");
	const std::uint64_t offset = prog_.strings.size();
	prog_.strings += s;
	prog_.strings += '\0';
	string_offsets_.emplace(s, offset);
	return offset;
}

FilterProgram ProgramBuilder::finish(std::string text) &&
{
	prog_.text = std::move(text);
	return std::move(prog_);
}

} // namespace ktr::filter
