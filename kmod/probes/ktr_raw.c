// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_raw.c - raw attach: record the raw arguments of any tracepoint, by
 * name, in vmlinux or in another module (KTR_CMD_ATTACH_RAW, uapi/ktr.h).
 *
 * Each attach creates an event type (system "raw", the tracepoint's name,
 * an id from KTR_EVENT_RAW_FIRST up, never reused while ktr is loaded)
 * listed after the curated groups of the registry (ktr_events.c), so the
 * listing and enable/disable by glob treat it like any other event.
 *
 * One generic probe, ktr_raw_probe(), serves every raw event: registered
 * with the event type as its data pointer, it is called as
 * probe(data, tracepoint args...). It declares KTR_RAW_NARGS_MAX unsigned
 * long arguments: on x86-64 and arm64 the tracepoint's own arguments are
 * those the caller passed; the others are whatever the calling convention
 * leaves there (unused registers, on x86-64 a word of the caller's stack
 * for the sixth): meaningless, and read only when the user asks for them.
 * Raw events are only supported where unsigned long is 64 bits.
 *
 * Module tracepoints: the tracepoint module notifier tells ktr of every
 * module with tracepoints (already loaded ones when ktr registers, the
 * others as they come and go); ktr keeps the list to find names in. When
 * a module goes away (MODULE_STATE_GOING, before its memory is freed), the
 * probes on its tracepoints are unregistered; an event whose tracepoint
 * another loaded module also has moves to it at once, the others stay
 * listed, unavailable, and a module that comes (back) with a tracepoint of
 * that name gets the event attached again. Either way it is enabled if it
 * was when its tracepoint went away.
 *
 * Locking: ktr_raw_lock (private to this file) guards the raw event list,
 * each raw event's mod and the module list; the registry guards what it
 * owns of each event (tp, enabled, rearm: ktr_events_add(),
 * ktr_event_tp_gone(), ktr_event_tp_back()). Lock order (the notifier
 * runs under the kernel's tracepoint_module_list_mutex): that mutex, then
 * ktr_raw_lock, then the registry's lock, then the kernel's
 * tracepoints_mutex (tracepoint_probe_register()). A raw event is freed
 * only after it is off both lists and tracepoint_synchronize_unregister()
 * has returned.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/notifier.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "ktr_events.h"
#include "ktr_probe.h"
#include "ktr_raw.h"

/* The fields of a raw event: as many of these as arguments recorded. */
#define KTR_RAW_ARG(i) {						\
	.name = "arg" #i, .type = KTR_FIELD_INT,			\
	.offset = sizeof(struct ktr_event_common) + 8 * (i), .size = 8,	\
	.is_signed = false }
static const struct ktr_field_desc ktr_raw_fields[KTR_RAW_NARGS_MAX] = {
	KTR_RAW_ARG(0), KTR_RAW_ARG(1), KTR_RAW_ARG(2),
	KTR_RAW_ARG(3), KTR_RAW_ARG(4), KTR_RAW_ARG(5),
};

/**
 * struct ktr_raw_event - an event type made by KTR_CMD_ATTACH_RAW
 * @type: the registry's view; type.tp is NULL while the module owning
 *	the tracepoint is not loaded.
 * @node: in ktr_raw_events, in id order.
 * @name: the tracepoint's name (type.name, type.tp_name).
 * @mod: the module owning type.tp, NULL for vmlinux or while unavailable.
 * @gone: its module went away: waiting for a tracepoint of its name.
 */
struct ktr_raw_event {
	struct ktr_event_type type;
	struct list_head node;
	char name[KTR_EVENT_NAME_MAX];
	struct module *mod;
	bool gone;
};

/* A loaded module that has tracepoints (from the notifier). */
struct ktr_raw_module {
	struct list_head node;
	struct module *mod;
};

static DEFINE_MUTEX(ktr_raw_lock);
static LIST_HEAD(ktr_raw_events);
static LIST_HEAD(ktr_raw_modules);
static unsigned int ktr_raw_count;
static u32 ktr_raw_next_id = KTR_EVENT_RAW_FIRST;

static_assert(KTR_RAW_NARGS_MAX == 6);
static_assert(sizeof(unsigned long) == sizeof(u64),
	      "raw events need 64-bit registers");

/*
 * The generic probe. Runs in the tracepoint's context (preemption off,
 * any of task, softirq, hardirq, NMI): reserve, fill, commit, nothing else.
 * Payloads are only 4-byte aligned: memcpy, never a u64 store.
 */
static void ktr_raw_probe(void *data, unsigned long a0, unsigned long a1,
			  unsigned long a2, unsigned long a3, unsigned long a4,
			  unsigned long a5)
{
	const struct ktr_event_type *type = data;
	const unsigned int n = type->nr_fields;
	struct ktr_event_common *c;
	struct ktr_rb_event ev;
	u8 *p;

	c = ktr_event_begin(&ev, type->id, sizeof(*c) + n * sizeof(u64));
	if (!c)
		return;
	p = (u8 *)(c + 1);
	switch (n) {
	case 6:
		memcpy(p + 40, &a5, 8);
		fallthrough;
	case 5:
		memcpy(p + 32, &a4, 8);
		fallthrough;
	case 4:
		memcpy(p + 24, &a3, 8);
		fallthrough;
	case 3:
		memcpy(p + 16, &a2, 8);
		fallthrough;
	case 2:
		memcpy(p + 8, &a1, 8);
		fallthrough;
	case 1:
		memcpy(p, &a0, 8);
		break;
	default:
		break;
	}
	ktr_event_end(&ev);
}

