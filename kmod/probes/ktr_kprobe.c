// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_kprobe.c - dynamic probes: kprobes, kretprobes and (through
 * ktr_uprobe.c) uprobes defined at run time (KTR_CMD_ADD_PROBE,
 * uapi/ktr.h), each an event type of the registry (ktr_events.c) that is
 * armed and disarmed like any event.
 *
 * A definition is parsed here from its text (ktr_probe_def.c, the parser
 * the tools also run: the module never trusts a compiled form), its
 * symbols resolved, its kprobe registered disabled (which checks that the
 * kernel will probe the address) and then armed through the registry.
 *
 * Invariants:
 *  1. ktr_kprobe_lock (private to this file) guards the list of probes
 *     and the id counter. A probe is on the list exactly while its event
 *     is in the registry and its kprobe registered.
 *  2. A handler records only while the probe is armed (@armed, set before
 *     enable_kprobe(), cleared after disable_kprobe()); the registry waits
 *     for running handlers (synchronize_rcu()) after disarming, so a
 *     disabled probe writes nothing once the request returns.
 *  3. A probe is freed only after unregister_k(ret)probe() has returned
 *     (which waits for running handlers and, for return probes, detaches
 *     every instance still pending on a stack) and it is off the registry:
 *     nothing can reach it. Module unload deletes every probe first.
 *  4. When the module a probe's address lies in goes away, the event is
 *     disarmed and stays listed, unavailable (the kernel's kprobes mark the
 *     kprobe gone), until it is deleted. A kprobe the kernel killed
 *     without ktr's notifier seeing it (init text; a bare address in a
 *     module) is unavailable too: the source's gone() reads the mark.
 * Lock order: ktr_trace_lock (RESET deletes every probe) ->
 * ktr_kprobe_lock -> the registry's lock -> the kernel's kprobe_mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kallsyms.h>
#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/netlink.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "ktr_compat.h"
#include "ktr_kprobe.h"
#include "ktr_ksym.h"

static DEFINE_MUTEX(ktr_kprobe_lock);	/* invariant 1 */
static LIST_HEAD(ktr_kprobes);
static unsigned int ktr_kprobe_count;
static u32 ktr_kprobe_next_id = KTR_EVENT_PROBE_FIRST;

static bool ktr_kprobe_is_return(const struct ktr_kprobe *p)
{
	return p->def.kind == KTR_PROBE_KRETPROBE;
}

static struct kprobe *ktr_kprobe_kp(struct ktr_kprobe *p)
{
	return ktr_kprobe_is_return(p) ? &p->rp.kp : &p->kp;
}

/* --- handlers (probe context: see ktr_kprobe_fetch.c) --- */

static int ktr_kprobe_pre(struct kprobe *kp, struct pt_regs *regs)
{
	struct ktr_kprobe *p = container_of(kp, struct ktr_kprobe, kp);

	if (READ_ONCE(p->armed))
		ktr_kprobe_record(p, regs, 0);
	return 0;
}

NOKPROBE_SYMBOL(ktr_kprobe_pre);

/* Return probes with $duration: the entry time, per instance. */
static int ktr_kprobe_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	*(u64 *)ri->data = local_clock();
	return 0;
}

NOKPROBE_SYMBOL(ktr_kprobe_entry);

static int ktr_kprobe_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct kretprobe *rp = get_kretprobe(ri);
	struct ktr_kprobe *p;
	u64 duration = 0;

	if (!rp)
		return 0;
	p = container_of(rp, struct ktr_kprobe, rp);
	if (!READ_ONCE(p->armed))
		return 0;
	if (p->def.needs_entry)
		duration = local_clock() - *(u64 *)ri->data;
	ktr_kprobe_record(p, regs, duration);
	return 0;
}

NOKPROBE_SYMBOL(ktr_kprobe_ret);

/* --- arming, through the registry (its lock held) --- */

