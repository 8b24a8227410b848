// SPDX-License-Identifier: MIT
// The probe definition parser (kmod/probes/ktr_probe_def.c, compiled into
// libktr) and its libktr wrapper: every token, every default, the payload
// layout, every refusal with its position and message, the caret, and a
// fuzz test of mutated definitions.
#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/probe_def.h"

namespace ktr {
namespace {

ktr_probe_def parse_ok(const std::string &text)
{
	auto r = parse_probe_def(text);
	if (auto *e = std::get_if<ProbeDefError>(&r)) {
		ADD_FAILURE() << text << "\n" << render_probe_def_error(text, *e);
		return ktr_probe_def{};
	}
	return std::get<ktr_probe_def>(r);
}

// A text range of the definition, as the parser points into it.
std::string range(const std::string &text, unsigned pos, unsigned len)
{
	return text.substr(pos, len);
}

// --- probe kinds, targets and names -------------------------------------

TEST(ProbeDef, KprobeOnASymbolWithDefaults)
{
	const std::string t = "p do_sys_openat2";
	ktr_probe_def d = parse_ok(t);
	EXPECT_EQ(d.kind, KTR_PROBE_KPROBE);
	EXPECT_STREQ(d.group, "kprobes");
	EXPECT_STREQ(d.event, "p_do_sys_openat2_0");	// as ftrace names it
	EXPECT_EQ(d.mod_len, 0);
	EXPECT_EQ(range(t, d.sym_pos, d.sym_len), "do_sys_openat2");
	EXPECT_EQ(d.offset, 0U);
	EXPECT_EQ(d.maxactive, 0U);
	EXPECT_EQ(d.nargs, 0U);
	EXPECT_EQ(d.fixed_size, 8U);
	EXPECT_EQ(d.max_size, 8U);
	EXPECT_FALSE(d.needs_entry);
}

TEST(ProbeDef, OffsetsAreDecimalOrHexAndNameTheEventInDecimal)
{
	ktr_probe_def d = parse_ok("p vfs_read+0x1f");
	EXPECT_EQ(d.offset, 0x1fU);
	EXPECT_STREQ(d.event, "p_vfs_read_31");
	d = parse_ok("p vfs_read+16");
	EXPECT_EQ(d.offset, 16U);
	EXPECT_STREQ(d.event, "p_vfs_read_16");
	d = parse_ok("p vfs_read+0");
	EXPECT_EQ(d.offset, 0U);
	d = parse_ok("p vfs_read+0XFF");
	EXPECT_EQ(d.offset, 255U);
}

TEST(ProbeDef, ModuleSymbol)
{
	const std::string t = "p ext4:ext4_file_open+4";
	ktr_probe_def d = parse_ok(t);
	EXPECT_EQ(range(t, d.mod_pos, d.mod_len), "ext4");
	EXPECT_EQ(range(t, d.sym_pos, d.sym_len), "ext4_file_open");
	EXPECT_EQ(d.offset, 4U);
	EXPECT_STREQ(d.event, "p_ext4_ext4_file_open_4");	// ftrace: ':' becomes '_'
}

TEST(ProbeDef, SymbolsWithDotsGiveSanitizedNames)
{
	const std::string t = "p foo.isra.0";
	ktr_probe_def d = parse_ok(t);
	EXPECT_EQ(range(t, d.sym_pos, d.sym_len), "foo.isra.0");
	EXPECT_STREQ(d.event, "p_foo_isra_0_0");
}

TEST(ProbeDef, LongDefaultNamesAreTruncatedAsFtraceDoes)
{
	const std::string sym(100, 's');
	ktr_probe_def d = parse_ok("p " + sym);
	EXPECT_EQ(std::strlen(d.event), KTR_EVENT_NAME_MAX - 1U);
	EXPECT_EQ(std::string(d.event), ("p_" + sym).substr(0, KTR_EVENT_NAME_MAX - 1));
}

TEST(ProbeDef, NumericAddress)
{
	ktr_probe_def d = parse_ok("p 0xffffffff81000010");
	EXPECT_EQ(d.kind, KTR_PROBE_KPROBE);
	EXPECT_EQ(d.sym_len, 0);
	EXPECT_EQ(d.addr, 0xffffffff81000010ULL);
	EXPECT_STREQ(d.event, "p_0xffffffff81000010");
	d = parse_ok("r 4096");
	EXPECT_EQ(d.kind, KTR_PROBE_KRETPROBE);
	EXPECT_EQ(d.addr, 4096U);
	EXPECT_STREQ(d.event, "r_0x1000");
}

TEST(ProbeDef, ReturnProbes)
{
	ktr_probe_def d = parse_ok("r vfs_read");
	EXPECT_EQ(d.kind, KTR_PROBE_KRETPROBE);
	EXPECT_STREQ(d.event, "r_vfs_read_0");
	EXPECT_EQ(d.maxactive, 0U);
	d = parse_ok("r vfs_read+0");
	EXPECT_EQ(d.offset, 0U);
	d = parse_ok("r100 vfs_read");
	EXPECT_EQ(d.maxactive, 100U);
	d = parse_ok("r4096:ev vfs_read");
	EXPECT_EQ(d.maxactive, 4096U);
	EXPECT_STREQ(d.event, "ev");
	d = parse_ok("r0x10 vfs_read");
	EXPECT_EQ(d.maxactive, 16U);
}

TEST(ProbeDef, GroupAndEventForms)
{
	ktr_probe_def d = parse_ok("p:myev vfs_read");
	EXPECT_STREQ(d.group, "kprobes");
	EXPECT_STREQ(d.event, "myev");
	d = parse_ok("p:my_grp/_ev9 vfs_read");
	EXPECT_STREQ(d.group, "my_grp");
	EXPECT_STREQ(d.event, "_ev9");
	d = parse_ok("r:grp/ vfs_read");	// ftrace: "GRP/" keeps the default event
	EXPECT_STREQ(d.group, "grp");
	EXPECT_STREQ(d.event, "r_vfs_read_0");
	const std::string max_name(KTR_EVENT_NAME_MAX - 1, 'e');
	d = parse_ok("p:" + max_name + "/" + max_name + " vfs_read");
	EXPECT_EQ(std::string(d.group), max_name);
	EXPECT_EQ(std::string(d.event), max_name);
}

TEST(ProbeDef, BlanksAroundAndBetweenTokens)
{
	const std::string t = " \t p:ev \t vfs_read   %ax\t\t%bx \t ";
	ktr_probe_def d = parse_ok(t);
	EXPECT_STREQ(d.event, "ev");
	EXPECT_EQ(range(t, d.sym_pos, d.sym_len), "vfs_read");
	ASSERT_EQ(d.nargs, 2U);
	EXPECT_EQ(d.args[0].pos, t.find("%ax"));
	EXPECT_EQ(d.args[1].pos, t.find("%bx"));
}

TEST(ProbeDef, Uprobes)
{
	const std::string t = "p /usr/lib/x86_64-linux-gnu/libc.so.6:0x4a0 %di";
	ktr_probe_def d = parse_ok(t);
	EXPECT_EQ(d.kind, KTR_PROBE_UPROBE);
	EXPECT_STREQ(d.group, "uprobes");
	EXPECT_EQ(range(t, d.path_pos, d.path_len), "/usr/lib/x86_64-linux-gnu/libc.so.6");
	EXPECT_EQ(d.offset, 0x4a0U);
	EXPECT_STREQ(d.event, "p_libc_0x4a0");	// ftrace: the base name up to '.', '-' or '_'
	ASSERT_EQ(d.nargs, 1U);

	d = parse_ok("r /bin/bash:1234 $retval");
	EXPECT_EQ(d.kind, KTR_PROBE_URETPROBE);
	EXPECT_STREQ(d.event, "p_bash_0x4d2");	// ftrace says 'p' for return uprobes too
	d = parse_ok("p /opt/my_tool-2:0");
	EXPECT_STREQ(d.event, "p_my_0x0");
	d = parse_ok("p:u/ev /a:b/prog:16");	// the offset follows the last ':'
	EXPECT_STREQ(d.group, "u");
	EXPECT_STREQ(d.event, "ev");
	EXPECT_EQ(d.path_len, std::strlen("/a:b/prog"));
	EXPECT_EQ(d.offset, 16U);
	d = parse_ok("p /bin/bash:0x10 $arg1 +0(%di):string");	// the offset is no function's
	EXPECT_EQ(d.args[0].base, KTR_PFETCH_ARG);
}

// --- fetch arguments ----------------------------------------------------

TEST(ProbeDef, EveryRegisterByEveryName)
{
	const std::vector<std::pair<std::string, unsigned>> regs = {
		{"r15", 0}, {"r14", 1}, {"r13", 2}, {"r12", 3}, {"bp", 4}, {"bx", 5},
		{"r11", 6}, {"r10", 7}, {"r9", 8}, {"r8", 9}, {"ax", 10}, {"cx", 11},
		{"dx", 12}, {"si", 13}, {"di", 14}, {"orig_ax", 15}, {"ip", 16},
		{"cs", 17}, {"flags", 18}, {"sp", 19}, {"ss", 20},
		{"rax", 10}, {"rbx", 5}, {"rcx", 11}, {"rdx", 12}, {"rsi", 13},
		{"rdi", 14}, {"rbp", 4}, {"rsp", 19}, {"rip", 16}};
	for (std::size_t i = 0; i < regs.size(); i++) {
		const auto &[name, reg] = regs[i];
		ktr_probe_def d = parse_ok("p vfs_read %" + name);
		ASSERT_EQ(d.nargs, 1U) << name;
		EXPECT_EQ(d.args[0].base, KTR_PFETCH_REG) << name;
		EXPECT_EQ(d.args[0].reg, reg) << name;
		EXPECT_STREQ(d.args[0].name, "arg1");
		if (i < 21) {	// ftrace's own names, in pt_regs order
			EXPECT_STREQ(ktr_probe_reg_name(reg), name.c_str());
		}
	}
	EXPECT_EQ(ktr_probe_reg_name(21), nullptr);
	EXPECT_EQ(ktr_probe_reg_name(~0U), nullptr);
}

TEST(ProbeDef, EveryBase)
{
	const std::string t = "r vfs_read %di @0xffff0000 @jiffies @jiffies+8 @jiffies-0x10 "
			      "$stack $stack0 $stack2047 $retval $comm \\42 \\-1 \\+7 $duration";
	ktr_probe_def d = parse_ok(t);
	ASSERT_EQ(d.nargs, 14U);
	const ktr_parg *a = d.args;
	EXPECT_EQ(a[0].base, KTR_PFETCH_REG);
	EXPECT_EQ(a[1].base, KTR_PFETCH_ADDR);
	EXPECT_EQ(a[1].imm, 0xffff0000U);
	EXPECT_EQ(a[2].base, KTR_PFETCH_SYMBOL);
	EXPECT_EQ(range(t, a[2].sym_pos, a[2].sym_len), "jiffies");
	EXPECT_EQ(a[2].imm, 0U);
	EXPECT_EQ(a[3].imm, 8U);
	EXPECT_EQ(static_cast<std::int64_t>(a[4].imm), -16);
	EXPECT_EQ(range(t, a[4].sym_pos, a[4].sym_len), "jiffies");
	EXPECT_EQ(a[5].base, KTR_PFETCH_STACK);
	EXPECT_EQ(a[6].base, KTR_PFETCH_STACKN);
	EXPECT_EQ(a[6].index, 0U);
	EXPECT_EQ(a[7].index, 2047U);
	EXPECT_EQ(a[8].base, KTR_PFETCH_RETVAL);
	EXPECT_EQ(a[9].base, KTR_PFETCH_COMM);
	EXPECT_EQ(a[9].type, KTR_PTYPE_STRING);	// $comm defaults to string
	EXPECT_EQ(a[10].base, KTR_PFETCH_IMM);
	EXPECT_EQ(a[10].imm, 42U);
	EXPECT_EQ(static_cast<std::int64_t>(a[11].imm), -1);
	EXPECT_EQ(a[12].imm, 7U);
	EXPECT_EQ(a[13].base, KTR_PFETCH_DURATION);
	EXPECT_EQ(a[13].type, KTR_PTYPE_INT);	// $duration defaults to u64
	EXPECT_EQ(a[13].size, 8);
	EXPECT_EQ(a[13].display, KTR_DISPLAY_DEFAULT);
	EXPECT_FALSE(a[13].is_signed);
	EXPECT_TRUE(d.needs_entry);
	for (unsigned i = 0; i < d.nargs; i++)
		EXPECT_EQ(std::string(a[i].name), "arg" + std::to_string(i + 1));
}

TEST(ProbeDef, ArgN)
{
	ktr_probe_def d = parse_ok("p vfs_read $arg1 $arg6 $arg16");
	EXPECT_EQ(d.args[0].base, KTR_PFETCH_ARG);
	EXPECT_EQ(d.args[0].index, 1U);
	EXPECT_EQ(d.args[1].index, 6U);
	EXPECT_EQ(d.args[2].index, 16U);
	d = parse_ok("p 0xffffffff81000000 $arg2");	// an address: the parser cannot tell
	EXPECT_EQ(d.args[0].index, 2U);
}

TEST(ProbeDef, ModuleSymbolArguments)
{
	const std::string t = "p vfs_read @mod:sym:u32 +0(@mod:sym) @mod:sym+4 @sym:u16";
	ktr_probe_def d = parse_ok(t);
	ASSERT_EQ(d.nargs, 4U);
	EXPECT_EQ(range(t, d.args[0].sym_pos, d.args[0].sym_len), "mod:sym");
	EXPECT_EQ(d.args[0].size, 4);
	EXPECT_EQ(range(t, d.args[1].sym_pos, d.args[1].sym_len), "mod:sym");
	EXPECT_EQ(d.args[1].nderef, 1);
	EXPECT_EQ(range(t, d.args[2].sym_pos, d.args[2].sym_len), "mod:sym");
	EXPECT_EQ(d.args[2].imm, 4U);
	// "@A:B" alone: B is the type.
	EXPECT_EQ(range(t, d.args[3].sym_pos, d.args[3].sym_len), "sym");
	EXPECT_EQ(d.args[3].size, 2);
}

TEST(ProbeDef, EveryType)
{
	struct Row {
		const char *name;
		unsigned type, size, display;
		bool is_signed;
	};
	const Row rows[] = {
		{"u8", KTR_PTYPE_INT, 1, KTR_DISPLAY_DEFAULT, false},
		{"u16", KTR_PTYPE_INT, 2, KTR_DISPLAY_DEFAULT, false},
		{"u32", KTR_PTYPE_INT, 4, KTR_DISPLAY_DEFAULT, false},
		{"u64", KTR_PTYPE_INT, 8, KTR_DISPLAY_DEFAULT, false},
		{"s8", KTR_PTYPE_INT, 1, KTR_DISPLAY_DEFAULT, true},
		{"s16", KTR_PTYPE_INT, 2, KTR_DISPLAY_DEFAULT, true},
		{"s32", KTR_PTYPE_INT, 4, KTR_DISPLAY_DEFAULT, true},
		{"s64", KTR_PTYPE_INT, 8, KTR_DISPLAY_DEFAULT, true},
		{"x8", KTR_PTYPE_INT, 1, KTR_DISPLAY_HEX, false},
		{"x16", KTR_PTYPE_INT, 2, KTR_DISPLAY_HEX, false},
		{"x32", KTR_PTYPE_INT, 4, KTR_DISPLAY_HEX, false},
		{"x64", KTR_PTYPE_INT, 8, KTR_DISPLAY_HEX, false},
		{"string", KTR_PTYPE_STRING, 4, KTR_DISPLAY_DEFAULT, false},
		{"ustring", KTR_PTYPE_USTRING, 4, KTR_DISPLAY_DEFAULT, false},
		{"symbol", KTR_PTYPE_SYMBOL, 8, KTR_DISPLAY_SYMBOL, false},
	};
	for (const Row &r : rows) {
		ktr_probe_def d = parse_ok(std::string("p vfs_read v=+0(%di):") + r.name);
		ASSERT_EQ(d.nargs, 1U) << r.name;
		EXPECT_STREQ(d.args[0].name, "v");
		EXPECT_EQ(d.args[0].type, r.type) << r.name;
		EXPECT_EQ(d.args[0].size, r.size) << r.name;
		EXPECT_EQ(d.args[0].display, r.display) << r.name;
		EXPECT_EQ(d.args[0].is_signed, r.is_signed) << r.name;
	}
	// No type: x64, as ftrace's default on 64-bit.
	ktr_probe_def d = parse_ok("p vfs_read %ax");
	EXPECT_EQ(d.args[0].type, KTR_PTYPE_INT);
	EXPECT_EQ(d.args[0].size, 8);
	EXPECT_EQ(d.args[0].display, KTR_DISPLAY_HEX);
	// Strings from memory: @ADDR, @SYM, $comm, any dereference.
	d = parse_ok("p vfs_read @0x1000:string @sym:ustring $comm:string +0(\\5):string");
	EXPECT_EQ(d.nargs, 4U);
	d = parse_ok("r vfs_read $duration:s32 %ax:symbol");
	EXPECT_EQ(d.args[0].size, 4);
	EXPECT_EQ(d.args[1].display, KTR_DISPLAY_SYMBOL);
}

TEST(ProbeDef, NestedDereferencesAreStoredInnermostFirst)
{
	ktr_probe_def d = parse_ok("p vfs_read +8(-u16(+0x10(-0x7fffffffffffffff(%si)))):u8");
	ASSERT_EQ(d.nargs, 1U);
	const ktr_parg &a = d.args[0];
	EXPECT_EQ(a.base, KTR_PFETCH_REG);
	EXPECT_EQ(a.reg, 13);
	ASSERT_EQ(a.nderef, 4);
	EXPECT_EQ(a.deref[0].offset, -0x7fffffffffffffffLL);
	EXPECT_FALSE(a.deref[0].user);
	EXPECT_EQ(a.deref[1].offset, 16);
	EXPECT_EQ(a.deref[2].offset, -16);
	EXPECT_TRUE(a.deref[2].user);
	EXPECT_EQ(a.deref[3].offset, 8);
	EXPECT_FALSE(a.deref[3].user);
	EXPECT_EQ(a.size, 1);

	d = parse_ok("p vfs_read +u0($stack):ustring -9223372036854775808(%ax)");
	EXPECT_TRUE(d.args[0].deref[0].user);
	EXPECT_EQ(d.args[0].type, KTR_PTYPE_USTRING);
	EXPECT_EQ(d.args[1].deref[0].offset, INT64_MIN);
	d = parse_ok("r vfs_read +0($retval):string");
	EXPECT_EQ(d.args[0].base, KTR_PFETCH_RETVAL);
	EXPECT_EQ(d.args[0].nderef, 1);
}

TEST(ProbeDef, NamedArguments)
{
	ktr_probe_def d = parse_ok("p vfs_read count=%dx:u32 %si buf=+0(%si):string _x9=$comm");
	ASSERT_EQ(d.nargs, 4U);
	EXPECT_STREQ(d.args[0].name, "count");
	EXPECT_STREQ(d.args[1].name, "arg2");	// its position, named or not
	EXPECT_STREQ(d.args[2].name, "buf");
	EXPECT_STREQ(d.args[3].name, "_x9");
	const std::string max_name(KTR_EVENT_NAME_MAX - 1, 'n');
	d = parse_ok("p vfs_read " + max_name + "=%ax");
	EXPECT_EQ(std::string(d.args[0].name), max_name);
}

// --- the payload layout -------------------------------------------------

TEST(ProbeDef, SlotsArePackedAfterTheCommonHeader)
{
	ktr_probe_def d = parse_ok("p vfs_read a=%ax:u8 b=+0(%si):string c=%bx:u16 d=%cx:s64 "
				   "e=%dx:symbol f=$comm g=%di:x32");
	ASSERT_EQ(d.nargs, 7U);
	const unsigned offsets[] = {8, 9, 13, 15, 23, 31, 35};
	for (unsigned i = 0; i < 7; i++)
		EXPECT_EQ(d.args[i].offset, offsets[i]) << d.args[i].name;
	EXPECT_EQ(d.fixed_size, 39U);
	EXPECT_EQ(d.max_size, 39U + 2 * KTR_PROBE_STRING_MAX);
}

TEST(ProbeDef, TheLargestPayloadsThatFit)
{
	// Sixteen 8-byte slots.
	std::string t = "p vfs_read";
	for (int i = 0; i < KTR_PROBE_ARGS_MAX; i++)
		t += " %ax";
	ktr_probe_def d = parse_ok(t);
	EXPECT_EQ(d.nargs, static_cast<unsigned>(KTR_PROBE_ARGS_MAX));
	EXPECT_EQ(d.fixed_size, 8U + 8 * KTR_PROBE_ARGS_MAX);
	EXPECT_EQ(d.max_size, d.fixed_size);
	// Seven strings: 8 + 7 * 4 + 7 * 256 = 1828 <= 2048.
	t = "p vfs_read";
	for (int i = 0; i < 7; i++)
		t += " +0(%di):string";
	d = parse_ok(t);
	EXPECT_EQ(d.fixed_size, 36U);
	EXPECT_EQ(d.max_size, 36U + 7 * KTR_PROBE_STRING_MAX);
	EXPECT_LE(d.max_size, static_cast<unsigned>(KTR_PROBE_PAYLOAD_MAX));
}

TEST(ProbeDef, LayoutCanBeRedone)
{
	ktr_probe_def d = parse_ok("p vfs_read %ax:u8 %bx:u32");
	d.args[0].size = 8;
	ktr_probe_err err{};
	ASSERT_TRUE(ktr_probe_def_layout(&d, &err));
	EXPECT_EQ(d.args[1].offset, 16U);
	EXPECT_EQ(d.fixed_size, 20U);
}

TEST(ProbeDef, TheLongestDefinition)
{
	std::string t = "p vfs_read";
	t += std::string(KTR_PROBE_DEF_MAX - 1 - t.size(), ' ');
	EXPECT_EQ(t.size(), KTR_PROBE_DEF_MAX - 1U);
	parse_ok(t);
}

// --- refusals -----------------------------------------------------------

struct Bad {
	std::string text;
	std::size_t pos;
	std::string message;
};

std::string args_n(int n, const std::string &arg)
{
	std::string s;
	for (int i = 0; i < n; i++)
		s += " " + arg;
	return s;
}

// Every refusal, with the index of its first bad character. The ones with
// neither a tab nor a newline are also in tests/data/probe_defs_bad.txt.
std::vector<Bad> bad_table()
{
	const std::string a64(64, 'a');
	const std::string long_def = "p " + std::string(KTR_PROBE_DEF_MAX, 's');
	const std::string strings8 = "p vfs_read" + args_n(8, "+0(%di):string");
	return {
		{"   ", 0, "empty definition"},
		{"x vfs_read", 0, "unknown probe type (expected p or r)"},
		{"-:kprobes/p_vfs_read_0", 0, "unknown probe type (expected p or r)"},
		{"P vfs_read", 0, "unknown probe type (expected p or r)"},
		{"px vfs_read", 1, "expected ':EVENT' or a blank after the probe type"},
		{"p5 vfs_read", 1, "maxactive is only valid on a return probe"},
		{"r0 vfs_read", 1, "maxactive out of range (1 to 4096)"},
		{"r4097 vfs_read", 1, "maxactive out of range (1 to 4096)"},
		{"r99999999999999999999999 vfs_read", 1, "number too large"},
		{"r012 vfs_read", 1, "octal numbers are not supported (use decimal or 0x)"},
		{"p", 1, "missing probe target (SYMBOL, ADDR or PATH:OFFSET)"},
		{"p:ev", 4, "missing probe target (SYMBOL, ADDR or PATH:OFFSET)"},
		{"p:ev   ", 4, "missing probe target (SYMBOL, ADDR or PATH:OFFSET)"},
		{"p: vfs_read", 2, "missing event name"},
		{"p:/ev vfs_read", 2, "missing group name"},
		{"p:9ev vfs_read", 2, "event name must start with a letter or '_'"},
		{"p:g/9ev vfs_read", 4, "event name must start with a letter or '_'"},
		{"p:9g/ev vfs_read", 2, "group name must start with a letter or '_'"},
		{"p:my-ev vfs_read", 4, "bad character in event name (use A-Z, a-z, 0-9, _)"},
		{"p:grp/my.ev vfs_read", 8, "bad character in event name (use A-Z, a-z, 0-9, _)"},
		{"p:g-rp/ev vfs_read", 3, "bad character in group name (use A-Z, a-z, 0-9, _)"},
		{"p:a/b/c vfs_read", 5, "bad character in event name (use A-Z, a-z, 0-9, _)"},
		{"p:" + a64 + " vfs_read", 65, "event name too long (at most 63 characters)"},
		{"p:" + a64 + "/ev vfs_read", 65, "group name too long (at most 63 characters)"},
		{"p %ax", 2, "expected a probe target (SYMBOL, ADDR or PATH:OFFSET)"},
		{"p :vfs_read", 2, "expected a probe target (SYMBOL, ADDR or PATH:OFFSET)"},
		{"p vfs_read+", 11, "expected a number"},
		{"p vfs_read+0x", 13, "expected hex digits after 0x"},
		{"p vfs_read+0xg", 13, "expected hex digits after 0x"},
		{"p vfs_read+4x", 12, "bad character in number"},
		{"p vfs_read-4", 10, "a probe's offset cannot be negative"},
		{"p vfs_read+18446744073709551616", 11, "number too large"},
		{"p vfs_read+0x10000000000000000", 11, "number too large"},
		{"p vfs_read+010", 11, "octal numbers are not supported (use decimal or 0x)"},
		{"p vfs_read!", 10, "bad character in symbol"},
		{"p vfs_read+4+4", 12, "bad character in number"},
		{"p 0xffffffff81000000+4", 20, "bad character in number"},
		{"p ext4:", 7, "missing symbol after the module"},
		{"p ext-4:vfs_read", 5, "bad character in module name"},
		{"p ext4:4sym", 7, "a symbol cannot start with a digit"},
		{"p ext4:sym:x", 10, "bad character in symbol"},
		{"r vfs_read+4", 11, "a return probe's offset must be 0"},
		{"r vfs_read+0x10", 11, "a return probe's offset must be 0"},
		{"r2 /bin/bash:0x10", 1, "maxactive is not valid for a uprobe"},
		{"p /bin/bash", 11, "expected ':OFFSET' after the path"},
		{"p /bin/bash:", 12, "missing uprobe offset"},
		{"p /bin/bash:main", 12, "uprobe offset must be a number (user space resolves PATH:SYMBOL)"},
		{"p /bin/bash:0x10(0x20)", 16,
		 "reference counter offsets (PATH:OFFSET(REF)) are not supported"},
		{"p /bin/bash:0x10z", 16, "bad character in number"},
		{"p vfs_read %foo", 12, "unknown register"},
		{"p vfs_read %AX", 12, "unknown register"},
		{"p vfs_read %", 12, "unknown register"},
		{"p vfs_read %eax", 12, "unknown register"},
		{"p vfs_read %r16", 12, "unknown register"},
		{"p vfs_read $arg0", 15, "$argN out of range (1 to 16)"},
		{"p vfs_read $arg17", 15, "$argN out of range (1 to 16)"},
		{"p vfs_read $arg", 15, "$argN out of range (1 to 16)"},
		{"p vfs_read+4 $arg1", 13, "$argN is only valid at a function's entry (offset 0)"},
		{"r vfs_read $arg1", 11, "$argN is not valid in a return probe"},
		{"p vfs_read $stack2048", 17, "$stackN out of range (at most 2047)"},
		{"p vfs_read $foo", 11, "unknown variable"},
		{"p vfs_read $", 11, "unknown variable"},
		{"p vfs_read $retval", 11, "$retval is only valid in a return probe"},
		{"p vfs_read $duration", 11, "$duration is only valid in a return probe"},
		{"p /bin/bash:0x10 $retval", 17, "$retval is only valid in a return probe"},
		{"r vfs_read +0($duration)", 14, "$duration cannot be dereferenced"},
		{"p vfs_read +0($comm)", 14, "$comm cannot be dereferenced"},
		{"p vfs_read $comm:u32", 17, "$comm can only be of type string"},
		{"p vfs_read $comm:ustring", 17, "$comm can only be of type string"},
		{"p vfs_read $comm:symbol", 17, "$comm can only be of type string"},
		{"r vfs_read $duration:string", 21, "$duration must have an integer type"},
		{"r vfs_read $duration:symbol", 21, "$duration must have an integer type"},
		{"p vfs_read %ax:string", 15, "a string must be read from memory: +OFFS(...), @ADDR or @SYM"},
		{"p vfs_read %ax:ustring", 15, "a string must be read from memory: +OFFS(...), @ADDR or @SYM"},
		{"p vfs_read \\5:string", 14, "a string must be read from memory: +OFFS(...), @ADDR or @SYM"},
		{"p vfs_read $stack:string", 18,
		 "a string must be read from memory: +OFFS(...), @ADDR or @SYM"},
		{"p vfs_read %ax:foo", 15, "unknown type"},
		{"p vfs_read %ax:u9", 15, "unknown type"},
		{"p vfs_read %ax:U32", 15, "unknown type"},
		{"p vfs_read %ax:u32:u8", 15, "unknown type"},
		{"p vfs_read @mod:sym", 16, "unknown type"},
		{"p vfs_read %ax:", 15, "missing type after ':'"},
		{"p vfs_read +0(%ax", 17, "expected ')'"},
		{"p vfs_read +0(%ax %bx)", 17, "expected ')'"},
		{"p vfs_read +0%ax", 13, "expected '('"},
		{"p vfs_read +0(%ax))", 18, "unexpected ')'"},
		{"p vfs_read %ax)", 14, "unexpected ')'"},
		{"p vfs_read +(%ax)", 12, "expected a number"},
		{"p vfs_read +u(%ax)", 13, "expected a number"},
		{"p vfs_read +0()", 14, "unknown fetch argument"},
		{"p vfs_read +0(+0(+0(+0(+0(%ax)))))", 23, "dereference nested too deeply (at most 4)"},
		{"p vfs_read -0(+8(-16(+24(-u32(%sp))))):u8", 25,
		 "dereference nested too deeply (at most 4)"},
		{"p vfs_read +9223372036854775808(%ax)", 12, "number too large"},
		{"p vfs_read -9223372036854775809(%ax)", 12, "number too large"},
		{"p vfs_read @", 12, "expected an address or a symbol after '@'"},
		{"p vfs_read @-4", 12, "expected an address or a symbol after '@'"},
		{"p vfs_read @+4", 12, "@+OFFSET (a file offset) is not supported"},
		{"p /bin/bash:0x10 @main", 17, "@SYM is only valid in a kernel probe"},
		{"p vfs_read @sym+", 16, "expected a number"},
		{"p vfs_read @m.x:sym:u8", 13, "bad character in module name"},
		{"p vfs_read @mod:1sym+4", 16, "a symbol cannot start with a digit"},
		{"p vfs_read \\", 12, "expected a number"},
		{"p vfs_read \\x", 12, "expected a number"},
		{"p vfs_read junk", 11, "unknown fetch argument"},
		{"p vfs_read %ax junk", 15, "unknown fetch argument"},
		{"p vfs_read %ax%bx", 14, "unexpected character"},
		{"p vfs_read =%ax", 11, "missing argument name before '='"},
		{"p vfs_read 1x=%ax", 11, "argument name must start with a letter or '_'"},
		{"p vfs_read a-b=%ax", 12, "bad character in argument name (use A-Z, a-z, 0-9, _)"},
		{"p vfs_read a=b=%ax", 13, "unknown fetch argument"},
		{"p vfs_read x=", 13, "missing fetch argument"},
		{"p vfs_read common_pid=%ax", 11, "argument name clashes with a common field"},
		{"p vfs_read common_id=%ax", 11, "argument name clashes with a common field"},
		{"p vfs_read common_flags=%ax", 11, "argument name clashes with a common field"},
		{"p vfs_read a=%ax a=%bx", 17, "duplicate argument name"},
		{"p vfs_read %ax arg1=%bx", 15, "duplicate argument name"},
		{"p vfs_read arg2=%ax %bx", 20, "duplicate argument name"},
		{"p vfs_read " + a64 + "=%ax", 74, "argument name too long (at most 63 characters)"},
		{"p vfs_read" + args_n(17, "%ax"), 75, "too many arguments (at most 16)"},
		{strings8, 116, "payload too large (at most 2048 bytes)"},
		{long_def, 1023, "definition too long (at most 1023 bytes)"},
		// Host only (no tests/data line): control characters.
		{"p vfs_read\n%ax", 10, "control character in definition"},
		{"p vfs_read\r", 10, "control character in definition"},
		{std::string("p vfs_read\0%ax", 14), 10, "control character in definition"},
		{"p vfs_read \x7f", 11, "control character in definition"},
	};
}

TEST(ProbeDefBad, EveryRefusalHasItsPositionAndMessage)
{
	const std::vector<Bad> table = bad_table();
	EXPECT_GE(table.size(), 40U);
	for (const Bad &b : table) {
		auto r = parse_probe_def(b.text);
		ASSERT_TRUE(std::holds_alternative<ProbeDefError>(r)) << b.text;
		const auto &e = std::get<ProbeDefError>(r);
		EXPECT_EQ(e.message, b.message) << b.text;
		EXPECT_EQ(e.pos, b.pos) << b.text << "\n" << render_probe_def_error(b.text, e);
		EXPECT_LE(e.pos, b.text.size()) << b.text;
	}
}

TEST(ProbeDefBad, TheEmptyText)
{
	auto r = parse_probe_def("");
	ASSERT_TRUE(std::holds_alternative<ProbeDefError>(r));
	EXPECT_EQ(std::get<ProbeDefError>(r).pos, 0U);
	EXPECT_EQ(std::get<ProbeDefError>(r).message, "empty definition");
}

TEST(ProbeDefBad, MessagesAreOneLowercaseLineWithoutAPeriod)
{
	for (const Bad &b : bad_table()) {
		ASSERT_FALSE(b.message.empty());
		EXPECT_FALSE(b.message[0] >= 'A' && b.message[0] <= 'Z') << b.message;
		EXPECT_NE(b.message.back(), '.') << b.message;
		EXPECT_EQ(b.message.find('\n'), std::string::npos) << b.message;
	}
}

// The text is not NUL-terminated: the parser reads only [0, len).
TEST(ProbeDefBad, TheParserStopsAtTheLength)
{
	const std::string t = "p vfs_read %ax:u8";
	ktr_probe_def d{};
	ktr_probe_err err{};
	ASSERT_TRUE(ktr_probe_def_parse(t.data(), t.size() - 3, &d, &err));
	EXPECT_EQ(d.args[0].size, 8);	// "%ax" alone: x64
	ASSERT_FALSE(ktr_probe_def_parse(t.data(), t.size() - 2, &d, &err));
	EXPECT_EQ(err.pos, 15U);
	EXPECT_STREQ(err.msg, "missing type after ':'");
}

// tests/data/probe_defs_bad.txt: the same refusals for a VM test to send to
// the module raw; it must match the table (and so the parser).
TEST(ProbeDefBad, TheDataFileMatchesTheParser)
{
	std::ifstream in(KTR_TEST_DATA_DIR "/probe_defs_bad.txt");
	ASSERT_TRUE(in) << "cannot open " KTR_TEST_DATA_DIR "/probe_defs_bad.txt";
	std::set<std::string> in_file;
	std::string line;
	int n = 0;
	while (std::getline(in, line)) {
		if (line.empty() || line[0] == '#')
			continue;
		const std::size_t tab = line.rfind('\t');
		ASSERT_NE(tab, std::string::npos) << "no tab in: " << line;
		const std::string def = line.substr(0, tab), want = line.substr(tab + 1);
		ASSERT_FALSE(want.empty()) << line;
		auto r = parse_probe_def(def);
		ASSERT_TRUE(std::holds_alternative<ProbeDefError>(r)) << def;
		EXPECT_NE(std::get<ProbeDefError>(r).message.find(want), std::string::npos)
			<< def << ": got \"" << std::get<ProbeDefError>(r).message << "\"";
		in_file.insert(def);
		n++;
	}
	EXPECT_GE(n, 40);
	for (const Bad &b : bad_table()) {
		const bool sendable = b.text.find_first_of(std::string("\t\n\r\x7f\0", 5)) ==
				      std::string::npos;
		EXPECT_EQ(in_file.count(b.text), sendable ? 1U : 0U)
			<< "the table and the data file differ on: " << b.text;
	}
	EXPECT_EQ(in_file.size(), static_cast<std::size_t>(n)) << "a line is repeated";
}

// --- the caret and the one-line form -----------------------------------

TEST(ProbeDefRender, TheCaretIsUnderTheBadCharacter)
{
	const std::string t = "p:ev vfs_read %ax:u9";
	auto r = parse_probe_def(t);
	ASSERT_TRUE(std::holds_alternative<ProbeDefError>(r));
	EXPECT_EQ(render_probe_def_error(t, std::get<ProbeDefError>(r)),
		  "definition:\n"
		  "  p:ev vfs_read %ax:u9\n"
		  "                    ^ unknown type");
}

TEST(ProbeDefRender, TabsAreKeptSoTheCaretLinesUp)
{
	const std::string t = "p\tvfs_read\t%foo";
	auto r = parse_probe_def(t);
	ASSERT_TRUE(std::holds_alternative<ProbeDefError>(r));
	EXPECT_EQ(render_probe_def_error(t, std::get<ProbeDefError>(r)),
		  "definition:\n"
		  "  p\tvfs_read\t%foo\n"
		  "   \t        \t ^ unknown register");
}

TEST(ProbeDefRender, AtTheEndAndOnControlCharacters)
{
	EXPECT_EQ(render_probe_def_error("p", ProbeDefError{1, "missing probe target"}),
		  "definition:\n  p\n   ^ missing probe target");
	EXPECT_EQ(render_probe_def_error("p x\ny", ProbeDefError{3, "control character in definition"}),
		  "definition:\n  p x?y\n     ^ control character in definition");
	// A position past the end (never from the parser) is put at the end.
	EXPECT_EQ(render_probe_def_error("ab", ProbeDefError{9, "m"}), "definition:\n  ab\n    ^ m");
	// A UTF-8 character takes one column.
	EXPECT_EQ(render_probe_def_error("p /\xc3\xa9:x", ProbeDefError{6, "m"}),
		  "definition:\n  p /\xc3\xa9:x\n       ^ m");
}

TEST(ProbeDefCheck, OneLineWithTheColumn)
{
	Result<ktr_probe_def> r = check_probe_def("p vfs_read %foo");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	EXPECT_EQ(r.error().message(), "bad probe definition at column 13: unknown register");
	Result<ktr_probe_def> ok = check_probe_def("r:g/e vfs_read $retval:s32");
	ASSERT_TRUE(ok) << ok.error().message();
	EXPECT_STREQ(ok->event, "e");
	EXPECT_EQ(ok->args[0].is_signed, true);
}

// --- fuzz ---------------------------------------------------------------

bool is_identifier(const char *s)
{
	if (!*s || !(std::isalpha(static_cast<unsigned char>(*s)) || *s == '_'))
		return false;
	for (; *s; s++)
		if (!(std::isalnum(static_cast<unsigned char>(*s)) || *s == '_'))
			return false;
	return true;
}

// What the module relies on in an accepted definition (the invariants at
// the top of ktr_probe_def.c).
void check_invariants(const std::string &t, const ktr_probe_def &d)
{
	ASSERT_TRUE(is_identifier(d.group)) << t;
	ASSERT_TRUE(is_identifier(d.event)) << t;
	ASSERT_GE(d.kind, KTR_PROBE_KPROBE) << t;
	ASSERT_LE(d.kind, KTR_PROBE_URETPROBE) << t;
	ASSERT_LE(d.nargs, static_cast<unsigned>(KTR_PROBE_ARGS_MAX)) << t;
	ASSERT_LE(d.maxactive, static_cast<unsigned>(KTR_PROBE_MAXACTIVE_MAX)) << t;
	ASSERT_LE(d.sym_pos + d.sym_len, t.size()) << t;
	ASSERT_LE(d.mod_pos + d.mod_len, t.size()) << t;
	ASSERT_LE(d.path_pos + d.path_len, t.size()) << t;
	const bool ret = d.kind == KTR_PROBE_KRETPROBE || d.kind == KTR_PROBE_URETPROBE;
	unsigned off = 8, strings = 0;
	bool duration = false;
	std::set<std::string> names;
	for (unsigned i = 0; i < d.nargs; i++) {
		const ktr_parg &a = d.args[i];
		ASSERT_TRUE(is_identifier(a.name)) << t;
		ASSERT_TRUE(names.insert(a.name).second) << t;
		ASSERT_EQ(std::string(a.name).rfind("common_", 0), std::string::npos) << t;
		ASSERT_GE(a.base, KTR_PFETCH_REG) << t;
		ASSERT_LE(a.base, KTR_PFETCH_DURATION) << t;
		ASSERT_LE(a.nderef, KTR_PROBE_DEREF_MAX) << t;
		ASSERT_LE(a.reg, 20) << t;
		ASSERT_LE(a.sym_pos + a.sym_len, t.size()) << t;
		if (a.base == KTR_PFETCH_RETVAL || a.base == KTR_PFETCH_DURATION) {
			ASSERT_TRUE(ret) << t;
		}
		duration |= a.base == KTR_PFETCH_DURATION;
		if (a.type == KTR_PTYPE_STRING || a.type == KTR_PTYPE_USTRING) {
			ASSERT_EQ(a.size, 4) << t;
			ASSERT_TRUE(a.nderef || a.base == KTR_PFETCH_ADDR ||
				    a.base == KTR_PFETCH_SYMBOL || a.base == KTR_PFETCH_COMM)
				<< t;
			strings++;
		} else {
			ASSERT_TRUE(a.size == 1 || a.size == 2 || a.size == 4 || a.size == 8) << t;
		}
		ASSERT_EQ(a.offset, off) << t;
		off += a.size;
	}
	ASSERT_EQ(d.fixed_size, off) << t;
	ASSERT_EQ(d.max_size, off + strings * KTR_PROBE_STRING_MAX) << t;
	ASSERT_LE(d.max_size, static_cast<unsigned>(KTR_PROBE_PAYLOAD_MAX)) << t;
	ASSERT_EQ(d.needs_entry, duration) << t;
}

TEST(ProbeDefFuzz, MutatedDefinitionsParseOrPointInside)
{
	const std::vector<std::string> seeds = {
		"p:grp/ev vfs_read+0x10 a=%di +8(%si):u32 @jiffies @mod:sym:u32",
		"r100:g/e ext4:ext4_file_open $retval:s32 $duration +0(+8(-u16(%ax))):ustring",
		"p /usr/bin/bash:0x4a0 %ax +u0(%di):string $comm $stack3 \\-7",
		"p 0xffffffff81000000 $arg1 $arg6:x8 @0x1000:symbol @sym-0x10:string",
		"r vfs_read $retval:symbol count=$stack:u16 name=+0(@mod:sym+4):string",
	};
	const std::string alphabet = "pr:/+-()%@$\\=_ux0123456789abcdefgsSmtinAX\t .,;'\"~!#";
	std::mt19937 rng(12345);	// fixed: a failure reproduces
	auto pick = [&](std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng); };
	int accepted = 0, refused = 0;
	for (int iter = 0; iter < 40000; iter++) {
		std::string t = seeds[pick(seeds.size())];
		const std::size_t edits = 1 + pick(4);
		for (std::size_t k = 0; k < edits; k++) {
			const std::size_t at = pick(t.size() + 1);
			switch (pick(5)) {
			case 0:	// replace a byte, any byte
				if (at < t.size())
					t[at] = static_cast<char>(pick(256));
				break;
			case 1:	// insert from the alphabet
				t.insert(at, 1, alphabet[pick(alphabet.size())]);
				break;
			case 2:	// delete
				if (at < t.size())
					t.erase(at, 1);
				break;
			case 3:	// duplicate a slice
				if (at < t.size())
					t.insert(at, t.substr(at, 1 + pick(8)));
				break;
			default:	// cut
				t.resize(at);
				break;
			}
		}
		// An exactly sized heap copy: reading past it is a sanitizer error.
		std::vector<char> buf(t.begin(), t.end());
		ktr_probe_def d{};
		ktr_probe_err err{};
		if (ktr_probe_def_parse(buf.data(), buf.size(), &d, &err)) {
			accepted++;
			check_invariants(t, d);
		} else {
			refused++;
			ASSERT_NE(err.msg, nullptr) << t;
			ASSERT_GT(std::strlen(err.msg), 0U) << t;
			ASSERT_LE(err.pos, t.size()) << t;
		}
		if (HasFatalFailure())
			return;
	}
	// Both outcomes are exercised.
	EXPECT_GT(accepted, 1000);
	EXPECT_GT(refused, 1000);
}

} // namespace
} // namespace ktr
