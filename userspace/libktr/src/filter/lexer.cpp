// SPDX-License-Identifier: MIT
//
// The tokens of a filter expression; see lexer.h.
#include "filter/lexer.h"

#include <cerrno>
#include <cstring>

#include <ktr.h>

namespace ktr::filter {

namespace {

bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

bool is_ident_start(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool is_ident(char c)
{
	return is_ident_start(c) || (c >= '0' && c <= '9');
}

bool is_word(char c)
{
	return c != '\0' && (is_ident(c) || std::strchr("./*?[]-", c) != nullptr);
}

bool is_control(char c)
{
	const auto u = static_cast<unsigned char>(c);
	return u < 0x20 || u == 0x7f;
}

// Longest spellings first: "<=" before "<", "!~" before "~".
constexpr OpToken op_tokens[] = {
	{"==", KTR_FOP_EQ}, {"!=", KTR_FOP_NE}, {"!~", KTR_FOP_NGLOB},
	{"<=", KTR_FOP_LE}, {">=", KTR_FOP_GE}, {"<", KTR_FOP_LT},
	{">", KTR_FOP_GT}, {"~", KTR_FOP_GLOB}, {"&", KTR_FOP_BAND},
};

} // namespace

std::string shown(std::string_view s, std::size_t max)
{
	std::string out;
	for (const char c : s.substr(0, max))
		out += is_control(c) ? ' ' : c;
	if (s.size() > max)
		out += "...";
	return out;
}

std::nullopt_t Diagnostics::fail(std::size_t col, const std::string &what)
{
	if (!error_)
		error_ = Error{EINVAL, subject() + ": " + what + " at column " +
					       std::to_string(col + 1)};
	return std::nullopt;
}

std::string Diagnostics::subject() const
{
	return "filter \"" + shown(expr_) + "\" for " + std::string(event_);
}

void Lexer::skip_space()
{
	while (pos_ < expr_.size() && is_space(expr_[pos_]))
		pos_++;
}

bool Lexer::looking_at(std::string_view s) const
{
	return expr_.substr(pos_).starts_with(s);
}

bool Lexer::take(std::string_view s)
{
	if (!looking_at(s))
		return false;
	pos_ += s.size();
	return true;
}

std::string_view Lexer::identifier()
{
	const std::size_t start = pos_;
	if (at_end() || !is_ident_start(expr_[pos_]))
		return {};
	while (pos_ < expr_.size() && is_ident(expr_[pos_]))
		pos_++;
	return expr_.substr(start, pos_ - start);
}

const OpToken *Lexer::comparison_op()
{
	if (looking_at("&&"))
		return nullptr;
	for (const OpToken &t : op_tokens) {
		if (take(t.spelling))
			return &t;
	}
	return nullptr;
}

std::string_view Lexer::word()
{
	const std::size_t start = pos_;
	while (pos_ < expr_.size() && is_word(expr_[pos_]))
		pos_++;
	return expr_.substr(start, pos_ - start);
}

std::optional<std::string> Lexer::quoted_string()
{
	const std::size_t open = pos_++;
	std::string s;
	while (pos_ < expr_.size()) {
		const char c = expr_[pos_];
		if (c == '"') {
			pos_++;
			return s;
		}
		if (is_control(c))
			return diag_.fail(pos_, "a control character in a string");
		if (c == '\\') {
			const char next = pos_ + 1 < expr_.size() ? expr_[pos_ + 1] : '\0';
			if (next != '"' && next != '\\')
				return diag_.fail(pos_,
						  "unknown escape in a string (only \\\" and \\\\)");
			s += next;
			pos_ += 2;
			continue;
		}
		s += c;
		pos_++;
	}
	return diag_.fail(open, "the string has no closing '\"'");
}

std::string Lexer::found(std::size_t at) const
{
	if (at >= expr_.size())
		return "the end";
	const char c = expr_[at];
	if (is_control(c)) {
		static const char hex[] = "0123456789abcdef";
		const auto u = static_cast<unsigned char>(c);
		return std::string("control character 0x") + hex[u >> 4] + hex[u & 0xf];
	}
	std::size_t end = at + 1;
	while (end < expr_.size() && end - at < 20 && !is_space(expr_[end]) &&
	       !is_control(expr_[end]))
		end++;
	return "'" + std::string(expr_.substr(at, end - at)) + "'";
}

} // namespace ktr::filter
