// SPDX-License-Identifier: MIT
//
// Event filter expressions: the exact programs they compile to, the
// normalized text, every kind of error with its message; then the
// module's own verifier and VM (kmod/probes/ktr_filter_prog.c, built for
// the host by userspace/filter-host) on what they compile to, over
// hand-built payloads (signedness, char arrays, rest strings, the glob);
// and random input that must never crash and, when it compiles, must give
// a program the module's verifier accepts.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr.h>
#include <ktr_event.h>

#include "filter/typecheck.h"
#include "filter_host.h"
#include "ktr/event_format.h"
#include "ktr/filter_compile.h"
#include "print_helpers.h"

namespace ktr {
namespace {

using Bytes = std::vector<std::byte>;

EventFormat make_event(std::uint16_t id, std::string name, std::vector<FieldFormat> fields)
{
	EventFormat ev{id, "test", std::move(name), test::common_fields()};
	ev.fields.insert(ev.fields.end(), fields.begin(), fields.end());
	return ev;
}

const EventFormat &sys_enter()
{
	static const EventFormat ev = make_event(
		10, "sys_enter", {
			{"id", FieldType::Int, 8, 8, true},
			{"args0", FieldType::Int, 16, 8, false},
		});
	return ev;
}

// Offsets: prev_comm 8, prev_pid 24, prev_state 28, next_comm 32, next_pid
// 48, prio 52 (u8), nice 53 (s8), s16f 54, u16f 56; 58 bytes.
const EventFormat &sched_switch()
{
	static const EventFormat ev = make_event(
		11, "sched_switch", {
			{"prev_comm", FieldType::CharArray, 8, 16, false},
			{"prev_pid", FieldType::Int, 24, 4, true},
			{"prev_state", FieldType::Int, 28, 4, false},
			{"next_comm", FieldType::CharArray, 32, 16, false},
			{"next_pid", FieldType::Int, 48, 4, true},
			{"prio", FieldType::Int, 52, 1, false},
			{"nice", FieldType::Int, 53, 1, true},
			{"s16f", FieldType::Int, 54, 2, true},
			{"u16f", FieldType::Int, 56, 2, false},
		});
	return ev;
}

const EventFormat &exec_event()
{
	static const EventFormat ev = make_event(
		12, "sched_process_exec", {
			{"pid", FieldType::Int, 8, 4, true},
			{"old_pid", FieldType::Int, 12, 4, true},
			{"filename", FieldType::RestString, 16, 0, false},
		});
	return ev;
}

// A probe event: pid 8, path 12 (a string location), flags 16 (hex u64).
const EventFormat &probe_event()
{
	static const EventFormat ev = make_event(
		KTR_EVENT_PROBE_FIRST, "myopen", {
			{"pid", FieldType::Int, 8, 4, true},
			{"path", FieldType::StringLoc, 12, 4, false},
			{"flags", FieldType::Int, 16, 8, false, FieldDisplay::Hex},
		});
	return ev;
}

const EventFormat &stack_event()
{
	static const EventFormat ev = make_event(
		13, "stack", {
			{"nr", FieldType::Int, 8, 4, false},
			{"ips", FieldType::RestU64, 16, 0, false},
		});
	return ev;
}

struct Insn {
	std::uint16_t op;
	std::uint32_t offset;
	std::uint32_t size;
	std::uint64_t value;

