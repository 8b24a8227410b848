// SPDX-License-Identifier: MIT
//
// A recursive-descent parser that emits the postfix program while it
// parses (a && b gives a b AND, left to right) and builds the normalized
// text alongside. run_filter() mirrors kmod/probes/ktr_filter.c
// (ktr_fprog_run, ktr_fcmp_int, ktr_fcmp_str, ktr_glob_n).
#include "ktr/filter_compile.h"

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>

namespace ktr {

namespace {

// --- the module's glob -------------------------------------------------

// The byte at @i of @s, NUL past its end (patterns are C strings there).
char at(std::string_view s, std::size_t i)
{
	return i < s.size() ? s[i] : '\0';
}

unsigned char uat(std::string_view s, std::size_t i)
{
	return static_cast<unsigned char>(at(s, i));
}

// The "]" closing the class opened by the "[" at @open, as ktr_glob_n scans
// it, or npos when it does not close (then the "[" is a literal).
std::size_t class_end(std::string_view pat, std::size_t open)
{
	std::size_t q = open + 1;
	if (at(pat, q) == '!' || at(pat, q) == '^')
		q++;
	if (!at(pat, q))
		return std::string_view::npos;
	do {
		if (at(pat, q + 1) == '-' && at(pat, q + 2) && at(pat, q + 2) != ']')
			q += 3;
		else
			q++;
	} while (at(pat, q) && at(pat, q) != ']');
	return at(pat, q) == ']' ? q : std::string_view::npos;
}

// Whether the class at @open (closing at @close) holds the byte @c.
bool class_match(std::string_view pat, std::size_t open, std::size_t close, unsigned char c)
{
	std::size_t q = open + 1;
	bool neg = false;
	bool match = false;
	if (at(pat, q) == '!' || at(pat, q) == '^') {
		neg = true;
		q++;
	}
	do {
		if (at(pat, q + 1) == '-' && at(pat, q + 2) && at(pat, q + 2) != ']') {
			if (c >= uat(pat, q) && c <= uat(pat, q + 2))
				match = true;
			q += 3;
		} else {
			if (c == uat(pat, q))
				match = true;
			q++;
		}
	} while (q < close);
	return match != neg;
}

// --- the evaluator -----------------------------------------------------

bool is_text_op(std::uint16_t op)
{
	return op >= KTR_FOP_STR_EQ && op <= KTR_FOP_NGLOB;
}

bool is_int_op(std::uint16_t op)
{
	return op >= KTR_FOP_EQ && op <= KTR_FOP_BAND;
}

// ktr_fload: integers of 1, 2 or 4 bytes widened with their sign; any other
// size reads 8 bytes.
std::uint64_t load_int(const std::byte *p, std::uint32_t size, bool is_signed)
{
	switch (size) {
	case 1: {
		std::uint8_t v = 0;
		std::memcpy(&v, p, 1);
		return is_signed ? static_cast<std::uint64_t>(static_cast<std::int8_t>(v)) : v;
	}
	case 2: {
		std::uint16_t v = 0;
		std::memcpy(&v, p, 2);
		return is_signed ? static_cast<std::uint64_t>(static_cast<std::int16_t>(v)) : v;
	}
	case 4: {
		std::uint32_t v = 0;
		std::memcpy(&v, p, 4);
		return is_signed ? static_cast<std::uint64_t>(static_cast<std::int32_t>(v)) : v;
	}
	default: {
		std::uint64_t v = 0;
		std::memcpy(&v, p, 8);
		return v;
	}
	}
}

std::uint32_t load_size(std::uint32_t size)
{
	return size == 1 || size == 2 || size == 4 ? size : 8;
}

bool compare_int(const ktr_filter_insn &in, bool is_signed, std::uint64_t v)
{
	const auto sv = static_cast<std::int64_t>(v);
	const auto sw = static_cast<std::int64_t>(in.value);
	switch (in.op) {
	case KTR_FOP_EQ:
		return v == in.value;
	case KTR_FOP_NE:
		return v != in.value;
	case KTR_FOP_LT:
		return is_signed ? sv < sw : v < in.value;
	case KTR_FOP_LE:
		return is_signed ? sv <= sw : v <= in.value;
	case KTR_FOP_GT:
		return is_signed ? sv > sw : v > in.value;
	case KTR_FOP_GE:
		return is_signed ? sv >= sw : v >= in.value;
	default:	// KTR_FOP_BAND
		return (v & in.value) != 0;
	}
}

bool compare_text(std::uint16_t op, std::string_view s, std::string_view operand)
{
	switch (op) {
	case KTR_FOP_STR_EQ:
		return s == operand;
	case KTR_FOP_STR_NE:
		return s != operand;
	case KTR_FOP_GLOB:
		return filter_glob_match(operand, s);
	default:	// KTR_FOP_NGLOB
		return !filter_glob_match(operand, s);
	}
}

// The C string at @offset of the strings blob, or nullopt when the module
// would refuse the offset.
std::optional<std::string_view> string_at(const std::string &strings, std::uint64_t offset)
{
	if (offset >= strings.size())
		return std::nullopt;
	const std::string_view rest = std::string_view(strings).substr(offset);
	return rest.substr(0, rest.find('\0'));
}

// --- the compiler ------------------------------------------------------

// What a piece of normalized text is, to know where it needs parentheses.
enum class Level { Or = 1, And = 2, Compare = 3, Not = 4 };

struct Piece {
	std::string text;
	Level level = Level::Compare;
};

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

// @s for an error message: control bytes become spaces (columns stay
// right), long text is cut.
std::string shown(std::string_view s, std::size_t max = 80)
{
	std::string out;
	for (const char c : s.substr(0, max))
		out += is_control(c) ? ' ' : c;
	if (s.size() > max)
		out += "...";
	return out;
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

// A comparison operator as typed; the text variant of == and != is chosen
// later, by the field's type.
struct OpToken {
	std::string_view spelling;
	std::uint16_t op;
};

constexpr OpToken op_tokens[] = {
	{"==", KTR_FOP_EQ}, {"!=", KTR_FOP_NE}, {"!~", KTR_FOP_NGLOB},
	{"<=", KTR_FOP_LE}, {">=", KTR_FOP_GE}, {"<", KTR_FOP_LT},
	{">", KTR_FOP_GT}, {"~", KTR_FOP_GLOB}, {"&", KTR_FOP_BAND},
};

// @left = @left OP @right at @level, with parentheses only where they
// matter: around a looser operand, and around a right operand of the same
// operator (a || (b || c) is another program than a || b || c).
void join(Piece &left, std::string_view op, Piece right, Level level)
{
	if (left.level < level)
		left.text = "(" + left.text + ")";
	if (right.level <= level)
		right.text = "(" + right.text + ")";
	left.text += " " + std::string(op) + " " + right.text;
	left.level = level;
}

std::string int_type_name(const FieldFormat &f)
{
	return (f.is_signed ? "s" : "u") + std::to_string(f.size * 8);
}

class Compiler {
public:
	Compiler(const EventFormat &event, std::string_view expr) : event_(event), expr_(expr) {}

	Result<FilterProgram> run();

private:
	unsigned globs_ = 0;	// glob comparisons so far
	std::optional<Piece> parse_or(unsigned depth);
	std::optional<Piece> parse_and(unsigned depth);
	std::optional<Piece> parse_unary(unsigned depth);
	std::optional<Piece> parse_comparison();
	std::optional<std::uint64_t> parse_int(const FieldFormat &f, std::uint16_t op,
					       std::string_view word, std::size_t col);
	std::optional<std::string> parse_quoted();
	bool check_glob(std::string_view pattern, std::size_t col);
	bool emit(std::uint16_t op, std::size_t col, const FieldFormat *f = nullptr,
		  std::uint64_t value = 0);
	std::optional<std::uint64_t> add_string(const std::string &s, std::size_t col);

	void skip_space()
	{
		while (pos_ < expr_.size() && is_space(expr_[pos_]))
			pos_++;
	}
	[[nodiscard]] bool looking_at(std::string_view s) const
	{
		return expr_.substr(pos_).starts_with(s);
	}
	// What is at @at, for "found ..." in messages.
	[[nodiscard]] std::string found(std::size_t at) const;
	[[nodiscard]] std::string field_names() const;
	// Records the first error; @col counts from 0 here.
	std::nullopt_t fail(std::size_t col, const std::string &what);

	const EventFormat &event_;
	std::string_view expr_;
	std::size_t pos_ = 0;
	FilterProgram prog_;
	std::map<std::string, std::uint64_t, std::less<>> string_offsets_;
	std::optional<Error> error_;
};

std::nullopt_t Compiler::fail(std::size_t col, const std::string &what)
{
	if (!error_)
		error_ = Error{EINVAL, "filter \"" + shown(expr_) + "\" for " + event_.name + ": " +
					       what + " at column " + std::to_string(col + 1)};
	return std::nullopt;
}

std::string Compiler::found(std::size_t at) const
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

std::string Compiler::field_names() const
{
	std::string names;
	for (const FieldFormat &f : event_.fields) {
		if (f.type == FieldType::RestU64)
			continue;
		names += (names.empty() ? "" : ", ") + f.name;
	}
	return names;
}

bool Compiler::emit(std::uint16_t op, std::size_t col, const FieldFormat *f, std::uint64_t value)
{
	if (prog_.insns.size() >= KTR_FILTER_INSNS_MAX) {
		fail(col, "the expression needs more than " +
				  std::to_string(KTR_FILTER_INSNS_MAX) +
				  " instructions (fewer comparisons, please)");
		return false;
	}
	ktr_filter_insn in{};
	FilterFieldInfo info;
	in.op = op;
	if (f) {
		in.offset = f->offset;
		in.size = f->size;
		in.value = value;
		info.is_signed = f->type == FieldType::Int && f->is_signed;
		info.rest = f->type == FieldType::RestString;
	}
	prog_.insns.push_back(in);
	prog_.fields.push_back(info);
	return true;
}

std::optional<std::uint64_t> Compiler::add_string(const std::string &s, std::size_t col)
{
	if (const auto it = string_offsets_.find(s); it != string_offsets_.end())
		return it->second;
	if (prog_.strings.size() + s.size() + 1 >= KTR_FILTER_STRINGS_MAX)
		return fail(col, "the strings take more than " +
					 std::to_string(KTR_FILTER_STRINGS_MAX - 1) + " bytes");
	const std::uint64_t offset = prog_.strings.size();
	prog_.strings += s;
	prog_.strings += '\0';
	string_offsets_.emplace(s, offset);
	return offset;
}

std::optional<Piece> Compiler::parse_or(unsigned depth)
{
	std::optional<Piece> left = parse_and(depth);
	if (!left)
		return std::nullopt;
	skip_space();
	while (looking_at("||")) {
		const std::size_t col = pos_;
		pos_ += 2;
		std::optional<Piece> right = parse_and(depth);
		if (!right || !emit(KTR_FOP_OR, col))
			return std::nullopt;
		join(*left, "||", std::move(*right), Level::Or);
		skip_space();
	}
	return left;
}

std::optional<Piece> Compiler::parse_and(unsigned depth)
{
	std::optional<Piece> left = parse_unary(depth);
	if (!left)
		return std::nullopt;
	skip_space();
	while (looking_at("&&")) {
		const std::size_t col = pos_;
		pos_ += 2;
		std::optional<Piece> right = parse_unary(depth);
		if (!right || !emit(KTR_FOP_AND, col))
			return std::nullopt;
		join(*left, "&&", std::move(*right), Level::And);
		skip_space();
	}
	return left;
}

std::optional<Piece> Compiler::parse_unary(unsigned depth)
{
	skip_space();
	const std::size_t col = pos_;
	const bool is_not = looking_at("!");
	const bool is_paren = looking_at("(");
	if ((is_not || is_paren) && depth >= filter_depth_max)
		return fail(col, "more than " + std::to_string(filter_depth_max) +
					 " levels of '(' and '!'");
	if (is_not) {
		pos_++;
		std::optional<Piece> operand = parse_unary(depth + 1);
		if (!operand || !emit(KTR_FOP_NOT, col))
			return std::nullopt;
		const bool paren = operand->level < Level::Not;
		return Piece{"!" + (paren ? "(" + operand->text + ")" : operand->text), Level::Not};
	}
	if (is_paren) {
		pos_++;
		std::optional<Piece> inner = parse_or(depth + 1);
		if (!inner)
			return std::nullopt;
		skip_space();
		if (!looking_at(")"))
			return fail(pos_, "expected ')' to close the '(' at column " +
					  std::to_string(col + 1) + ", found " + found(pos_));
		pos_++;
		return inner;
	}
	return parse_comparison();
}

std::optional<Piece> Compiler::parse_comparison()
{
	skip_space();
	const std::size_t field_col = pos_;
	if (pos_ >= expr_.size() || !is_ident_start(expr_[pos_]))
		return fail(pos_, "expected a field name, '(' or '!', found " + found(pos_));
	while (pos_ < expr_.size() && is_ident(expr_[pos_]))
		pos_++;
	const std::string_view name = expr_.substr(field_col, pos_ - field_col);
	const FieldFormat *f = event_.field(name);
	if (!f)
		return fail(field_col, "unknown field '" + shown(name, 64) + "' (" + event_.name +
					       " has " + field_names() + ")");
	if (f->type == FieldType::RestU64)
		return fail(field_col, "field '" + f->name + "' holds a list of 64-bit values: " +
					       "it cannot be filtered on");
	const bool is_int = f->type == FieldType::Int;
	const std::string int_ops = "==, !=, <, <=, >, >= or &";
	const std::string text_ops = "==, !=, ~ or !~";

	skip_space();
	const std::size_t op_col = pos_;
	const OpToken *tok = nullptr;
	for (const OpToken &t : op_tokens) {
		if (looking_at(t.spelling)) {
			tok = &t;
			break;
		}
	}
	if (!tok || looking_at("&&"))
		return fail(op_col, "expected a comparison operator after '" + f->name +
					    "' (" + (is_int ? int_ops : text_ops) +
					    "), found " + found(op_col));
	pos_ += tok->spelling.size();
	std::uint16_t op = tok->op;
	if (is_int && (op == KTR_FOP_GLOB || op == KTR_FOP_NGLOB))
		return fail(op_col, "'" + std::string(tok->spelling) + "' matches text but '" +
					    f->name + "' is an integer field (use " + int_ops +
					    ")");
	if (!is_int && op != KTR_FOP_EQ && op != KTR_FOP_NE && op != KTR_FOP_GLOB &&
	    op != KTR_FOP_NGLOB)
		return fail(op_col, "'" + std::string(tok->spelling) + "' compares integers but '" +
					    f->name + "' is a text field (use " + text_ops + ")");
	if (!is_int && op == KTR_FOP_EQ)
		op = KTR_FOP_STR_EQ;
	else if (!is_int && op == KTR_FOP_NE)
		op = KTR_FOP_STR_NE;

	skip_space();
	const std::size_t value_col = pos_;
	std::string text;
	std::uint64_t value = 0;
	if (looking_at("\"")) {
		if (is_int)
			return fail(value_col, "expected a number for integer field '" + f->name +
						       "', found a string");
		std::optional<std::string> s = parse_quoted();
		if (!s)
			return std::nullopt;
		text = std::move(*s);
	} else {
		while (pos_ < expr_.size() && is_word(expr_[pos_]))
			pos_++;
		text = expr_.substr(value_col, pos_ - value_col);
		if (text.empty())
			return fail(value_col, "expected a value after '" + f->name + " " +
						       op_name(op) + "', found " + found(value_col));
	}
	std::string value_text;
	if (is_int) {
		const std::optional<std::uint64_t> v = parse_int(*f, op, text, value_col);
		if (!v)
			return std::nullopt;
		value = *v;
		value_text = text;
		for (char &c : value_text) {
			if (c >= 'A' && c <= 'Z')
				c = static_cast<char>(c - 'A' + 'a');
		}
	} else {
		if ((op == KTR_FOP_GLOB || op == KTR_FOP_NGLOB) && !check_glob(text, value_col))
			return std::nullopt;
		const std::optional<std::uint64_t> offset = add_string(text, value_col);
		if (!offset)
			return std::nullopt;
		value = *offset;
		value_text = quoted(text);
	}
	if (!emit(op, field_col, f, value))
		return std::nullopt;
	return Piece{f->name + " " + op_name(op) + " " + value_text, Level::Compare};
}

std::optional<std::string> Compiler::parse_quoted()
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
			return fail(pos_, "a control character in a string");
		if (c == '\\') {
			const char next = at(expr_, pos_ + 1);
			if (next != '"' && next != '\\')
				return fail(pos_,
					    "unknown escape in a string (only \\\" and \\\\)");
			s += next;
			pos_ += 2;
			continue;
		}
		s += c;
		pos_++;
	}
	return fail(open, "the string has no closing '\"'");
}

std::optional<std::uint64_t> Compiler::parse_int(const FieldFormat &f, std::uint16_t op,
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
		return fail(col, "expected a number for integer field '" + f.name +
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
			return fail(col, "expected a number for integer field '" + f.name +
						 "' (decimal or 0x hex), found " + what);
		if (magnitude > (std::numeric_limits<std::uint64_t>::max() - d) / base)
			overflow = true;
		else
			magnitude = magnitude * base + d;
	}
	if (digits.empty())
		return fail(col, "expected a number for integer field '" + f.name +
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
		return fail(col, what + " is out of range for " + int_type_name(f) + " field '" +
					 f.name + "' (" + lo + " to " + std::to_string(max_pos) +
					 (op == KTR_FOP_BAND && f.is_signed ? " for a mask" : "") +
					 ")");
	}
	return negative ? std::uint64_t{0} - magnitude : magnitude;
}

bool Compiler::check_glob(std::string_view pattern, std::size_t col)
{
	// The module bounds what a glob costs with interrupts off.
	if (++globs_ > KTR_FILTER_GLOBS_MAX) {
		fail(col, "more than " + std::to_string(KTR_FILTER_GLOBS_MAX) +
				  " glob comparisons (~ or !~) in one filter");
		return false;
	}
	if (pattern.size() >= KTR_FILTER_GLOB_LEN_MAX) {
		fail(col, "the pattern '" + shown(pattern, 40) + "' is longer than " +
				  std::to_string(KTR_FILTER_GLOB_LEN_MAX - 1) + " bytes");
		return false;
	}
	for (std::size_t p = 0; p < pattern.size(); p++) {
		if (pattern[p] != '[')
			continue;
		const std::size_t close = class_end(pattern, p);
		if (close == std::string_view::npos) {
			fail(col, "the pattern '" + shown(pattern, 40) +
					  "' has a '[' without its ']'");
			return false;
		}
		p = close;
	}
	return true;
}

Result<FilterProgram> Compiler::run()
{
	const std::string filter = "filter \"" + shown(expr_) + "\" for " + event_.name;
	const std::string max = std::to_string(KTR_FILTER_TEXT_MAX - 1);
	if (expr_.size() >= KTR_FILTER_TEXT_MAX)
		return Error{EINVAL, filter + " is " + std::to_string(expr_.size()) +
					     " bytes long: at most " + max};
	skip_space();
	if (pos_ == expr_.size())
		return Error{EINVAL,
			     filter + " is empty: give an expression like 'field == value'"};
	std::optional<Piece> top = parse_or(0);
	if (top) {
		skip_space();
		if (pos_ < expr_.size())
			fail(pos_, (looking_at(")") ? "unexpected ')' (no '(' to close)"
						    : "unexpected " + found(pos_) +
							      " after a complete expression"));
	}
	if (error_)
		return *error_;
	if (!top)	// not reached: every failure records an error
		return Error{EINVAL, filter + ": cannot be compiled"};
	if (top->text.size() >= KTR_FILTER_TEXT_MAX)
		return Error{EINVAL, filter + " is " + std::to_string(top->text.size()) +
					     " bytes long once normalized: at most " + max};
	prog_.text = std::move(top->text);
	return std::move(prog_);
}

} // namespace

