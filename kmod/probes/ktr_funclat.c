// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_funclat.c - per-function log2 latency histograms, aggregated in the
 * kernel (KTR_IOC_FUNCLAT_OPEN, uapi/ktr.h).
 *
 * One kretprobe per function: the entry handler stamps the call with
 * local_clock() in its instance data, the return handler adds the duration
 * to the function's histogram of the CPU it returns on. Nothing goes
 * through the ring buffer; a read sums the CPUs.
 *
 * Why not one multi-function probe for a glob: Debian's 6.1 kernel is built
 * without CONFIG_FPROBE (6.12 has it), so the tools expand globs into names
 * and a set holds at most KTR_FUNCLAT_FUNCS_MAX kretprobes.
 *
 * Invariants:
 *  1. A set is all or nothing: ktr_funclat_create() returns with every
 *     kretprobe registered, or with none (those done are unregistered).
 *  2. Handlers touch a set only between register_kretprobe() and the
 *     return of unregister_kretprobes(), which waits for running handlers
 *     (an RCU grace period) and detaches the instances still pending on a
 *     stack: their returns no longer call ktr's handler. The set is freed
 *     only after that, so no handler sees freed memory, and the module
 *     cannot go before its sets do (the fd owning a set holds the module).
 *  3. A CPU's histogram of a function (struct ktr_funclat_cpu) is written
 *     only on that CPU, by the return handler, with preemption disabled
 *     (kprobe handlers run so): no atomics. kprobes do not nest a probe's
 *     entry in another's handler (nmissed), but a return handler can be
 *     interrupted and the interrupt can return through the same function:
 *     @busy, set on that CPU only, makes such a nested update a miss
 *     (@nested) instead of a torn one.
 *  4. Each update is inside a sequence count (@seq), so a reader on another
 *     CPU copies one CPU's counters consistently (u64_stats_sync would not:
 *     on 64-bit it only keeps single counters untorn). A writer never
 *     sleeps or spins, so a reader retries only for a moment.
 *  5. Durations use local_clock(): cheap, but not synchronised between
 *     CPUs to the nanosecond; a call that migrates may come out a little
 *     short, or negative, which counts as 0.
 *  6. At most KTR_FUNCLAT_SETS_MAX sets exist at once (all users
 *     together), so the kretprobes and per-CPU counters a caller with
 *     CAP_PERFMON can pin in the kernel are bounded: KTR_FUNCLAT_SETS_MAX *
 *     KTR_FUNCLAT_FUNCS_MAX functions. @ktr_funclat_sets counts the sets
 *     from the start of ktr_funclat_create() to the end of their free.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/bitops.h>
#include <linux/kprobes.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/sched/signal.h>
#include <linux/seqlock.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ktr_funclat.h"

static atomic_t ktr_funclat_sets = ATOMIC_INIT(0);	/* invariant 6 */

/* The counters of a histogram (durations in ns, buckets in the unit). */
struct ktr_funclat_counts {
	u64 count;
	u64 sum;
	u64 min;
	u64 max;
	u64 buckets[KTR_FUNCLAT_BUCKETS];
};

/* One CPU's histogram of one function (invariants 3 and 4). */
struct ktr_funclat_cpu {
	seqcount_t seq;
	bool busy;
	struct ktr_funclat_counts n;
};

/**
 * struct ktr_funclat_fn - one probed function
 * @rp: its kretprobe (instance data: the entry time, u64).
 * @tgid: count only this process's calls, or NULL (the set's reference).
 * @unit_ns: bucket unit.
 * @cpu: the per-CPU histograms.
 * @nested: updates dropped by invariant 3.
 * @name: as given (kprobes keep a pointer to it: symbol_name).
 */
struct ktr_funclat_fn {
	struct kretprobe rp;
	struct pid *tgid;
	u32 unit_ns;
	struct ktr_funclat_cpu __percpu *cpu;
	atomic64_t nested;
	char name[KTR_FUNCLAT_NAME_SLOT];
};

/**
 * struct ktr_funclat - a set of probed functions, owned by one fd
 * @tgid: the process filter (a reference), or NULL.
 * @nr_funcs: functions in the set.
 * @read_lock: serializes readers of @scratch.
 * @scratch: one CPU's consistent copy while reading.
 * @rps: the kretprobes, for unregister_kretprobes().
 * @fns: the functions.
 */
struct ktr_funclat {
	struct pid *tgid;
	unsigned int nr_funcs;
	struct mutex read_lock;	/* readers of @scratch */
	struct ktr_funclat_counts scratch;
	struct kretprobe *rps[KTR_FUNCLAT_FUNCS_MAX];
	struct ktr_funclat_fn *fns[KTR_FUNCLAT_FUNCS_MAX];
};

