// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_filter_task.c - task filters: process ids (with child following),
 * command names and CPUs.
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
 *     runs under ktr_task_filter_lock (private to this file) and either
 *     changes everything it was asked to or nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <net/netlink.h>
#include <trace/events/sched.h>	/* prototypes only: probe type checks */

#include "ktr.h"
#include "ktr_event.h"
#include "ktr_filter.h"
#include "ktr_filter_prog.h"
#include "ktr_filter_task.h"

DEFINE_STATIC_KEY_FALSE(ktr_filter_pid_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_comm_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_cpu_key);

static DEFINE_MUTEX(ktr_task_filter_lock);

/* Filter state, seen by an updater (under ktr_task_filter_lock). */
#define ktr_filter_deref(p) \
	rcu_dereference_protected(p, lockdep_is_held(&ktr_task_filter_lock))

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

/* Command names are shell globs, matched as filter programs match them. */
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
	typeof(f) __old = ktr_filter_deref(ptr);			\
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

	mutex_lock(&ktr_task_filter_lock);
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
	mutex_unlock(&ktr_task_filter_lock);
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

/**
 * ktr_filter_task_withdraw - every task filter off (KTR_CMD_CLEAR_FILTERS)
 * @old: what was set: for ktr_filter_task_free() once no probe can see it
 *	(after tracepoint_synchronize_unregister()).
 *
 * Context: task (sleeps).
 */
void ktr_filter_task_withdraw(struct ktr_task_filters_old *old)
{
	mutex_lock(&ktr_task_filter_lock);
	ktr_follow_set(false);
	old->pids = ktr_publish(ktr_pids, (struct ktr_pid_filter *)NULL,
				ktr_filter_pid_key);
	old->comms = ktr_publish(ktr_comms, (struct ktr_comm_filter *)NULL,
				 ktr_filter_comm_key);
	old->cpus = ktr_publish(ktr_cpus, (struct ktr_cpu_filter *)NULL,
				ktr_filter_cpu_key);
	mutex_unlock(&ktr_task_filter_lock);
}

/* Free what ktr_filter_task_withdraw() withdrew. */
void ktr_filter_task_free(struct ktr_task_filters_old *old)
{
	ktr_pid_filter_free(old->pids);
	kfree(old->comms);
	kfree(old->cpus);
}

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
 * ktr_filter_task_put - the task filters of the KTR_CMD_GET_FILTERS reply
 * @msg: the reply.
 *
 * Context: task (sleeps).
 * Return: 0, or -EMSGSIZE when the reply does not fit.
 */
int ktr_filter_task_put(struct sk_buff *msg)
{
	int ret;

	mutex_lock(&ktr_task_filter_lock);
	ret = ktr_filter_put_task(msg);
	mutex_unlock(&ktr_task_filter_lock);
	return ret;
}

static void ktr_filter_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_process_fork"))
		ktr_tp_fork = tp;
	else if (!strcmp(tp->name, "sched_process_free"))
		ktr_tp_free = tp;
}

/* Called once at load, before any filter can be set. */
void ktr_filter_task_init(void)
{
	BUILD_BUG_ON(sizeof_field(struct task_struct, comm) != KTR_COMM_LEN);
	check_trace_callback_type_sched_process_fork(ktr_filter_on_fork);
	check_trace_callback_type_sched_process_free(ktr_filter_on_free);
	for_each_kernel_tracepoint(ktr_filter_find_tp, NULL);
}
