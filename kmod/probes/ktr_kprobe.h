/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_kprobe.h - dynamic probes (KTR_CMD_ADD_PROBE, uapi/ktr.h): kprobes,
 * kretprobes, uprobes and uretprobes defined at run time from ftrace's
 * kprobe_events / uprobe_events grammar, each an event type of the
 * registry (ktr_events.h).
 *
 * ktr_kprobe.c owns the probes (add, delete, list, module unload) and the
 * kprobe mechanics; ktr_uprobe.c the uprobe mechanics; ktr_kprobe_fetch.c
 * is the handler path of both (fetch the arguments, record).
 */
#ifndef _KTR_KPROBE_H
#define _KTR_KPROBE_H

#include <linux/kprobes.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/path.h>
#include <linux/types.h>
#include <linux/uprobes.h>

#include "ktr_compat.h"

#include "ktr_events.h"
#include "ktr_filter.h"
#include "ktr_probe_def.h"

struct netlink_ext_ack;

/**
 * struct ktr_kprobe - one probe and its event type
 * @type: the registry's view (source: ktr_kprobe_source).
 * @node: in the list of probes (ktr_kprobe.c), in id order.
 * @def: the parsed definition (group and event name the type's names).
 * @text: the definition as given, for listing.
 * @target: what the kprobe resolves: "sym" or "mod:sym" (NULL: numeric).
 * @fields: one per argument, pointing into @def.
 * @sym_addr: @SYM arguments: the symbol's address plus offset.
 * @modname: the module the probed address lies in ("": vmlinux).
 * @kp: the kprobe (entry probes).
 * @rp: the kretprobe (return probes).
 * @uc: the uprobe consumer (uprobes, uretprobes).
 * @upath: uprobes: the executable (held while the probe exists).
 * @uh: uprobes: what (un)registering names.
 * @armed: handlers record only while set (a return handler may still run
 *	after disable_kretprobe(), for a call that entered before).
 * @has_strings: some argument is a string: fetch into the CPU's scratch
 *	first, then reserve the exact size.
 * @hits: handler runs, per CPU.
 * @filter: the event's filter program and stack capture.
 */
struct ktr_kprobe {
	struct ktr_event_type type;
	struct list_head node;
	struct ktr_probe_def def;
	char *text;
	char *target;
	struct ktr_field_desc fields[KTR_PROBE_ARGS_MAX];
	unsigned long sym_addr[KTR_PROBE_ARGS_MAX];
	char modname[MODULE_NAME_LEN];
	struct kprobe kp;
	struct kretprobe rp;
	struct uprobe_consumer uc;
	struct path upath;
	struct ktr_uprobe_handle uh;
	bool armed;
	bool has_strings;
	u64 __percpu *hits;
	struct ktr_filter_slot filter;
};

/* What KTR_CMD_LIST_PROBES reports of a probe: values only. */
struct ktr_kprobe_info {
	u16 id;
	const char *system;
	const char *name;
	const char *text;
	bool enabled;
	bool gone;
	u32 kind;
	u32 mech;
	u64 addr;
	u64 hits;
	u64 missed;
	u32 maxactive;
};

/* What KTR_CMD_ADD_PROBE answers. */
struct ktr_kprobe_added {
	u16 id;
	char system[KTR_EVENT_NAME_MAX];
	char name[KTR_EVENT_NAME_MAX];
};

typedef int (*ktr_kprobe_fn)(const struct ktr_kprobe_info *info, void *priv);

int ktr_kprobes_init(void);
void ktr_kprobes_exit(void);
int ktr_kprobe_add(const char *text, struct ktr_kprobe_added *added,
		   struct netlink_ext_ack *extack);
int ktr_kprobe_del(const char *name, struct netlink_ext_ack *extack);
unsigned int ktr_kprobes_del_all(void);
int ktr_kprobes_for_each(unsigned long *pos, ktr_kprobe_fn fn, void *priv);

static inline bool ktr_kprobe_is_user(const struct ktr_kprobe *p)
{
	return p->def.kind == KTR_PROBE_UPROBE ||
	       p->def.kind == KTR_PROBE_URETPROBE;
}

/* ktr_uprobe.c: the uprobe mechanics. */
extern const struct ktr_event_source ktr_uprobe_source;
int ktr_uprobe_prepare(struct ktr_kprobe *p, struct netlink_ext_ack *extack);
void ktr_uprobe_release(struct ktr_kprobe *p);

/* ktr_kprobe_fetch.c: the handler path. */
void ktr_kprobe_record(struct ktr_kprobe *p, struct pt_regs *regs,
		       u64 duration);
int ktr_kprobe_fetch_init(void);
void ktr_kprobe_fetch_exit(void);

#endif /* _KTR_KPROBE_H */
