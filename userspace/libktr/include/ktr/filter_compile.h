// SPDX-License-Identifier: MIT
//
// Event filter expressions (what ftrace users type: "prev_pid == 1 &&
// prev_comm ~ \"ba*\"") compiled into the postfix programs of
// KTR_ATTR_FILTER_PROG (uapi/ktr.h, enum ktr_filter_op). The module
// verifies and runs them with kmod/probes/ktr_filter_prog.c; the host
// tests run that same file (userspace/filter-host) on what this compiles.
// The compiler lives in src/filter/: lexer, typecheck (against the event's
// fields), codegen (program and normalized text), parser.
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

#include <string>
#include <string_view>
#include <vector>

#include <ktr.h>

#include "ktr/event_format.h"
#include "ktr/result.h"

namespace ktr {

struct FilterProgram {
	std::vector<ktr_filter_insn> insns;	// KTR_ATTR_FILTER_PROG
	std::string strings;	// KTR_ATTR_FILTER_STRINGS: each NUL-terminated
	std::string text;	// KTR_ATTR_FILTER_TEXT: the normalized source
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

} // namespace ktr

#endif // KTR_FILTER_COMPILE_H
