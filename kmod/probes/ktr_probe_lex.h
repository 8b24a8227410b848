/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ktr_probe_lex.h - what the probe definition parser's two halves share
 * (private to ktr_probe_def.c, ktr_probe_arg.c and ktr_probe_lex.c): the
 * parser's state, character classes, numbers, names and error reporting.
 *
 * The line (kind, names, target) is parsed in ktr_probe_def.c, each fetch
 * argument in ktr_probe_arg.c, the tokens both use in ktr_probe_lex.c. Like
 * them, portable C compiled into ktr.ko and libktr alike.
 */
#ifndef _KTR_PROBE_LEX_H
#define _KTR_PROBE_LEX_H

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

#define KTR_PD_STR_(x) #x
#define KTR_PD_STR(x) KTR_PD_STR_(x)

#if KTR_PROBE_DEF_MAX != 1024 || KTR_EVENT_NAME_MAX != 64
#error "update the messages saying 1023 bytes and 63 characters"
#endif

/* What a name check says, per kind of name. */
struct ktr_pd_name_msgs {
	const char *empty, *first, *bad, *too_long;
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

static inline bool ktr_pd_fail(struct ktr_pd *pd, size_t pos, const char *msg)
{
	pd->err->pos = (__u32)pos;
	pd->err->msg = msg;
	return false;
}

static inline bool ktr_pd_blank(char c)
{
	return c == ' ' || c == '\t';
}

static inline bool ktr_pd_digit(char c)
{
	return c >= '0' && c <= '9';
}

static inline bool ktr_pd_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static inline bool ktr_pd_ident(char c)
{
	return ktr_pd_alpha(c) || ktr_pd_digit(c) || c == '_';
}

/* A kernel symbol's characters ("foo.isra.0", "__func__.1"). */
static inline bool ktr_pd_symchar(char c)
{
	return ktr_pd_ident(c) || c == '.';
}

static inline int ktr_pd_hexval(char c)
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
static inline bool ktr_pd_is(const struct ktr_pd *pd, size_t pos,
			     size_t n, const char *word)
{
	return strlen(word) == n && memcmp(pd->s + pos, word, n) == 0;
}

/* The end of the token at @pos: its first blank, or the text's end. */
static inline size_t ktr_pd_tok_end(const struct ktr_pd *pd, size_t pos)
{
	while (pos < pd->end && !ktr_pd_blank(pd->s[pos]))
		pos++;
	return pos;
}

bool ktr_pd_num(struct ktr_pd *pd, size_t *pos, size_t end, __u64 *val);
bool ktr_pd_snum(struct ktr_pd *pd, size_t *pos, size_t end,
		 bool allow_user, bool *user, __s64 *val);
bool ktr_pd_name(struct ktr_pd *pd, size_t pos, size_t end, char *out,
		 const struct ktr_pd_name_msgs *m);

/* A default event name under construction: truncated as ftrace's is. */
struct ktr_pd_namebuf {
	char *buf;
	size_t n;
};

void ktr_pd_putc(struct ktr_pd_namebuf *nb, char c);
void ktr_pd_puts(struct ktr_pd_namebuf *nb, const char *s, size_t n);
void ktr_pd_putu(struct ktr_pd_namebuf *nb, __u64 v, bool hex);

/**
 * ktr_pd_arg - parse one argument "[NAME=]FETCHARG[:TYPE]" (ktr_probe_arg.c)
 * @pd: the parser; pd->ret and pd->user already say what kind of probe.
 * @pos: its first character.
 * @end: its token's end.
 * @n: its index in the definition's args.
 *
 * Return: false with the error set when malformed.
 */
bool ktr_pd_arg(struct ktr_pd *pd, size_t pos, size_t end, __u32 n);

#endif /* _KTR_PROBE_LEX_H */