static int ktr_kprobe_arm(struct ktr_event_type *ev)
{
	struct ktr_kprobe *p = container_of(ev, struct ktr_kprobe, type);
	int ret;

	WRITE_ONCE(p->armed, true);
	ret = enable_kprobe(ktr_kprobe_kp(p));
	if (ret)
		WRITE_ONCE(p->armed, false);
	return ret;
}

static void ktr_kprobe_disarm(struct ktr_event_type *ev)
{
	struct ktr_kprobe *p = container_of(ev, struct ktr_kprobe, type);

	disable_kprobe(ktr_kprobe_kp(p));
	WRITE_ONCE(p->armed, false);
}

/*
 * Killed by the kernel's kprobes: init text freed when its module went
 * live, or the code of a module going away (also a probe on a bare
 * address, which names no module for ktr_kprobe_module_notify()).
 * enable_kprobe() refuses such a probe; disable_kprobe() is a no-op on it.
 */
static bool ktr_kprobe_target_gone(const struct ktr_event_type *ev)
{
	const struct ktr_kprobe *p = container_of(ev, struct ktr_kprobe, type);
	const struct kprobe *kp = ktr_kprobe_is_return(p) ? &p->rp.kp : &p->kp;

	/* kprobe_gone() without its non-const argument; set under kprobe_mutex. */
	return READ_ONCE(kp->flags) & KPROBE_FLAG_GONE;
}

static const struct ktr_event_source ktr_kprobe_source = {
	.arm = ktr_kprobe_arm,
	.disarm = ktr_kprobe_disarm,
	.gone = ktr_kprobe_target_gone,
};

/* --- building a probe --- */

static void ktr_kprobe_free(struct ktr_kprobe *p)
{
	if (!p)
		return;
	if (ktr_kprobe_is_user(p))
		ktr_uprobe_release(p);
	free_percpu(p->hits);
	kfree(p->target);
	kfree(p->text);
	kfree(p);
}

/* "mod:sym" or "sym" from the text, or NULL for a numeric address. */
static char *ktr_kprobe_target(const char *text, const struct ktr_probe_def *d)
{
	if (!d->sym_len)
		return NULL;
	if (!d->mod_len)
		return kstrndup(text + d->sym_pos, d->sym_len, GFP_KERNEL);
	return kasprintf(GFP_KERNEL, "%.*s:%.*s", d->mod_len,
			 text + d->mod_pos, d->sym_len, text + d->sym_pos);
}

/* Resolve the @SYM arguments; -ENOENT with a message for an unknown one. */
static int ktr_kprobe_resolve(struct ktr_kprobe *p,
			      struct netlink_ext_ack *extack)
{
	char name[KSYM_NAME_LEN + MODULE_NAME_LEN];
	unsigned int i;

	for (i = 0; i < p->def.nargs; i++) {
		const struct ktr_parg *a = &p->def.args[i];
		unsigned long addr;

		if (a->base != KTR_PFETCH_SYMBOL)
			continue;
		if (ktr_kprobe_is_user(p)) {
			NL_SET_ERR_MSG_MOD(extack,
					   "@SYM names a kernel symbol: a uprobe reads user memory (use @ADDR)");
			return -EINVAL;
		}
		if (a->sym_len >= sizeof(name)) {
			NL_SET_ERR_MSG_MOD(extack, "@SYM: symbol name too long");
			return -EINVAL;
		}
		memcpy(name, p->text + a->sym_pos, a->sym_len);
		name[a->sym_len] = '\0';
		if (!ktr_ksym_available()) {
			NL_SET_ERR_MSG_MOD(extack,
					   "@SYM: this kernel does not let ktr look symbols up (see the kernel log); use @ADDR");
			return -EOPNOTSUPP;
		}
		addr = ktr_ksym_lookup(name);
		if (!addr) {
			KTR_ERR_MSG_FMT(extack,
					"@SYM argument: no such symbol in the kernel or a loaded module",
					"@SYM argument %s: no symbol %s", a->name,
					name);
			return -ENOENT;
		}
		p->sym_addr[i] = addr + (long)a->imm;
	}
	return 0;
}

