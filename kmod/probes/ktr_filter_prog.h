/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_filter_prog.h - the event filter core: the verifier and the VM of
 * filter programs (KTR_ATTR_FILTER_PROG, enum ktr_filter_op in uapi/ktr.h)
 * and the shell glob they and the command-name filter match with.
 *
 * Portable C (ktr_filter_prog_compat.h): compiled unchanged into ktr.ko and
 * into userspace/filter-host, where the host tests run the very verifier
 * and VM the module runs. The core allocates nothing: the caller provides
 * the instruction array and keeps the strings a program points into.
 */
#ifndef _KTR_FILTER_PROG_H
#define _KTR_FILTER_PROG_H

#include "ktr_filter_prog_compat.h"
#include "ktr.h"

/* A verified instruction, with what the VM needs at hand. */
struct ktr_finsn {
	u16 op;
	bool is_signed;
	bool rest;		/* a REST string: to the end of the payload */
	bool loc;		/* a STRING_LOC: a u32 locating the text */
	u32 offset;
	u32 size;
	u64 value;
	const char *str;	/* string operations: the NUL-terminated operand */
};

/**
 * struct ktr_fprog - a program the verifier accepted
 * @insn: the caller's array, of ktr_fprog_count() entries at least.
 * @n: instructions in @insn.
 * @need: payload bytes the program reads at most, REST strings and the text
 *	STRING_LOC fields locate aside (their bounds are checked against the
 *	payload's length at run time): the caller runs the program only over
 *	payloads of at least this length (a probe's are always the size of
 *	the event's fixed fields).
 */
struct ktr_fprog {
	struct ktr_finsn *insn;
	unsigned int n;
	u32 need;
};

/* What the caller's field table says of a field (enum ktr_field_type). */
struct ktr_fprog_field {
	u32 type;
	bool is_signed;
};

/*
 * The field of the event at exactly @offset and @size (0 for a REST field),
 * common fields included: true and *@out filled, or false.
 */
typedef bool (*ktr_fprog_field_fn)(const void *ctx, u32 offset, u32 size,
				   struct ktr_fprog_field *out);

/* Why the verifier refused a program. */
enum ktr_fprog_err {
	KTR_FPROG_OK = 0,
	KTR_FPROG_ELEN,		/* not 1 to KTR_FILTER_INSNS_MAX whole insns */
	KTR_FPROG_ESTRINGS,	/* strings too long or without their last NUL */
	KTR_FPROG_ERESERVED,	/* non-zero flags/reserved, or AND/OR/NOT operands */
	KTR_FPROG_EOP,		/* unknown op */
	KTR_FPROG_EUNDERFLOW,	/* AND/OR/NOT with too few values */
	KTR_FPROG_EFIELD,	/* no field of the event at offset/size */
	KTR_FPROG_ETYPE,	/* the field's type is not the op's */
	KTR_FPROG_ESTROFF,	/* string operand outside the strings */
	KTR_FPROG_EGLOBS,	/* more than KTR_FILTER_GLOBS_MAX globs */
	KTR_FPROG_EGLOBLEN,	/* a pattern of KTR_FILTER_GLOB_LEN_MAX bytes or more */
	KTR_FPROG_ERESULT,	/* the program does not leave exactly one value */
};

unsigned int ktr_fprog_count(u32 prog_len);
enum ktr_fprog_err ktr_fprog_verify(struct ktr_fprog *out, const void *prog,
				    u32 prog_len, const char *strings,
				    u32 strings_len, ktr_fprog_field_fn field_at,
				    const void *ctx, unsigned int *bad);
bool ktr_fprog_run(const struct ktr_fprog *f, const void *data, u32 len);

bool ktr_glob_class(const char *pat, char c, const char **next);
bool ktr_glob_n(const char *pat, const char *s, size_t n);

#endif /* _KTR_FILTER_PROG_H */