	bool operator==(const Insn &) const = default;
};

std::ostream &operator<<(std::ostream &os, const Insn &in)
{
	return os << "{op " << in.op << ", off " << in.offset << ", size " << in.size
		  << ", value " << in.value << "}";
}

constexpr Insn AND{KTR_FOP_AND, 0, 0, 0};
constexpr Insn OR{KTR_FOP_OR, 0, 0, 0};
constexpr Insn NOT{KTR_FOP_NOT, 0, 0, 0};

std::vector<Insn> insns_of(const FilterProgram &p)
{
	std::vector<Insn> out;
	for (const ktr_filter_insn &in : p.insns) {
		EXPECT_EQ(in.flags, 0);
		EXPECT_EQ(in.reserved, 0U);
		out.push_back({in.op, in.offset, in.size, in.value});
	}
	return out;
}

FilterProgram compiled(const EventFormat &ev, std::string_view expr)
{
	Result<FilterProgram> r = compile_filter(ev, expr);
	EXPECT_TRUE(r) << expr << ": " << (r ? "" : r.error().message());
	return r ? std::move(*r) : FilterProgram{};
}

// What the module's verifier makes of the first instruction of @p (its
// string operand, if any, is gone with the program).
ktr_finsn verified_first(const EventFormat &ev, const FilterProgram &p)
{
	const test::HostFilter h(ev, p);
	EXPECT_EQ(h.error(), KTR_FPROG_OK) << test::fprog_err_name(h.error()) << " " << p.text;
	if (h.error() != KTR_FPROG_OK)
		return {};
	return h.prog().insn[0];
}

std::string error_of(const EventFormat &ev, std::string_view expr)
{
	Result<FilterProgram> r = compile_filter(ev, expr);
	if (r) {
		ADD_FAILURE() << "compiled: " << expr;
		return {};
	}
	EXPECT_EQ(r.error().errnum(), EINVAL);
	return r.error().message();
}

// --- programs ----------------------------------------------------------

TEST(FilterCompile, OneIntegerComparison)
{
	const FilterProgram p = compiled(sys_enter(), "id == 59");
	EXPECT_EQ(insns_of(p), (std::vector<Insn>{{KTR_FOP_EQ, 8, 8, 59}}));
	EXPECT_EQ(p.strings, "");
	EXPECT_EQ(p.text, "id == 59");
	// The module reads the field as signed, with its size.
	const ktr_finsn in = verified_first(sys_enter(), p);
	EXPECT_TRUE(in.is_signed);
	EXPECT_FALSE(in.rest);
	EXPECT_EQ(in.size, 8U);
}

TEST(FilterCompile, EveryIntegerOperator)
{
	const struct {
		const char *op;
		std::uint16_t code;
	} ops[] = {{"==", KTR_FOP_EQ}, {"!=", KTR_FOP_NE}, {"<", KTR_FOP_LT},
		   {"<=", KTR_FOP_LE}, {">", KTR_FOP_GT},  {">=", KTR_FOP_GE},
		   {"&", KTR_FOP_BAND}};
	for (const auto &o : ops) {
		const std::string expr = std::string("args0 ") + o.op + " 7";
		const FilterProgram p = compiled(sys_enter(), expr);
		EXPECT_EQ(insns_of(p), (std::vector<Insn>{{o.code, 16, 8, 7}})) << expr;
		EXPECT_EQ(p.text, expr);
		EXPECT_FALSE(verified_first(sys_enter(), p).is_signed);
	}
}

TEST(FilterCompile, CommonFieldsAndWhitespace)
{
	const FilterProgram p = compiled(sched_switch(), "\tcommon_pid!=0&&common_flags&0X1F\n");
	EXPECT_EQ(insns_of(p), (std::vector<Insn>{{KTR_FOP_NE, 4, 4, 0},
						  {KTR_FOP_BAND, 2, 2, 0x1f},
						  AND}));
	EXPECT_EQ(p.text, "common_pid != 0 && common_flags & 0x1f");
	EXPECT_EQ(insns_of(compiled(sched_switch(), "common_id==11")),
		  (std::vector<Insn>{{KTR_FOP_EQ, 0, 2, 11}}));
}

TEST(FilterCompile, NegativeNumbersAreTwosComplement)
{
	EXPECT_EQ(insns_of(compiled(sys_enter(), "id == -1")),
		  (std::vector<Insn>{{KTR_FOP_EQ, 8, 8, ~std::uint64_t{0}}}));
	EXPECT_EQ(insns_of(compiled(sched_switch(), "prev_pid < -5")),
		  (std::vector<Insn>{{KTR_FOP_LT, 24, 4, std::uint64_t{0} - 5}}));
	EXPECT_EQ(insns_of(compiled(sys_enter(), "id >= -9223372036854775808")),
		  (std::vector<Insn>{{KTR_FOP_GE, 8, 8, std::uint64_t{1} << 63}}));
	EXPECT_EQ(insns_of(compiled(sched_switch(), "nice == -0x80")),
		  (std::vector<Insn>{{KTR_FOP_EQ, 53, 1, std::uint64_t{0} - 128}}));
	// -0 is 0, even for an unsigned field.
	EXPECT_EQ(insns_of(compiled(sched_switch(), "prio == -0")),
		  (std::vector<Insn>{{KTR_FOP_EQ, 52, 1, 0}}));
}

TEST(FilterCompile, RangeLimitsAreInclusive)
{
	const char *good[] = {
		"prio == 255",	"prio == 0xff",	 "nice == 127",	  "nice == -128",
		"nice & 0xff",	"nice & -1",	 "s16f == 32767", "s16f == -32768",
		"u16f == 65535", "prev_pid == 2147483647", "prev_pid == -2147483648",
		"prev_state == 4294967295", "prev_pid & 0xffffffff",
	};
	for (const char *e : good)
		EXPECT_TRUE(compile_filter(sched_switch(), e)) << e;
	EXPECT_EQ(insns_of(compiled(sys_enter(), "args0 == 18446744073709551615")),
		  (std::vector<Insn>{{KTR_FOP_EQ, 16, 8, ~std::uint64_t{0}}}));
	EXPECT_EQ(insns_of(compiled(sys_enter(), "id == 0x7fffffffffffffff")),
		  (std::vector<Insn>{{KTR_FOP_EQ, 8, 8, ~std::uint64_t{0} >> 1}}));
	EXPECT_EQ(insns_of(compiled(sys_enter(), "id & 0xffffffffffffffff")),
		  (std::vector<Insn>{{KTR_FOP_BAND, 8, 8, ~std::uint64_t{0}}}));
}

TEST(FilterCompile, TextComparisons)
{
	const FilterProgram p = compiled(sched_switch(), "prev_comm == bash");
	EXPECT_EQ(insns_of(p), (std::vector<Insn>{{KTR_FOP_STR_EQ, 8, 16, 0}}));
	EXPECT_EQ(p.strings, std::string("bash\0", 5));
	EXPECT_EQ(p.text, "prev_comm == \"bash\"");

	const FilterProgram r =
		compiled(sched_switch(),
			 "next_comm != \"a b\" && prev_comm ~ ba* || prev_comm !~ [k]*");
	EXPECT_EQ(insns_of(r), (std::vector<Insn>{{KTR_FOP_STR_NE, 32, 16, 0},
						  {KTR_FOP_GLOB, 8, 16, 4},
						  AND,
						  {KTR_FOP_NGLOB, 8, 16, 8},
						  OR}));
	EXPECT_EQ(r.strings, std::string("a b\0ba*\0[k]*\0", 13));
	EXPECT_EQ(r.text, "next_comm != \"a b\" && prev_comm ~ \"ba*\" || prev_comm !~ \"[k]*\"");
}

TEST(FilterCompile, IdenticalStringsAreShared)
{
	const FilterProgram p = compiled(sched_switch(),
					 "prev_comm ~ \"ba*\" || next_comm ~ ba* || prev_comm == x");
	EXPECT_EQ(insns_of(p), (std::vector<Insn>{{KTR_FOP_GLOB, 8, 16, 0},
						  {KTR_FOP_GLOB, 32, 16, 0},
						  OR,
						  {KTR_FOP_STR_EQ, 8, 16, 4},
						  OR}));
	EXPECT_EQ(p.strings, std::string("ba*\0x\0", 6));
}

TEST(FilterCompile, QuotedStringEscapes)
{
	const FilterProgram p = compiled(exec_event(), R"(filename == "a\"b\\c d" )");
	EXPECT_EQ(insns_of(p), (std::vector<Insn>{{KTR_FOP_STR_EQ, 16, 0, 0}}));
	EXPECT_EQ(p.strings, std::string("a\"b\\c d\0", 8));
	EXPECT_EQ(p.text, R"(filename == "a\"b\\c d")");
	const test::HostFilter h(exec_event(), p);
	ASSERT_EQ(h.error(), KTR_FPROG_OK);
	EXPECT_TRUE(h.prog().insn[0].rest);
	EXPECT_STREQ(h.prog().insn[0].str, "a\"b\\c d");
	// The empty string, UTF-8 and the word characters.
	EXPECT_EQ(compiled(exec_event(), "filename == \"\"").strings, std::string("\0", 1));
	EXPECT_EQ(compiled(exec_event(), "filename == \"caf\xc3\xa9\"").strings,
		  std::string("caf\xc3\xa9\0", 6));
	EXPECT_EQ(compiled(exec_event(), "filename ~ /usr/bin/[a-c]?-1.2_*").strings,
		  std::string("/usr/bin/[a-c]?-1.2_*\0", 22));
	// A number is a word for a text field.
	EXPECT_EQ(compiled(exec_event(), "filename == 123").text, "filename == \"123\"");
}

TEST(FilterCompile, PrecedenceAndPostfixOrder)
{
	const Insn a{KTR_FOP_EQ, 8, 8, 1};
	const Insn b{KTR_FOP_EQ, 8, 8, 2};
	const Insn c{KTR_FOP_EQ, 8, 8, 3};
	const struct {
		const char *expr;
		std::vector<Insn> insns;
		const char *text;
	} cases[] = {
		{"id==1 || id==2 && id==3", {a, b, c, AND, OR}, "id == 1 || id == 2 && id == 3"},
		{"id==1 && id==2 || id==3", {a, b, AND, c, OR}, "id == 1 && id == 2 || id == 3"},
		{"(id==1 || id==2) && id==3", {a, b, OR, c, AND}, "(id == 1 || id == 2) && id == 3"},
		{"id==1 && (id==2 || id==3)", {a, b, c, OR, AND}, "id == 1 && (id == 2 || id == 3)"},
		{"id==1 && id==2 && id==3", {a, b, AND, c, AND}, "id == 1 && id == 2 && id == 3"},
		{"(id==1 && id==2) && id==3", {a, b, AND, c, AND}, "id == 1 && id == 2 && id == 3"},
		{"id==1 && (id==2 && id==3)", {a, b, c, AND, AND}, "id == 1 && (id == 2 && id == 3)"},
		{"id==1 || (id==2 || id==3)", {a, b, c, OR, OR}, "id == 1 || (id == 2 || id == 3)"},
		{"!id==1", {a, NOT}, "!(id == 1)"},
		{"! ( id == 1 )", {a, NOT}, "!(id == 1)"},
		{"!!id==1", {a, NOT, NOT}, "!!(id == 1)"},
		{"!id==1 && id==2", {a, NOT, b, AND}, "!(id == 1) && id == 2"},
		{"!(id==1 || id==2)", {a, b, OR, NOT}, "!(id == 1 || id == 2)"},
		{"!(id==1) || !(id==2 && id==3)",
		 {a, NOT, b, c, AND, NOT, OR},
		 "!(id == 1) || !(id == 2 && id == 3)"},
		{"((((id==1))))", {a}, "id == 1"},
		{"(id==1 || id==2)", {a, b, OR}, "id == 1 || id == 2"},
	};
	for (const auto &tc : cases) {
		const FilterProgram p = compiled(sys_enter(), tc.expr);
		EXPECT_EQ(insns_of(p), tc.insns) << tc.expr;
		EXPECT_EQ(p.text, tc.text) << tc.expr;
		// The normalized text compiles to the same program.
		const FilterProgram again = compiled(sys_enter(), p.text);
		EXPECT_EQ(insns_of(again), tc.insns) << p.text;
		EXPECT_EQ(again.text, p.text);
	}
}

TEST(FilterCompile, SixtyFourInstructionsFit)
{
	std::string expr = "!(";
	for (int i = 0; i < 32; i++)
		expr += (i ? "&&" : "") + std::string("id==") + std::to_string(i);
	expr += ")";
	const FilterProgram p = compiled(sys_enter(), expr);
	EXPECT_EQ(p.insns.size(), 64U);
	EXPECT_EQ(p.insns.back().op, KTR_FOP_NOT);
	EXPECT_EQ(error_of(sys_enter(), "!" + expr),
		  "filter \"!" + expr.substr(0, 79) +
			  "...\" for sys_enter: the expression needs more than 64 "
			  "instructions (fewer comparisons, please) at column 1");
}

TEST(FilterCompile, ThirtyTwoLevelsFit)
{
	const std::string ok = std::string(32, '(') + "id==1" + std::string(32, ')');
	EXPECT_EQ(compiled(sys_enter(), ok).text, "id == 1");
	EXPECT_EQ(compiled(sys_enter(), std::string(16, '!') + "(" + std::string(15, '(') +
						"id==1" + std::string(16, ')'))
			  .insns.size(),
		  17U);
	const std::string deep = std::string(33, '(') + "id==1" + std::string(33, ')');
	EXPECT_EQ(error_of(sys_enter(), deep),
		  "filter \"" + deep +
			  "\" for sys_enter: more than 32 levels of '(' and '!' at column 33");
	const std::string nots = std::string(33, '!') + "id==1";
	EXPECT_EQ(error_of(sys_enter(), nots),
		  "filter \"" + nots +
			  "\" for sys_enter: more than 32 levels of '(' and '!' at column 33");
	// Far deeper than that: still one clean error.
	EXPECT_FALSE(compile_filter(sys_enter(), std::string(500, '(')));
	EXPECT_FALSE(compile_filter(sys_enter(), std::string(511, '!')));
}

// --- errors ------------------------------------------------------------

TEST(FilterCompileErrors, UnknownFieldListsTheFields)
{
	EXPECT_EQ(error_of(sys_enter(), "pid == 1"),
		  "filter \"pid == 1\" for sys_enter: unknown field 'pid' (sys_enter has "
		  "common_id, common_flags, common_pid, id, args0) at column 1");
	EXPECT_EQ(error_of(sys_enter(), "id == 1 && Id == 2"),
		  "filter \"id == 1 && Id == 2\" for sys_enter: unknown field 'Id' (sys_enter has "
		  "common_id, common_flags, common_pid, id, args0) at column 12");
}

TEST(FilterCompileErrors, BadNumbers)
{
	EXPECT_EQ(error_of(sys_enter(), "id == abc"),
		  "filter \"id == abc\" for sys_enter: expected a number for integer field 'id' "
		  "(decimal or 0x hex), found 'abc' at column 7");
	EXPECT_EQ(error_of(sys_enter(), "id == 010"),
		  "filter \"id == 010\" for sys_enter: expected a number for integer field 'id' "
		  "(decimal or 0x hex; no octal), found '010' at column 7");
	EXPECT_EQ(error_of(sys_enter(), "id == \"1\""),
		  "filter \"id == \"1\"\" for sys_enter: expected a number for integer field 'id', "
		  "found a string at column 7");
	for (const char *e : {"id == 0x", "id == -", "id == 1x", "id == 0xg", "id == 1-2",
			      "id == --1", "id == 1.5", "id == 0b1"})
		EXPECT_NE(error_of(sys_enter(), e).find("expected a number for integer field 'id'"),
			  std::string::npos)
			<< e;
}

TEST(FilterCompileErrors, OutOfRange)
{
	EXPECT_EQ(error_of(sched_switch(), "prio == 300"),
		  "filter \"prio == 300\" for sched_switch: '300' is out of range for u8 field "
		  "'prio' (0 to 255) at column 9");
	EXPECT_EQ(error_of(sched_switch(), "prev_state == -1"),
		  "filter \"prev_state == -1\" for sched_switch: '-1' is out of range for u32 "
		  "field 'prev_state' (0 to 4294967295) at column 15");
	EXPECT_EQ(error_of(sched_switch(), "nice & 0x100"),
		  "filter \"nice & 0x100\" for sched_switch: '0x100' is out of range for s8 field "
		  "'nice' (-128 to 255 for a mask) at column 8");
	for (const char *e : {"nice == 128", "nice == -129", "nice == 0xff", "s16f == 32768",
			      "s16f < -32769", "u16f == 65536", "prev_pid == 2147483648",
			      "prev_pid == 0xffffffff", "prev_state == 4294967296"})
		EXPECT_NE(error_of(sched_switch(), e).find("is out of range"), std::string::npos)
			<< e;
	for (const char *e : {"args0 == 18446744073709551616", "args0 == 0x10000000000000000",
			      "args0 == 99999999999999999999999", "id == 9223372036854775808",
			      "id == -9223372036854775809", "id == 0x8000000000000000"})
		EXPECT_NE(error_of(sys_enter(), e).find("is out of range"), std::string::npos)
			<< e;
}

TEST(FilterCompileErrors, OperatorForTheWrongType)
{
	EXPECT_EQ(error_of(sys_enter(), "id ~ 1*"),
		  "filter \"id ~ 1*\" for sys_enter: '~' matches text but 'id' is an integer field "
		  "(use ==, !=, <, <=, >, >= or &) at column 4");
	EXPECT_EQ(error_of(sched_switch(), "prev_comm < b"),
		  "filter \"prev_comm < b\" for sched_switch: '<' compares integers but "
		  "'prev_comm' is a text field (use ==, !=, ~ or !~) at column 11");
	for (const char *e : {"prev_comm <= b", "prev_comm > b", "prev_comm >= b", "prev_comm & b"})
		EXPECT_NE(error_of(sched_switch(), e).find("compares integers"), std::string::npos);
	EXPECT_NE(error_of(sys_enter(), "id !~ 1").find("matches text"), std::string::npos);
	EXPECT_EQ(error_of(stack_event(), "ips == 1"),
		  "filter \"ips == 1\" for stack: field 'ips' holds a list of 64-bit values: it "
		  "cannot be filtered on at column 1");
	// Not offered as a field to filter on either.
	EXPECT_NE(error_of(stack_event(), "x == 1").find("(stack has common_id, common_flags, "
							 "common_pid, nr) at column 1"),
		  std::string::npos);
}

TEST(FilterCompileErrors, UnbalancedParentheses)
{
	EXPECT_EQ(error_of(sys_enter(), "(id == 1"),
		  "filter \"(id == 1\" for sys_enter: expected ')' to close the '(' at column 1, "
		  "found the end at column 9");
	EXPECT_EQ(error_of(sys_enter(), "((id == 1) || id == 2"),
		  "filter \"((id == 1) || id == 2\" for sys_enter: expected ')' to close the '(' "
		  "at column 1, found the end at column 22");
	EXPECT_EQ(error_of(sys_enter(), "id == 1)"),
		  "filter \"id == 1)\" for sys_enter: unexpected ')' (no '(' to close) at column 8");
	EXPECT_EQ(error_of(sys_enter(), "()"),
		  "filter \"()\" for sys_enter: expected a field name, '(' or '!', found ')' at "
		  "column 2");
}

TEST(FilterCompileErrors, TrailingText)
{
	EXPECT_EQ(error_of(sys_enter(), "id == 1 2"),
		  "filter \"id == 1 2\" for sys_enter: unexpected '2' after a complete expression "
		  "at column 9");
	EXPECT_EQ(error_of(sys_enter(), "id == 1 args0 == 2"),
		  "filter \"id == 1 args0 == 2\" for sys_enter: unexpected 'args0' after a "
		  "complete expression at column 9");
	EXPECT_NE(error_of(sys_enter(), "id == 1 |").find("unexpected '|' after"),
		  std::string::npos);
	EXPECT_NE(error_of(sys_enter(), "id == 1 and id == 2").find("unexpected 'and' after"),
		  std::string::npos);
}

TEST(FilterCompileErrors, MissingPieces)
{
	EXPECT_EQ(error_of(sys_enter(), "id =="),
		  "filter \"id ==\" for sys_enter: expected a value after 'id ==', found the end at "
		  "column 6");
	EXPECT_EQ(error_of(sys_enter(), "id 1"),
		  "filter \"id 1\" for sys_enter: expected a comparison operator after 'id' (==, "
		  "!=, <, <=, >, >= or &), found '1' at column 4");
	EXPECT_EQ(error_of(sched_switch(), "prev_comm && x"),
		  "filter \"prev_comm && x\" for sched_switch: expected a comparison operator "
		  "after 'prev_comm' (==, !=, ~ or !~), found '&&' at column 11");
	EXPECT_EQ(error_of(sys_enter(), "== 1"),
		  "filter \"== 1\" for sys_enter: expected a field name, '(' or '!', found '==' at "
		  "column 1");
	EXPECT_EQ(error_of(sys_enter(), "id == 1 &&"),
		  "filter \"id == 1 &&\" for sys_enter: expected a field name, '(' or '!', found "
		  "the end at column 11");
	EXPECT_EQ(error_of(sys_enter(), "id = 1"),
		  "filter \"id = 1\" for sys_enter: expected a comparison operator after 'id' (==, "
		  "!=, <, <=, >, >= or &), found '=' at column 4");
	EXPECT_NE(error_of(sys_enter(), "id == 1 || || id == 2").find("found '||' at column 12"),
		  std::string::npos);
	EXPECT_NE(error_of(sys_enter(), "id == (1)").find("expected a value after 'id =='"),
		  std::string::npos);
}

TEST(FilterCompileErrors, BadStrings)
{
	EXPECT_EQ(error_of(sched_switch(), "prev_comm == \"bash"),
		  "filter \"prev_comm == \"bash\" for sched_switch: the string has no closing '\"' "
		  "at column 14");
	EXPECT_EQ(error_of(sched_switch(), R"(prev_comm == "a\n")"),
		  "filter \"prev_comm == \"a\\n\"\" for sched_switch: unknown escape in a string "
		  "(only \\\" and \\\\) at column 16");
	EXPECT_EQ(error_of(sched_switch(), "prev_comm == \"a\tb\""),
		  "filter \"prev_comm == \"a b\"\" for sched_switch: a control character in a "
		  "string at column 16");
	EXPECT_EQ(error_of(sched_switch(), std::string("prev_comm == \"a\0b\"", 18)),
		  "filter \"prev_comm == \"a b\"\" for sched_switch: a control character in a "
		  "string at column 16");
	EXPECT_EQ(error_of(sched_switch(), R"(prev_comm == "\)"),
		  "filter \"prev_comm == \"\\\" for sched_switch: unknown escape in a string (only "
		  "\\\" and \\\\) at column 15");
	EXPECT_EQ(error_of(sched_switch(), "prev_comm == $x"),
		  "filter \"prev_comm == $x\" for sched_switch: expected a value after 'prev_comm "
		  "==', found '$x' at column 14");
}

TEST(FilterCompileErrors, UnclosedGlobClass)
{
	// The module reads a class up to its "]": one that is not closed is
	// refused here (a pattern ending in "[" or "[!" would make it read past
	// the string's end).
	for (const char *e : {"prev_comm ~ a[", "prev_comm ~ \"a[!\"", "prev_comm ~ \"[^\"",
			      "prev_comm !~ [abc", "prev_comm ~ \"x[a-\""})
		EXPECT_NE(error_of(sched_switch(), e).find("' has a '[' without its ']' at column"),
			  std::string::npos)
			<< e;
	EXPECT_EQ(error_of(sched_switch(), "prev_comm ~ a["),
		  "filter \"prev_comm ~ a[\" for sched_switch: the pattern 'a[' has a '[' without "
		  "its ']' at column 13");
	// Closed classes, "]" first in a class, and "[" as plain text for ==.
	for (const char *e : {"prev_comm ~ []]", "prev_comm ~ \"[!]]x\"", "prev_comm ~ [[]",
			      "prev_comm ~ \"[a-]\"", "prev_comm == a[", "prev_comm ~ [a][b]"})
		EXPECT_TRUE(compile_filter(sched_switch(), e)) << e;
}

TEST(FilterCompileErrors, GlobCostIsBounded)
{
	// As the module checks: at most KTR_FILTER_GLOBS_MAX globs, each
	// pattern shorter than KTR_FILTER_GLOB_LEN_MAX bytes.
	std::string eight = "prev_comm ~ a*";
	for (unsigned i = 1; i < KTR_FILTER_GLOBS_MAX; i++)
		eight += " || prev_comm ~ a*";
	EXPECT_TRUE(compile_filter(sched_switch(), eight));
	EXPECT_NE(error_of(sched_switch(), eight + " || next_comm !~ b*")
			  .find("more than 8 glob comparisons"),
		  std::string::npos);
	// == compares without a glob: not counted.
	EXPECT_TRUE(compile_filter(sched_switch(), eight + " || next_comm == b"));
	const std::string longest(KTR_FILTER_GLOB_LEN_MAX - 1, 'x');
	EXPECT_TRUE(compile_filter(sched_switch(), "prev_comm ~ " + longest));
	EXPECT_NE(error_of(sched_switch(), "prev_comm ~ " + longest + "x").find("longer than 63 bytes"),
		  std::string::npos);
}

TEST(FilterCompileErrors, EmptyAndTooLong)
{
	EXPECT_EQ(error_of(sys_enter(), ""),
		  "filter \"\" for sys_enter is empty: give an expression like 'field == value'");
	EXPECT_EQ(error_of(sys_enter(), " \t\n"),
		  "filter \"   \" for sys_enter is empty: give an expression like 'field == value'");

	std::string just = "id == 1";
	just += std::string(511 - just.size(), ' ');
	EXPECT_TRUE(compile_filter(sys_enter(), just));
	const std::string too = just + " ";
	EXPECT_EQ(error_of(sys_enter(), too),
		  "filter \"id == 1" + std::string(73, ' ') +
			  "...\" for sys_enter is 512 bytes long: at most 511");

	// Short enough as typed, not once normalized (quotes, spaces).
	const std::string grows = "prev_comm==" + std::string(499, 'x');
	ASSERT_EQ(grows.size(), 510U);
	EXPECT_EQ(error_of(sched_switch(), grows),
		  "filter \"prev_comm==" + std::string(69, 'x') +
			  "...\" for sched_switch is 514 bytes long once normalized: at most 511");
}

TEST(FilterCompileErrors, MessagesAreOneLine)
{
	const std::string m = error_of(sys_enter(), "id ==\n\r\x01 abc");
	EXPECT_EQ(m.find_first_of("\n\r\x01"), std::string::npos) << m;
	EXPECT_EQ(m, "filter \"id ==    abc\" for sys_enter: expected a value after 'id ==', "
		     "found control character 0x01 at column 8");
	EXPECT_EQ(error_of(sys_enter(), "id == 1 \x7f"),
		  "filter \"id == 1  \" for sys_enter: unexpected control character 0x7f after a "
		  "complete expression at column 9");
}

// --- the evaluator -----------------------------------------------------

template <typename T>
void put(Bytes &b, std::size_t off, T v)
{
	std::memcpy(b.data() + off, &v, sizeof(v));
}

void put_text(Bytes &b, std::size_t off, std::string_view s)
{
	std::memcpy(b.data() + off, s.data(), s.size());
}

Bytes switch_payload(std::string_view prev_comm, std::int32_t prev_pid, std::uint32_t prev_state,
		     std::string_view next_comm = "swapper/0")
{
	Bytes b(58);
	put<std::uint16_t>(b, 0, 11);
	put<std::uint16_t>(b, 2, 0x5);
	put<std::int32_t>(b, 4, 77);
	put_text(b, 8, prev_comm.substr(0, 16));
	put<std::int32_t>(b, 24, prev_pid);
	put<std::uint32_t>(b, 28, prev_state);
	put_text(b, 32, next_comm.substr(0, 16));
	put<std::int32_t>(b, 48, 0);
	put<std::uint8_t>(b, 52, 200);
	put<std::int8_t>(b, 53, -3);
	put<std::int16_t>(b, 54, -300);
	put<std::uint16_t>(b, 56, 60000);
	return b;
}

Bytes exec_payload(std::string_view filename, std::int32_t pid = 100)
{
	Bytes b(16 + filename.size());
	put<std::uint16_t>(b, 0, 12);
	put<std::int32_t>(b, 4, pid);
	put<std::int32_t>(b, 8, pid);
	put<std::int32_t>(b, 12, pid);
	put_text(b, 16, filename);
	return b;
}

Bytes sys_enter_payload(std::int64_t id, std::uint64_t args0)
{
	Bytes b(24);
	put<std::uint16_t>(b, 0, 10);
	put<std::int64_t>(b, 8, id);
	put<std::uint64_t>(b, 16, args0);
	return b;
}

// A probe_event() payload: @text at byte 24 (NUL added when @nul), and the
// location @loc (default: that text, NUL included).
Bytes probe_payload(std::string_view text, bool nul = true, std::int64_t loc = -1)
{
	Bytes b(24 + text.size() + (nul ? 1 : 0));
	put<std::uint16_t>(b, 0, KTR_EVENT_PROBE_FIRST);
	put<std::int32_t>(b, 8, 7);
	const auto len = static_cast<std::uint32_t>(text.size() + (nul ? 1 : 0));
	put<std::uint32_t>(b, 12, loc >= 0 ? static_cast<std::uint32_t>(loc) : 24 | (len << 16));
	put<std::uint64_t>(b, 16, 0x8000);
	put_text(b, 24, text);
	return b;
}

bool run(const EventFormat &ev, std::string_view expr, const Bytes &payload)
{
	return test::HostFilter(ev, compiled(ev, expr)).run(payload);
}

TEST(FilterRun, IntegersWithTheFieldsSignedness)
{
	const Bytes p = switch_payload("bash", -1, 0xffffffff);
	const EventFormat &ev = sched_switch();
	EXPECT_TRUE(run(ev, "prev_pid < 0", p));	// signed: -1
	EXPECT_TRUE(run(ev, "prev_pid == -1", p));
	EXPECT_FALSE(run(ev, "prev_pid > 0", p));
	EXPECT_TRUE(run(ev, "prev_state > 5", p));	// unsigned: 4294967295
	EXPECT_TRUE(run(ev, "prev_state == 4294967295", p));
	EXPECT_FALSE(run(ev, "prev_state < 5", p));
	EXPECT_TRUE(run(ev, "prio == 200 && prio > 100 && prio >= 200 && prio <= 200", p));
	EXPECT_FALSE(run(ev, "prio < 200", p));
	EXPECT_TRUE(run(ev, "nice == -3 && nice < 0 && nice > -4", p));
	EXPECT_TRUE(run(ev, "s16f == -300 && s16f < -299 && u16f == 60000 && u16f > 32767", p));
	EXPECT_TRUE(run(ev, "common_pid == 77 && common_id == 11 && common_flags != 0", p));
	// Masks: bits of the sign-extended value.
	EXPECT_TRUE(run(ev, "common_flags & 0x4", p));
	EXPECT_FALSE(run(ev, "common_flags & 0x2", p));
	EXPECT_TRUE(run(ev, "prev_pid & 0x80000000", p));
	EXPECT_TRUE(run(ev, "nice & 0x80", p));
	EXPECT_FALSE(run(ev, "prio & 0", p));

	const Bytes s = sys_enter_payload(-2, 0xfffffffffffffff0);
	EXPECT_TRUE(run(sys_enter(), "id < -1 && id >= -2", s));
	EXPECT_TRUE(run(sys_enter(), "args0 > 9223372036854775807", s));
	EXPECT_TRUE(run(sys_enter(), "args0 == 0xfffffffffffffff0", s));
	EXPECT_FALSE(run(sys_enter(), "args0 & 0xf", s));
	EXPECT_TRUE(run(sys_enter(), "id & 0x8000000000000000", s));
}

TEST(FilterRun, LogicAndNot)
{
	const Bytes p = sys_enter_payload(59, 3);
	const EventFormat &ev = sys_enter();
	EXPECT_TRUE(run(ev, "id == 59 && args0 == 3", p));
	EXPECT_FALSE(run(ev, "id == 59 && args0 == 4", p));
	EXPECT_TRUE(run(ev, "id == 1 || args0 == 3", p));
	EXPECT_FALSE(run(ev, "id == 1 || args0 == 4", p));
	EXPECT_TRUE(run(ev, "!(id == 1)", p));
	EXPECT_FALSE(run(ev, "!id == 59", p));
	EXPECT_TRUE(run(ev, "!!id == 59", p));
	EXPECT_TRUE(run(ev, "id == 1 || id == 2 || id == 59", p));
	// && binds tighter: false || (true && true).
	EXPECT_TRUE(run(ev, "id == 1 || id == 59 && args0 == 3", p));
	EXPECT_FALSE(run(ev, "(id == 1 || id == 59) && args0 == 4", p));
}

TEST(FilterRun, CharArrays)
{
	const EventFormat &ev = sched_switch();
	const Bytes p = switch_payload("bash", 1, 0);
	EXPECT_TRUE(run(ev, "prev_comm == bash", p));
	EXPECT_FALSE(run(ev, "prev_comm == bas", p));
	EXPECT_FALSE(run(ev, "prev_comm == bashh", p));
	EXPECT_TRUE(run(ev, "prev_comm != bas", p));
	EXPECT_TRUE(run(ev, "prev_comm ~ ba*", p));
	EXPECT_TRUE(run(ev, "prev_comm ~ *sh", p));
	EXPECT_FALSE(run(ev, "prev_comm ~ ba", p));
	EXPECT_TRUE(run(ev, "prev_comm !~ z*", p));
	EXPECT_TRUE(run(ev, "next_comm ~ swapper/*", p));
	// All 16 bytes used, no NUL: the whole array is the text.
	const Bytes full = switch_payload("0123456789abcdef", 1, 0);
	EXPECT_TRUE(run(ev, "prev_comm == 0123456789abcdef", full));
	EXPECT_FALSE(run(ev, "prev_comm == 0123456789abcdef0", full));
	EXPECT_TRUE(run(ev, "prev_comm ~ *f", full));
	// Text after the first NUL does not count.
	Bytes nul = switch_payload("ab", 1, 0);
	put_text(nul, 11, "zz");
	EXPECT_TRUE(run(ev, "prev_comm == ab", nul));
	EXPECT_TRUE(run(ev, "prev_comm ~ ab", nul));
	// Empty.
	const Bytes empty = switch_payload("", 1, 0);
	EXPECT_TRUE(run(ev, "prev_comm == \"\"", empty));
	EXPECT_TRUE(run(ev, "prev_comm ~ *", empty));
	EXPECT_FALSE(run(ev, "prev_comm ~ ?", empty));
}

TEST(FilterRun, RestStrings)
{
	const EventFormat &ev = exec_event();
	EXPECT_TRUE(run(ev, "filename == /bin/ls", exec_payload("/bin/ls")));
	EXPECT_TRUE(run(ev, "filename == /bin/ls", exec_payload(std::string("/bin/ls\0\0\0", 10))));
	EXPECT_TRUE(run(ev, "filename ~ */ls", exec_payload(std::string("/bin/ls\0xyz", 11))));
	EXPECT_FALSE(run(ev, "filename ~ */ls*z", exec_payload(std::string("/bin/ls\0xyz", 11))));
	EXPECT_TRUE(run(ev, "filename == \"\"", exec_payload("")));
	EXPECT_TRUE(run(ev, "filename !~ /usr/*", exec_payload("/bin/ls")));
	EXPECT_TRUE(run(ev, "filename ~ \"/usr/bin/*\" && pid == 100",
			exec_payload("/usr/bin/make")));
}

TEST(FilterCompile, StringLocationComparisons)
{
	const EventFormat &ev = probe_event();
	const FilterProgram p = compiled(ev, "path == \"/etc/passwd\" || path ~ /tmp/* && pid != 1");
	EXPECT_EQ(insns_of(p), (std::vector<Insn>{{KTR_FOP_STR_EQ, 12, 4, 0},
						  {KTR_FOP_GLOB, 12, 4, 12},
						  {KTR_FOP_NE, 8, 4, 1},
						  AND,
						  OR}));
	EXPECT_EQ(p.strings, std::string("/etc/passwd\0/tmp/*\0", 19));
	EXPECT_EQ(p.text, "path == \"/etc/passwd\" || path ~ \"/tmp/*\" && pid != 1");
	EXPECT_EQ(insns_of(compiled(ev, "path != x")),
		  (std::vector<Insn>{{KTR_FOP_STR_NE, 12, 4, 0}}));
	EXPECT_EQ(insns_of(compiled(ev, "path !~ \"*.so\"")),
		  (std::vector<Insn>{{KTR_FOP_NGLOB, 12, 4, 0}}));
	EXPECT_TRUE(verified_first(ev, compiled(ev, "path == x")).loc);
	// A hex integer compares as an integer.
	EXPECT_EQ(insns_of(compiled(ev, "flags & 0x8000")),
		  (std::vector<Insn>{{KTR_FOP_BAND, 16, 8, 0x8000}}));
}

TEST(FilterCompileErrors, StringLocationsAreText)
{
	EXPECT_NE(error_of(probe_event(), "path < 3").find("'<' compares integers but 'path' is a "
							   "text field"),
		  std::string::npos)
		<< error_of(probe_event(), "path < 3");
	EXPECT_NE(error_of(probe_event(), "pid ~ x").find("is an integer field"), std::string::npos);
}

TEST(FilterRun, StringLocations)
{
	const EventFormat &ev = probe_event();
	// Accepted and matched, or not matched.
	EXPECT_TRUE(run(ev, "path == /etc/passwd", probe_payload("/etc/passwd")));
	EXPECT_FALSE(run(ev, "path == /etc/passwd", probe_payload("/etc/passwd2")));
	EXPECT_FALSE(run(ev, "path == /etc/passwd", probe_payload("/etc/passw")));
	EXPECT_TRUE(run(ev, "path != /etc/passwd", probe_payload("/etc/shadow")));
	EXPECT_TRUE(run(ev, "path ~ \"/etc/*\"", probe_payload("/etc/shadow")));
	EXPECT_FALSE(run(ev, "path ~ \"/tmp/*\"", probe_payload("/etc/shadow")));
	EXPECT_TRUE(run(ev, "path !~ \"/tmp/*\" && pid == 7", probe_payload("/etc/shadow")));
	// A NUL inside the length ends the text.
	EXPECT_TRUE(run(ev, "path == ab", probe_payload(std::string("ab\0cd", 5))));
	// No text (length 0): the empty string.
	const Bytes none = probe_payload("junk", true, 24);
	EXPECT_TRUE(run(ev, "path == \"\"", none));
	EXPECT_FALSE(run(ev, "path == junk", none));
	EXPECT_TRUE(run(ev, "path ~ *", none));
	EXPECT_FALSE(run(ev, "path ~ ?*", none));
}

TEST(FilterRun, StringLocationOutsideThePayloadIsEmpty)
{
	const EventFormat &ev = probe_event();
	const Bytes p = probe_payload("abc");	// 28 bytes: text 24..28
	ASSERT_EQ(p.size(), 28U);
	for (const std::uint32_t bad : {24U | (5U << 16), 28U | (1U << 16), 0xffffU | (1U << 16),
					27U | (0xffffU << 16), 0xffffffffU}) {
		Bytes b = p;
		put<std::uint32_t>(b, 12, bad);
		EXPECT_TRUE(run(ev, "path == \"\"", b)) << std::hex << bad;
		EXPECT_FALSE(run(ev, "path == abc", b)) << std::hex << bad;
		EXPECT_FALSE(run(ev, "path ~ ?*", b)) << std::hex << bad;
		EXPECT_TRUE(run(ev, "path != abc", b)) << std::hex << bad;
	}
	// Exactly to the end is inside.
	EXPECT_TRUE(run(ev, "path == abc", p));
}

TEST(FilterRun, StringLocationWithoutNulIsBoundedByItsLength)
{
	const EventFormat &ev = probe_event();
	// "abcd" without a NUL, "XYZ" after it outside the location.
	const Bytes b = probe_payload("abcdXYZ", false, 24 | (4U << 16));
	EXPECT_TRUE(run(ev, "path == abcd", b));
	EXPECT_FALSE(run(ev, "path == abcdXYZ", b));
	EXPECT_TRUE(run(ev, "path ~ *d", b));
	EXPECT_FALSE(run(ev, "path ~ *Z", b));
	// The text runs to the payload's very end, without a NUL.
	const Bytes tail = probe_payload("abcd", false);
	ASSERT_EQ(tail.size(), 28U);
	EXPECT_TRUE(run(ev, "path == abcd", tail));
	EXPECT_TRUE(run(ev, "path ~ a*d", tail));
}

TEST(FilterRun, TheVerifierSaysHowMuchOfThePayloadAProgramReads)
{
	// The VM checks nothing at run time: the module's payloads always hold
	// the event's fixed fields, and the verifier says how far a program
	// reads into them (REST strings end with the payload).
	const struct {
		const EventFormat *ev;
		const char *expr;
		std::uint32_t need;
	} cases[] = {
		{&sched_switch(), "!(next_pid == 1)", 52},
		{&sched_switch(), "next_comm != x", 48},
		{&sched_switch(), "common_id == 1 || prev_comm ~ a*", 24},
		{&sched_switch(), "u16f == 1 && common_pid == 2", 58},
		{&sys_enter(), "args0 & 1", 24},
		{&exec_event(), "filename == \"\"", 0},
		{&exec_event(), "filename ~ *ls && pid == 1", 12},
		{&probe_event(), "path == x", 16},
	};
	for (const auto &tc : cases) {
		const test::HostFilter h(*tc.ev, compiled(*tc.ev, tc.expr));
		ASSERT_EQ(h.error(), KTR_FPROG_OK) << tc.expr;
		EXPECT_EQ(h.prog().need, tc.need) << tc.expr;
	}
	// A rest string that starts past the payload's end is empty.
	const test::HostFilter r(exec_event(), compiled(exec_event(), "filename == \"\""));
	Bytes e = exec_payload("");
	e.resize(12);
	EXPECT_TRUE(r.run(e));
	EXPECT_TRUE(r.run({}));
	const test::HostFilter x(exec_event(), compiled(exec_event(), "filename ~ *x"));
	EXPECT_FALSE(x.run(e));
}

// --- the module's glob (ktr_glob_n) --------------------------------------

TEST(FilterGlob, MatchesLikeTheModule)
{
	const struct {
		const char *pattern;
		const char *text;
		bool match;
	} cases[] = {
		{"", "", true},
		{"", "a", false},
		{"*", "", true},
		{"*", "anything", true},
		{"**", "x", true},
		{"?", "", false},
		{"?", "a", true},
		{"??", "a", false},
		{"a*", "abc", true},
		{"*c", "abc", true},
		{"*b*", "abc", true},
		{"a*b*c", "aXbYc", true},
		{"a*b*c", "aXbY", false},
		{"a*c", "abcbc", true},
		{"a*cd", "acdcd", true},
		{"*ab", "aab", true},
		{"abc", "abd", false},
		{"[abc]", "b", true},
		{"[abc]", "d", false},
		{"[a-c]x", "bx", true},
		{"[a-c]x", "dx", false},
		{"[!a-c]", "d", true},
		{"[!a-c]", "b", false},
		{"[^x]", "y", true},
		{"[^x]", "x", false},
		{"[]]", "]", true},
		{"[]a]", "a", true},
		{"[!]]", "]", false},
		{"[!]]", "a", true},
		{"[a-]", "-", true},
		{"[a-]", "b", false},
		{"[[]", "[", true},
		{"x[", "x[", true},	// no "]": a literal "["
		{"x[", "xa", false},
		{"x[ab", "x[ab", true},
		{"[*]", "*", true},
		{"[*]", "a", false},
		{"[?]*", "?x", true},
		{"kworker/*", "kworker/0:1", true},
		{"kworker/[0-3]:*", "kworker/2:1H", true},
		{"kworker/[0-3]:*", "kworker/5:1H", false},
		{"\xc3[\x80-\xbf]", "\xc3\xa9", true},	// bytes compare unsigned
		{"[a-\xff]", "\xfe", true},
	};
	for (const auto &tc : cases)
		EXPECT_EQ(ktr_glob_n(tc.pattern, tc.text, std::strlen(tc.text)), tc.match)
			<< "'" << tc.pattern << "' vs '" << tc.text << "'";
	// The text stops at a NUL or at its size.
	EXPECT_TRUE(ktr_glob_n("a", "a\0b", 3));
	EXPECT_TRUE(ktr_glob_n("ab", "abc", 2));
	EXPECT_FALSE(ktr_glob_n("abc", "abc", 2));
	EXPECT_TRUE(ktr_glob_n("*", "abc", 0));
}

// The compiler refuses a "[" without its "]" (the module would take it
// literally, which is never what a user means): it must find the end of a
// class exactly where the module's ktr_glob_class() does.
TEST(FilterGlob, TheCompilerClosesClassesWhereTheModuleDoes)
{
	std::mt19937 rng(11);
	static const char alphabet[] = "[]!^-az*?";
	for (int i = 0; i < 20000; i++) {
		std::string pat;
		const unsigned n = std::uniform_int_distribution<unsigned>(1, 8)(rng);
		for (unsigned k = 0; k < n; k++)
			pat += alphabet[rng() % (sizeof(alphabet) - 1)];
		for (std::size_t open = 0; open < pat.size(); open++) {
			if (pat[open] != '[')
				continue;
			const char *next = nullptr;
			(void)ktr_glob_class(pat.c_str() + open, 'a', &next);
			const std::size_t close = filter::glob_class_end(pat, open);
			if (close == std::string_view::npos)
				EXPECT_EQ(next, pat.c_str() + open + 1) << pat << " at " << open;
			else
				EXPECT_EQ(next, pat.c_str() + close + 1) << pat << " at " << open;
		}
	}
}

// --- random input --------------------------------------------------------

// Well-formed expressions, so that many random programs compile.
std::string random_valid(std::mt19937 &rng, int depth)
{
	const unsigned pick = std::uniform_int_distribution<unsigned>(0, depth > 3 ? 3 : 7)(rng);
	static const char *const ints[] = {"prev_pid", "prev_state", "prio", "nice", "s16f"};
	static const char *const int_ops[] = {"==", "!=", "<", "<=", ">", ">=", "&"};
	static const char *const texts[] = {"prev_comm", "next_comm"};
	static const char *const text_ops[] = {"==", "!=", "~", "!~"};
	static const char *const words[] = {"bash", "\"ba*\"", "[a-c]*", "?", "*", "\"\"", "x"};
	switch (pick) {
	case 0:
	case 1:
		return std::string(ints[rng() % 5]) + " " + int_ops[rng() % 7] + " " +
		       std::to_string(static_cast<int>(rng() % 200) - 100);
	case 2:
	case 3:
		return std::string(texts[rng() % 2]) + text_ops[rng() % 4] + words[rng() % 7];
	case 4:
		return "!" + random_valid(rng, depth + 1);
	case 5:
		return "(" + random_valid(rng, depth + 1) + ")";
	case 6:
		return random_valid(rng, depth + 1) + " && " + random_valid(rng, depth + 1);
	default:
		return random_valid(rng, depth + 1) + "||" + random_valid(rng, depth + 1);
	}
}

std::string random_expr(std::mt19937 &rng)
{
	static const char *const tokens[] = {
		"prev_comm", "next_comm", "prev_pid", "prev_state", "prio", "nice", "common_pid",
		"common_flags", "s16f", "u16f", "==", "!=", "<", "<=", ">", ">=", "&", "~", "!~",
		"&&", "||", "!", "(", ")", "0", "1", "-1", "255", "256", "0x7f", "0xffffffff",
		"-129", "bash", "\"ba*\"", "\"a\\\"b\"", "[a-c]*", "[!x]", "?", "*", " ", " ",
		"\"", "\\", "x[", "010", "99999999999999999999",
	};
	static const char alphabet[] = "abcdeprvmo_ 0123456789x=!<>&|~()\"\\*?[]-./\t";
	const unsigned mode = std::uniform_int_distribution<unsigned>(0, 12)(rng);
	if (mode >= 10) {	// a well-formed one with a few bytes changed
		std::string s = random_valid(rng, 0);
		const unsigned edits = std::uniform_int_distribution<unsigned>(0, 3)(rng);
		for (unsigned e = 0; e < edits && !s.empty(); e++) {
			const std::size_t at =
				std::uniform_int_distribution<std::size_t>(0, s.size() - 1)(rng);
			const char c = alphabet[std::uniform_int_distribution<std::size_t>(
				0, sizeof(alphabet) - 2)(rng)];
			switch (rng() % 3) {
			case 0:
				s.erase(at, 1);
				break;
			case 1:
				s.insert(at, 1, c);
				break;
			default:
				s[at] = c;
				break;
			}
		}
		return s;
	}
	std::string s;
	const unsigned n = std::uniform_int_distribution<unsigned>(0, 24)(rng);
	for (unsigned i = 0; i < n; i++) {
		if (mode < 6) {	// tokens of the grammar, mostly well placed
			s += tokens[std::uniform_int_distribution<std::size_t>(
				0, std::size(tokens) - 1)(rng)];
			if (rng() % 2)
				s += ' ';
		} else if (mode < 9) {	// its characters
			s += alphabet[std::uniform_int_distribution<std::size_t>(
				0, sizeof(alphabet) - 2)(rng)];
		} else {	// any byte
			s += static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
		}
	}
	return s;
}

void check_random(const std::string &expr, unsigned &ok, Bytes &payload, std::mt19937 &rng)
{
	Result<FilterProgram> r = compile_filter(sched_switch(), expr);
	if (!r) {
		const std::string &m = r.error().message();
		EXPECT_EQ(r.error().errnum(), EINVAL);
		EXPECT_TRUE(m.starts_with("filter \"")) << m;
		EXPECT_EQ(m.find_first_of("\n\r"), std::string::npos) << m;
		return;
	}
	ok++;
	// The module's verifier takes it.
	const test::HostFilter h(sched_switch(), *r);
	ASSERT_EQ(h.error(), KTR_FPROG_OK)
		<< expr << ": " << test::fprog_err_name(h.error()) << " at " << h.bad();
	EXPECT_FALSE(r->text.empty());
	EXPECT_LT(r->text.size(), std::size_t{KTR_FILTER_TEXT_MAX});
	EXPECT_EQ(r->text.find('\0'), std::string::npos);
	// The normalized text gives the same program.
	Result<FilterProgram> again = compile_filter(sched_switch(), r->text);
	ASSERT_TRUE(again) << r->text << ": " << again.error().message();
	EXPECT_EQ(insns_of(*again), insns_of(*r)) << expr << " -> " << r->text;
	EXPECT_EQ(again->strings, r->strings);
	EXPECT_EQ(again->text, r->text);
	for (std::byte &b : payload)
		b = static_cast<std::byte>(rng());
	EXPECT_EQ(h.run(payload), test::HostFilter(sched_switch(), *again).run(payload));
}

TEST(FilterCompileFuzz, RandomInputNeverCrashes)
{
	std::mt19937 rng(20261122);
	Bytes payload(58);
	unsigned ok = 0;
	for (int i = 0; i < 20000; i++)
		check_random(random_expr(rng), ok, payload, rng);
	// Enough of them compile for the checks above to mean something.
	EXPECT_GT(ok, 1000U);
}

TEST(FilterCompileFuzz, RandomValidExpressionsCompileToAcceptedPrograms)
{
	std::mt19937 rng(7);
	Bytes payload(58);
	unsigned ok = 0;
	for (int i = 0; i < 5000; i++)
		check_random(random_valid(rng, 0), ok, payload, rng);
	EXPECT_GT(ok, 4000U);
}

} // namespace
} // namespace ktr