static struct ktr_raw_event *ktr_raw_find_event(const char *name)
{
	struct ktr_raw_event *raw;

	lockdep_assert_held(&ktr_raw_lock);
	list_for_each_entry(raw, &ktr_raw_events, node)
		if (!strcmp(raw->name, name))
			return raw;
	return NULL;
}

struct ktr_raw_lookup {
	const char *name;
	struct tracepoint *tp;
};

static void ktr_raw_match_core(struct tracepoint *tp, void *priv)
{
	struct ktr_raw_lookup *l = priv;

	if (!l->tp && !strcmp(tp->name, l->name))
		l->tp = tp;
}

static struct tracepoint *ktr_raw_find_in_module(struct module *mod,
						 const char *name)
{
	unsigned int i;

	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp =
			tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		if (!strcmp(tp->name, name))
			return tp;
	}
	return NULL;
}

/* The tracepoint @name: vmlinux first, then modules in load order. */
static struct tracepoint *ktr_raw_find_tp(const char *name,
					  struct module **owner)
{
	struct ktr_raw_lookup l = { .name = name };
	struct ktr_raw_module *m;
	struct tracepoint *tp;

	lockdep_assert_held(&ktr_raw_lock);
	*owner = NULL;
	for_each_kernel_tracepoint(ktr_raw_match_core, &l);
	if (l.tp)
		return l.tp;
	list_for_each_entry(m, &ktr_raw_modules, node) {
		tp = ktr_raw_find_in_module(m->mod, name);
		if (tp) {
			*owner = m->mod;
			return tp;
		}
	}
	return NULL;
}

/**
 * ktr_raw_attach - attach a raw event to tracepoint @name
 * @name: the tracepoint's name, shorter than KTR_EVENT_NAME_MAX.
 * @nargs: arguments to record, 0..KTR_RAW_NARGS_MAX.
 * @extack: for the error message.
 *
 * Context: task (sleeps).
 * Return: 0, or a negative errno (nothing changed).
 */
int ktr_raw_attach(const char *name, unsigned int nargs,
		   struct netlink_ext_ack *extack)
{
	struct ktr_raw_event *raw;
	struct tracepoint *tp;
	struct module *owner;
	int ret;

	if (!*name || strlen(name) >= KTR_EVENT_NAME_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "tracepoint name empty or too long");
		return -EINVAL;
	}
	if (nargs > KTR_RAW_NARGS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "at most 6 arguments can be recorded");
		return -ERANGE;
	}
	raw = kzalloc(sizeof(*raw), GFP_KERNEL);
	if (!raw)
		return -ENOMEM;

	mutex_lock(&ktr_raw_lock);
	if (ktr_raw_find_event(name)) {
		NL_SET_ERR_MSG_MOD(extack, "this tracepoint is already attached raw");
		ret = -EEXIST;
		goto err;
	}
	if (ktr_raw_count >= KTR_RAW_EVENTS_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "too many raw events (64): detach some first");
		ret = -ENOSPC;
		goto err;
	}
	if (ktr_raw_next_id > KTR_EVENT_RAW_LAST) {
		NL_SET_ERR_MSG_MOD(extack, "raw event ids used up: reload ktr");
		ret = -ENOSPC;
		goto err;
	}
	tp = ktr_raw_find_tp(name, &owner);
	if (!tp) {
		NL_SET_ERR_MSG_MOD(extack,
				   "no tracepoint of that name in the kernel or a loaded module");
		ret = -ENOENT;
		goto err;
	}

	strscpy(raw->name, name, sizeof(raw->name));
	raw->mod = owner;
	raw->type.id = ktr_raw_next_id;
	raw->type.system = "raw";
	raw->type.name = raw->name;
	raw->type.tp_name = raw->name;
	raw->type.probe = ktr_raw_probe;
	raw->type.fields = ktr_raw_fields;
	raw->type.nr_fields = nargs;
	raw->type.tp = tp;
	ret = ktr_events_add(&raw->type, false);
	if (ret) {
		pr_warn("cannot attach to tracepoint %s: %d\n", name, ret);
		NL_SET_ERR_MSG_MOD(extack,
				   "cannot attach to the tracepoint (see the kernel log)");
		goto err;
	}
	list_add_tail(&raw->node, &ktr_raw_events);
	ktr_raw_count++;
	ktr_raw_next_id++;
	mutex_unlock(&ktr_raw_lock);
	return 0;

err:
	mutex_unlock(&ktr_raw_lock);
	kfree(raw);
	return ret;
}

