// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_filter.c - event filter programs and stack capture: setting them,
 * running them at the end of each probe, reporting them; and the filters'
 * init, exit and clear (the task filters are in ktr_filter_task.c, the
 * program verifier and VM in ktr_filter_prog.c).
 *
 * Invariants:
 *  1. A kind of filter that is not set costs the probes one NOP: the event
 *     and stack keys are enabled while at least one event has a program
 *     (a stack capture), counted under ktr_filter_lock.
 *  2. Probes read a program only under rcu_dereference_sched() (they run
 *     with preemption disabled); a program is replaced as a whole, never
 *     edited in place, and freed only after
 *     tracepoint_synchronize_unregister() (which includes
 *     synchronize_rcu()).
 *  3. Nothing on the probe path sleeps, allocates or locks; every update
 *     runs under ktr_filter_lock (private to this file) and either changes
 *     everything it was asked to or nothing.
 *  4. A filter program was verified against its event's fields when it
 *     was set (ktr_fprog_verify(), whose guarantees are listed at the top
 *     of ktr_filter_prog.c): ktr_fprog_run() needs no check at run time.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/overflow.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/tracepoint.h>
#include <net/netlink.h>

#include "ktr.h"
#include "ktr_event.h"
#include "ktr_events.h"
#include "ktr_filter.h"
#include "ktr_filter_prog.h"
#include "ktr_filter_task.h"
#include "ktr_probe.h"
#include "ringbuf/ktr_rb.h"

DEFINE_STATIC_KEY_FALSE(ktr_filter_event_key);
DEFINE_STATIC_KEY_FALSE(ktr_filter_stack_key);

static DEFINE_MUTEX(ktr_filter_lock);

/* Filter state, seen by an updater (under ktr_filter_lock). */
#define ktr_filter_deref(p) \
	rcu_dereference_protected(p, lockdep_is_held(&ktr_filter_lock))

/* An event's program, with its text for GET_FILTERS. */
struct ktr_event_filter {
	struct list_head dead;	/* waiting for a grace period (clear) */
	char *text;
	char *strings;		/* the program's string operands point here */
	struct ktr_fprog prog;	/* .insn = the array below */
	struct ktr_finsn insn[];
};

/* The curated events' slots, by id; dynamic events bring their own. */
static struct ktr_filter_slot ktr_curated_slots[__KTR_EVENT_ID_MAX];
/* Dynamic slots with a program or a stack set (under ktr_filter_lock). */
static LIST_HEAD(ktr_dyn_slots);
static unsigned int ktr_nr_event_filters, ktr_nr_event_stacks;

#define KTR_STACK_DEPTH	32
/* Room for ktr's own frames, dropped from the top of each stack. */
#define KTR_STACK_OWN	8

/*
 * Record the kernel stack of the event of time @event_ts in @rb, on this CPU.
 * The stack starts at the traced site, as ftrace's do: the leading frames in
 * ktr's own text (this function, the filter end, the probe) are dropped. A
 * count of frames to skip would depend on what the compiler inlined; the
 * module's text range does not. The frames below are saved beyond the
 * depth kept, so dropping ours costs no depth.
 */
static noinline void ktr_filter_write_stack(struct ktr_rb *rb, u64 event_ts)
{
	unsigned long entries[KTR_STACK_DEPTH + KTR_STACK_OWN];
	struct ktr_event_stack *e;
	struct ktr_rb_event ev;
	unsigned int i, n, skip = 0;
	u64 *ips;

	n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	while (skip < n && within_module(entries[skip], THIS_MODULE))
		skip++;
	n = min(n - skip, (unsigned int)KTR_STACK_DEPTH);
	if (ktr_rb_reserve(rb, &ev, sizeof(*e) + n * sizeof(u64)))
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
		u64 ip = entries[skip + i];

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

	if (id >= __KTR_EVENT_ID_MAX) {
		ktr_rb_commit(ev);
		return;
	}
	ktr_filter_event_end_slot(ev, &ktr_curated_slots[id]);
}

