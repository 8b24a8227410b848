// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_filter.c - task filters, event filter programs and stack capture.
 *
 * Invariants:
 *  1. A kind of filter that is not set costs the probes one NOP: its static
 *     key is enabled only while its state is published, and disabled
 *     before the state is withdrawn.
 *  2. Probes read filter state only under rcu_dereference_sched() (they
 *     run with preemption disabled); state is replaced as a whole, never
 *     edited in place, except the pid bitmap's bits, which are atomic, and
 *     freed only after tracepoint_synchronize_unregister() (which
 *     includes synchronize_rcu()).
 *  3. Nothing on the probe path sleeps, allocates or locks; every update
 *     runs under ktr_filter_lock and either changes everything it was asked
 *     to or nothing.
 *  4. A filter program was validated against its event's fields when it
 *     was set: it only reads fields that lie inside the event's payload,
 *     of the type its operations expect, and its stack stays in bounds.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <net/netlink.h>
#include <trace/events/sched.h>	/* prototypes only: probe type checks */

#include "ktr.h"
#include "ktr_event.h"
#include "ktr_events.h"
#include "ktr_filter.h"
#include "ktr_probe.h"
#include "ringbuf/ktr_rb.h"

DEFINE_STATIC_KEY_FALSE(ktr_filter_pid_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_comm_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_cpu_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_event_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_stack_key);

static DEFINE_MUTEX(ktr_filter_lock);

/* Filter state, seen by an updater (under ktr_filter_lock). */
#define ktr_filter_deref(p) \
	rcu_dereference_protected(p, lockdep_is_held(&ktr_filter_lock))

/* --- task filters ---------------------------------------------------- */

/* Process ids traced: one bit per possible id (512 KiB at most). */
struct ktr_pid_filter {
	unsigned long *bits;
	atomic_t tracked;
	bool follow;
	unsigned int nr_given;
	s32 given[KTR_FILTER_PIDS_MAX];
};

struct ktr_comm_filter {
	unsigned int n;
	char names[KTR_FILTER_COMMS_MAX][KTR_COMM_LEN];
};

struct ktr_cpu_filter {
	struct cpumask mask;
};

static struct ktr_pid_filter __rcu *ktr_pids;
static struct ktr_comm_filter __rcu *ktr_comms;
static struct ktr_cpu_filter __rcu *ktr_cpus;

/* Tracepoints the child following hooks (found by name at init). */
static struct tracepoint *ktr_tp_fork, *ktr_tp_free;
static bool ktr_follow_registered;

bool ktr_filter_pid_match(const struct task_struct *t)
{
	struct ktr_pid_filter *f = rcu_dereference_sched(ktr_pids);
	pid_t pid = t->tgid;

	if (!f)
		return true;	/* being withdrawn */
	return pid > 0 && pid < PID_MAX_LIMIT && test_bit(pid, f->bits);
}

/*
 * Whether @c is in the class at @pat ("[...]", "[!...]"); *@next is set
 * past the class. No closing "]": the "[" is a literal.
 */
static bool ktr_glob_class(const char *pat, char c, const char **next)
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
			match |= (u8)c >= (u8)q[0] && (u8)c <= (u8)q[2];
			q += 3;
		} else {
			match |= c == *q;
			q++;
		}
	} while (*q && *q != ']');
	if (*q != ']') {
		*next = pat + 1;
		return c == '[';
	}
	*next = q + 1;
	return match ^ neg;
}

/* Shell glob over @s of at most @n bytes (stops at a NUL): * ? [a-z] [!x]. */
static bool ktr_glob_n(const char *pat, const char *s, size_t n)
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

bool ktr_filter_comm_match(const struct task_struct *t)
{
	struct ktr_comm_filter *f = rcu_dereference_sched(ktr_comms);
	char comm[KTR_COMM_LEN];
	unsigned int i;

	if (!f)
		return true;
	memcpy(comm, t->comm, sizeof(comm));
	for (i = 0; i < f->n; i++)
		if (ktr_glob_n(f->names[i], comm, sizeof(comm)))
			return true;
	return false;
}

