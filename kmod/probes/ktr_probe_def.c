// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ktr_probe_def.c - the probe definition parser (ktr_probe_def.h).
 *
 * One source for ktr.ko and libktr: portable C, no allocation, no lock,
 * nothing from libc but memcpy/memset/memcmp/strlen; numbers are parsed
 * here. The grammar is ftrace's kprobe_events / uprobe_events line:
 *
 *   DEF      := KIND [':' NAMES] BLANKS TARGET (BLANKS ARG)*
 *   KIND     := 'p' | 'r' [MAXACTIVE]        MAXACTIVE 1..4096, kprobes only
 *   NAMES    := [GRP '/'] [EVENT]            "GRP/" alone: default EVENT
 *   TARGET   := [MOD ':'] SYM ['+' NUM]      kprobe (r: offset 0 only)
 *             | NUM                          kprobe on an address
 *             | '/' PATH ':' NUM             uprobe (PATH: up to the last ':')
 *   ARG      := [NAME '='] FETCH [':' TYPE]
 *   FETCH    := '%' REG | '@' NUM | '@' [MOD ':'] SYM [('+'|'-') NUM]
 *             | '$stack' | '$stack' N | '$arg' N | '$retval' | '$comm'
 *             | '$duration' | '\' [('+'|'-')] NUM
 *             | ('+'|'-') ['u'] NUM '(' FETCH ')'
 *   TYPE     := u8..u64 | s8..s64 | x8..x64 | string | ustring | symbol
 *   NUM      := decimal | '0x' hex           (a leading 0 is refused: octal
 *                                             in ftrace, ambiguous here)
 *
 * Blanks are spaces and tabs; leading and trailing ones are ignored. In
 * "@A:B" the ':' starts the type unless more of the fetch argument follows
 * B (a ':', an offset or a ')'), when A is a module: "@mod:sym:u32".
 *
 * Invariants of a definition this parser accepts (what the module relies
 * on without checking again):
 *  1. Every name (group, event, argument) is a C identifier shorter than
 *     KTR_EVENT_NAME_MAX, NUL-terminated; argument names are distinct and
 *     none is a common field's (common_id, common_flags, common_pid).
 *  2. kind is a enum ktr_probe_kind. Kprobes: sym_len > 0 (a symbol, maybe
 *     with a module: mod_len > 0) or sym_len == 0 and addr the address;
 *     uprobes: path_pos/path_len an absolute path, offset the file offset.
 *     A return probe on a symbol has offset 0; maxactive is 0 or
 *     1..KTR_PROBE_MAXACTIVE_MAX, and non-zero only on a kretprobe.
 *  3. nargs <= KTR_PROBE_ARGS_MAX; each argument's base is a known one,
 *     nderef <= KTR_PROBE_DEREF_MAX, and: REG has reg <= 20 (a word of
 *     x86-64's pt_regs); ARG has 1 <= index <= KTR_PROBE_ARGN_MAX, only on
 *     an entry probe (not at a symbol's non-zero offset); STACKN has index
 *     <= KTR_PROBE_STACKN_MAX; RETVAL and DURATION only on return probes;
 *     COMM and DURATION are never dereferenced; SYMBOL only on kprobes.
 *  4. type/size/is_signed/display agree: INT 1, 2, 4 or 8 bytes; SYMBOL 8
 *     (display SYMBOL); STRING and USTRING 4 (a KTR_FIELD_STRING_LOC slot)
 *     and read from memory: nderef > 0, or base ADDR, SYMBOL or COMM. COMM
 *     is always a STRING; DURATION always an INT.
 *  5. Slots are packed in argument order right after struct
 *     ktr_event_common; fixed_size is where the last one ends and
 *     max_size = fixed_size + KTR_PROBE_STRING_MAX per string argument
 *     <= KTR_PROBE_PAYLOAD_MAX.
 *  6. needs_entry is set exactly when a return probe has a $duration.
 *
 * A refusal gives the index of the first bad character (at most the
 * length: the end of the text when something is missing) and a static,
 * lowercase message without a trailing period.
 */
#ifdef __KERNEL__
#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <linux/types.h>
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

#include "ktr_probe_def.h"
#include "ktr_event.h"

#define KTR_PD_STR_(x) #x
#define KTR_PD_STR(x) KTR_PD_STR_(x)

/* Messages that spell limits out. */
#if KTR_PROBE_DEF_MAX != 1024 || KTR_EVENT_NAME_MAX != 64
#error "update the messages saying 1023 bytes and 63 characters"
#endif
static const char ktr_pd_msg_stackn[] =
	"$stackN out of range (at most " KTR_PD_STR(KTR_PROBE_STACKN_MAX) ")";
static const char ktr_pd_msg_argn[] =
	"$argN out of range (1 to " KTR_PD_STR(KTR_PROBE_ARGN_MAX) ")";
static const char ktr_pd_msg_deref[] =
	"dereference nested too deeply (at most " KTR_PD_STR(KTR_PROBE_DEREF_MAX) ")";
static const char ktr_pd_msg_payload[] =
	"payload too large (at most " KTR_PD_STR(KTR_PROBE_PAYLOAD_MAX) " bytes)";
static const char ktr_pd_msg_maxactive[] =
	"maxactive out of range (1 to " KTR_PD_STR(KTR_PROBE_MAXACTIVE_MAX) ")";
static const char ktr_pd_msg_nargs[] =
	"too many arguments (at most " KTR_PD_STR(KTR_PROBE_ARGS_MAX) ")";

#define KTR_PD_REGS	21	/* words of x86-64's struct pt_regs */

/* Names of x86-64's pt_regs words, in order, as ftrace spells them. */
static const char *const ktr_pd_regs[KTR_PD_REGS] = {
	"r15", "r14", "r13", "r12", "bp", "bx", "r11", "r10", "r9", "r8",
	"ax", "cx", "dx", "si", "di", "orig_ax", "ip", "cs", "flags", "sp",
	"ss",
};

/* The r-prefixed aliases ("rax") and the word each names. */
static const struct {
	const char *name;
	__u8 reg;
} ktr_pd_reg_aliases[] = {
	{ "rax", 10 }, { "rbx", 5 }, { "rcx", 11 }, { "rdx", 12 },
	{ "rsi", 13 }, { "rdi", 14 }, { "rbp", 4 }, { "rsp", 19 },
	{ "rip", 16 },
};

/* The :TYPE names. */
static const struct {
	const char *name;
	__u8 type, size, display;
	bool is_signed;
} ktr_pd_types[] = {
	{ "u8", KTR_PTYPE_INT, 1, KTR_DISPLAY_DEFAULT, false },
	{ "u16", KTR_PTYPE_INT, 2, KTR_DISPLAY_DEFAULT, false },
	{ "u32", KTR_PTYPE_INT, 4, KTR_DISPLAY_DEFAULT, false },
	{ "u64", KTR_PTYPE_INT, 8, KTR_DISPLAY_DEFAULT, false },
	{ "s8", KTR_PTYPE_INT, 1, KTR_DISPLAY_DEFAULT, true },
	{ "s16", KTR_PTYPE_INT, 2, KTR_DISPLAY_DEFAULT, true },
	{ "s32", KTR_PTYPE_INT, 4, KTR_DISPLAY_DEFAULT, true },
	{ "s64", KTR_PTYPE_INT, 8, KTR_DISPLAY_DEFAULT, true },
	{ "x8", KTR_PTYPE_INT, 1, KTR_DISPLAY_HEX, false },
	{ "x16", KTR_PTYPE_INT, 2, KTR_DISPLAY_HEX, false },
	{ "x32", KTR_PTYPE_INT, 4, KTR_DISPLAY_HEX, false },
	{ "x64", KTR_PTYPE_INT, 8, KTR_DISPLAY_HEX, false },
	{ "string", KTR_PTYPE_STRING, 4, KTR_DISPLAY_DEFAULT, false },
	{ "ustring", KTR_PTYPE_USTRING, 4, KTR_DISPLAY_DEFAULT, false },
	{ "symbol", KTR_PTYPE_SYMBOL, 8, KTR_DISPLAY_SYMBOL, false },
};

/* Indexes into ktr_pd_types[] of the default types. */
#define KTR_PD_TYPE_U64		3
#define KTR_PD_TYPE_X64		11
#define KTR_PD_TYPE_STRING	12

/* What a name check says, per kind of name. */
struct ktr_pd_name_msgs {
	const char *empty, *first, *bad, *too_long;
};

static const struct ktr_pd_name_msgs ktr_pd_group_msgs = {
	"missing group name",
	"group name must start with a letter or '_'",
	"bad character in group name (use A-Z, a-z, 0-9, _)",
	"group name too long (at most 63 characters)",
};

static const struct ktr_pd_name_msgs ktr_pd_event_msgs = {
	"missing event name",
	"event name must start with a letter or '_'",
	"bad character in event name (use A-Z, a-z, 0-9, _)",
	"event name too long (at most 63 characters)",
};

static const struct ktr_pd_name_msgs ktr_pd_arg_msgs = {
	"missing argument name before '='",
	"argument name must start with a letter or '_'",
	"bad character in argument name (use A-Z, a-z, 0-9, _)",
	"argument name too long (at most 63 characters)",
};

/* The names of struct ktr_event_common's fields, as events list them. */
static const char *const ktr_pd_common_fields[] = {
	"common_id", "common_flags", "common_pid",
};

/* The parser's state: the text and what is being filled. */
struct ktr_pd {
	const char *s;
	size_t end;		/* the text's end, trailing blanks excluded */
	struct ktr_probe_def *def;
	struct ktr_probe_err *err;
	bool ret;		/* a return probe */
	bool user;		/* a uprobe */
};

static bool ktr_pd_fail(struct ktr_pd *pd, size_t pos, const char *msg)
{
	pd->err->pos = (__u32)pos;
	pd->err->msg = msg;
	return false;
}

static bool ktr_pd_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool ktr_pd_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool ktr_pd_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool ktr_pd_ident(char c)
{
	return ktr_pd_alpha(c) || ktr_pd_digit(c) || c == '_';
}

/* A kernel symbol's characters ("foo.isra.0", "__func__.1"). */
static bool ktr_pd_symchar(char c)
{
	return ktr_pd_ident(c) || c == '.';
}

static int ktr_pd_hexval(char c)
{
	if (ktr_pd_digit(c))
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Whether [pos, pos + n) of the text is the C string @word. */
static bool ktr_pd_is(const struct ktr_pd *pd, size_t pos, size_t n,
		      const char *word)
{
	return strlen(word) == n && memcmp(pd->s + pos, word, n) == 0;
}

/* The end of the token at @pos: its first blank, or the text's end. */
static size_t ktr_pd_tok_end(const struct ktr_pd *pd, size_t pos)
{
	while (pos < pd->end && !ktr_pd_blank(pd->s[pos]))
		pos++;
	return pos;
}

/**
 * ktr_pd_num - parse an unsigned number: decimal, or hex after "0x"
 * @pd: the parser.
 * @pos: where it starts; set past its last digit.
 * @end: where the token ends.
 * @val: the value.
 *
 * The number ends at the first character that is not one of its digits;
 * the caller says whether what follows may follow.
 *
 * Return: false (with the error set) when there is no number there, it
 * overflows 64 bits, or it has a leading 0 (ftrace's octal).
 */
static bool ktr_pd_num(struct ktr_pd *pd, size_t *pos, size_t end, __u64 *val)
{
	size_t start = *pos, p = *pos;
	__u64 v = 0;

	if (p >= end || !ktr_pd_digit(pd->s[p]))
		return ktr_pd_fail(pd, p, "expected a number");
	if (pd->s[p] == '0' && p + 1 < end &&
	    (pd->s[p + 1] == 'x' || pd->s[p + 1] == 'X')) {
		p += 2;
		if (p >= end || ktr_pd_hexval(pd->s[p]) < 0)
			return ktr_pd_fail(pd, p, "expected hex digits after 0x");
		for (; p < end && ktr_pd_hexval(pd->s[p]) >= 0; p++) {
			if (v >> 60)
				return ktr_pd_fail(pd, start, "number too large");
			v = v << 4 | (__u64)ktr_pd_hexval(pd->s[p]);
		}
	} else {
		if (pd->s[p] == '0' && p + 1 < end && ktr_pd_digit(pd->s[p + 1]))
			return ktr_pd_fail(pd, p,
					   "octal numbers are not supported (use decimal or 0x)");
		for (; p < end && ktr_pd_digit(pd->s[p]); p++) {
			__u64 d = (__u64)(pd->s[p] - '0');

			if (v > (~0ULL - d) / 10)
				return ktr_pd_fail(pd, start, "number too large");
			v = v * 10 + d;
		}
	}
	*pos = p;
	*val = v;
	return true;
}

/**
 * ktr_pd_snum - parse a signed number: '+' or '-' then ktr_pd_num()
 * @pd: the parser.
 * @pos: the sign; set past the number.
 * @end: where the token ends.
 * @allow_user: accept a 'u' after the sign (a user memory dereference).
 * @user: set when there was a 'u' (may be NULL without @allow_user).
 * @val: the value, -2^63..2^63-1.
 *
 * Return: false with the error set when malformed or out of range.
 */
static bool ktr_pd_snum(struct ktr_pd *pd, size_t *pos, size_t end,
			bool allow_user, bool *user, __s64 *val)
{
	bool neg = pd->s[*pos] == '-';
	size_t p = *pos + 1, start;
	__u64 mag;

	if (allow_user) {
		*user = p < end && pd->s[p] == 'u';
		if (*user)
			p++;
	}
	start = p;
	if (!ktr_pd_num(pd, &p, end, &mag))
		return false;
	if (mag > (neg ? 1ULL << 63 : (1ULL << 63) - 1))
		return ktr_pd_fail(pd, start, "number too large");
	/* Two's complement, without a signed overflow for -2^63. */
	*val = (__s64)(neg ? ~mag + 1 : mag);
	*pos = p;
	return true;
}

/**
 * ktr_pd_name - check a name and copy it out
 * @pd: the parser.
 * @pos: where it starts.
 * @end: where it ends.
 * @out: KTR_EVENT_NAME_MAX bytes; the name, NUL-terminated.
 * @m: the messages for this kind of name.
 *
 * Return: whether it is a C identifier shorter than KTR_EVENT_NAME_MAX.
 */
static bool ktr_pd_name(struct ktr_pd *pd, size_t pos, size_t end, char *out,
			const struct ktr_pd_name_msgs *m)
{
	size_t i;

	if (pos == end)
		return ktr_pd_fail(pd, pos, m->empty);
	if (!ktr_pd_alpha(pd->s[pos]) && pd->s[pos] != '_')
		return ktr_pd_fail(pd, pos, m->first);
	for (i = pos; i < end; i++) {
		if (i - pos == KTR_EVENT_NAME_MAX - 1)
			return ktr_pd_fail(pd, i, m->too_long);
		if (!ktr_pd_ident(pd->s[i]))
			return ktr_pd_fail(pd, i, m->bad);
	}
	memcpy(out, pd->s + pos, end - pos);
	out[end - pos] = '\0';
	return true;
}

/* A default event name under construction: truncated as ftrace's is. */
struct ktr_pd_namebuf {
	char *buf;
	size_t n;
};

static void ktr_pd_putc(struct ktr_pd_namebuf *nb, char c)
{
	if (nb->n < KTR_EVENT_NAME_MAX - 1)
		nb->buf[nb->n++] = ktr_pd_ident(c) ? c : (char)'_';
	nb->buf[nb->n] = '\0';
}

static void ktr_pd_puts(struct ktr_pd_namebuf *nb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ktr_pd_putc(nb, s[i]);
}

static void ktr_pd_putu(struct ktr_pd_namebuf *nb, __u64 v, bool hex)
{
	char digits[24];
	unsigned int base = hex ? 16 : 10, n = 0;

	if (hex)
		ktr_pd_puts(nb, "0x", 2);
	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		ktr_pd_putc(nb, digits[--n]);
}

/*
 * ftrace's default event names: "p_SYM_OFFS" / "r_SYM_0" (MOD:SYM whole),
 * "p_0xADDR" for an address (ftrace prints a hashed pointer there: ktr
 * the address), and for uprobes "p_BASE_0xOFFS" with BASE the file's name
 * cut at its first '.', '-' or '_', and 'p' for a return probe too.
 */
static void ktr_pd_default_event(struct ktr_pd *pd)
{
	struct ktr_probe_def *def = pd->def;
	struct ktr_pd_namebuf nb = { def->event, 0 };

	ktr_pd_putc(&nb, pd->ret && !pd->user ? 'r' : 'p');
	ktr_pd_putc(&nb, '_');
	if (pd->user) {
		size_t b = def->path_pos + def->path_len, e;

		while (pd->s[b - 1] != '/')
			b--;
		for (e = b; e < def->path_pos + def->path_len; e++)
			if (pd->s[e] == '.' || pd->s[e] == '-' ||
			    pd->s[e] == '_')
				break;
		ktr_pd_puts(&nb, pd->s + b, e - b);
		ktr_pd_putc(&nb, '_');
		ktr_pd_putu(&nb, def->offset, true);
	} else if (def->sym_len) {
		size_t b = def->mod_len ? def->mod_pos : def->sym_pos;

		ktr_pd_puts(&nb, pd->s + b, def->sym_pos + def->sym_len - b);
		ktr_pd_putc(&nb, '_');
		ktr_pd_putu(&nb, def->offset, false);
	} else {
		ktr_pd_putu(&nb, def->addr, true);
	}
}

/**
 * ktr_pd_names - parse ":[GRP/]EVENT" (the token after the ':')
 * @pd: the parser.
 * @pos: just after the ':'.
 * @end: the token's end.
 *
 * Return: false with the error set on a bad name.
 */
static bool ktr_pd_names(struct ktr_pd *pd, size_t pos, size_t end)
{
	size_t slash;

	for (slash = pos; slash < end && pd->s[slash] != '/'; slash++)
		;
	if (slash == end)
		return ktr_pd_name(pd, pos, end, pd->def->event,
				   &ktr_pd_event_msgs);
	if (!ktr_pd_name(pd, pos, slash, pd->def->group, &ktr_pd_group_msgs))
		return false;
	/* "GRP/" names the group only, as ftrace allows. */
	if (slash + 1 == end)
		return true;
	return ktr_pd_name(pd, slash + 1, end, pd->def->event,
			   &ktr_pd_event_msgs);
}

/* The uprobe target "/PATH:OFFSET" at [pos, end). */
static bool ktr_pd_uprobe_target(struct ktr_pd *pd, size_t pos, size_t end)
{
	struct ktr_probe_def *def = pd->def;
	size_t colon = end, p;

	for (p = pos; p < end; p++)
		if (pd->s[p] == ':')
			colon = p;
	if (colon == end)
		return ktr_pd_fail(pd, end, "expected ':OFFSET' after the path");
	def->path_pos = (__u16)pos;
	def->path_len = (__u16)(colon - pos);
	p = colon + 1;
	if (p == end)
		return ktr_pd_fail(pd, p, "missing uprobe offset");
	if (!ktr_pd_digit(pd->s[p]))
		return ktr_pd_fail(pd, p,
				   "uprobe offset must be a number (user space resolves PATH:SYMBOL)");
	if (!ktr_pd_num(pd, &p, end, &def->offset))
		return false;
	if (p < end && pd->s[p] == '(')
		return ktr_pd_fail(pd, p,
				   "reference counter offsets (PATH:OFFSET(REF)) are not supported");
	if (p < end)
		return ktr_pd_fail(pd, p, "bad character in number");
	def->kind = pd->ret ? KTR_PROBE_URETPROBE : KTR_PROBE_UPROBE;
	return true;
}

/* The kprobe target "[MOD:]SYM[+OFFS]" or "ADDR" at [pos, end). */
static bool ktr_pd_kprobe_target(struct ktr_pd *pd, size_t pos, size_t end)
{
	struct ktr_probe_def *def = pd->def;
	size_t p = pos, off;

	def->kind = pd->ret ? KTR_PROBE_KRETPROBE : KTR_PROBE_KPROBE;
	if (ktr_pd_digit(pd->s[p])) {
		if (!ktr_pd_num(pd, &p, end, &def->addr))
			return false;
		if (p < end)
			return ktr_pd_fail(pd, p, "bad character in number");
		return true;
	}
	for (; p < end && pd->s[p] != ':'; p++)
		;
	if (p < end) {
		size_t m;

		if (p == pos)
			return ktr_pd_fail(pd, pos, "missing module name before ':'");
		for (m = pos; m < p; m++)
			if (!ktr_pd_ident(pd->s[m]))
				return ktr_pd_fail(pd, m,
						   "bad character in module name");
		def->mod_pos = (__u16)pos;
		def->mod_len = (__u16)(p - pos);
		pos = p + 1;
		if (pos == end)
			return ktr_pd_fail(pd, pos, "missing symbol after the module");
	}
	if (ktr_pd_digit(pd->s[pos]))
		return ktr_pd_fail(pd, pos, "a symbol cannot start with a digit");
	for (p = pos; p < end && ktr_pd_symchar(pd->s[p]); p++)
		;
	if (p == pos)
		return ktr_pd_fail(pd, pos, "bad character in symbol");
	def->sym_pos = (__u16)pos;
	def->sym_len = (__u16)(p - pos);
	if (p == end)
		return true;
	if (pd->s[p] == '-')
		return ktr_pd_fail(pd, p, "a probe's offset cannot be negative");
	if (pd->s[p] != '+')
		return ktr_pd_fail(pd, p, "bad character in symbol");
	off = ++p;
	if (!ktr_pd_num(pd, &p, end, &def->offset))
		return false;
	if (p < end)
		return ktr_pd_fail(pd, p, "bad character in number");
	if (pd->ret && def->offset)
		return ktr_pd_fail(pd, off, "a return probe's offset must be 0");
	return true;
}

/* "%REG" at @pos (the '%'). */
static bool ktr_pd_reg(struct ktr_pd *pd, size_t *pos, size_t end,
		       struct ktr_parg *arg)
{
	size_t b = *pos + 1, e = b;
	unsigned int i;

	while (e < end && (ktr_pd_ident(pd->s[e])))
		e++;
	for (i = 0; i < KTR_PD_REGS; i++)
		if (ktr_pd_is(pd, b, e - b, ktr_pd_regs[i]))
			break;
	if (i == KTR_PD_REGS) {
		unsigned int a;

		for (a = 0; a < ARRAY_SIZE(ktr_pd_reg_aliases); a++)
			if (ktr_pd_is(pd, b, e - b, ktr_pd_reg_aliases[a].name))
				break;
		if (a == ARRAY_SIZE(ktr_pd_reg_aliases))
			return ktr_pd_fail(pd, b, "unknown register");
		i = ktr_pd_reg_aliases[a].reg;
	}
	arg->base = KTR_PFETCH_REG;
	arg->reg = (__u8)i;
	*pos = e;
	return true;
}

/* "@ADDR" or "@[MOD:]SYM[+|-OFFS]" at @pos (the '@'). */
static bool ktr_pd_at(struct ktr_pd *pd, size_t *pos, size_t end,
		      struct ktr_parg *arg)
{
	size_t b = *pos + 1, p = b, q, m;
	__s64 off;

	if (p < end && ktr_pd_digit(pd->s[p])) {
		arg->base = KTR_PFETCH_ADDR;
		if (!ktr_pd_num(pd, &p, end, &arg->imm))
			return false;
		*pos = p;
		return true;
	}
	if (p < end && pd->s[p] == '+')
		return ktr_pd_fail(pd, p, "@+OFFSET (a file offset) is not supported");
	if (pd->user)
		return ktr_pd_fail(pd, *pos, "@SYM is only valid in a kernel probe");
	while (p < end && ktr_pd_symchar(pd->s[p]))
		p++;
	if (p == b)
		return ktr_pd_fail(pd, p, "expected an address or a symbol after '@'");
	/* "A:B" is MOD:SYM when more than a type follows: "@mod:sym:u32". */
	if (p < end && pd->s[p] == ':') {
		for (q = p + 1; q < end && ktr_pd_symchar(pd->s[q]); q++)
			;
		if (q > p + 1 && q < end &&
		    (pd->s[q] == ':' || pd->s[q] == '+' || pd->s[q] == '-' ||
		     pd->s[q] == ')')) {
			for (m = b; m < p; m++)
				if (!ktr_pd_ident(pd->s[m]))
					return ktr_pd_fail(pd, m,
							   "bad character in module name");
			if (ktr_pd_digit(pd->s[p + 1]))
				return ktr_pd_fail(pd, p + 1,
						   "a symbol cannot start with a digit");
			p = q;
		}
	}
	arg->base = KTR_PFETCH_SYMBOL;
	arg->sym_pos = (__u16)b;
	arg->sym_len = (__u16)(p - b);
	if (p < end && (pd->s[p] == '+' || pd->s[p] == '-')) {
		if (!ktr_pd_snum(pd, &p, end, false, NULL, &off))
			return false;
		arg->imm = (__u64)off;
	}
	*pos = p;
	return true;
}

/* "$VAR" at @pos (the '$'); @depth: dereferences around it. */
static bool ktr_pd_var(struct ktr_pd *pd, size_t *pos, size_t end,
		       struct ktr_parg *arg, unsigned int depth)
{
	size_t d = *pos, b = d + 1, e = b;
	__u64 n;

	while (e < end && ((pd->s[e] >= 'a' && pd->s[e] <= 'z') ||
			   pd->s[e] == '_'))
		e++;
	if (ktr_pd_is(pd, b, e - b, "retval")) {
		if (!pd->ret)
			return ktr_pd_fail(pd, d, "$retval is only valid in a return probe");
		arg->base = KTR_PFETCH_RETVAL;
	} else if (ktr_pd_is(pd, b, e - b, "comm")) {
		if (depth)
			return ktr_pd_fail(pd, d, "$comm cannot be dereferenced");
		arg->base = KTR_PFETCH_COMM;
	} else if (ktr_pd_is(pd, b, e - b, "duration")) {
		if (!pd->ret)
			return ktr_pd_fail(pd, d,
					   "$duration is only valid in a return probe");
		if (depth)
			return ktr_pd_fail(pd, d, "$duration cannot be dereferenced");
		arg->base = KTR_PFETCH_DURATION;
		pd->def->needs_entry = true;
	} else if (ktr_pd_is(pd, b, e - b, "stack")) {
		if (e == end || !ktr_pd_digit(pd->s[e])) {
			arg->base = KTR_PFETCH_STACK;
		} else {
			size_t nb = e;

			if (!ktr_pd_num(pd, &e, end, &n))
				return false;
			if (n > KTR_PROBE_STACKN_MAX)
				return ktr_pd_fail(pd, nb,
						   ktr_pd_msg_stackn);
			arg->base = KTR_PFETCH_STACKN;
			arg->index = (__u32)n;
		}
	} else if (ktr_pd_is(pd, b, e - b, "arg")) {
		size_t nb = e;

		if (e == end || !ktr_pd_digit(pd->s[e]) ||
		    !ktr_pd_num(pd, &e, end, &n) || n < 1 ||
		    n > KTR_PROBE_ARGN_MAX)
			return ktr_pd_fail(pd, nb,
					   ktr_pd_msg_argn);
		if (pd->ret)
			return ktr_pd_fail(pd, d, "$argN is not valid in a return probe");
		if (pd->def->offset && !pd->user)
			return ktr_pd_fail(pd, d,
					   "$argN is only valid at a function's entry (offset 0)");
		arg->base = KTR_PFETCH_ARG;
		arg->index = (__u32)n;
	} else {
		return ktr_pd_fail(pd, d, "unknown variable");
	}
	*pos = e;
	return true;
}

/**
 * ktr_pd_fetch - parse one FETCHARG
 * @pd: the parser.
 * @pos: where it starts; set past it.
 * @end: the argument token's end.
 * @arg: filled: base, reg/index/imm/sym, and @deref innermost first.
 * @depth: the dereferences around this one (0 at the top).
 *
 * Return: false with the error set when malformed.
 */
static bool ktr_pd_fetch(struct ktr_pd *pd, size_t *pos, size_t end,
			 struct ktr_parg *arg, unsigned int depth)
{
	size_t p = *pos;
	struct ktr_pderef *dr;
	__s64 off;
	bool user;

	if (p == end)
		return ktr_pd_fail(pd, p, "missing fetch argument");
	switch (pd->s[p]) {
	case '%':
		return ktr_pd_reg(pd, pos, end, arg);
	case '@':
		return ktr_pd_at(pd, pos, end, arg);
	case '$':
		return ktr_pd_var(pd, pos, end, arg, depth);
	case '\\':
		p++;
		arg->base = KTR_PFETCH_IMM;
		if (p < end && (pd->s[p] == '+' || pd->s[p] == '-')) {
			if (!ktr_pd_snum(pd, &p, end, false, NULL, &off))
				return false;
			arg->imm = (__u64)off;
		} else if (!ktr_pd_num(pd, &p, end, &arg->imm)) {
			return false;
		}
		*pos = p;
		return true;
	case '+':
	case '-':
		if (depth == KTR_PROBE_DEREF_MAX)
			return ktr_pd_fail(pd, p,
					   ktr_pd_msg_deref);
		if (!ktr_pd_snum(pd, &p, end, true, &user, &off))
			return false;
		if (p == end || pd->s[p] != '(')
			return ktr_pd_fail(pd, p, "expected '('");
		p++;
		if (!ktr_pd_fetch(pd, &p, end, arg, depth + 1))
			return false;
		if (p == end || pd->s[p] != ')')
			return ktr_pd_fail(pd, p, "expected ')'");
		dr = &arg->deref[arg->nderef++];
		dr->offset = off;
		dr->user = user;
		*pos = p + 1;
		return true;
	default:
		return ktr_pd_fail(pd, p, "unknown fetch argument");
	}
}

/* Whether @arg may be read as a string: it names memory. */
static bool ktr_pd_in_memory(const struct ktr_parg *arg)
{
	return arg->nderef || arg->base == KTR_PFETCH_ADDR ||
	       arg->base == KTR_PFETCH_SYMBOL || arg->base == KTR_PFETCH_COMM;
}

/**
 * ktr_pd_arg - parse one argument "[NAME=]FETCHARG[:TYPE]"
 * @pd: the parser.
 * @pos: its first character.
 * @end: its token's end.
 * @n: its index in the definition's args.
 *
 * Return: false with the error set when malformed.
 */
static bool ktr_pd_arg(struct ktr_pd *pd, size_t pos, size_t end, __u32 n)
{
	struct ktr_parg *arg = &pd->def->args[n];
	size_t p, eq, len, tpos = end;
	unsigned int t, i;

	arg->pos = (__u16)pos;
	for (eq = pos; eq < end && pd->s[eq] != '='; eq++)
		;
	if (eq < end) {
		if (!ktr_pd_name(pd, pos, eq, arg->name, &ktr_pd_arg_msgs))
			return false;
		for (i = 0; i < ARRAY_SIZE(ktr_pd_common_fields); i++)
			if (ktr_pd_is(pd, pos, eq - pos, ktr_pd_common_fields[i]))
				return ktr_pd_fail(pd, pos,
						   "argument name clashes with a common field");
		p = eq + 1;
	} else {
		struct ktr_pd_namebuf nb = { arg->name, 0 };

		ktr_pd_puts(&nb, "arg", 3);
		ktr_pd_putu(&nb, n + 1, false);
		p = pos;
	}
	if (!ktr_pd_fetch(pd, &p, end, arg, 0))
		return false;
	if (p < end && pd->s[p] != ':')
		return ktr_pd_fail(pd, p, pd->s[p] == ')' ? "unexpected ')'" :
				   "unexpected character");
	if (p < end) {
		tpos = p + 1;
		if (tpos == end)
			return ktr_pd_fail(pd, tpos, "missing type after ':'");
		for (t = 0; t < ARRAY_SIZE(ktr_pd_types); t++)
			if (ktr_pd_is(pd, tpos, end - tpos, ktr_pd_types[t].name))
				break;
		if (t == ARRAY_SIZE(ktr_pd_types))
			return ktr_pd_fail(pd, tpos, "unknown type");
	} else if (arg->base == KTR_PFETCH_COMM) {
		t = KTR_PD_TYPE_STRING;
	} else if (arg->base == KTR_PFETCH_DURATION) {
		t = KTR_PD_TYPE_U64;
	} else {
		t = KTR_PD_TYPE_X64;
	}
	arg->type = ktr_pd_types[t].type;
	arg->size = ktr_pd_types[t].size;
	arg->display = ktr_pd_types[t].display;
	arg->is_signed = ktr_pd_types[t].is_signed;

	if (arg->base == KTR_PFETCH_COMM && arg->type != KTR_PTYPE_STRING)
		return ktr_pd_fail(pd, tpos, "$comm can only be of type string");
	if (arg->base == KTR_PFETCH_DURATION && arg->type != KTR_PTYPE_INT)
		return ktr_pd_fail(pd, tpos, "$duration must have an integer type");
	if ((arg->type == KTR_PTYPE_STRING || arg->type == KTR_PTYPE_USTRING) &&
	    !ktr_pd_in_memory(arg))
		return ktr_pd_fail(pd, tpos,
				   "a string must be read from memory: +OFFS(...), @ADDR or @SYM");

	len = strlen(arg->name);
	for (i = 0; i < n; i++)
		if (!memcmp(pd->def->args[i].name, arg->name, len + 1))
			return ktr_pd_fail(pd, pos, "duplicate argument name");
	return true;
}

/**
 * ktr_probe_def_layout - lay out the payload of a parsed definition
 * @def: its args parsed; sets each arg's @offset, @fixed_size, @max_size.
 * @err: on failure, the argument that makes the payload too large.
 *
 * Slots follow struct ktr_event_common in argument order, packed: an
 * integer at its size, a symbol 8 bytes, a string its 4-byte
 * KTR_FIELD_STRING_LOC (its text goes after the fixed part).
 *
 * Return: false when a payload could exceed KTR_PROBE_PAYLOAD_MAX.
 */
bool ktr_probe_def_layout(struct ktr_probe_def *def, struct ktr_probe_err *err)
{
	__u32 off = sizeof(struct ktr_event_common), strings = 0, i;

	for (i = 0; i < def->nargs; i++) {
		struct ktr_parg *arg = &def->args[i];

		arg->offset = off;
		off += arg->size;
		if (arg->type == KTR_PTYPE_STRING ||
		    arg->type == KTR_PTYPE_USTRING)
			strings++;
		if (off + strings * KTR_PROBE_STRING_MAX > KTR_PROBE_PAYLOAD_MAX) {
			err->pos = arg->pos;
			err->msg = ktr_pd_msg_payload;
			return false;
		}
	}
	def->fixed_size = off;
	def->max_size = off + strings * KTR_PROBE_STRING_MAX;
	return true;
}

bool ktr_probe_def_parse(const char *text, size_t len,
			 struct ktr_probe_def *def, struct ktr_probe_err *err)
{
	struct ktr_pd pd = { text, len, def, err, false, false };
	size_t p = 0, te, maxact_pos = 0;
	__u64 n;

	memset(def, 0, sizeof(*def));
	err->pos = 0;
	err->msg = NULL;
	if (len >= KTR_PROBE_DEF_MAX)
		return ktr_pd_fail(&pd, KTR_PROBE_DEF_MAX - 1,
				   "definition too long (at most 1023 bytes)");
	for (p = 0; p < len; p++)
		if (((unsigned char)text[p] < 0x20 && text[p] != '\t') ||
		    text[p] == 0x7f)
			return ktr_pd_fail(&pd, p, "control character in definition");
	while (pd.end && ktr_pd_blank(text[pd.end - 1]))
		pd.end--;
	for (p = 0; p < pd.end && ktr_pd_blank(text[p]); p++)
		;
	if (p == pd.end)
		return ktr_pd_fail(&pd, p, "empty definition");

	/* p | r[MAXACTIVE] */
	if (text[p] != 'p' && text[p] != 'r')
		return ktr_pd_fail(&pd, p, "unknown probe type (expected p or r)");
	pd.ret = text[p++] == 'r';
	if (p < pd.end && ktr_pd_digit(text[p])) {
		if (!pd.ret)
			return ktr_pd_fail(&pd, p,
					   "maxactive is only valid on a return probe");
		maxact_pos = p;
		if (!ktr_pd_num(&pd, &p, pd.end, &n))
			return false;
		if (n < 1 || n > KTR_PROBE_MAXACTIVE_MAX)
			return ktr_pd_fail(&pd, maxact_pos,
					   ktr_pd_msg_maxactive);
		def->maxactive = (__u32)n;
	}
	if (p < pd.end && text[p] == ':') {
		te = ktr_pd_tok_end(&pd, p + 1);
		if (!ktr_pd_names(&pd, p + 1, te))
			return false;
		p = te;
	} else if (p < pd.end && !ktr_pd_blank(text[p])) {
		return ktr_pd_fail(&pd, p,
				   "expected ':EVENT' or a blank after the probe type");
	}

	/* The target. */
	while (p < pd.end && ktr_pd_blank(text[p]))
		p++;
	if (p == pd.end)
		return ktr_pd_fail(&pd, p,
				   "missing probe target (SYMBOL, ADDR or PATH:OFFSET)");
	te = ktr_pd_tok_end(&pd, p);
	if (text[p] == '/') {
		pd.user = true;
		if (def->maxactive)
			return ktr_pd_fail(&pd, maxact_pos,
					   "maxactive is not valid for a uprobe");
		if (!ktr_pd_uprobe_target(&pd, p, te))
			return false;
	} else if (ktr_pd_symchar(text[p])) {
		if (!ktr_pd_kprobe_target(&pd, p, te))
			return false;
	} else {
		return ktr_pd_fail(&pd, p,
				   "expected a probe target (SYMBOL, ADDR or PATH:OFFSET)");
	}
	p = te;
	if (!def->group[0])
		memcpy(def->group, pd.user ? "uprobes" : "kprobes", 8);
	if (!def->event[0])
		ktr_pd_default_event(&pd);

	/* The fetch arguments. */
	for (;;) {
		while (p < pd.end && ktr_pd_blank(text[p]))
			p++;
		if (p == pd.end)
			break;
		if (def->nargs == KTR_PROBE_ARGS_MAX)
			return ktr_pd_fail(&pd, p,
					   ktr_pd_msg_nargs);
		te = ktr_pd_tok_end(&pd, p);
		if (!ktr_pd_arg(&pd, p, te, def->nargs))
			return false;
		def->nargs++;
		p = te;
	}
	return ktr_probe_def_layout(def, err);
}

const char *ktr_probe_reg_name(unsigned int reg)
{
	return reg < KTR_PD_REGS ? ktr_pd_regs[reg] : NULL;
}