/**
 * ktr_filter_event_end_slot - ktr_filter_event_end() with the event's slot
 * @ev: the record the probe reserved and filled.
 * @slot: its event's filter slot.
 *
 * Context: the probe's (preemption disabled, any context).
 */
void ktr_filter_event_end_slot(struct ktr_rb_event *ev,
			       struct ktr_filter_slot *slot)
{
	struct ktr_event_filter *f;
	u64 ts = ev->ts;

	if (static_branch_unlikely(&ktr_filter_event_key)) {
		f = rcu_dereference_sched(slot->prog);
		if (f && !ktr_fprog_run(&f->prog, ev->data, ev->len)) {
			ktr_rb_discard(ev);
			return;
		}
	}
	ktr_rb_commit(ev);
	/* The stack goes where its event went, even if SET_BUFFER switched. */
	if (static_branch_unlikely(&ktr_filter_stack_key) &&
	    READ_ONCE(slot->stack))
		ktr_filter_write_stack(ktr_rb_event_buffer(ev), ts);
}

/* The field of @ev (common ones included) at @offset of @size. */
static bool ktr_event_field_at(const void *ctx, u32 offset, u32 size,
			       struct ktr_fprog_field *out)
{
	const struct ktr_event_type *ev = ctx;
	const struct ktr_field_desc *fd = NULL;
	unsigned int i;

	for (i = 0; !fd && i < ktr_nr_common_fields; i++)
		if (ktr_common_fields[i].offset == offset &&
		    ktr_common_fields[i].size == size)
			fd = &ktr_common_fields[i];
	for (i = 0; !fd && i < ev->nr_fields; i++)
		if (ev->fields[i].offset == offset &&
		    ev->fields[i].size == size)
			fd = &ev->fields[i];
	if (!fd)
		return false;
	out->type = fd->type;
	out->is_signed = fd->is_signed;
	return true;
}

static void ktr_fprog_free(struct ktr_event_filter *f)
{
	if (f) {
		kfree(f->text);
		kfree(f->strings);
		kfree(f);
	}
}

/* Park @f on @dead, to free after a grace period (ktr_fprog_free_list()). */
static void ktr_fprog_free_later(struct ktr_event_filter *f,
				 struct list_head *dead)
{
	if (f)
		list_add_tail(&f->dead, dead);
}

static void ktr_fprog_free_list(struct list_head *dead)
{
	struct ktr_event_filter *f, *tmp;

	list_for_each_entry_safe(f, tmp, dead, dead)
		ktr_fprog_free(f);
}

/* Copy, check and translate a program (invariant 4). */
static struct ktr_event_filter *
ktr_fprog_new(const struct ktr_event_type *ev,
	      const struct ktr_event_filter_req *req,
	      struct netlink_ext_ack *extack)
{
	unsigned int n = ktr_fprog_count(req->prog_len);
	struct ktr_event_filter *f;

