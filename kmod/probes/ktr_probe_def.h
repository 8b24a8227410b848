/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * ktr_probe_def.h - the parser of probe definitions: one line of ftrace's
 * kprobe_events / uprobe_events grammar (KTR_CMD_ADD_PROBE, uapi/ktr.h)
 * into a struct ktr_probe_def.
 *
 * One parser, compiled unchanged into ktr.ko (which parses the text a
 * request carries and trusts nothing else) and into libktr (which parses
 * first, to point a caret at the bad character before anything is sent).
 * Licensed like the uapi headers so the MIT tools may compile it. Portable
 * C: fixed-width types from <linux/types.h>, bool, and memcpy/memcmp/
 * strlen/memset; it allocates nothing, takes no lock, never sleeps.
 *
 * What the parser decides alone: the syntax, the names, the types, the
 * limits (KTR_PROBE_*_MAX), which fetch arguments a kind of probe may use,
 * and each event's payload layout (ktr_probe_def_layout()). What it cannot
 * decide (symbols, modules, whether an address may be probed) is left to
 * the module, which resolves and registers.
 *
 * Registers are named as ftrace names them on x86-64 (ax bx cx dx si di bp
 * sp r8..r15 ip flags cs ss orig_ax, and the r-prefixed forms rax, rsp...)
 * and parsed into their index in x86-64's struct pt_regs (8-byte words);
 * the module asserts that layout at build time.
 */
#ifndef _KTR_PROBE_DEF_H
#define _KTR_PROBE_DEF_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#endif

#include "ktr.h"

/*
 * Bounds of $argN (N from 1: past the sixth, x86-64 passes arguments on
 * the stack) and $stackN (N from 0: the words of a 16 KiB kernel stack).
 */
#define KTR_PROBE_ARGN_MAX	16
#define KTR_PROBE_STACKN_MAX	2047

/* Where an argument's value starts (before any dereference). */
enum ktr_pfetch_base {
	KTR_PFETCH_REG = 1,	/* %REG: reg = pt_regs word index */
	KTR_PFETCH_ARG,		/* $argN: index = N (from 1) */
	KTR_PFETCH_RETVAL,	/* $retval (return probes) */
	KTR_PFETCH_STACK,	/* $stack: the stack pointer */
	KTR_PFETCH_STACKN,	/* $stackN: index = N (from 0) */
	KTR_PFETCH_COMM,	/* $comm: current->comm (string types only) */
	KTR_PFETCH_IMM,		/* \IMM: imm */
	KTR_PFETCH_ADDR,	/* @ADDR: imm = the address; read like a deref */
	KTR_PFETCH_SYMBOL,	/* @SYM+OFFS: sym_pos/sym_len, imm = OFFS (signed) */
	KTR_PFETCH_DURATION,	/* $duration: ns since entry (return probes) */
};

/* An argument's type (the :TYPE suffix). */
enum ktr_ptype {
	KTR_PTYPE_INT = 1,	/* u8..u64, s8..s64, x8..x64 */
	KTR_PTYPE_STRING,	/* string: kernel memory (or user, after +u) */
	KTR_PTYPE_USTRING,	/* ustring: user memory */
	KTR_PTYPE_SYMBOL,	/* symbol: a kernel address, shown sym+off */
};

/* One +|-[u]OFFS(...) level; levels apply innermost first. */
struct ktr_pderef {
	__s64 offset;
	bool user;		/* +uOFFS(...): user memory */
};

/**
 * struct ktr_parg - one fetch argument
 * @name: the field name (NAME=, or "argN" with N its position from 1).
 * @base: enum ktr_pfetch_base.
 * @reg: KTR_PFETCH_REG: the word index in struct pt_regs.
 * @index: KTR_PFETCH_ARG: N (1..); KTR_PFETCH_STACKN: N (0..).
 * @imm: KTR_PFETCH_IMM: the value; KTR_PFETCH_ADDR: the address;
 *	KTR_PFETCH_SYMBOL: the offset from the symbol (two's complement).
 * @sym_pos: KTR_PFETCH_SYMBOL: where the symbol's name starts in the text
 *	("MOD:SYM" whole when a module is named).
 * @sym_len: its length (no NUL in the text there).
 * @nderef: levels in @deref (0..KTR_PROBE_DEREF_MAX).
 * @deref: innermost first: value = *(base + deref[0].offset), then
 *	*(value + deref[1].offset)... With a string type the last level's
 *	address is where the string is read (not read as a pointer).
 * @type: enum ktr_ptype.
 * @size: bytes of an integer (1, 2, 4, 8); 8 for a symbol; 4 for a
 *	string (its KTR_FIELD_STRING_LOC slot).
 * @is_signed: s8..s64.
 * @display: enum ktr_field_display.
 * @pos: where the argument starts in the text (for messages).
 * @offset: the slot's offset in the payload (ktr_probe_def_layout()).
 */
