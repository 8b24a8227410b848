// SPDX-License-Identifier: MIT
//
// Event filter expressions (what ftrace users type: "prev_pid == 1 &&
// prev_comm ~ \"ba*\"") compiled into the postfix programs of
// KTR_ATTR_FILTER_PROG (uapi/ktr.h, enum ktr_filter_op), and a host-side
// evaluator with the module's semantics, so both can be unit-tested.
//
// Grammar (whitespace is free between tokens):
//   expr       := and ( "||" and )*
//   and        := unary ( "&&" unary )*
//   unary      := "!" unary | "(" expr ")" | comparison
//   comparison := FIELD OP VALUE
// FIELD is the exact name of a field of the event (common_* included).
// Integer fields: OP is == != < <= > >= or & ((field & VALUE) != 0); VALUE
// is decimal (maybe negative) or 0x hex, within the field's range.
// Text fields (char arrays, rest strings): OP is == != ~ (shell glob:
// * ? [abc] [a-z] [!x]) or !~; VALUE is "double quoted" (escapes \" and
// \\) or a bare word of [A-Za-z0-9_./*?[]-]. At most KTR_FILTER_GLOBS_MAX
// globs, each shorter than KTR_FILTER_GLOB_LEN_MAX bytes. "!" applies to what follows
// it: "!a == 1" is "!(a == 1)". At most 32 levels of "(" and "!".
#ifndef KTR_FILTER_COMPILE_H
#define KTR_FILTER_COMPILE_H

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <ktr.h>

#include "ktr/event_format.h"
#include "ktr/result.h"

namespace ktr {

/// What the module looks up in the event's fields for a comparison when it
/// checks a program; run_filter() needs it too. Never sent.
struct FilterFieldInfo {
	bool is_signed = false;	// an Int field compared as signed
	bool rest = false;	// a RestString: text to the end of the payload
};

struct FilterProgram {
	std::vector<ktr_filter_insn> insns;	// KTR_ATTR_FILTER_PROG
	std::string strings;	// KTR_ATTR_FILTER_STRINGS: each NUL-terminated
	std::string text;	// KTR_ATTR_FILTER_TEXT: the normalized source
	std::vector<FilterFieldInfo> fields;	// one per instruction
};

/// Most levels of "(" and "!" an expression may nest.
inline constexpr unsigned filter_depth_max = 32;

/// Compiles @expr for @event. The normalized text has one space around
/// binary operators, quoted strings, lower-case hex and only the
/// parentheses that matter; it compiles to the same program. Errors
/// (EINVAL): one line, 'filter "EXPR" for EVENT: WHAT at column N' (N
/// counts bytes of @expr from 1): empty expression, unknown field (the
/// event's fields listed), an operator the field's type lacks, a missing or
/// malformed value, a number out of the field's range, an unterminated
/// string or glob class, unbalanced parentheses, trailing text, nesting
/// deeper than filter_depth_max, or a program beyond KTR_FILTER_INSNS_MAX,
/// KTR_FILTER_STRINGS_MAX or KTR_FILTER_TEXT_MAX.
Result<FilterProgram> compile_filter(const EventFormat &event, std::string_view expr);

/// Runs @prog over @payload (common header included) as the module does
/// (ktr_fprog_run): integers loaded with the field's size and signedness,
/// compared signed or unsigned; a char array up to its first NUL within
/// its size, a rest string up to the first NUL before the payload's end.
/// Never reads outside @payload: a program that compares a field not
/// inside @payload, or that the module would refuse (unknown op, stack
/// underflow, not one value left, string offset outside the strings)
/// yields false.
bool run_filter(const FilterProgram &prog, std::span<const std::byte> payload);

/// The module's shell glob (ktr_glob_n): @pattern against all of @text.
/// * any run, ? any byte, [abc] [a-z] [!x] [^x] a class ("]" first is a
/// literal; a "[" without its "]" is a literal "["). Bytes compare
/// unsigned.
bool filter_glob_match(std::string_view pattern, std::string_view text);

} // namespace ktr

#endif // KTR_FILTER_COMPILE_H