bool ktr_filter_cpu_match(void)
{
	struct ktr_cpu_filter *f = rcu_dereference_sched(ktr_cpus);

	return !f || cpumask_test_cpu(smp_processor_id(), &f->mask);
}

/* A process forked by a traced one is traced (KTR_ATTR_FILTER_FOLLOW). */
static void ktr_filter_on_fork(void *data, struct task_struct *parent,
			       struct task_struct *child)
{
	struct ktr_pid_filter *f = rcu_dereference_sched(ktr_pids);
	pid_t pid = child->tgid;

	if (!f || !READ_ONCE(f->follow) || parent->tgid <= 0 ||
	    parent->tgid >= PID_MAX_LIMIT || !test_bit(parent->tgid, f->bits))
		return;
	if (pid > 0 && pid < PID_MAX_LIMIT && !test_and_set_bit(pid, f->bits))
		atomic_inc(&f->tracked);
}

/* A traced process is forgotten when its leader is freed (last). */
static void ktr_filter_on_free(void *data, struct task_struct *p)
{
	struct ktr_pid_filter *f = rcu_dereference_sched(ktr_pids);
	pid_t pid = p->tgid;

	if (!f || !READ_ONCE(f->follow) || p->pid != p->tgid)
		return;
	if (pid > 0 && pid < PID_MAX_LIMIT && test_and_clear_bit(pid, f->bits))
		atomic_dec(&f->tracked);
}

static int ktr_follow_set(bool on)
{
	int ret;

	if (on == ktr_follow_registered)
		return 0;
	if (!on) {
		tracepoint_probe_unregister(ktr_tp_fork, ktr_filter_on_fork,
					    NULL);
		tracepoint_probe_unregister(ktr_tp_free, ktr_filter_on_free,
					    NULL);
		ktr_follow_registered = false;
		return 0;	/* callers synchronize_rcu() */
	}
	if (!ktr_tp_fork || !ktr_tp_free)
		return -EOPNOTSUPP;
	ret = tracepoint_probe_register(ktr_tp_fork, ktr_filter_on_fork, NULL);
	if (ret)
		return ret;
	ret = tracepoint_probe_register(ktr_tp_free, ktr_filter_on_free, NULL);
	if (ret) {
		tracepoint_probe_unregister(ktr_tp_fork, ktr_filter_on_fork,
					    NULL);
		tracepoint_synchronize_unregister();
		return ret;
	}
	ktr_follow_registered = true;
	return 0;
}

static void ktr_pid_filter_free(struct ktr_pid_filter *f)
{
	if (f) {
		vfree(f->bits);
		kfree(f);
	}
}

static struct ktr_pid_filter *
ktr_pid_filter_new(const struct ktr_task_filter_req *req, bool follow,
		   struct netlink_ext_ack *extack)
{
	struct ktr_pid_filter *f;
	unsigned int i;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->bits = vzalloc(BITS_TO_LONGS(PID_MAX_LIMIT) * sizeof(long));
	if (!f->bits) {
		kfree(f);
		return ERR_PTR(-ENOMEM);
	}
	for (i = 0; i < req->nr_pids; i++) {
		s32 pid = req->pids[i];

		if (pid <= 0 || pid >= PID_MAX_LIMIT) {
			NL_SET_ERR_MSG_MOD(extack,
					   "a process id is out of range (1 to PID_MAX_LIMIT - 1)");
			ktr_pid_filter_free(f);
			return ERR_PTR(-EINVAL);
		}
		if (!test_and_set_bit(pid, f->bits))
			atomic_inc(&f->tracked);
		f->given[i] = pid;
	}
	f->nr_given = req->nr_pids;
	f->follow = follow;
	return f;
}

static struct ktr_comm_filter *
ktr_comm_filter_new(const struct ktr_task_filter_req *req,
		    struct netlink_ext_ack *extack)
{
	const char *p = req->comms, *end = req->comms + req->comms_len;
	struct ktr_comm_filter *f;

