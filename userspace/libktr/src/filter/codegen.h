// SPDX-License-Identifier: MIT
//
// The two outputs of a filter compilation, built while the parser walks
// the expression: the postfix program (KTR_ATTR_FILTER_PROG and its
// STRINGS, within the module's limits) and the normalized text
// (KTR_ATTR_FILTER_TEXT: one space around binary operators, quoted
// strings, only the parentheses that matter).
#ifndef KTR_FILTER_CODEGEN_H
#define KTR_FILTER_CODEGEN_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "filter/lexer.h"
#include "ktr/event_format.h"
#include "ktr/filter_compile.h"

namespace ktr::filter {

/// How tightly a piece of normalized text binds, to know where it needs
/// parentheses.
enum class Level { Or = 1, And = 2, Compare = 3, Not = 4 };

/// A piece of normalized text.
struct Piece {
	std::string text;
	Level level = Level::Compare;
};

/// "FIELD OP VALUE" for comparison @op (KTR_FOP_*) of @f with @value_text
/// as typed: integers in lower case, text quoted.
Piece comparison_text(const FieldFormat &f, std::uint16_t op, std::string_view value_text);
/// @left = @left OP @right at @level, with parentheses only where they
/// matter: around a looser operand, and around a right operand of the same
/// operator (a || (b || c) is another program than a || b || c).
void join(Piece &left, std::string_view op, Piece right, Level level);
/// "!" before @operand.
Piece negation(const Piece &operand);

class ProgramBuilder {
public:
	explicit ProgramBuilder(Diagnostics &diag) : diag_(diag) {}

	/// Appends an instruction: AND, OR, NOT without @f; a comparison of @f
	/// with @value. False (and an error at @col) past KTR_FILTER_INSNS_MAX.
	bool emit(std::uint16_t op, std::size_t col, const FieldFormat *f = nullptr,
		  std::uint64_t value = 0);
	/// The offset of @s in the strings (identical strings are shared), or
	/// nullopt past KTR_FILTER_STRINGS_MAX.
	std::optional<std::uint64_t> add_string(const std::string &s, std::size_t col);
	/// The program, with @text as its normalized text.
	FilterProgram finish(std::string text) &&;

private:
	Diagnostics &diag_;
	FilterProgram prog_;
	std::map<std::string, std::uint64_t, std::less<>> string_offsets_;
};

} // namespace ktr::filter

#endif // KTR_FILTER_CODEGEN_H
