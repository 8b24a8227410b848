// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_kprobe_fetch.c - the handler path of dynamic probes: fetch each
 * argument of a definition (ktr_probe_def.h) from the registers, the
 * stack and memory, and record the event.
 *
 * Invariants:
 *  1. Never fault, never sleep, never allocate: handlers run in the
 *     probed context (any, NMI included) with preemption disabled. Every
 *     memory read is copy_from_kernel_nofault() or
 *     copy_from_user_nofault(); a read that fails records 0 (integers) or
 *     no text (a string's loc is 0).
 *  2. Bounded: at most KTR_PROBE_DEREF_MAX (+1 for @ADDR/@SYM) reads per
 *     argument, and a string is read a page piece at a time up to
 *     KTR_PROBE_STRING_MAX - 1 bytes, then NUL-terminated: a record is at
 *     most the definition's max_size (<= KTR_PROBE_PAYLOAD_MAX).
 *  3. A record is exactly what the event's fields say: the fixed part
 *     (struct ktr_event_common, one slot per argument at the parser's
 *     offsets) then the strings, each located by its slot (offset from
 *     the payload start, length with the NUL).
 *  4. Strings need the record's size before the reservation: they are
 *     fetched into this CPU's scratch area first. A scratch area is used
 *     by one handler at a time (kprobes do not nest on a CPU; a kprobe
 *     firing in an interrupt of a uprobe's fetch finds it busy and drops
 *     its event, counted in hits but recorded nowhere).
 */
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/ptrace.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "ktr_kprobe.h"
#include "ktr_probe.h"

struct ktr_kprobe_scratch {
	int busy;
	u8 buf[KTR_PROBE_PAYLOAD_MAX];
};

static struct ktr_kprobe_scratch __percpu *ktr_kprobe_scratch;

/* The parser's register indexes are x86-64's struct pt_regs words. */
static_assert(offsetof(struct pt_regs, r15) == 0 * 8);
static_assert(offsetof(struct pt_regs, bp) == 4 * 8);
static_assert(offsetof(struct pt_regs, ax) == 10 * 8);
static_assert(offsetof(struct pt_regs, di) == 14 * 8);
static_assert(offsetof(struct pt_regs, orig_ax) == 15 * 8);
static_assert(offsetof(struct pt_regs, ip) == 16 * 8);
static_assert(offsetof(struct pt_regs, sp) == 19 * 8);
static_assert(offsetof(struct pt_regs, ss) == 20 * 8);

static bool ktr_kprobe_read(void *dst, unsigned long addr, size_t n, bool user)
{
	if (user)
		return !copy_from_user_nofault(dst, (const void __user *)addr, n);
	return !copy_from_kernel_nofault(dst, (const void *)addr, n);
}

NOKPROBE_SYMBOL(ktr_kprobe_read);

/*
 * Copy the string at @addr into @dst (room for @max bytes, NUL included),
 * a page piece at a time so that no read crosses into a page the string
 * does not reach. Return: its length with the NUL, 0 when unreadable.
 */
static u32 ktr_kprobe_read_str(char *dst, unsigned long addr, u32 max,
			       bool user)
{
	u32 len = 0;

	while (len < max - 1) {
		u32 chunk = min_t(u32, max - 1 - len,
				  PAGE_SIZE - offset_in_page(addr + len));
		u32 end;

		if (!ktr_kprobe_read(dst + len, addr + len, chunk, user)) {
			if (!len)
				return 0;
			break;	/* keep what was read */
		}
		end = strnlen(dst + len, chunk);
		len += end;
		if (end < chunk)
			break;
	}
	dst[len] = '\0';
	return len + 1;
}

NOKPROBE_SYMBOL(ktr_kprobe_read_str);

/* Word @n of the user stack at @regs (0 when unreadable). */
static unsigned long ktr_user_stack_nth(struct pt_regs *regs, unsigned int n)
{
	unsigned long v;

	if (!ktr_kprobe_read(&v, user_stack_pointer(regs) + n * sizeof(v),
			     sizeof(v), true))
		return 0;
	return v;
}

/*
 * A uprobe's starting value: registers are the task's user registers, the
 * stack its user stack ($argN past the sixth as the SysV x86-64 ABI puts
 * them, above the return address, as for the kernel's).
 */
static unsigned long ktr_uprobe_base(const struct ktr_kprobe *p,
				     unsigned int i, struct pt_regs *regs)
{
	static const unsigned int arg_regs[] = {
		offsetof(struct pt_regs, di), offsetof(struct pt_regs, si),
		offsetof(struct pt_regs, dx), offsetof(struct pt_regs, cx),
		offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
	};
	const struct ktr_parg *a = &p->def.args[i];

	switch (a->base) {
	case KTR_PFETCH_REG:
		return ((unsigned long *)regs)[a->reg];
	case KTR_PFETCH_ARG:
		if (a->index <= ARRAY_SIZE(arg_regs))
			return regs_get_register(regs, arg_regs[a->index - 1]);
		return ktr_user_stack_nth(regs, a->index - ARRAY_SIZE(arg_regs));
	case KTR_PFETCH_RETVAL:
		return regs_return_value(regs);
	case KTR_PFETCH_STACK:
		return user_stack_pointer(regs);
	case KTR_PFETCH_STACKN:
		return ktr_user_stack_nth(regs, a->index);
	case KTR_PFETCH_IMM:
	case KTR_PFETCH_ADDR:
		return a->imm;
	case KTR_PFETCH_COMM:
		return (unsigned long)current->comm;
	default:		/* @SYM and $duration are refused for uprobes */
		return 0;
	}
}

/* The value an argument starts from, before any dereference. */
static unsigned long ktr_kprobe_base(const struct ktr_kprobe *p,
				     unsigned int i, struct pt_regs *regs,
				     u64 duration)
{
	const struct ktr_parg *a = &p->def.args[i];

	if (ktr_kprobe_is_user(p))
		return ktr_uprobe_base(p, i, regs);
	switch (a->base) {
	case KTR_PFETCH_REG:
		return ((unsigned long *)regs)[a->reg];
	case KTR_PFETCH_ARG:
		return regs_get_kernel_argument(regs, a->index - 1);
	case KTR_PFETCH_RETVAL:
		return regs_return_value(regs);
	case KTR_PFETCH_STACK:
		return kernel_stack_pointer(regs);
	case KTR_PFETCH_STACKN:
		return regs_get_kernel_stack_nth(regs, a->index);
	case KTR_PFETCH_IMM:
	case KTR_PFETCH_ADDR:
		return a->imm;
	case KTR_PFETCH_SYMBOL:
		return p->sym_addr[i];
	case KTR_PFETCH_DURATION:
		return duration;
	case KTR_PFETCH_COMM:
		return (unsigned long)current->comm;
	default:
		return 0;
	}
}

NOKPROBE_SYMBOL(ktr_kprobe_base);

/* @ADDR and @SYM read memory at the address: a level of offset 0. */
static const struct ktr_pderef ktr_kprobe_at_addr;

/* Level @k of argument @a's reads (@mem: @ADDR or @SYM first). */
static const struct ktr_pderef *
ktr_kprobe_level(const struct ktr_parg *a, bool mem, unsigned int k)
{
	if (mem)
		return k ? &a->deref[k - 1] : &ktr_kprobe_at_addr;
	return &a->deref[k];
}

NOKPROBE_SYMBOL(ktr_kprobe_level);

/*
 * Fetch argument @i into @rec (the payload being built, @len bytes so
 * far, room for the definition's max_size). Return: the new length.
 */
static u32 ktr_kprobe_fetch(const struct ktr_kprobe *p, unsigned int i,
			    struct pt_regs *regs, u64 duration, u8 *rec,
			    u32 len)
{
	const struct ktr_parg *a = &p->def.args[i];
	const bool string = a->type == KTR_PTYPE_STRING ||
			    a->type == KTR_PTYPE_USTRING;
	const bool mem = a->base == KTR_PFETCH_ADDR ||
			 a->base == KTR_PFETCH_SYMBOL;
	const unsigned int levels = a->nderef + mem;
	unsigned long v = ktr_kprobe_base(p, i, regs, duration);
	const struct ktr_pderef *d;
	bool user = false, ok = true;
	unsigned int k;
	u64 out = 0;

	/* A uprobe's memory is the task's: every read is a user one. */
	const bool in_user = ktr_kprobe_is_user(p);

	/* Every level but the last reads a pointer... */
	for (k = 0; ok && k + 1 < levels; k++) {
		d = ktr_kprobe_level(a, mem, k);
		ok = ktr_kprobe_read(&v, v + d->offset, sizeof(v),
				     d->user || in_user);
	}
	/* ...the last one names the address of the value (or string). */
	if (ok && levels) {
		d = ktr_kprobe_level(a, mem, levels - 1);
		v += d->offset;
		user = d->user || in_user;
	}

	if (string) {
		u32 loc = 0, n = 0;

		if (!ok)
			n = 0;
		else if (a->base == KTR_PFETCH_COMM && !levels)
			n = ktr_kprobe_read_str((char *)rec + len, v,
						sizeof(current->comm) + 1,
						false);
		else
			n = ktr_kprobe_read_str((char *)rec + len, v,
						KTR_PROBE_STRING_MAX,
						user || a->type == KTR_PTYPE_USTRING);
		if (n) {
			loc = len | (n << 16);
			len += n;
		}
		memcpy(rec + a->offset, &loc, sizeof(loc));
		return len;
	}

	if (ok && levels)
		ok = ktr_kprobe_read(&out, v, a->size, user);
	else
		out = v;
	if (!ok)
		out = 0;
	memcpy(rec + a->offset, &out, a->size);	/* little-endian: low bytes */
	return len;
}

NOKPROBE_SYMBOL(ktr_kprobe_fetch);

/* Fill the arguments of @rec; return the payload's length. */
static u32 ktr_kprobe_fill(const struct ktr_kprobe *p, struct pt_regs *regs,
			   u64 duration, u8 *rec)
{
	u32 len = p->def.fixed_size;
	unsigned int i;

	for (i = 0; i < p->def.nargs; i++)
		len = ktr_kprobe_fetch(p, i, regs, duration, rec, len);
	return len;
}

NOKPROBE_SYMBOL(ktr_kprobe_fill);

/**
 * ktr_kprobe_record - record one hit of probe @p
 * @p: an armed probe.
 * @regs: the registers at the probe (at the return, for return probes).
 * @duration: return probes: ns since the function's entry.
 *
 * Context: a kprobe handler (preemption disabled, any context).
 */
void ktr_kprobe_record(struct ktr_kprobe *p, struct pt_regs *regs,
		       u64 duration)
{
	struct ktr_kprobe_scratch *s;
	struct ktr_event_common *c;
	struct ktr_rb_event ev;
	u32 len;

	this_cpu_inc(*p->hits);
	if (!p->has_strings) {
		c = ktr_event_begin(&ev, p->type.id, p->def.fixed_size);
		if (!c)
			return;
		ktr_kprobe_fill(p, regs, duration, (u8 *)c);
		ktr_event_end_slot(&ev, &p->filter);
		return;
	}

	s = this_cpu_ptr(ktr_kprobe_scratch);
	if (s->busy)
		return;
	s->busy = 1;
	barrier();
	len = ktr_kprobe_fill(p, regs, duration, s->buf);
	c = ktr_event_begin(&ev, p->type.id, len);
	if (c) {
		memcpy(c + 1, s->buf + sizeof(*c), len - sizeof(*c));
		ktr_event_end_slot(&ev, &p->filter);
	}
	barrier();
	s->busy = 0;
}

NOKPROBE_SYMBOL(ktr_kprobe_record);

int ktr_kprobe_fetch_init(void)
{
	ktr_kprobe_scratch = alloc_percpu(struct ktr_kprobe_scratch);
	return ktr_kprobe_scratch ? 0 : -ENOMEM;
}

void ktr_kprobe_fetch_exit(void)
{
	free_percpu(ktr_kprobe_scratch);
}