/* --- handlers (probe context: no sleeping, no locks) --- */

static int ktr_funclat_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct ktr_funclat_fn *fn;

	if (!rp)
		return 1;
	fn = container_of(rp, struct ktr_funclat_fn, rp);
	/* Non-zero: no return handler for this call (not counted, not missed). */
	if (fn->tgid && task_tgid(current) != fn->tgid)
		return 1;
	*(u64 *)ri->data = local_clock();
	return 0;
}

NOKPROBE_SYMBOL(ktr_funclat_entry);

static int ktr_funclat_ret(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	u64 start = *(u64 *)ri->data;
	u64 now = local_clock();
	struct ktr_funclat_fn *fn;
	struct ktr_funclat_cpu *c;
	u64 d, v;
	unsigned int b;

	if (!rp)
		return 0;
	fn = container_of(rp, struct ktr_funclat_fn, rp);
	d = now > start ? now - start : 0;	/* invariant 5 */
	v = fn->unit_ns > 1 ? div_u64(d, fn->unit_ns) : d;
	b = v ? fls64(v) - 1 : 0;

	/* Preemption is off in kprobe handlers: this CPU's (invariant 3). */
	c = raw_cpu_ptr(fn->cpu);
	if (READ_ONCE(c->busy)) {
		atomic64_inc(&fn->nested);
		return 0;
	}
	WRITE_ONCE(c->busy, true);
	barrier();	/* busy before the update, as an interrupt sees it */
	raw_write_seqcount_begin(&c->seq);
	c->n.count++;
	c->n.sum += d;
	if (d < c->n.min)
		c->n.min = d;
	if (d > c->n.max)
		c->n.max = d;
	c->n.buckets[b]++;
	raw_write_seqcount_end(&c->seq);
	barrier();
	WRITE_ONCE(c->busy, false);
	return 0;
}

NOKPROBE_SYMBOL(ktr_funclat_ret);

/* --- sets --- */

static void ktr_funclat_fn_free(struct ktr_funclat_fn *fn)
{
	if (!fn)
		return;
	free_percpu(fn->cpu);
	kfree(fn);
}

static struct ktr_funclat_fn *
ktr_funclat_fn_alloc(const struct ktr_funclat_params *p, unsigned int i,
		     struct pid *tgid, unsigned int maxactive)
{
	struct ktr_funclat_fn *fn;
	unsigned int cpu;

	fn = kzalloc(sizeof(*fn), GFP_KERNEL);
	if (!fn)
		return NULL;
	fn->cpu = alloc_percpu(struct ktr_funclat_cpu);
	if (!fn->cpu) {
		kfree(fn);
		return NULL;
	}
	for_each_possible_cpu(cpu) {
		struct ktr_funclat_cpu *c = per_cpu_ptr(fn->cpu, cpu);

		seqcount_init(&c->seq);
		c->n.min = U64_MAX;
	}
	strscpy(fn->name, p->names[i], sizeof(fn->name));
	fn->tgid = tgid;
	fn->unit_ns = p->unit_ns;
	atomic64_set(&fn->nested, 0);
	fn->rp.kp.symbol_name = fn->name;
	fn->rp.entry_handler = ktr_funclat_entry;
	fn->rp.handler = ktr_funclat_ret;
	fn->rp.data_size = sizeof(u64);
	fn->rp.maxactive = maxactive;
	return fn;
}

/* What register_kretprobe() said, as the uapi documents it. */
static int ktr_funclat_reg_error(int err)
{
	switch (err) {
	case -EINVAL:	/* not a function entry, not text, blacklisted */
	case -E2BIG:
		return -EOPNOTSUPP;
	default:
		return err;
	}
}

/* Default instances: enough for every CPU to be in the function twice
 * (plus sleepers), as the kernel's own default of 2 x CPUs is for one.
 */
static unsigned int ktr_funclat_default_maxactive(void)
{
	return min_t(unsigned int, KTR_FUNCLAT_MAXACTIVE_MAX,
		     max_t(unsigned int, 64, 4 * num_possible_cpus()));
}

static void ktr_funclat_free(struct ktr_funclat *fl)
{
	unsigned int i;

	for (i = 0; i < fl->nr_funcs; i++)
		ktr_funclat_fn_free(fl->fns[i]);
	put_pid(fl->tgid);
	mutex_destroy(&fl->read_lock);
	kfree(fl);
	atomic_dec(&ktr_funclat_sets);
}

/**
 * ktr_funclat_create - probe every function of @p
 * @p: what to measure (checked by the caller: counts, names, ranges).
 * @failed: out: the index of the function an error is about, or
 *	KTR_FUNCLAT_NONE.
 *
 * All or nothing (invariant 1). The handlers run from the return on.
 *
 * Context: task (sleeps).
 * Return: the set, or an ERR_PTR(): -ENOMEM; with @failed set, what the
 * kernel said about that function (-ENOENT, -EOPNOTSUPP, -EBUSY, -EILSEQ...).
 */