/* The event's fields, from the parser's layout. */
static void ktr_kprobe_fields(struct ktr_kprobe *p)
{
	unsigned int i;

	for (i = 0; i < p->def.nargs; i++) {
		const struct ktr_parg *a = &p->def.args[i];
		struct ktr_field_desc *f = &p->fields[i];

		f->name = a->name;
		f->offset = a->offset;
		f->size = a->size;
		f->is_signed = a->is_signed;
		f->display = a->display;
		if (a->type == KTR_PTYPE_STRING || a->type == KTR_PTYPE_USTRING) {
			f->type = KTR_FIELD_STRING_LOC;
			p->has_strings = true;
		} else {
			f->type = KTR_FIELD_INT;
		}
	}
}

/* The module the probed address lies in, from its symbol's "[mod]". */
static void ktr_kprobe_modname(struct ktr_kprobe *p)
{
	char buf[KSYM_SYMBOL_LEN];
	char *open, *close;

	sprint_symbol(buf, (unsigned long)ktr_kprobe_kp(p)->addr);
	open = strrchr(buf, '[');
	close = open ? strchr(open, ']') : NULL;
	if (open && close && close - open - 1 < (long)sizeof(p->modname)) {
		memcpy(p->modname, open + 1, close - open - 1);
		p->modname[close - open - 1] = '\0';
	}
}

/* Words for what register_k(ret)probe() said. */
static int ktr_kprobe_reg_error(const struct ktr_kprobe *p, int err,
				struct netlink_ext_ack *extack)
{
	switch (err) {
	case -ENOENT:
		NL_SET_ERR_MSG_MOD(extack,
				   "unknown symbol: no such function in the kernel or a loaded module (or its module is going away)");
		return -ENOENT;
	case -EILSEQ:
		NL_SET_ERR_MSG_MOD(extack,
				   "the address is not on an instruction boundary: the kernel will not probe it");
		return -EOPNOTSUPP;
	case -EINVAL:
		if (ktr_kprobe_is_return(p))
			NL_SET_ERR_MSG_MOD(extack,
					   "the kernel will not probe this function's return: not a function entry, not kernel text, or blacklisted (NOKPROBE, kprobes' own code)");
		else
			NL_SET_ERR_MSG_MOD(extack,
					   "the kernel will not probe this address: not kernel text, blacklisted (NOKPROBE, kprobes' own code), a reserved site, or inside an ftrace call site");
		return -EOPNOTSUPP;
	case -EBUSY:
		NL_SET_ERR_MSG_MOD(extack,
				   "the address is a jump label or static call site: the kernel will not probe it");
		return -EOPNOTSUPP;
	case -E2BIG:
		NL_SET_ERR_MSG_MOD(extack, "maxactive too large for this kernel");
		return -EINVAL;
	case -EOPNOTSUPP:
		NL_SET_ERR_MSG_MOD(extack, "this kernel cannot probe that address");
		return -EOPNOTSUPP;
	default:
		KTR_ERR_MSG_FMT(extack, "the kernel refused the probe",
				"the kernel refused the probe (error %d)", err);
		return err;
	}
}

/* Register @p's k(ret)probe, disabled (armed later by the registry). */
static int ktr_kprobe_register(struct ktr_kprobe *p,
			       struct netlink_ext_ack *extack)
{
	struct kprobe *kp = ktr_kprobe_kp(p);
	int ret;