	if (end[-1] != '\0') {
		NL_SET_ERR_MSG_MOD(extack,
				   "command names must each end with a NUL");
		return ERR_PTR(-EINVAL);
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	while (p < end) {
		size_t len = strlen(p);

		if (!len || len >= KTR_COMM_LEN ||
		    f->n == KTR_FILTER_COMMS_MAX) {
			NL_SET_ERR_MSG_MOD(extack,
					   "command names: 1 to 16 names of 1 to 15 bytes each");
			kfree(f);
			return ERR_PTR(-EINVAL);
		}
		memcpy(f->names[f->n++], p, len);
		p += len + 1;
	}
	return f;
}

static struct ktr_cpu_filter *
ktr_cpu_filter_new(const struct ktr_task_filter_req *req,
		   struct netlink_ext_ack *extack)
{
	struct ktr_cpu_filter *f;
	unsigned int bit, nbits = req->cpus_words * 64;

	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	for (bit = 0; bit < nbits; bit++) {
		u64 word;

		/* Attribute data is 4-byte aligned only. */
		memcpy(&word, &req->cpus[bit / 64], sizeof(word));
		if (!(word & (1ULL << (bit % 64))))
			continue;
		if (bit >= nr_cpu_ids || !cpu_possible(bit)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "the CPU list names a CPU that is not possible on this machine");
			kfree(f);
			return ERR_PTR(-EINVAL);
		}
		cpumask_set_cpu(bit, &f->mask);
	}
	if (cpumask_empty(&f->mask)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the CPU list is empty (send an empty attribute to clear the filter)");
		kfree(f);
		return ERR_PTR(-EINVAL);
	}
	return f;
}

/* Publish @f behind @key; the old state is returned for freeing. */
#define ktr_publish(ptr, f, key) ({					\
	typeof(f) __old = rcu_dereference_protected(ptr,		\
			lockdep_is_held(&ktr_filter_lock));		\
	if (f) {							\
		rcu_assign_pointer(ptr, f);				\
		static_branch_enable(&(key));				\
	} else {							\
		static_branch_disable(&(key));				\
		RCU_INIT_POINTER(ptr, NULL);				\
	}								\
	__old; })

/**
 * ktr_filter_set_task - KTR_CMD_SET_TASK_FILTER
 * @req: the kinds to set (or clear).
 * @extack: for the error message.
 *
 * All or nothing: every new state is built and checked before any is
 * published.
 *
 * Context: task (sleeps).
 * Return: 0 or a negative errno.
 */
int ktr_filter_set_task(const struct ktr_task_filter_req *req,
			struct netlink_ext_ack *extack)
{
	struct ktr_pid_filter *pids = NULL, *old_pids = NULL, *cur;
	struct ktr_comm_filter *comms = NULL, *old_comms = NULL;
	struct ktr_cpu_filter *cpus = NULL, *old_cpus = NULL;
	bool follow;
	int ret = 0;