struct ktr_parg {
	char name[KTR_EVENT_NAME_MAX];
	__u8 base;
	__u8 reg;
	__u8 nderef;
	__u8 type;
	__u8 size;
	bool is_signed;
	__u8 display;
	__u32 index;
	__u64 imm;
	__u16 sym_pos;
	__u16 sym_len;
	__u16 pos;
	__u32 offset;
	struct ktr_pderef deref[KTR_PROBE_DEREF_MAX];
};

/**
 * struct ktr_probe_def - a parsed definition
 * @kind: enum ktr_probe_kind.
 * @maxactive: r<N>: N (0: the kernel's default).
 * @group: GRP, default "kprobes" ("uprobes" for uprobes).
 * @event: EVENT, default p_SYMBOL_OFFS / r_SYMBOL_0 (ftrace's names:
 *	characters other than [A-Za-z0-9_] become '_'), or p_0xADDR.
 * @mod_pos, @mod_len: kprobes: MOD of MOD:SYMBOL (len 0: none).
 * @sym_pos, @sym_len: kprobes: SYMBOL (len 0: a numeric address).
 * @addr: kprobes: the address when numeric.
 * @offset: kprobes: +OFFS; uprobes: the file offset.
 * @path_pos, @path_len: uprobes: the executable's absolute path.
 * @nargs: entries in @args.
 * @args: the fetch arguments, in order.
 * @fixed_size: the payload's fixed part: struct ktr_event_common and every
 *	slot (ktr_probe_def_layout()).
 * @max_size: the payload's largest size, strings at their longest.
 * @needs_entry: a return probe that carries $duration (the module keeps
 *	the entry time per instance).
 */
struct ktr_probe_def {
	__u8 kind;
	__u32 maxactive;
	char group[KTR_EVENT_NAME_MAX];
	char event[KTR_EVENT_NAME_MAX];
	__u16 mod_pos, mod_len;
	__u16 sym_pos, sym_len;
	__u64 addr;
	__u64 offset;
	__u16 path_pos, path_len;
	__u32 nargs;
	struct ktr_parg args[KTR_PROBE_ARGS_MAX];
	__u32 fixed_size;
	__u32 max_size;
	bool needs_entry;
};

/**
 * struct ktr_probe_err - why a definition was refused
 * @pos: the offending character's index in the text.
 * @msg: what is wrong, a static string ("unknown type", ...).
 */
struct ktr_probe_err {
	__u32 pos;
	const char *msg;
};

/**
 * ktr_probe_def_parse - parse one definition
 * @text: the definition; need not be NUL-terminated.
 * @len: its length: 1 to KTR_PROBE_DEF_MAX - 1 bytes.
 * @def: filled on success (its payload laid out); garbage on failure.
 * @err: on failure, where and why.
 *
 * Leading and trailing blanks are ignored; tokens are separated by blanks
 * (spaces, tabs). Everything the grammar and the limits refuse is refused
 * here, with the position of the first bad character.
 *
 * Return: true when @def is a valid definition.
 */
bool ktr_probe_def_parse(const char *text, size_t len,
			 struct ktr_probe_def *def, struct ktr_probe_err *err);

/**
 * ktr_probe_def_layout - lay out a parsed definition's payload
 * @def: its args parsed; sets each arg's @offset, @fixed_size, @max_size.
 * @err: on failure, the argument that makes the payload too large.
 *
 * ktr_probe_def_parse() calls it; slots are packed in argument order
 * right after struct ktr_event_common.
 *
 * Return: false when a payload could exceed KTR_PROBE_PAYLOAD_MAX.
 */
bool ktr_probe_def_layout(struct ktr_probe_def *def, struct ktr_probe_err *err);

/* The name of pt_regs word @reg as ftrace spells it ("di"), or NULL. */
const char *ktr_probe_reg_name(unsigned int reg);

#endif /* _KTR_PROBE_DEF_H */
