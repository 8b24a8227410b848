// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_tracer.c - the tracer registry: which tracers exist, which one is
 * current, switching between them, and the event formats they write.
 *
 * A tracer (struct ktr_tracer, kmod/include/ktr/tracer.h) is registered
 * by ktr itself (nop, function, wakeup, wakeup_rt, profile) or by another
 * module through the exported ktr_register_tracer(). One is current at a
 * time; SET_TRACER (ktr_tracer_set()) switches: parse the options
 * against the tracer's table, init the new tracer, stop and reset the old
 * one, start the new one. Each event format a tracer declares becomes an
 * event type of the event registry (probes/ktr_events.c; system = the
 * tracer's name, id from KTR_EVENT_TRACER_FIRST up), listed like every
 * other event, "enabled" while the tracer is started: the tracer is the
 * switch, not ENABLE_EVENTS (ktr_tracer_event_state.live, tested by
 * ktr_tracer_reserve() in ktr_tracer_write.c).
 *
 * Lifetime invariants:
 *  1. ktr_tracers_lock, private to this file, guards the list, the
 *     current tracer, its option values and every state.live; every
 *     tracer callback (init, reset, start, stop) runs under it, so they
 *     never run concurrently, and never after ktr_unregister_tracer()
 *     returns (it takes the lock, and the tracer is off the list after).
 *  2. The current tracer is never NULL once ktr_tracers_init() returned:
 *     nop is current when nothing else is (at load, after RESET, after
 *     the current tracer's module went away).
 *  3. Unregistering the current tracer stops it safely: stop and reset
 *     run first (the tracer's stop guarantees none of its callbacks is
 *     still writing), its events stop accepting writes (live cleared),
 *     nop becomes current, the events leave the registry, and a grace
 *     period passes before their state is freed: a writer that passed
 *     the live test is done by then (it holds preemption disabled from
 *     ktr_tracer_reserve() to ktr_tracer_commit()).
 *  4. A module that registered a tracer can be unloaded at any time,
 *     current or not: its exit calls ktr_unregister_tracer() (3). The
 *     registry holds a reference on the owner only while it is switching
 *     to it (try_module_get() before its init, module_put() once it is
 *     current and started): a module whose unload has begun cannot be
 *     made current (-EBUSY), and none is pinned merely for being current
 *     (pinning it would make rmmod of a current tracer fail).
 *  5. ktr.ko cannot be unloaded while a tracer module is loaded: the
 *     module uses ktr's exported symbols, so the module loader holds a
 *     reference on ktr for it (rmmod ktr fails: "in use by"). Hence at
 *     ktr_tracers_exit() only ktr's own tracers are registered.
 *  6. Every change of the current tracer is announced through
 *     ktr_change_notify, under the lock (so notices come in the order of
 *     the changes, and never after the control plane cleared the hook):
 *     SET_TRACER's, successful or not once something stopped or started,
 *     the current tracer unregistered, RESET, a START whose tracer would
 *     not start.
 *  7. The current tracer is started exactly while tracing is on
 *     (ktr_tracers_running, under the lock, follows START and STOP, as
 *     ftrace's tracing_on calls its tracer's start and stop): STOP stops
 *     it (a stopped wakeup or function tracer has no probe left, so it
 *     costs nothing), START starts it again, and SET_TRACER while stopped
 *     inits the new tracer and makes it current without starting it.
 * Lock order: ktr_tracers_lock -> ktr_events_lock (events added and
 * removed), -> the trace session's lock (START/STOP switch the buffer
 * under it, ktr_trace_set_on()) and -> whatever the callbacks take
 * (ftrace's own locks).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/export.h>
#include <linux/kernel.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "ktr.h"
#include "ktr_compat.h"
#include "ktr_trace.h"
#include "ktr_tracer.h"
#include "ktr_tracer_wakeup.h"

static DEFINE_MUTEX(ktr_tracers_lock);		/* invariant 1 */
static LIST_HEAD(ktr_tracers);
static struct ktr_tracer *ktr_current;		/* invariant 2 */
static bool ktr_tracers_running = true;		/* invariant 7 */
static ktr_tracer_change_fn ktr_change_notify;	/* invariant 6 */
/* The current tracer's option values and their text (kstrdup'ed). */
static union ktr_tracer_value ktr_current_vals[KTR_TRACER_OPTS_MAX];
static char *ktr_current_text[KTR_TRACER_OPTS_MAX];
/* Ids of tracer events: never reused while ktr is loaded. */
static u32 ktr_tracer_next_id = KTR_EVENT_TRACER_FIRST;

static struct ktr_tracer ktr_nop_tracer = {
	.name = "nop",
	.description = "no tracer: records only the events enabled with 'ktr enable'",
	.owner = THIS_MODULE,
};

static struct ktr_tracer *ktr_tracer_find(const char *name)
{
	struct ktr_tracer *t;

	lockdep_assert_held(&ktr_tracers_lock);
	list_for_each_entry(t, &ktr_tracers, node)
		if (!strcmp(t->name, name))
			return t;
	return NULL;
}

/* Take the events of @t (the first @n) off the registry; free after a GP. */
static void ktr_tracer_events_remove(struct ktr_tracer *t, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ktr_events_remove(&t->events[i].state->type);
	synchronize_rcu();	/* invariant 3 */
	for (i = 0; i < n; i++) {
		ktr_filter_slot_release(&t->events[i].state->slot);
		kfree(t->events[i].state);
		t->events[i].state = NULL;
	}
}

static int ktr_tracer_events_add(struct ktr_tracer *t)
{
	unsigned int i;
	int ret = 0;

	lockdep_assert_held(&ktr_tracers_lock);
	if (ktr_tracer_next_id + t->nr_events - 1 > KTR_EVENT_TRACER_LAST)
		return -ENOSPC;
	for (i = 0; i < t->nr_events; i++) {
		struct ktr_tracer_event *e = &t->events[i];
		struct ktr_tracer_event_state *st = kzalloc(sizeof(*st), GFP_KERNEL);

		if (!st) {
			ret = -ENOMEM;
			break;
		}
		st->type.id = ktr_tracer_next_id++;
		st->type.system = t->name;
		st->type.name = e->name;
		st->type.fields = e->fields;
		st->type.nr_fields = e->nr_fields;
		ktr_filter_slot_init(&st->slot, st->type.id, e->name);
		st->type.filter_slot = &st->slot;
		e->state = st;
		ret = ktr_events_add(&st->type, false);
		if (ret) {
			kfree(st);
			e->state = NULL;
			break;
		}
	}
	if (ret)
		ktr_tracer_events_remove(t, i);
	return ret;
}

static void ktr_tracer_set_live(struct ktr_tracer *t, bool live)
{
	unsigned int i;

	for (i = 0; i < t->nr_events; i++) {
		WRITE_ONCE(t->events[i].state->live, live);
		ktr_event_set_recording(&t->events[i].state->type, live);
	}
}

static void ktr_tracer_free_values(char **text)
{
	unsigned int i;

	for (i = 0; i < KTR_TRACER_OPTS_MAX; i++) {
		kfree(text[i]);
		text[i] = NULL;
	}
}

/* Tell the control plane that the current tracer changed without SET_TRACER. */
static void ktr_tracer_changed(void)
{
	lockdep_assert_held(&ktr_tracers_lock);
	if (ktr_change_notify)
		ktr_change_notify(ktr_current->name);
}

/* @t's events accept writes, then its start runs; undone if it fails. */
static int ktr_tracer_run(struct ktr_tracer *t)
{
	int ret = 0;

	ktr_tracer_set_live(t, true);
	if (t->start)
		ret = t->start();
	if (ret) {
		ktr_tracer_set_live(t, false);
		synchronize_rcu();
		pr_warn("tracer %s failed to start: %d\n", t->name, ret);
	}
	return ret;
}

/* @t's stop runs (none of its callbacks writes after), then its events refuse. */
static void ktr_tracer_halt(struct ktr_tracer *t)
{
	if (t->stop)
		t->stop();
	ktr_tracer_set_live(t, false);
}

/* Stop (if started: invariant 7) and reset the current tracer; nop is current after. */
static void ktr_tracer_stop_current(void)
{
	struct ktr_tracer *t = ktr_current;

	lockdep_assert_held(&ktr_tracers_lock);
	if (ktr_tracers_running)
		ktr_tracer_halt(t);
	if (t->reset)
		t->reset();
	ktr_current = &ktr_nop_tracer;
	ktr_tracer_free_values(ktr_current_text);
	memset(ktr_current_vals, 0, sizeof(ktr_current_vals));
}

/*
 * Make @t (initialized) current, started if tracing is on (invariant 7);
 * nop if it will not start.
 */
static int ktr_tracer_start(struct ktr_tracer *t, union ktr_tracer_value *vals,
			    char **text, struct netlink_ext_ack *extack)
{
	int ret;

	lockdep_assert_held(&ktr_tracers_lock);
	ret = ktr_tracers_running ? ktr_tracer_run(t) : 0;
	if (ret) {
		if (t->reset)
			t->reset();
		ktr_tracer_free_values(text);
		NL_SET_ERR_MSG_MOD(extack,
				   "the tracer failed to start (see the kernel log): nop is current");
		return ret;
	}
	ktr_current = t;
	memcpy(ktr_current_vals, vals, sizeof(ktr_current_vals));
	memcpy(ktr_current_text, text, sizeof(ktr_current_text));
	return 0;
}

/**
 * ktr_register_tracer - add a tracer
 * @tracer: filled in (see struct ktr_tracer); it and everything it
 *	points to must stay valid until ktr_unregister_tracer(@tracer).
 *
 * The tracer is listed at once, not current; its event formats are
 * listed by KTR_CMD_LIST_EVENTS (system = its name) from now on.
 *
 * Context: task (sleeps).
 * Return: 0; -EINVAL a malformed tracer (name, options, defaults, events);
 * -EEXIST a tracer of that name exists; -ENOSPC event ids used up (reload
 * ktr); -ENOMEM.
 */
int ktr_register_tracer(struct ktr_tracer *tracer)
{
	int ret;

	if (!tracer)
		return -EINVAL;
	ret = ktr_tracer_check(tracer);
	if (ret) {
		pr_warn("tracer %s: malformed (name, options or events)\n",
			tracer->name ? tracer->name : "(null)");
		return ret;
	}
	mutex_lock(&ktr_tracers_lock);
	if (ktr_tracer_find(tracer->name)) {
		ret = -EEXIST;
		goto out;
	}
	ret = ktr_tracer_events_add(tracer);
	if (ret)
		goto out;
	list_add_tail(&tracer->node, &ktr_tracers);
out:
	mutex_unlock(&ktr_tracers_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(ktr_register_tracer);

/**
 * ktr_unregister_tracer - remove a tracer added by ktr_register_tracer()
 * @tracer: the same pointer.
 *
 * If it is current, it is stopped and reset first and nop becomes
 * current. When this returns, ktr calls none of its callbacks any more
 * and its event formats are gone from the list (their ids are not
 * reused); the module may free @tracer.
 *
 * Context: task (sleeps: waits for a grace period).
 */
void ktr_unregister_tracer(struct ktr_tracer *tracer)
{
	mutex_lock(&ktr_tracers_lock);
	if (WARN_ON(!ktr_tracer_find(tracer->name) ||
		    ktr_tracer_find(tracer->name) != tracer)) {
		mutex_unlock(&ktr_tracers_lock);
		return;
	}
	/* nop goes last, at unload: nothing to stop or announce. */
	if (ktr_current == tracer && tracer != &ktr_nop_tracer) {
		ktr_tracer_stop_current();
		pr_info("tracer %s unregistered while current: nop is current\n",
			tracer->name);
		ktr_tracer_changed();
	}
	list_del(&tracer->node);
	ktr_tracer_events_remove(tracer, tracer->nr_events);
	mutex_unlock(&ktr_tracers_lock);
}
EXPORT_SYMBOL_GPL(ktr_unregister_tracer);

/**
 * ktr_tracer_set - make tracer @name current with options @set
 * @name: a registered tracer's name.
 * @set: "key=value" settings, split.
 * @nr_set: entries in @set.
 * @current_name: out, KTR_TRACER_NAME_MAX bytes: the current tracer after.
 * @extack: for the error message.
 *
 * See KTR_CMD_SET_TRACER in uapi/ktr.h: bad options or a refusing init
 * change nothing, unless @name is current already (it is stopped before
 * its init runs again; nop is current if that fails).
 *
 * Context: task (sleeps).
 * Return: 0 or a negative errno (see uapi/ktr.h).
 */
int ktr_tracer_set(const char *name, const struct ktr_tracer_setting *set,
		   unsigned int nr_set, char *current_name,
		   struct netlink_ext_ack *extack)
{
	union ktr_tracer_value vals[KTR_TRACER_OPTS_MAX] = {};
	char *text[KTR_TRACER_OPTS_MAX] = {};
	struct ktr_tracer *t;
	bool changed = false;
	int ret;

	mutex_lock(&ktr_tracers_lock);
	t = ktr_tracer_find(name);
	if (!t) {
		NL_SET_ERR_MSG_MOD(extack, "no tracer of that name (see 'ktr tracer list')");
		ret = -ENOENT;
		goto out;
	}
	ret = ktr_tracer_values(t, set, nr_set, vals, text, extack);
	if (ret)
		goto out;
	if (!try_module_get(t->owner)) {	/* invariant 4 */
		NL_SET_ERR_MSG_MOD(extack, "the tracer's module is being unloaded");
		ret = -EBUSY;
		goto out;
	}
	if (t == ktr_current) {
		ktr_tracer_stop_current();
		changed = true;
	}
	ret = t->init ? t->init(vals, extack) : 0;
	if (!ret) {
		if (t != ktr_current)
			ktr_tracer_stop_current();
		changed = true;
		ret = ktr_tracer_start(t, vals, text, extack);
		if (!ret)
			memset(text, 0, sizeof(text));	/* owned by the registry */
	}
	module_put(t->owner);
	/* Invariant 6: failed or not, what stopped or started is announced. */
	if (changed)
		ktr_tracer_changed();
out:
	strscpy(current_name, ktr_current->name, KTR_TRACER_NAME_MAX);
	mutex_unlock(&ktr_tracers_lock);
	ktr_tracer_free_values(text);
	return ret;
}

/* nop current (announced if that is a change). */
static void ktr_tracer_to_nop(void)
{
	lockdep_assert_held(&ktr_tracers_lock);
	if (ktr_current != &ktr_nop_tracer) {
		ktr_tracer_stop_current();
		ktr_tracer_changed();
	}
}

/* Unload: nop is current. */
static void ktr_tracer_set_nop(void)
{
	mutex_lock(&ktr_tracers_lock);
	ktr_tracer_to_nop();
	mutex_unlock(&ktr_tracers_lock);
}

/**
 * ktr_tracer_reset - RESET: a fresh trace session (ktr_trace_reset()),
 *	tracing on, nop current
 * @extack: for the error message.
 *
 * Under the registry's lock, so that a START or STOP cannot come between
 * the buffer turned on and the tracers marked running (invariant 7). A
 * refused reset (a stream is open) changes nothing, the tracer included.
 *
 * Context: task (sleeps).
 * Return: 0 or ktr_trace_reset()'s error.
 */
int ktr_tracer_reset(struct netlink_ext_ack *extack)
{
	int ret;

	mutex_lock(&ktr_tracers_lock);
	ret = ktr_trace_reset(extack);
	if (!ret) {
		ktr_tracer_to_nop();
		ktr_tracers_running = true;	/* nop has nothing to start */
	}
	mutex_unlock(&ktr_tracers_lock);
	return ret;
}

/**
 * ktr_tracer_set_on - START (true) or STOP (false)
 * @on: the new state.
 * @changed: out: whether tracing was switched (ktr_trace_set_on()).
 * @extack: for the error message.
 *
 * Switches the trace buffer and starts or stops the current tracer with
 * it (invariant 7): START turns the buffer on, then starts the tracer;
 * STOP stops the tracer (its last events still land), then the buffer.
 * A tracer that will not start at START is reset and nop becomes current
 * (announced, invariant 6); tracing stays on.
 *
 * Context: task (sleeps).
 * Return: 0, or the tracer's start error (nop is current then).
 */
int ktr_tracer_set_on(bool on, bool *changed, struct netlink_ext_ack *extack)
{
	struct ktr_tracer *t;
	int ret = 0;

	mutex_lock(&ktr_tracers_lock);
	t = ktr_current;
	if (!on && ktr_tracers_running)
		ktr_tracer_halt(t);
	*changed = ktr_trace_set_on(on);
	if (on && !ktr_tracers_running) {
		ret = ktr_tracer_run(t);
		if (ret) {
			ktr_tracer_stop_current();	/* not started: reset */
			KTR_ERR_MSG_FMT(extack,
					"tracing is on, but the current tracer failed to start (see the kernel log): nop is current",
					"tracing is on, but tracer %s failed to start (see the kernel log): nop is current",
					t->name);
			ktr_tracer_changed();
		}
	}
	ktr_tracers_running = on;
	mutex_unlock(&ktr_tracers_lock);
	return ret;
}

void ktr_tracer_set_change_notify(ktr_tracer_change_fn fn)
{
	mutex_lock(&ktr_tracers_lock);
	ktr_change_notify = fn;
	mutex_unlock(&ktr_tracers_lock);
}

/**
 * ktr_tracers_for_each - call @fn for each tracer from index *@pos on
 * @pos: in: the first index; out: where @fn stopped (non-zero return), or
 *	the number of tracers.
 * @fn: called with the registry lock held, with a snapshot of one tracer.
 * @priv: passed to @fn.
 *
 * Context: task (sleeps).
 * Return: what @fn returned last.
 */
int ktr_tracers_for_each(unsigned long *pos, ktr_tracer_fn fn, void *priv)
{
	struct ktr_tracer_info *info = kzalloc(sizeof(*info), GFP_KERNEL);
	struct ktr_tracer *t;
	unsigned long i = 0;
	unsigned int o;
	int ret = 0;

	if (!info)
		return -ENOMEM;
	mutex_lock(&ktr_tracers_lock);
	list_for_each_entry(t, &ktr_tracers, node) {
		if (i++ < *pos)
			continue;
		info->name = t->name;
		info->description = t->description;
		info->is_current = t == ktr_current;
		info->nr_options = t->nr_options;
		for (o = 0; o < t->nr_options; o++) {
			info->options[o].opt = &t->options[o];
			info->options[o].value =
				info->is_current ? ktr_current_text[o] : NULL;
		}
		ret = fn(info, priv);
		if (ret) {
			i--;
			break;
		}
	}
	mutex_unlock(&ktr_tracers_lock);
	kfree(info);
	*pos = i;
	return ret;
}

int ktr_tracers_init(void)
{
	int ret;

	ret = ktr_register_tracer(&ktr_nop_tracer);
	if (ret)
		return ret;
	ktr_current = &ktr_nop_tracer;
	ret = ktr_register_tracer(&ktr_function_tracer);
	if (ret)
		goto fail_function;
	ret = ktr_wakeup_tracers_init();
	if (ret)
		goto fail_wakeup;
	ret = ktr_register_tracer(&ktr_profile_tracer);
	if (ret)
		goto fail_profile;
	return 0;

fail_profile:
	ktr_wakeup_tracers_exit();
fail_wakeup:
	ktr_unregister_tracer(&ktr_function_tracer);
fail_function:
	ktr_function_tracer_exit();
	ktr_unregister_tracer(&ktr_nop_tracer);
	return ret;
}

/* Unload: only ktr's own tracers are left (invariant 5). */
void ktr_tracers_exit(void)
{
	ktr_tracer_set_nop();
	ktr_unregister_tracer(&ktr_profile_tracer);
	ktr_wakeup_tracers_exit();
	ktr_unregister_tracer(&ktr_function_tracer);
	ktr_function_tracer_exit();
	ktr_unregister_tracer(&ktr_nop_tracer);
	WARN_ON(!list_empty(&ktr_tracers));
}