	if (!req->set_pids && !req->set_comms && !req->set_cpus &&
	    req->follow < 0) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no filter given (pids, follow, comms or cpus)");
		return -EINVAL;
	}
	if (req->nr_pids > KTR_FILTER_PIDS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "more than 256 process ids");
		return -EINVAL;
	}

	mutex_lock(&ktr_filter_lock);
	cur = ktr_filter_deref(ktr_pids);
	if (req->follow >= 0)
		follow = req->follow;
	else	/* kept, unless the ids are cleared */
		follow = cur && READ_ONCE(cur->follow) &&
			 !(req->set_pids && !req->nr_pids);
	if (follow && !(req->set_pids ? req->nr_pids : !!cur)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "following children needs process ids");
		ret = -EINVAL;
		goto unlock;
	}
	if (req->set_pids && req->nr_pids) {
		pids = ktr_pid_filter_new(req, follow, extack);
		if (IS_ERR(pids)) {
			ret = PTR_ERR(pids);
			pids = NULL;
			goto unlock;
		}
	}
	if (req->set_comms && req->comms_len) {
		comms = ktr_comm_filter_new(req, extack);
		if (IS_ERR(comms)) {
			ret = PTR_ERR(comms);
			comms = NULL;
			goto unlock;
		}
	}
	if (req->set_cpus && req->cpus_words) {
		cpus = ktr_cpu_filter_new(req, extack);
		if (IS_ERR(cpus)) {
			ret = PTR_ERR(cpus);
			cpus = NULL;
			goto unlock;
		}
	}
	/* The child-following probes first: the only step that can fail. */
	if (req->set_pids || req->follow >= 0) {
		ret = ktr_follow_set(follow);
		if (ret == -EOPNOTSUPP)
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot follow children: this kernel lacks sched_process_fork/free");
		else if (ret)
			NL_SET_ERR_MSG_MOD(extack,
					   "cannot attach to sched_process_fork/free (see the kernel log)");
		if (ret)
			goto unlock;
	}

	if (req->set_pids)
		old_pids = ktr_publish(ktr_pids, pids, ktr_filter_pid_key);
	else if (cur && req->follow >= 0)
		/* Same set (with what it followed so far): only following. */
		WRITE_ONCE(cur->follow, follow);
	if (req->set_comms)
		old_comms = ktr_publish(ktr_comms, comms, ktr_filter_comm_key);
	if (req->set_cpus)
		old_cpus = ktr_publish(ktr_cpus, cpus, ktr_filter_cpu_key);
	pids = NULL;
	comms = NULL;
	cpus = NULL;
unlock:
	mutex_unlock(&ktr_filter_lock);
	/* Probes that may still see the old state are done after this. */
	if (old_pids || old_comms || old_cpus)
		tracepoint_synchronize_unregister();
	ktr_pid_filter_free(old_pids);
	kfree(old_comms);
	kfree(old_cpus);
	ktr_pid_filter_free(pids);
	kfree(comms);
	kfree(cpus);
	return ret;
}

/* --- event filters and stacks ---------------------------------------- */

/* A validated instruction, with what the probe path needs at hand. */
struct ktr_finsn {
	u16 op;
	bool is_signed;
	bool rest;		/* a REST string: to the end of the payload */
	u32 offset;
	u32 size;
	u64 value;
	const char *str;
};

struct ktr_event_filter {
	char *text;
	char *strings;
	unsigned int n;
	struct ktr_finsn insn[];
};

static struct ktr_event_filter __rcu *ktr_event_filters[__KTR_EVENT_ID_MAX];
static bool ktr_event_stack[__KTR_EVENT_ID_MAX];
/*
 * The name of each event with a filter or a stack, for GET_FILTERS: only
 * curated events can have either, and their names are static.
 */
static const char *ktr_event_filter_name[__KTR_EVENT_ID_MAX];
static unsigned int ktr_nr_event_filters, ktr_nr_event_stacks;

/* Payloads are 4-byte aligned only: load through memcpy. */
static u64 ktr_fload(const void *p, u32 size, bool is_signed)
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
	default:
		memcpy(&v64, p, 8);
		return v64;
	}
}

static bool ktr_fcmp_int(const struct ktr_finsn *in, const void *data)
{
	u64 v = ktr_fload(data + in->offset, in->size, in->is_signed);
	s64 sv = v, sw = in->value;

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
		return v & in->value;
	}
}

static bool ktr_fcmp_str(const struct ktr_finsn *in, const void *data,
			 u32 len)
{
	const char *s = data + in->offset;
	size_t n = in->size, slen;

	if (in->rest)
		n = len > in->offset ? len - in->offset : 0;
	slen = strnlen(s, n);
	switch (in->op) {
	case KTR_FOP_STR_EQ:
		return slen == strlen(in->str) && !memcmp(s, in->str, slen);
	case KTR_FOP_STR_NE:
		return !(slen == strlen(in->str) && !memcmp(s, in->str, slen));
	case KTR_FOP_GLOB:
		return ktr_glob_n(in->str, s, slen);
	default:	/* KTR_FOP_NGLOB */
		return !ktr_glob_n(in->str, s, slen);
	}
}