/**
 * ktr_raw_detach - detach the raw event of tracepoint @name
 * @name: as given to ktr_raw_attach().
 * @extack: for the error message.
 *
 * Context: task (sleeps: waits for running probes).
 * Return: 0, or -ENOENT.
 */
int ktr_raw_detach(const char *name, struct netlink_ext_ack *extack)
{
	struct ktr_raw_event *raw;

	mutex_lock(&ktr_raw_lock);
	raw = ktr_raw_find_event(name);
	if (!raw) {
		mutex_unlock(&ktr_raw_lock);
		NL_SET_ERR_MSG_MOD(extack, "no raw event of that name");
		return -ENOENT;
	}
	ktr_events_remove(&raw->type);
	list_del(&raw->node);
	ktr_raw_count--;
	mutex_unlock(&ktr_raw_lock);
	/* Also covers a probe unregistered earlier without waiting (GOING). */
	tracepoint_synchronize_unregister();
	kfree(raw);
	return 0;
}

/* A module with tracepoints arrives: note it, re-attach events waiting. */
static void ktr_raw_module_coming(struct module *mod)
{
	struct ktr_raw_module *m;
	struct ktr_raw_event *raw;
	struct tracepoint *tp;
	int ret;

	if (!mod->num_tracepoints)
		return;
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!m) {
		pr_warn("out of memory: cannot attach raw to the tracepoints of module %s\n",
			mod->name);
		return;
	}
	m->mod = mod;
	list_add_tail(&m->node, &ktr_raw_modules);

	list_for_each_entry(raw, &ktr_raw_events, node) {
		if (!raw->gone)
			continue;
		tp = ktr_raw_find_in_module(mod, raw->name);
		if (!tp)
			continue;
		raw->mod = mod;
		raw->gone = false;
		ret = ktr_event_tp_back(&raw->type, tp);
		if (ret)
			pr_warn("cannot attach again to tracepoint %s of module %s: %d\n",
				raw->name, mod->name, ret);
	}
}

/*
 * A module goes away: unregister from its tracepoints and forget them. An
 * event whose tracepoint another loaded module also provides moves to that
 * one at once (the first in load order), enabled if it was; the others
 * wait for a module that brings one (ktr_raw_module_coming()).
 */
static void ktr_raw_module_going(struct module *mod)
{
	struct ktr_raw_module *m, *tmp;
	struct ktr_raw_event *raw;
	struct tracepoint *tp;
	struct module *owner;
	int ret;

	list_for_each_entry_safe(m, tmp, &ktr_raw_modules, node) {
		if (m->mod == mod) {
			list_del(&m->node);
			kfree(m);
		}
	}
	list_for_each_entry(raw, &ktr_raw_events, node) {
		if (raw->mod != mod)
			continue;
		ktr_event_tp_gone(&raw->type);
		raw->mod = NULL;
		raw->gone = true;
		tp = ktr_raw_find_tp(raw->name, &owner);
		if (!tp)
			continue;
		raw->mod = owner;
		raw->gone = false;
		ret = ktr_event_tp_back(&raw->type, tp);
		if (ret)
			pr_warn("cannot attach to tracepoint %s of module %s: %d\n",
				raw->name, owner ? owner->name : "vmlinux", ret);
	}
}

static int ktr_raw_module_notify(struct notifier_block *nb,
				 unsigned long val, void *data)
{
	struct tp_module *tp_mod = data;

	mutex_lock(&ktr_raw_lock);
	if (val == MODULE_STATE_COMING)
		ktr_raw_module_coming(tp_mod->mod);
	else if (val == MODULE_STATE_GOING)
		ktr_raw_module_going(tp_mod->mod);
	mutex_unlock(&ktr_raw_lock);
	return NOTIFY_OK;
}

static struct notifier_block ktr_raw_module_nb = {
	.notifier_call = ktr_raw_module_notify,
};

/* Context: task; not under ktr_raw_lock (the notifier takes it). */
int ktr_raw_init(void)
{
	/* Replays MODULE_STATE_COMING for the modules already loaded. */
	int ret = register_tracepoint_module_notifier(&ktr_raw_module_nb);

	if (ret)
		pr_err("cannot register the tracepoint module notifier: %d\n",
		       ret);
	return ret;
}

/* Detach every raw event; nothing can run ktr_raw_probe() afterwards. */
void ktr_raw_exit(void)
{
	struct ktr_raw_event *raw, *tmp;
	LIST_HEAD(dead);

	/* Replays MODULE_STATE_GOING: module probes off, module list empty. */
	unregister_tracepoint_module_notifier(&ktr_raw_module_nb);

	mutex_lock(&ktr_raw_lock);
	list_for_each_entry_safe(raw, tmp, &ktr_raw_events, node) {
		ktr_events_remove(&raw->type);
		list_move_tail(&raw->node, &dead);
	}
	ktr_raw_count = 0;
	mutex_unlock(&ktr_raw_lock);

	if (list_empty(&dead))
		return;
	tracepoint_synchronize_unregister();
	list_for_each_entry_safe(raw, tmp, &dead, node)
		kfree(raw);
}
