// SPDX-License-Identifier: MIT
//
// The tokens of a filter expression (ktr/filter_compile.h has the grammar):
// a cursor over the text that skips blanks, reads field names, comparison
// operators, bare words and "quoted" strings, and says what it found where
// something else was expected; and Diagnostics, which keeps the first
// error of a compilation as the one line the user sees:
// 'filter "EXPR" for EVENT: WHAT at column N'.
#ifndef KTR_FILTER_LEXER_H
#define KTR_FILTER_LEXER_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ktr/result.h"

namespace ktr::filter {

/// @s for an error message: control bytes become spaces (columns stay
/// right), text longer than @max is cut with "...".
std::string shown(std::string_view s, std::size_t max = 80);

/// The first error of one compilation.
class Diagnostics {
public:
	Diagnostics(std::string_view expr, std::string_view event) : expr_(expr), event_(event) {}

	/// Records @what at @col (from 0) unless an error is already recorded.
	std::nullopt_t fail(std::size_t col, const std::string &what);
	/// 'filter "EXPR" for EVENT', for errors that have no column.
	[[nodiscard]] std::string subject() const;
	[[nodiscard]] const std::optional<Error> &error() const { return error_; }

private:
	std::string_view expr_;
	std::string_view event_;
	std::optional<Error> error_;
};

/// A comparison operator as typed; the text variant of == and != is chosen
/// by the field's type (typecheck.h).
struct OpToken {
	std::string_view spelling;
	std::uint16_t op;
};

class Lexer {
public:
	Lexer(std::string_view expr, Diagnostics &diag) : expr_(expr), diag_(diag) {}

	[[nodiscard]] std::size_t pos() const { return pos_; }
	[[nodiscard]] bool at_end() const { return pos_ >= expr_.size(); }
	void skip_space();
	[[nodiscard]] bool looking_at(std::string_view s) const;
	/// Consumes @s if it is next (no blanks skipped).
	bool take(std::string_view s);

	/// A field name ([A-Za-z_][A-Za-z0-9_]*), or empty when none is next.
	std::string_view identifier();
	/// A comparison operator, or nullptr when none is next ("&&" is not "&").
	const OpToken *comparison_op();
	/// A bare word ([A-Za-z0-9_./*?[]-]*), maybe empty.
	std::string_view word();
	/// A "quoted" string (escapes \" and \\) when one is next; nullopt and
	/// an error recorded when it is malformed.
	std::optional<std::string> quoted_string();

	/// What is at @at, for "found ..." in messages: 'word', a control
	/// character, or "the end".
	[[nodiscard]] std::string found(std::size_t at) const;

private:
	std::string_view expr_;
	Diagnostics &diag_;
	std::size_t pos_ = 0;
};

} // namespace ktr::filter

#endif // KTR_FILTER_LEXER_H