/* Run @f over the payload @data of @len bytes: keep the event? */
static bool ktr_fprog_run(const struct ktr_event_filter *f, const void *data,
			  u32 len)
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

#define KTR_STACK_DEPTH	32

/* Record the kernel stack of the event of time @event_ts, on this CPU. */
static noinline void ktr_filter_write_stack(u64 event_ts)
{
	unsigned long entries[KTR_STACK_DEPTH];
	struct ktr_event_stack *e;
	struct ktr_rb_event ev;
	unsigned int i, n;
	u64 *ips;

	n = stack_trace_save(entries, KTR_STACK_DEPTH, 0);
	if (ktr_rb_reserve(ktr_probe_buffer(), &ev, sizeof(*e) + n * sizeof(u64)))
		return;
	e = ev.data;
	e->common.id = KTR_EVENT_STACK;
	e->common.flags = 0;
	e->common.pid = current->pid;
	e->event_ts = event_ts;
	e->nr = n;
	e->reserved = 0;
	ips = (u64 *)(e + 1);
	for (i = 0; i < n; i++) {
		u64 ip = entries[i];

		memcpy(&ips[i], &ip, sizeof(ip));
	}
	ktr_rb_commit(&ev);
}

/**
 * ktr_filter_event_end - ktr_event_end() while an event filter or a stack
 *	capture is set somewhere
 * @ev: the record the probe reserved and filled.
 *
 * Context: the probe's (preemption disabled, any context).
 */
void ktr_filter_event_end(struct ktr_rb_event *ev)
{
	u16 id = ((struct ktr_event_common *)ev->data)->id;
	struct ktr_event_filter *f;
	u64 ts = ev->ts;

	if (id >= __KTR_EVENT_ID_MAX) {
		ktr_rb_commit(ev);
		return;
	}
	if (static_branch_unlikely(&ktr_filter_event_key)) {
		f = rcu_dereference_sched(ktr_event_filters[id]);
		if (f && !ktr_fprog_run(f, ev->data, ev->len)) {
			ktr_rb_discard(ev);
			return;
		}
	}
	ktr_rb_commit(ev);
	if (static_branch_unlikely(&ktr_filter_stack_key) &&
	    READ_ONCE(ktr_event_stack[id]))
		ktr_filter_write_stack(ts);
}

/* The field of @ev (common ones included) at @offset of @size, or NULL. */
static const struct ktr_field_desc *
ktr_event_field_at(const struct ktr_event_type *ev, u32 offset, u32 size)
{
	unsigned int i;

	for (i = 0; i < ktr_nr_common_fields; i++)
		if (ktr_common_fields[i].offset == offset &&
		    ktr_common_fields[i].size == size)
			return &ktr_common_fields[i];
	for (i = 0; i < ev->nr_fields; i++)
		if (ev->fields[i].offset == offset &&
		    ev->fields[i].size == size)
			return &ev->fields[i];
	return NULL;
}

/* Check and translate a program (invariant 4). */
static struct ktr_event_filter *
ktr_fprog_new(const struct ktr_event_type *ev,
	      const struct ktr_event_filter_req *req,
	      struct netlink_ext_ack *extack)
{
	const struct ktr_filter_insn *prog = req->prog;
	unsigned int i, n = req->prog_len / sizeof(*prog), depth = 0, globs = 0;
	struct ktr_event_filter *f;
	int err = -EINVAL;