	kp->symbol_name = p->target;
	if (!p->target)
		kp->addr = (kprobe_opcode_t *)(unsigned long)p->def.addr;
	kp->offset = p->def.offset;
	kp->flags = KPROBE_FLAG_DISABLED;
	if (ktr_kprobe_is_return(p)) {
		p->rp.handler = ktr_kprobe_ret;
		if (p->def.needs_entry) {
			p->rp.entry_handler = ktr_kprobe_entry;
			p->rp.data_size = sizeof(u64);
		}
		p->rp.maxactive = p->def.maxactive;
		ret = register_kretprobe(&p->rp);
	} else {
		kp->pre_handler = ktr_kprobe_pre;
		ret = register_kprobe(kp);
	}
	return ret ? ktr_kprobe_reg_error(p, ret, extack) : 0;
}

/* Kprobes only: a uprobe is registered exactly while armed. */
static void ktr_kprobe_unregister(struct ktr_kprobe *p)
{
	if (ktr_kprobe_is_user(p))
		return;
	if (ktr_kprobe_is_return(p))
		unregister_kretprobe(&p->rp);
	else
		unregister_kprobe(&p->kp);
}

/* Parse @text into @p; -EINVAL with the column and the reason. */
static int ktr_kprobe_parse(struct ktr_kprobe *p,
			    struct netlink_ext_ack *extack)
{
	struct ktr_probe_err err = { 0 };

	if (!ktr_probe_def_parse(p->text, strlen(p->text), &p->def, &err)) {
		/*
		 * The reason always; the column too where the kernel formats
		 * messages and the whole line fits its buffer.
		 */
		ktr_extack_set_static(extack, err.msg);
		if (sizeof(KBUILD_MODNAME ": at column 1234: ") + strlen(err.msg) <=
		    KTR_ERR_MSG_FMT_MAX)
			KTR_ERR_MSG_FMT_IF_ABLE(extack, "at column %u: %s",
						err.pos + 1, err.msg);
		return -EINVAL;
	}
	return 0;
}

static struct ktr_kprobe *ktr_kprobe_find(const char *name)
{
	struct ktr_kprobe *p;
	const char *colon = strchr(name, ':');

	lockdep_assert_held(&ktr_kprobe_lock);
	list_for_each_entry(p, &ktr_kprobes, node) {
		if (!colon && !strcmp(p->def.event, name))
			return p;
		if (colon && strlen(p->def.group) == colon - name &&
		    !strncmp(p->def.group, name, colon - name) &&
		    !strcmp(p->def.event, colon + 1))
			return p;
	}
	return NULL;
}

static void ktr_kprobe_info(struct ktr_kprobe *p, struct ktr_kprobe_info *info)
{
	struct kprobe *kp = ktr_kprobe_kp(p);
	unsigned int cpu;

	memset(info, 0, sizeof(*info));
	info->id = p->type.id;
	info->system = p->def.group;
	info->name = p->def.event;
	info->text = p->text;
	info->enabled = READ_ONCE(p->armed);
	info->gone = !ktr_event_available(&p->type);
	info->kind = p->def.kind;
	for_each_possible_cpu(cpu)
		info->hits += *per_cpu_ptr(p->hits, cpu);
	if (ktr_kprobe_is_user(p)) {
		info->mech = KTR_MECH_UPROBE;
		info->addr = p->def.offset;
		return;
	}
	info->mech = (kp->flags & KPROBE_FLAG_FTRACE) ? KTR_MECH_FTRACE :
							KTR_MECH_BREAKPOINT;
	info->addr = (unsigned long)kp->addr;
	info->missed = kp->nmissed;
	if (ktr_kprobe_is_return(p)) {
		info->missed += p->rp.nmissed;
		info->maxactive = p->rp.maxactive;
	}
}

/**
 * ktr_kprobe_add - define a probe from one line of kprobe_events grammar
 * @text: the definition, NUL-terminated, < KTR_PROBE_DEF_MAX bytes.
 * @added: on success, the new probe's id and names.
 * @extack: for the error message.
 *
 * The event is enabled at once.
 *
 * Context: task (sleeps).
 * Return: 0, or a negative errno (see uapi/ktr.h; nothing changed).
 */