struct ktr_funclat *ktr_funclat_create(const struct ktr_funclat_params *p,
				       u32 *failed)
{
	unsigned int maxactive = p->maxactive ? p->maxactive :
				 ktr_funclat_default_maxactive();
	struct ktr_funclat *fl;
	unsigned int i;
	int ret;

	*failed = KTR_FUNCLAT_NONE;
	if (WARN_ON_ONCE(!p->nr_funcs || p->nr_funcs > KTR_FUNCLAT_FUNCS_MAX))
		return ERR_PTR(-EINVAL);
	/* Invariant 6: a slot first, given back by ktr_funclat_free(). */
	if (atomic_inc_return(&ktr_funclat_sets) > KTR_FUNCLAT_SETS_MAX) {
		atomic_dec(&ktr_funclat_sets);
		return ERR_PTR(-ENOSPC);
	}
	fl = kzalloc(sizeof(*fl), GFP_KERNEL);
	if (!fl) {
		atomic_dec(&ktr_funclat_sets);
		return ERR_PTR(-ENOMEM);
	}
	mutex_init(&fl->read_lock);
	fl->tgid = get_pid(p->tgid);
	fl->nr_funcs = p->nr_funcs;
	for (i = 0; i < p->nr_funcs; i++) {
		fl->fns[i] = ktr_funclat_fn_alloc(p, i, fl->tgid, maxactive);
		if (!fl->fns[i]) {
			ktr_funclat_free(fl);
			return ERR_PTR(-ENOMEM);
		}
		fl->rps[i] = &fl->fns[i]->rp;
	}
	for (i = 0; i < p->nr_funcs; i++) {
		ret = register_kretprobe(fl->rps[i]);
		if (ret) {
			unregister_kretprobes(fl->rps, i);
			*failed = i;
			ktr_funclat_free(fl);
			return ERR_PTR(ktr_funclat_reg_error(ret));
		}
	}
	return fl;
}

/**
 * ktr_funclat_nr_funcs - how many functions @fl measures
 * @fl: the set.
 *
 * Return: 1..KTR_FUNCLAT_FUNCS_MAX.
 */
unsigned int ktr_funclat_nr_funcs(const struct ktr_funclat *fl)
{
	return fl->nr_funcs;
}

/* One CPU's counters, consistently (invariant 4), into @fl->scratch. */
static void ktr_funclat_copy_cpu(struct ktr_funclat *fl,
				 const struct ktr_funclat_cpu *c)
{
	unsigned int seq;

	do {
		seq = read_seqcount_begin(&c->seq);
		memcpy(&fl->scratch, &c->n, sizeof(c->n));
	} while (read_seqcount_retry(&c->seq, seq));
}

/**
 * ktr_funclat_read - a snapshot of function @i of @fl, summed over CPUs
 * @fl: the set.
 * @i: the function's index, below ktr_funclat_nr_funcs().
 * @st: out: the whole struct, size and index included.
 *
 * Context: task (sleeps: readers of one set take turns).
 */
void ktr_funclat_read(struct ktr_funclat *fl, unsigned int i,
		      struct ktr_funclat_stat *st)
{
	const struct ktr_funclat_fn *fn = fl->fns[i];
	const struct ktr_funclat_counts *s = &fl->scratch;
	u64 min = U64_MAX;
	unsigned int cpu, b;

	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->index = i;
	mutex_lock(&fl->read_lock);
	for_each_possible_cpu(cpu) {
		ktr_funclat_copy_cpu(fl, per_cpu_ptr(fn->cpu, cpu));
		if (!s->count)
			continue;
		st->count += s->count;
		st->sum_ns += s->sum;
		min = min(min, s->min);
		st->max_ns = max(st->max_ns, s->max);
		for (b = 0; b < KTR_FUNCLAT_BUCKETS; b++)
			st->buckets[b] += s->buckets[b];
	}
	mutex_unlock(&fl->read_lock);
	st->min_ns = st->count ? min : 0;
	st->missed = (u64)READ_ONCE(fn->rp.nmissed) +
		     READ_ONCE(fn->rp.kp.nmissed) +
		     atomic64_read(&fn->nested);
}

/**
 * ktr_funclat_destroy - unprobe every function of @fl and free it
 * @fl: the set (NULL: nothing).
 *
 * Context: task (sleeps: waits for running handlers, invariant 2).
 */
void ktr_funclat_destroy(struct ktr_funclat *fl)
{
	if (!fl)
		return;
	unregister_kretprobes(fl->rps, fl->nr_funcs);
	ktr_funclat_free(fl);
}