	if (req->prog_len % sizeof(*prog) || n > KTR_FILTER_INSNS_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a program is 1 to 64 instructions of 24 bytes");
		return ERR_PTR(-EINVAL);
	}
	if (!req->text || !*req->text) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a program needs its expression text");
		return ERR_PTR(-EINVAL);
	}
	if (req->strings_len && req->strings[req->strings_len - 1]) {
		NL_SET_ERR_MSG_MOD(extack, "strings must end with a NUL");
		return ERR_PTR(-EINVAL);
	}
	f = kzalloc(struct_size(f, insn, n), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->n = n;
	f->text = kstrdup(req->text, GFP_KERNEL);
	f->strings = kmemdup(req->strings ?: "", req->strings_len ?: 1,
			     GFP_KERNEL);
	if (!f->text || !f->strings) {
		err = -ENOMEM;
		goto bad;
	}
	for (i = 0; i < n; i++) {
		struct ktr_filter_insn insn, *in = &insn;
		struct ktr_finsn *out = &f->insn[i];
		const struct ktr_field_desc *fd = NULL;
		bool is_str = false;

		memcpy(&insn, &prog[i], sizeof(insn));	/* 4-byte aligned */
		if (in->flags || in->reserved)
			goto bad_insn;
		out->op = in->op;
		switch (in->op) {
		case KTR_FOP_AND:
		case KTR_FOP_OR:
			if (depth < 2 || in->offset || in->size || in->value)
				goto bad_insn;
			depth--;
			continue;
		case KTR_FOP_NOT:
			if (depth < 1 || in->offset || in->size || in->value)
				goto bad_insn;
			continue;
		case KTR_FOP_STR_EQ:
		case KTR_FOP_STR_NE:
		case KTR_FOP_GLOB:
		case KTR_FOP_NGLOB:
			is_str = true;
			break;
		case KTR_FOP_EQ ... KTR_FOP_BAND:
			break;
		default:
			goto bad_insn;
		}
		fd = ktr_event_field_at(ev, in->offset, in->size);
		if (!fd)
			goto bad_insn;
		if (is_str != (fd->type == KTR_FIELD_CHAR_ARRAY ||
			       fd->type == KTR_FIELD_REST_STRING))
			goto bad_insn;
		if (!is_str && fd->type != KTR_FIELD_INT)
			goto bad_insn;
		if (is_str && (!req->strings_len ||
			       in->value >= req->strings_len))
			goto bad_insn;
		/* Bound the work a glob does with interrupts off. */
		if ((in->op == KTR_FOP_GLOB || in->op == KTR_FOP_NGLOB) &&
		    (++globs > KTR_FILTER_GLOBS_MAX ||
		     strlen(req->strings + in->value) >= KTR_FILTER_GLOB_LEN_MAX))
			goto bad_insn;
		out->offset = in->offset;
		out->size = in->size;
		out->is_signed = fd->is_signed;
		out->rest = fd->type == KTR_FIELD_REST_STRING;
		out->value = in->value;
		if (is_str)
			out->str = f->strings + in->value;
		depth++;
	}
	if (depth != 1) {
		NL_SET_ERR_MSG_MOD(extack,
				   "the program must leave exactly one value");
		goto bad;
	}
	return f;

bad_insn:
	NL_SET_ERR_MSG_MOD(extack,
			   "invalid program instruction: unknown op, not a field of this event, wrong field type, bad string offset, non-zero reserved bits or stack underflow");
bad:
	kfree(f->text);
	kfree(f->strings);
	kfree(f);
	return ERR_PTR(err);
}

static void ktr_fprog_free(struct ktr_event_filter *f)
{
	if (f) {
		kfree(f->text);
		kfree(f->strings);
		kfree(f);
	}
}

static void ktr_key_count(struct static_key_false *key, unsigned int *count,
			  bool was, bool now)
{
	if (was == now)
		return;
	if (now && (*count)++ == 0)
		static_branch_enable(key);
	else if (!now && --(*count) == 0)
		static_branch_disable(key);
}

struct ktr_set_event_ctx {
	const struct ktr_event_filter_req *req;
	struct netlink_ext_ack *extack;
	struct ktr_event_filter *old;	/* replaced: freed by the caller */
};

