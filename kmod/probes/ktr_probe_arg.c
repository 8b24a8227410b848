// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ktr_probe_arg.c - one fetch argument of a probe definition:
 * "[NAME=]FETCHARG[:TYPE]" (the grammar and the invariants it keeps are at
 * the top of ktr_probe_def.c: ARG, FETCH and TYPE there; invariants 1, 3
 * and 4 are kept here). Portable C shared by ktr.ko and libktr.
 */
#include "ktr_probe_lex.h"
#include "ktr_event.h"

/* Messages that spell limits out. */
static const char ktr_pd_msg_stackn[] =
	"$stackN out of range (at most " KTR_PD_STR(KTR_PROBE_STACKN_MAX) ")";
static const char ktr_pd_msg_argn[] =
	"$argN out of range (1 to " KTR_PD_STR(KTR_PROBE_ARGN_MAX) ")";
static const char ktr_pd_msg_deref[] =
	"dereference nested too deeply (at most " KTR_PD_STR(KTR_PROBE_DEREF_MAX) ")";

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

/* ktr_pd_arg() is documented in ktr_probe_lex.h. */
bool ktr_pd_arg(struct ktr_pd *pd, size_t pos, size_t end, __u32 n)
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

const char *ktr_probe_reg_name(unsigned int reg)
{
	return reg < KTR_PD_REGS ? ktr_pd_regs[reg] : NULL;
}
