// SPDX-License-Identifier: MIT
//
// compile_filter(): a recursive-descent parser over the grammar of
// ktr/filter_compile.h that emits the postfix program while it parses
// (a && b gives a b AND, left to right) and builds the normalized text
// alongside. Tokens come from lexer.h, the checks against the event's
// fields from typecheck.h, the program and the text from codegen.h. The
// module verifies and runs the program (kmod/probes/ktr_filter_prog.c);
// the host tests run that same code on what this compiles.
#include <cerrno>
#include <optional>
#include <string>
#include <utility>

#include <ktr.h>

#include "filter/codegen.h"
#include "filter/lexer.h"
#include "filter/typecheck.h"
#include "ktr/filter_compile.h"

namespace ktr {

namespace {

using filter::Level;
using filter::Piece;

class Parser {
public:
	Parser(const EventFormat &event, std::string_view expr)
		: expr_(expr), diag_(expr, event.name), lex_(expr, diag_), types_(event, diag_),
		  code_(diag_)
	{
	}

	Result<FilterProgram> run();

private:
	std::optional<Piece> parse_or(unsigned depth);
	std::optional<Piece> parse_and(unsigned depth);
	std::optional<Piece> parse_unary(unsigned depth);
	std::optional<Piece> parse_comparison();

	std::string_view expr_;
	filter::Diagnostics diag_;
	filter::Lexer lex_;
	filter::TypeCheck types_;
	filter::ProgramBuilder code_;
};

std::optional<Piece> Parser::parse_or(unsigned depth)
{
	std::optional<Piece> left = parse_and(depth);
	if (!left)
		return std::nullopt;
	lex_.skip_space();
	while (lex_.looking_at("||")) {
		const std::size_t col = lex_.pos();
		lex_.take("||");
		std::optional<Piece> right = parse_and(depth);
		if (!right || !code_.emit(KTR_FOP_OR, col))
			return std::nullopt;
		join(*left, "||", std::move(*right), Level::Or);
		lex_.skip_space();
	}
	return left;
}

std::optional<Piece> Parser::parse_and(unsigned depth)
{
	std::optional<Piece> left = parse_unary(depth);
	if (!left)
		return std::nullopt;
	lex_.skip_space();
	while (lex_.looking_at("&&")) {
		const std::size_t col = lex_.pos();
		lex_.take("&&");
		std::optional<Piece> right = parse_unary(depth);
		if (!right || !code_.emit(KTR_FOP_AND, col))
			return std::nullopt;
		join(*left, "&&", std::move(*right), Level::And);
		lex_.skip_space();
	}
	return left;
}

std::optional<Piece> Parser::parse_unary(unsigned depth)
{
	lex_.skip_space();
	const std::size_t col = lex_.pos();
	const bool is_not = lex_.looking_at("!");
	const bool is_paren = lex_.looking_at("(");
	if ((is_not || is_paren) && depth >= filter_depth_max)
		return diag_.fail(col, "more than " + std::to_string(filter_depth_max) +
					       " levels of '(' and '!'");
	if (lex_.take("!")) {
		std::optional<Piece> operand = parse_unary(depth + 1);
		if (!operand || !code_.emit(KTR_FOP_NOT, col))
			return std::nullopt;
		return negation(*operand);
	}
	if (lex_.take("(")) {
		std::optional<Piece> inner = parse_or(depth + 1);
		if (!inner)
			return std::nullopt;
		lex_.skip_space();
		if (!lex_.take(")"))
			return diag_.fail(lex_.pos(), "expected ')' to close the '(' at column " +
							      std::to_string(col + 1) + ", found " +
							      lex_.found(lex_.pos()));
		return inner;
	}
	return parse_comparison();
}

std::optional<Piece> Parser::parse_comparison()
{
	lex_.skip_space();
	const std::size_t field_col = lex_.pos();
	const std::string_view name = lex_.identifier();
	if (name.empty())
		return diag_.fail(field_col,
				  "expected a field name, '(' or '!', found " + lex_.found(field_col));
	const FieldFormat *f = types_.field(name, field_col);
	if (!f)
		return std::nullopt;
	const bool is_int = f->type == FieldType::Int;

	lex_.skip_space();
	const std::size_t op_col = lex_.pos();
	const filter::OpToken *tok = lex_.comparison_op();
	const std::optional<std::uint16_t> op = types_.op(*f, tok, op_col, lex_.found(op_col));
	if (!op)
		return std::nullopt;

	lex_.skip_space();
	const std::size_t value_col = lex_.pos();
	std::string text;
	if (lex_.looking_at("\"")) {
		if (is_int)
			return diag_.fail(value_col, "expected a number for integer field '" +
							     f->name + "', found a string");
		std::optional<std::string> s = lex_.quoted_string();
		if (!s)
			return std::nullopt;
		text = std::move(*s);
	} else {
		text = lex_.word();
		if (text.empty())
			return diag_.fail(value_col, "expected a value after '" + f->name + " " +
							     std::string(tok->spelling) + "', found " +
							     lex_.found(value_col));
	}
	std::uint64_t value = 0;
	if (is_int) {
		const std::optional<std::uint64_t> v = types_.integer(*f, *op, text, value_col);
		if (!v)
			return std::nullopt;
		value = *v;
	} else {
		if ((*op == KTR_FOP_GLOB || *op == KTR_FOP_NGLOB) && !types_.glob(text, value_col))
			return std::nullopt;
		const std::optional<std::uint64_t> offset = code_.add_string(text, value_col);
		if (!offset)
			return std::nullopt;
		value = *offset;
	}
	if (!code_.emit(*op, field_col, f, value))
		return std::nullopt;
	return filter::comparison_text(*f, *op, text);
}

Result<FilterProgram> Parser::run()
{
	const std::string max = std::to_string(KTR_FILTER_TEXT_MAX - 1);
	if (expr_.size() >= KTR_FILTER_TEXT_MAX)
		return Error{EINVAL, diag_.subject() + " is " + std::to_string(expr_.size()) +
					     " bytes long: at most " + max};
	lex_.skip_space();
	if (lex_.at_end())
		return Error{EINVAL, diag_.subject() +
					     " is empty: give an expression like 'field == value'"};
	std::optional<Piece> top = parse_or(0);
	if (top) {
		lex_.skip_space();
		if (!lex_.at_end())
			diag_.fail(lex_.pos(), lex_.looking_at(")")
						       ? "unexpected ')' (no '(' to close)"
						       : "unexpected " + lex_.found(lex_.pos()) +
								 " after a complete expression");
	}
	if (diag_.error())
		return *diag_.error();
	if (!top)	// not reached: every failure records an error
		return Error{EINVAL, diag_.subject() + ": cannot be compiled"};
	if (top->text.size() >= KTR_FILTER_TEXT_MAX)
		return Error{EINVAL, diag_.subject() + " is " + std::to_string(top->text.size()) +
					     " bytes long once normalized: at most " + max};
	return std::move(code_).finish(std::move(top->text));
}

} // namespace

Result<FilterProgram> compile_filter(const EventFormat &event, std::string_view expr)
{
	return Parser(event, expr).run();
}

} // namespace ktr