Result<FilterProgram> compile_filter(const EventFormat &event, std::string_view expr)
{
	return Compiler(event, expr).run();
}

bool filter_glob_match(std::string_view pattern, std::string_view text)
{
	// Both stop at a NUL, as C strings do in the module.
	pattern = pattern.substr(0, pattern.find('\0'));
	text = text.substr(0, text.find('\0'));

	std::size_t p = 0;
	std::size_t s = 0;
	std::optional<std::size_t> star_p;
	std::size_t star_s = 0;
	while (s < text.size() || p < pattern.size()) {
		if (at(pattern, p) == '*') {
			star_p = ++p;
			star_s = s;
			continue;
		}
		if (s < text.size() && p < pattern.size()) {
			const auto c = static_cast<unsigned char>(text[s]);
			bool match = false;
			std::size_t next = p + 1;
			if (pattern[p] == '?') {
				match = true;
			} else if (pattern[p] == '[') {
				const std::size_t close = class_end(pattern, p);
				if (close != std::string_view::npos) {
					match = class_match(pattern, p, close, c);
					next = close + 1;
				} else {	// a literal "["
					match = c == '[';
				}
			} else {
				match = c == uat(pattern, p);
			}
			if (match) {
				p = next;
				s++;
				continue;
			}
		}
		if (!star_p || star_s >= text.size())
			return false;
		p = *star_p;
		s = ++star_s;
	}
	return true;
}

