// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ktr_probe_lex.c - the tokens of a probe definition (ktr_probe_lex.h):
 * unsigned and signed numbers, names, and default names under
 * construction. Portable C shared by ktr.ko and libktr.
 */
#include "ktr_probe_lex.h"
#include "ktr_event.h"

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
bool ktr_pd_num(struct ktr_pd *pd, size_t *pos, size_t end, __u64 *val)
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
bool ktr_pd_snum(struct ktr_pd *pd, size_t *pos, size_t end,
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
bool ktr_pd_name(struct ktr_pd *pd, size_t pos, size_t end, char *out,
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

void ktr_pd_putc(struct ktr_pd_namebuf *nb, char c)
{
	if (nb->n < KTR_EVENT_NAME_MAX - 1)
		nb->buf[nb->n++] = ktr_pd_ident(c) ? c : (char)'_';
	nb->buf[nb->n] = '\0';
}

void ktr_pd_puts(struct ktr_pd_namebuf *nb, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		ktr_pd_putc(nb, s[i]);
}

void ktr_pd_putu(struct ktr_pd_namebuf *nb, __u64 v, bool hex)
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
