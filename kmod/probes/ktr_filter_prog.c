// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_filter_prog.c - the event filter core: verifier, VM and glob.
 *
 * One source for the module and the host: ktr.ko builds it with the probes
 * (ktr_filter.c sets programs and runs them on the probe path; the command
 * name filter matches with ktr_glob_n()), and userspace/filter-host builds
 * it unchanged through ktr_filter_prog_compat.h, so that the host tests
 * run the real verifier and VM on the programs libktr compiles.
 *
 * A program (uapi/ktr.h, enum ktr_filter_op) is postfix code over a stack
 * of truth values: a comparison of one payload field pushes one value,
 * AND and OR pop two and push one, NOT replaces the top one. There are no
 * jumps: a program runs straight through, once per event.
 *
 * Invariants: what ktr_fprog_verify() guarantees, so that ktr_fprog_run()
 * checks nothing at run time but the bounds of 7 (it runs inside
 * tracepoints and kprobes, with preemption and maybe interrupts off):
 *  1. 1 <= n <= KTR_FILTER_INSNS_MAX: each instruction pushes at most one
 *     value, so the VM's stack of KTR_FILTER_INSNS_MAX values cannot
 *     overflow, and the run takes n steps.
 *  2. Every op is a known one. AND and OR find two values on the stack,
 *     NOT one, and exactly one is left at the end: the stack never
 *     underflows and the result is defined.
 *  3. A comparison reads one field of the event, found in the caller's
 *     field table at exactly its offset and size, of the type its op needs:
 *     an integer of 1, 2, 4 or 8 bytes (loaded with the field's sign), a
 *     char array (read up to its size, or its first NUL), a REST string
 *     (read up to the payload's length, or its first NUL) or a STRING_LOC
 *     of 4 bytes (see 7). Fixed fields end at or before @need, which the
 *     caller's payloads always cover.
 *  4. A string operand starts inside the strings, which end with a NUL:
 *     it is a C string inside the caller's copy of them.
 *  5. At most KTR_FILTER_GLOBS_MAX globs, each pattern shorter than
 *     KTR_FILTER_GLOB_LEN_MAX bytes: what matching costs is bounded by the
 *     pattern length times the text length, with interrupts off.
 *  6. Reserved bits and the operands of AND, OR and NOT are zero, so that
 *     a later ABI minor can give them a meaning.
 *  7. The text a STRING_LOC locates is the one thing the VM checks at run
 *     time, as the location is data of the event: ktr_fcmp_str() reads it
 *     only when its offset plus its length lie within the payload's
 *     length, and then reads at most its length (a NUL within it ends it
 *     sooner; without one, the length does); a length of 0 or a location
 *     outside the payload compares as the empty string.
 */
#include "ktr_filter_prog.h"

/* --- the glob ---------------------------------------------------------- */

/**
 * ktr_glob_class - whether @c is in the class at @pat ("[...]", "[!...]")
 * @pat: the "[" opening the class.
 * @c: the byte to test.
 * @next: set past the class; with no closing "]", the "[" is a literal and
 *	*@next is @pat + 1.
 *
 * A "]" first in the class is a literal; "a-z" is a range of unsigned
 * bytes.
 *
 * Return: whether @c matches.
 */
bool ktr_glob_class(const char *pat, char c, const char **next)
{
	const char *q = pat + 1;
	bool match = false, neg = false;

	if (*q == '!' || *q == '^') {
		neg = true;
		q++;
	}
	if (!*q) {	/* "[" or "[!" ends the pattern: a literal "[" */
		*next = pat + 1;
		return c == '[';
	}
	do {	/* a "]" first in the class is a literal */
		if (q[1] == '-' && q[2] && q[2] != ']') {
			if ((u8)c >= (u8)q[0] && (u8)c <= (u8)q[2])
				match = true;
			q += 3;
		} else {
			if (c == *q)
				match = true;
			q++;
		}
	} while (*q && *q != ']');
	if (*q != ']') {
		*next = pat + 1;
		return c == '[';
	}
	*next = q + 1;
	return match != neg;
}

/**
 * ktr_glob_n - shell glob over @s of at most @n bytes (stops at a NUL)
 * @pat: the NUL-terminated pattern: * any run, ? any byte, [a-z] [!x] [^x].
 * @s: the text.
 * @n: its size.
 *
 * One star is remembered at a time (the last one seen), so the cost is at
 * most the pattern's length times the text's.
 *
 * Return: whether all of @s matches all of @pat.
 */
bool ktr_glob_n(const char *pat, const char *s, size_t n)
{
	const char *star_pat = NULL, *star_s = NULL;
	const char *end = s + strnlen(s, n);

	while (s < end || *pat) {
		const char *next = pat + 1;
		bool match = false;

		if (*pat == '*') {
			star_pat = ++pat;
			star_s = s;
			continue;
		}
		if (s < end && *pat) {
			if (*pat == '?')
				match = true;
			else if (*pat == '[')
				match = ktr_glob_class(pat, *s, &next);
			else
				match = *s == *pat;
		}
		if (match) {
			pat = next;
			s++;
			continue;
		}
		if (!star_pat || star_s >= end)
			return false;
		pat = star_pat;
		s = ++star_s;
	}
	return true;
}

/* --- the VM (invariants 1 to 4: no checks but 7's) --------------------- */

/* Payloads are 4-byte aligned only: load through memcpy. */
static u64 ktr_fload(const char *p, u32 size, bool is_signed)
{
	u8 v8;
	u16 v16;
	u32 v32;
	u64 v64;

	switch (size) {
	case 1:
		memcpy(&v8, p, 1);
		return is_signed ? (u64)(s64)(s8)v8 : v8;
	case 2:
		memcpy(&v16, p, 2);
		return is_signed ? (u64)(s64)(s16)v16 : v16;
	case 4:
		memcpy(&v32, p, 4);
		return is_signed ? (u64)(s64)(s32)v32 : v32;
	default:	/* 8 */
		memcpy(&v64, p, 8);
		return v64;
	}
}

static bool ktr_fcmp_int(const struct ktr_finsn *in, const char *data)
{
	u64 v = ktr_fload(data + in->offset, in->size, in->is_signed);
	s64 sv = (s64)v, sw = (s64)in->value;

	switch (in->op) {
	case KTR_FOP_EQ:
		return v == in->value;
	case KTR_FOP_NE:
		return v != in->value;
	case KTR_FOP_LT:
		return in->is_signed ? sv < sw : v < in->value;
	case KTR_FOP_LE:
		return in->is_signed ? sv <= sw : v <= in->value;
	case KTR_FOP_GT:
		return in->is_signed ? sv > sw : v > in->value;
	case KTR_FOP_GE:
		return in->is_signed ? sv >= sw : v >= in->value;
	default:	/* KTR_FOP_BAND */
		return (v & in->value) != 0;
	}
}

static bool ktr_fcmp_str(const struct ktr_finsn *in, const char *data,
			 u32 len)
{
	const char *s = data + in->offset;
	size_t n = in->size, slen;
	bool eq;

	if (in->rest)
		n = len > in->offset ? len - in->offset : 0;
	if (in->loc) {	/* invariant 7 */
		u32 loc, at, loc_len;

		memcpy(&loc, s, sizeof(loc));
		at = loc & 0xffff;
		loc_len = loc >> 16;
		if (!loc_len || at + loc_len > len) {
			s = "";
			n = 0;
		} else {
			s = data + at;
			n = loc_len;
		}
	}
	slen = strnlen(s, n);
	switch (in->op) {
	case KTR_FOP_STR_EQ:
	case KTR_FOP_STR_NE:
		eq = slen == strlen(in->str) && !memcmp(s, in->str, slen);
		return in->op == KTR_FOP_STR_EQ ? eq : !eq;
	case KTR_FOP_GLOB:
		return ktr_glob_n(in->str, s, slen);
	default:	/* KTR_FOP_NGLOB */
		return !ktr_glob_n(in->str, s, slen);
	}
}

/**
 * ktr_fprog_run - run a verified program over one payload
 * @f: what ktr_fprog_verify() accepted.
 * @data: the payload (common fields included), at least @f->need bytes.
 * @len: its length.
 *
 * Context: any (no sleeping, no allocation, no lock).
 * Return: whether the event is kept.
 */
bool ktr_fprog_run(const struct ktr_fprog *f, const void *data, u32 len)
{
	bool st[KTR_FILTER_INSNS_MAX];
	unsigned int i, sp = 0;

	for (i = 0; i < f->n; i++) {
		const struct ktr_finsn *in = &f->insn[i];

		switch (in->op) {
		case KTR_FOP_AND:
			sp--;
			st[sp - 1] = st[sp - 1] && st[sp];
			break;
		case KTR_FOP_OR:
			sp--;
			st[sp - 1] = st[sp - 1] || st[sp];
			break;
		case KTR_FOP_NOT:
			st[sp - 1] = !st[sp - 1];
			break;
		case KTR_FOP_STR_EQ:
		case KTR_FOP_STR_NE:
		case KTR_FOP_GLOB:
		case KTR_FOP_NGLOB:
			st[sp++] = ktr_fcmp_str(in, data, len);
			break;
		default:
			st[sp++] = ktr_fcmp_int(in, data);
			break;
		}
	}
	return st[0];
}

/* --- the verifier ------------------------------------------------------ */

/**
 * ktr_fprog_count - instructions in a program of @prog_len bytes
 * @prog_len: the size of KTR_ATTR_FILTER_PROG.
 *
 * Return: 1 to KTR_FILTER_INSNS_MAX, or 0 when @prog_len is not that many
 * whole instructions (ktr_fprog_verify() refuses it: KTR_FPROG_ELEN).
 */
unsigned int ktr_fprog_count(u32 prog_len)
{
	u32 n = prog_len / sizeof(struct ktr_filter_insn);

	if (prog_len % sizeof(struct ktr_filter_insn) || !n ||
	    n > KTR_FILTER_INSNS_MAX)
		return 0;
	return n;
}

static bool ktr_fop_is_str(u16 op)
{
	return op == KTR_FOP_STR_EQ || op == KTR_FOP_STR_NE ||
	       op == KTR_FOP_GLOB || op == KTR_FOP_NGLOB;
}

static bool ktr_fop_is_int(u16 op)
{
	return op == KTR_FOP_EQ || op == KTR_FOP_NE || op == KTR_FOP_LT ||
	       op == KTR_FOP_LE || op == KTR_FOP_GT || op == KTR_FOP_GE ||
	       op == KTR_FOP_BAND;
}

/* Whether a field of @type and @size can be read by a comparison. */
static bool ktr_ffield_ok(const struct ktr_fprog_field *fd, u32 size,
			  bool is_str)
{
	if (is_str)
		return fd->type == KTR_FIELD_CHAR_ARRAY ||
		       fd->type == KTR_FIELD_REST_STRING ||
		       (fd->type == KTR_FIELD_STRING_LOC && size == 4);
	return fd->type == KTR_FIELD_INT &&
	       (size == 1 || size == 2 || size == 4 || size == 8);
}

/* Check one comparison @in and translate it into @out (invariants 3-5). */
static enum ktr_fprog_err
ktr_fprog_check_cmp(const struct ktr_filter_insn *in, struct ktr_finsn *out,
		    const char *strings, u32 strings_len,
		    ktr_fprog_field_fn field_at, const void *ctx,
		    unsigned int *globs)
{
	bool is_str = ktr_fop_is_str(in->op);
	struct ktr_fprog_field fd;

	if (!field_at(ctx, in->offset, in->size, &fd))
		return KTR_FPROG_EFIELD;
	if (!ktr_ffield_ok(&fd, in->size, is_str))
		return KTR_FPROG_ETYPE;
	if (is_str && (!strings_len || in->value >= strings_len))
		return KTR_FPROG_ESTROFF;
	/* Bound the work a glob does with interrupts off. */
	if (in->op == KTR_FOP_GLOB || in->op == KTR_FOP_NGLOB) {
		if (++*globs > KTR_FILTER_GLOBS_MAX)
			return KTR_FPROG_EGLOBS;
		if (strlen(strings + in->value) >= KTR_FILTER_GLOB_LEN_MAX)
			return KTR_FPROG_EGLOBLEN;
	}
	out->offset = in->offset;
	out->size = in->size;
	out->is_signed = fd.type == KTR_FIELD_INT && fd.is_signed;
	out->rest = fd.type == KTR_FIELD_REST_STRING;
	out->loc = fd.type == KTR_FIELD_STRING_LOC;
	out->value = in->value;
	out->str = is_str ? strings + in->value : NULL;
	return KTR_FPROG_OK;
}

/**
 * ktr_fprog_verify - check a program and translate it for ktr_fprog_run()
 * @out: the program; @out->insn must have room for ktr_fprog_count()
 *	instructions. Filled only as far as the check went on an error.
 * @prog: struct ktr_filter_insn[], @prog_len bytes, 4-byte aligned only.
 * @prog_len: its size in bytes.
 * @strings: the string operands, each NUL-terminated; the caller's copy,
 *	kept as long as @out (string operations point into it).
 * @strings_len: their size in bytes (0: none).
 * @field_at: looks up the event's fields (common ones included).
 * @ctx: for @field_at.
 * @bad: if not NULL, set to the index of the refused instruction.
 *
 * Return: KTR_FPROG_OK when the invariants at the top of this file hold,
 * else why not.
 */
enum ktr_fprog_err ktr_fprog_verify(struct ktr_fprog *out, const void *prog,
				    u32 prog_len, const char *strings,
				    u32 strings_len, ktr_fprog_field_fn field_at,
				    const void *ctx, unsigned int *bad)
{
	unsigned int i, n = ktr_fprog_count(prog_len), depth = 0, globs = 0;
	enum ktr_fprog_err err;

	out->n = 0;
	out->need = 0;
	if (bad)
		*bad = 0;
	if (!n)
		return KTR_FPROG_ELEN;
	if (strings_len > KTR_FILTER_STRINGS_MAX ||
	    (strings_len && strings[strings_len - 1]))
		return KTR_FPROG_ESTRINGS;
	for (i = 0; i < n; i++) {
		struct ktr_filter_insn in;
		struct ktr_finsn *o = &out->insn[i];

		if (bad)
			*bad = i;
		/* 4-byte aligned: copy before reading the u64. */
		memcpy(&in, (const char *)prog + i * sizeof(in), sizeof(in));
		if (in.flags || in.reserved)
			return KTR_FPROG_ERESERVED;
		memset(o, 0, sizeof(*o));
		o->op = in.op;
		if (in.op == KTR_FOP_AND || in.op == KTR_FOP_OR ||
		    in.op == KTR_FOP_NOT) {
			if (in.offset || in.size || in.value)
				return KTR_FPROG_ERESERVED;
			if (depth < (in.op == KTR_FOP_NOT ? 1U : 2U))
				return KTR_FPROG_EUNDERFLOW;
			if (in.op != KTR_FOP_NOT)
				depth--;
			continue;
		}
		if (!ktr_fop_is_str(in.op) && !ktr_fop_is_int(in.op))
			return KTR_FPROG_EOP;
		err = ktr_fprog_check_cmp(&in, o, strings, strings_len,
					  field_at, ctx, &globs);
		if (err)
			return err;
		if (!o->rest && o->offset + o->size > out->need)
			out->need = o->offset + o->size;
		depth++;
	}
	if (bad)
		*bad = n - 1;
	if (depth != 1)
		return KTR_FPROG_ERESULT;
	out->n = n;
	return KTR_FPROG_OK;
}