bool run_filter(const FilterProgram &prog, std::span<const std::byte> payload)
{
	if (prog.insns.empty() || prog.insns.size() > KTR_FILTER_INSNS_MAX)
		return false;
	bool stack[KTR_FILTER_INSNS_MAX];
	std::size_t sp = 0;
	for (std::size_t i = 0; i < prog.insns.size(); i++) {
		const ktr_filter_insn &in = prog.insns[i];
		const FilterFieldInfo info =
			i < prog.fields.size() ? prog.fields[i] : FilterFieldInfo{};
		switch (in.op) {
		case KTR_FOP_AND:
		case KTR_FOP_OR:
			if (sp < 2)
				return false;
			sp--;
			stack[sp - 1] = in.op == KTR_FOP_AND ? stack[sp - 1] && stack[sp]
							     : stack[sp - 1] || stack[sp];
			continue;
		case KTR_FOP_NOT:
			if (sp < 1)
				return false;
			stack[sp - 1] = !stack[sp - 1];
			continue;
		default:
			break;
		}
		if (is_int_op(in.op)) {
			const std::uint32_t n = load_size(in.size);
			if (in.offset > payload.size() || n > payload.size() - in.offset)
				return false;
			const std::uint64_t v = load_int(payload.data() + in.offset, in.size,
							 info.is_signed);
			stack[sp++] = compare_int(in, info.is_signed, v);
		} else if (is_text_op(in.op)) {
			const std::optional<std::string_view> operand =
				string_at(prog.strings, in.value);
			if (!operand)
				return false;
			std::size_t n = in.size;
			if (info.rest)
				n = payload.size() > in.offset ? payload.size() - in.offset : 0;
			else if (in.offset > payload.size() || n > payload.size() - in.offset)
				return false;
			std::string_view text;
			if (n)
				text = {reinterpret_cast<const char *>(payload.data()) + in.offset,
					n};
			text = text.substr(0, text.find('\0'));
			stack[sp++] = compare_text(in.op, text, *operand);
		} else {
			return false;	// the module refuses unknown ops
		}
	}
	return sp == 1 && stack[0];
}

} // namespace ktr