/* ktr_filter_set_event() for @ev, under the registry's lock. */
static int ktr_filter_set_event_locked(const struct ktr_event_type *ev,
				       void *priv)
{
	struct ktr_set_event_ctx *ctx = priv;
	const struct ktr_event_filter_req *req = ctx->req;
	struct netlink_ext_ack *extack = ctx->extack;
	struct ktr_event_filter *f = NULL;

	if (!ev->tp_name) {
		NL_SET_ERR_MSG_MOD(extack,
				   "markers and stacks are written by ktr itself: they cannot be filtered");
		return -EOPNOTSUPP;
	}
	if (ev->id >= __KTR_EVENT_ID_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "raw events cannot be filtered (filter on a curated event, or on pids, comms and CPUs)");
		return -EOPNOTSUPP;
	}
	if (!req->set_prog && req->stack < 0) {
		NL_SET_ERR_MSG_MOD(extack, "nothing to set (program or stack)");
		return -EINVAL;
	}
	if (req->set_prog && req->prog_len) {
		f = ktr_fprog_new(ev, req, extack);
		if (IS_ERR(f))
			return PTR_ERR(f);
	}
	mutex_lock(&ktr_filter_lock);
	ktr_event_filter_name[ev->id] = ev->name;	/* curated: static */
	if (req->set_prog) {
		ctx->old = ktr_filter_deref(ktr_event_filters[ev->id]);
		/* A new program is published before the key turns on. */
		rcu_assign_pointer(ktr_event_filters[ev->id], f);
		ktr_key_count(&ktr_filter_event_key, &ktr_nr_event_filters,
			      ctx->old, f);
	}
	if (req->stack >= 0) {
		ktr_key_count(&ktr_filter_stack_key, &ktr_nr_event_stacks,
			      ktr_event_stack[ev->id], req->stack);
		WRITE_ONCE(ktr_event_stack[ev->id], req->stack);
	}
	mutex_unlock(&ktr_filter_lock);
	return 0;
}

/**
 * ktr_filter_set_event - KTR_CMD_SET_EVENT_FILTER
 * @req: the event, program and stack setting.
 * @extack: for the error message.
 *
 * Context: task (sleeps).
 * Return: 0 or a negative errno; nothing changes on an error.
 */
int ktr_filter_set_event(const struct ktr_event_filter_req *req,
			 struct netlink_ext_ack *extack)
{
	struct ktr_set_event_ctx ctx = { .req = req, .extack = extack };
	int ret;

	ret = ktr_event_with(req->name, ktr_filter_set_event_locked, &ctx);
	if (ret == -ENOENT)
		NL_SET_ERR_MSG_MOD(extack, "no such event");
	if (ctx.old) {
		tracepoint_synchronize_unregister();
		ktr_fprog_free(ctx.old);
	}
	return ret;
}

/**
 * ktr_filter_clear - KTR_CMD_CLEAR_FILTERS: every filter and stack off
 *
 * Context: task (sleeps).
 */
void ktr_filter_clear(void)
{
	struct ktr_event_filter *old[__KTR_EVENT_ID_MAX] = {};
	struct ktr_pid_filter *pids;
	struct ktr_comm_filter *comms;
	struct ktr_cpu_filter *cpus;
	unsigned int id;

	mutex_lock(&ktr_filter_lock);
	ktr_follow_set(false);
	pids = ktr_publish(ktr_pids, (struct ktr_pid_filter *)NULL,
			   ktr_filter_pid_key);
	comms = ktr_publish(ktr_comms, (struct ktr_comm_filter *)NULL,
			    ktr_filter_comm_key);
	cpus = ktr_publish(ktr_cpus, (struct ktr_cpu_filter *)NULL,
			   ktr_filter_cpu_key);
	if (ktr_nr_event_filters)
		static_branch_disable(&ktr_filter_event_key);
	if (ktr_nr_event_stacks)
		static_branch_disable(&ktr_filter_stack_key);
	ktr_nr_event_filters = 0;
	ktr_nr_event_stacks = 0;
	for (id = 0; id < __KTR_EVENT_ID_MAX; id++) {
		old[id] = ktr_filter_deref(ktr_event_filters[id]);
		RCU_INIT_POINTER(ktr_event_filters[id], NULL);
		WRITE_ONCE(ktr_event_stack[id], false);
	}
	mutex_unlock(&ktr_filter_lock);
	tracepoint_synchronize_unregister();	/* probes, follow probes */
	ktr_pid_filter_free(pids);
	kfree(comms);
	kfree(cpus);
	for (id = 0; id < __KTR_EVENT_ID_MAX; id++)
		ktr_fprog_free(old[id]);
}