int ktr_kprobe_add(const char *text, struct ktr_kprobe_added *added,
		   struct netlink_ext_ack *extack)
{
	struct ktr_kprobe *p;
	int ret;

	p = kzalloc(sizeof(*p), GFP_KERNEL);
	if (!p)
		return -ENOMEM;
	p->text = kstrdup(text, GFP_KERNEL);
	p->hits = alloc_percpu(u64);
	if (!p->text || !p->hits) {
		ret = -ENOMEM;
		goto err_free;
	}
	ret = ktr_kprobe_parse(p, extack);
	if (ret)
		goto err_free;
	if (p->def.sym_len) {
		p->target = ktr_kprobe_target(text, &p->def);
		if (!p->target) {
			ret = -ENOMEM;
			goto err_free;
		}
	}
	ret = ktr_kprobe_resolve(p, extack);
	if (ret)
		goto err_free;
	ktr_kprobe_fields(p);
	if (ktr_kprobe_is_user(p)) {
		ret = ktr_uprobe_prepare(p, extack);
		if (ret)
			goto err_free;
	}
	p->type.system = p->def.group;
	p->type.name = p->def.event;
	p->type.source = ktr_kprobe_is_user(p) ? &ktr_uprobe_source :
						 &ktr_kprobe_source;
	p->type.fields = p->fields;
	p->type.nr_fields = p->def.nargs;

	mutex_lock(&ktr_kprobe_lock);
	if (ktr_kprobe_count >= KTR_PROBES_MAX) {
		NL_SET_ERR_MSG_MOD(extack, "too many probes (128): delete some first");
		ret = -ENOSPC;
		goto err_unlock;
	}
	if (ktr_kprobe_next_id > KTR_EVENT_PROBE_LAST) {
		NL_SET_ERR_MSG_MOD(extack, "probe event ids used up: reload ktr");
		ret = -ENOSPC;
		goto err_unlock;
	}
	p->type.id = ktr_kprobe_next_id;
	ktr_filter_slot_init(&p->filter, p->type.id, p->def.event);
	p->type.filter_slot = &p->filter;
	if (!ktr_kprobe_is_user(p)) {
		ret = ktr_kprobe_register(p, extack);
		if (ret)
			goto err_unlock;
		ktr_kprobe_modname(p);
	}
	ret = ktr_events_add(&p->type, true);
	if (ret) {
		ktr_kprobe_unregister(p);
		if (ret == -EEXIST)
			KTR_ERR_MSG_FMT(extack,
					"an event of that name exists already: name the probe (p:NAME ...)",
					"an event named %s exists already: name the probe (p:NAME ...)",
					p->def.event);
		else if (ktr_kprobe_is_user(p))
			NL_SET_ERR_MSG_MOD(extack,
					   "the kernel refused the uprobe: the offset is not an instruction the kernel can probe, or the file cannot be probed");
		else
			NL_SET_ERR_MSG_MOD(extack, "cannot arm the probe");
		goto err_unlock;
	}
	list_add_tail(&p->node, &ktr_kprobes);
	ktr_kprobe_count++;
	ktr_kprobe_next_id++;
	added->id = p->type.id;
	strscpy(added->system, p->def.group, sizeof(added->system));
	strscpy(added->name, p->def.event, sizeof(added->name));
	mutex_unlock(&ktr_kprobe_lock);
	return 0;

err_unlock:
	mutex_unlock(&ktr_kprobe_lock);
err_free:
	ktr_kprobe_free(p);
	return ret;
}

/* Take @p off the registry and the list; the caller destroys it. */
static void ktr_kprobe_detach(struct ktr_kprobe *p)
{
	lockdep_assert_held(&ktr_kprobe_lock);
	ktr_events_remove(&p->type);
	list_del(&p->node);
	ktr_kprobe_count--;
}