	if (!n) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a program is 1 to 64 instructions of 24 bytes");
		return ERR_PTR(-EINVAL);
	}
	if (!req->text || !*req->text) {
		NL_SET_ERR_MSG_MOD(extack,
				   "a program needs its expression text");
		return ERR_PTR(-EINVAL);
	}
	f = kzalloc(struct_size(f, insn, n), GFP_KERNEL);
	if (!f)
		return ERR_PTR(-ENOMEM);
	f->prog.insn = f->insn;
	f->text = kstrdup(req->text, GFP_KERNEL);
	f->strings = kmemdup(req->strings ?: "", req->strings_len ?: 1,
			     GFP_KERNEL);
	if (!f->text || !f->strings) {
		ktr_fprog_free(f);
		return ERR_PTR(-ENOMEM);
	}
	switch (ktr_fprog_verify(&f->prog, req->prog, req->prog_len,
				 f->strings, req->strings_len,
				 ktr_event_field_at, ev, NULL)) {
	case KTR_FPROG_OK:
		return f;
	case KTR_FPROG_ESTRINGS:
		NL_SET_ERR_MSG_MOD(extack, "strings must end with a NUL");
		break;
	case KTR_FPROG_ERESULT:
		NL_SET_ERR_MSG_MOD(extack,
				   "the program must leave exactly one value");
		break;
	default:
		NL_SET_ERR_MSG_MOD(extack,
				   "invalid program instruction: unknown op, not a field of this event, wrong field type, bad string offset, non-zero reserved bits or stack underflow");
		break;
	}
	ktr_fprog_free(f);
	return ERR_PTR(-EINVAL);
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

	struct ktr_filter_slot *slot;
	bool was_set;

	/*
	 * ktr's own curated events without a tracepoint: markers and stacks.
	 * A tracer's events (no tracepoint nor source either) have their own
	 * slot, used by ktr_tracer_commit().
	 */
	if (!ev->tp_name && !ev->source && ev->id < __KTR_EVENT_ID_MAX) {
		NL_SET_ERR_MSG_MOD(extack,
				   "markers and stacks are written by ktr itself: they cannot be filtered");
		return -EOPNOTSUPP;
	}
	slot = ev->id < __KTR_EVENT_ID_MAX ? &ktr_curated_slots[ev->id] :
					     ev->filter_slot;
	if (!slot) {
		NL_SET_ERR_MSG_MOD(extack,
				   "raw events cannot be filtered (filter on a curated or probe event, or on pids, comms and CPUs)");
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
	slot->id = ev->id;
	slot->name = ev->name;	/* lives as long as the slot */
	was_set = ktr_filter_deref(slot->prog) || slot->stack;
	if (req->set_prog) {
		ctx->old = ktr_filter_deref(slot->prog);
		/* A new program is published before the key turns on. */
		rcu_assign_pointer(slot->prog, f);
		ktr_key_count(&ktr_filter_event_key, &ktr_nr_event_filters,
			      ctx->old, f);
	}
	if (req->stack >= 0) {
		ktr_key_count(&ktr_filter_stack_key, &ktr_nr_event_stacks,
			      slot->stack, req->stack);
		WRITE_ONCE(slot->stack, req->stack);
	}
	if (ev->id >= __KTR_EVENT_ID_MAX) {
		bool now_set = ktr_filter_deref(slot->prog) || slot->stack;

		if (!was_set && now_set)
			list_add_tail(&slot->node, &ktr_dyn_slots);
		else if (was_set && !now_set)
			list_del_init(&slot->node);
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

/* Take @slot's program and stack off; its program goes to @old. */
static void ktr_filter_slot_clear(struct ktr_filter_slot *slot,
				  struct ktr_event_filter **old)
{
	lockdep_assert_held(&ktr_filter_lock);
	*old = ktr_filter_deref(slot->prog);
	RCU_INIT_POINTER(slot->prog, NULL);
	ktr_key_count(&ktr_filter_event_key, &ktr_nr_event_filters, *old,
		      false);
	ktr_key_count(&ktr_filter_stack_key, &ktr_nr_event_stacks,
		      slot->stack, false);
	WRITE_ONCE(slot->stack, false);
}

/**
 * ktr_filter_clear - KTR_CMD_CLEAR_FILTERS: every filter and stack off
 *
 * Context: task (sleeps).
 */
void ktr_filter_clear(void)
{
	struct ktr_event_filter *old[__KTR_EVENT_ID_MAX] = {};
	struct ktr_filter_slot *slot, *tmp;
	struct ktr_task_filters_old task;
	struct ktr_event_filter *dyn_old;
	LIST_HEAD(dead);
	unsigned int id;

	ktr_filter_task_withdraw(&task);
	mutex_lock(&ktr_filter_lock);
	for (id = 0; id < __KTR_EVENT_ID_MAX; id++)
		ktr_filter_slot_clear(&ktr_curated_slots[id], &old[id]);
	/* Dynamic slots: their old programs wait on @dead for the grace period. */
	list_for_each_entry_safe(slot, tmp, &ktr_dyn_slots, node) {
		ktr_filter_slot_clear(slot, &dyn_old);
		list_del_init(&slot->node);
		ktr_fprog_free_later(dyn_old, &dead);
	}
	mutex_unlock(&ktr_filter_lock);
	tracepoint_synchronize_unregister();	/* probes, follow probes */
	ktr_filter_task_free(&task);
	for (id = 0; id < __KTR_EVENT_ID_MAX; id++)
		ktr_fprog_free(old[id]);
	ktr_fprog_free_list(&dead);
}

/**
 * ktr_filter_slot_init - ready a dynamic event's slot
 * @slot: in the event, before the event is added to the registry.
 * @id: the event's id.
 * @name: the event's name, living as long as @slot.
 */
void ktr_filter_slot_init(struct ktr_filter_slot *slot, u16 id,
			  const char *name)
{
	RCU_INIT_POINTER(slot->prog, NULL);
	slot->stack = false;
	slot->id = id;
	slot->name = name;
	INIT_LIST_HEAD(&slot->node);
}

/**
 * ktr_filter_slot_release - a dynamic event goes: its filter and stack off
 * @slot: the event's slot; the event is off the registry (no new filter
 *	can be set) and its probe cannot run any more.
 *
 * Context: task (sleeps).
 */
void ktr_filter_slot_release(struct ktr_filter_slot *slot)
{
	struct ktr_event_filter *old;

	mutex_lock(&ktr_filter_lock);
	ktr_filter_slot_clear(slot, &old);
	list_del_init(&slot->node);
	mutex_unlock(&ktr_filter_lock);
	ktr_fprog_free(old);	/* no probe can read it: see @slot */
}

/* --- reporting -------------------------------------------------------- */

/**
 * ktr_filter_put - the KTR_CMD_GET_FILTERS reply's attributes
 * @msg: the reply.
 *
 * Context: task (sleeps).
 * Return: 0, or -EMSGSIZE when the reply does not fit.
 */
static int ktr_filter_put_slot(struct sk_buff *msg,
			       const struct ktr_filter_slot *slot)
{
	struct ktr_event_filter *f = ktr_filter_deref(slot->prog);
	struct nlattr *nest;

	if (!f && !slot->stack)
		return 0;
	nest = nla_nest_start(msg, KTR_ATTR_EVENT_FILTER);
	if (!nest ||
	    nla_put_u32(msg, KTR_ATTR_EVENT_ID, slot->id) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_NAME, slot->name) ||
	    (f && nla_put_string(msg, KTR_ATTR_FILTER_TEXT, f->text)) ||
	    nla_put_u8(msg, KTR_ATTR_EVENT_STACK, slot->stack))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int ktr_filter_put(struct sk_buff *msg)
{
	const struct ktr_filter_slot *slot;
	unsigned int id;
	int ret;

	ret = ktr_filter_task_put(msg);
	mutex_lock(&ktr_filter_lock);
	for (id = 0; !ret && id < __KTR_EVENT_ID_MAX; id++)
		ret = ktr_filter_put_slot(msg, &ktr_curated_slots[id]);
	list_for_each_entry(slot, &ktr_dyn_slots, node) {
		if (ret)
			break;
		ret = ktr_filter_put_slot(msg, slot);
	}
	mutex_unlock(&ktr_filter_lock);
	return ret;
}

void ktr_filter_init(void)
{
	ktr_filter_task_init();
}

/* After the event probes are gone: nothing reads filter state any more. */
void ktr_filter_exit(void)
{
	ktr_filter_clear();
}