/* --- reporting -------------------------------------------------------- */

static int ktr_filter_put_task(struct sk_buff *msg)
{
	struct ktr_pid_filter *pids;
	struct ktr_comm_filter *comms;
	struct ktr_cpu_filter *cpus;

	pids = ktr_filter_deref(ktr_pids);
	comms = ktr_filter_deref(ktr_comms);
	cpus = ktr_filter_deref(ktr_cpus);
	if (pids &&
	    (nla_put(msg, KTR_ATTR_FILTER_PIDS, pids->nr_given * sizeof(s32),
		     pids->given) ||
	     nla_put_u8(msg, KTR_ATTR_FILTER_FOLLOW, pids->follow) ||
	     nla_put_u32(msg, KTR_ATTR_FILTER_TRACKED,
			 atomic_read(&pids->tracked))))
		return -EMSGSIZE;
	if (comms) {
		char buf[KTR_FILTER_COMMS_MAX * KTR_COMM_LEN];
		unsigned int i, len = 0;

		for (i = 0; i < comms->n; i++) {
			size_t l = strlen(comms->names[i]) + 1;

			memcpy(buf + len, comms->names[i], l);
			len += l;
		}
		if (nla_put(msg, KTR_ATTR_FILTER_COMMS, len, buf))
			return -EMSGSIZE;
	}
	if (cpus) {
		unsigned int words = DIV_ROUND_UP(nr_cpu_ids, 64), cpu;
		struct nlattr *a;
		u64 *w;

		a = nla_reserve(msg, KTR_ATTR_FILTER_CPUS, words * sizeof(u64));
		if (!a)
			return -EMSGSIZE;
		w = nla_data(a);
		memset(w, 0, words * sizeof(u64));
		for_each_cpu(cpu, &cpus->mask)
			w[cpu / 64] |= 1ULL << (cpu % 64);
	}
	return 0;
}

/**
 * ktr_filter_put - the KTR_CMD_GET_FILTERS reply's attributes
 * @msg: the reply.
 *
 * Context: task (sleeps).
 * Return: 0, or -EMSGSIZE when the reply does not fit.
 */
int ktr_filter_put(struct sk_buff *msg)
{
	unsigned int id;
	int ret;

	mutex_lock(&ktr_filter_lock);
	ret = ktr_filter_put_task(msg);
	for (id = 0; !ret && id < __KTR_EVENT_ID_MAX; id++) {
		struct ktr_event_filter *f;
		struct nlattr *nest;

		f = ktr_filter_deref(ktr_event_filters[id]);
		if (!f && !ktr_event_stack[id])
			continue;
		nest = nla_nest_start(msg, KTR_ATTR_EVENT_FILTER);
		if (!nest ||
		    nla_put_u32(msg, KTR_ATTR_EVENT_ID, id) ||
		    nla_put_string(msg, KTR_ATTR_EVENT_NAME,
				   ktr_event_filter_name[id]) ||
		    (f && nla_put_string(msg, KTR_ATTR_FILTER_TEXT, f->text)) ||
		    nla_put_u8(msg, KTR_ATTR_EVENT_STACK,
			       ktr_event_stack[id])) {
			ret = -EMSGSIZE;
			break;
		}
		nla_nest_end(msg, nest);
	}
	mutex_unlock(&ktr_filter_lock);
	return ret;
}

static void ktr_filter_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		ktr_tp_fork = tp;
	else if (!strcmp(tp->name, "sched_process_free"))
		ktr_tp_free = tp;
}

void ktr_filter_init(void)
{
	BUILD_BUG_ON(sizeof_field(struct task_struct, comm) != KTR_COMM_LEN);
	check_trace_callback_type_sched_process_fork(ktr_filter_on_fork);
	check_trace_callback_type_sched_process_free(ktr_filter_on_free);
	for_each_kernel_tracepoint(ktr_filter_find_tp, NULL);
}

/* After the event probes are gone: nothing reads filter state any more. */
void ktr_filter_exit(void)
{
	ktr_filter_clear();
}