/* Unregister (waits for handlers, invariant 3) and free. */
static void ktr_kprobe_destroy(struct ktr_kprobe *p)
{
	ktr_kprobe_unregister(p);
	ktr_filter_slot_release(&p->filter);
	ktr_kprobe_free(p);
}

/**
 * ktr_kprobe_del - delete the probe called @name
 * @name: "event" or "group:event".
 * @extack: for the error message.
 *
 * Context: task (sleeps: waits for running handlers).
 * Return: 0, or -ENOENT.
 */
int ktr_kprobe_del(const char *name, struct netlink_ext_ack *extack)
{
	struct ktr_kprobe *p;

	mutex_lock(&ktr_kprobe_lock);
	p = ktr_kprobe_find(name);
	if (!p) {
		mutex_unlock(&ktr_kprobe_lock);
		NL_SET_ERR_MSG_MOD(extack, "no probe of that name");
		return -ENOENT;
	}
	ktr_kprobe_detach(p);
	ktr_kprobe_destroy(p);
	mutex_unlock(&ktr_kprobe_lock);
	return 0;
}

/**
 * ktr_kprobes_del_all - delete every probe
 *
 * Context: task (sleeps).
 * Return: how many were deleted.
 */
unsigned int ktr_kprobes_del_all(void)
{
	struct ktr_kprobe *p, *tmp;
	unsigned int n = 0;

	mutex_lock(&ktr_kprobe_lock);
	list_for_each_entry_safe(p, tmp, &ktr_kprobes, node) {
		ktr_kprobe_detach(p);
		ktr_kprobe_destroy(p);
		n++;
	}
	mutex_unlock(&ktr_kprobe_lock);
	return n;
}

/**
 * ktr_kprobes_for_each - call @fn for every probe from index *@pos on
 * @pos: in: the first index; out: where @fn stopped, or the count.
 * @fn: called with the probe list locked; a non-zero return stops.
 * @priv: passed to @fn.
 *
 * Context: task (sleeps).
 * Return: what @fn returned last.
 */
int ktr_kprobes_for_each(unsigned long *pos, ktr_kprobe_fn fn, void *priv)
{
	struct ktr_kprobe_info info;
	struct ktr_kprobe *p;
	unsigned long i = 0;
	int ret = 0;

	mutex_lock(&ktr_kprobe_lock);
	list_for_each_entry(p, &ktr_kprobes, node) {
		if (i++ < *pos)
			continue;
		ktr_kprobe_info(p, &info);
		ret = fn(&info, priv);
		if (ret) {
			i--;
			break;
		}
	}
	mutex_unlock(&ktr_kprobe_lock);
	*pos = i;
	return ret;
}

/* A module goes away: its probes become unavailable (invariant 4). */
static int ktr_kprobe_module_notify(struct notifier_block *nb,
				    unsigned long val, void *data)
{
	struct module *mod = data;
	struct ktr_kprobe *p;

	if (val != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	mutex_lock(&ktr_kprobe_lock);
	list_for_each_entry(p, &ktr_kprobes, node)
		if (!strcmp(p->modname, mod->name))
			ktr_event_source_gone(&p->type);
	mutex_unlock(&ktr_kprobe_lock);
	return NOTIFY_DONE;
}

static struct notifier_block ktr_kprobe_module_nb = {
	.notifier_call = ktr_kprobe_module_notify,
};

/* Context: load (sleeps). */
int ktr_kprobes_init(void)
{
	int ret = ktr_kprobe_fetch_init();

	if (ret)
		return ret;
	ktr_ksym_init();
	ret = register_module_notifier(&ktr_kprobe_module_nb);
	if (ret)
		ktr_kprobe_fetch_exit();
	return ret;
}

/* Delete every probe: no handler of ktr's runs afterwards (invariant 3). */
void ktr_kprobes_exit(void)
{
	unregister_module_notifier(&ktr_kprobe_module_nb);
	ktr_kprobes_del_all();
	ktr_kprobe_fetch_exit();
}
