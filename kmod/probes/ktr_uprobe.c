// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_uprobe.c - the uprobe mechanics of dynamic probes (ktr_kprobe.h):
 * an offset in an executable file, probed in every process that maps it
 * (ftrace's uprobe_events; user space turns PATH:SYMBOL into the offset).
 *
 * A uprobe has no "registered but disabled" state: arming registers the
 * consumer, disarming unregisters it, which returns once no handler of it
 * runs (ktr_uprobe_unregister(), ktr_compat.h). The file stays held
 * (@upath) from the definition to the deletion, so its inode cannot go.
 *
 * Handlers run in the probed task, in process context with preemption
 * enabled: recording disables preemption around the ring buffer (per-CPU)
 * as the tracepoint and kprobe paths have it disabled already.
 */
#include <linux/fs.h>
#include <linux/namei.h>
#include <linux/netlink.h>
#include <linux/preempt.h>
#include <linux/slab.h>
#include <linux/uprobes.h>

#include "ktr_compat.h"
#include "ktr_kprobe.h"

static int ktr_uprobe_hit(struct uprobe_consumer *uc, struct pt_regs *regs)
{
	struct ktr_kprobe *p = container_of(uc, struct ktr_kprobe, uc);

	preempt_disable_notrace();
	if (READ_ONCE(p->armed))
		ktr_kprobe_record(p, regs, 0);
	preempt_enable_notrace();
	return 0;
}

static int ktr_uprobe_ret(struct uprobe_consumer *uc, unsigned long func,
			  struct pt_regs *regs)
{
	return ktr_uprobe_hit(uc, regs);
}

static int ktr_uprobe_arm(struct ktr_event_type *ev)
{
	struct ktr_kprobe *p = container_of(ev, struct ktr_kprobe, type);
	int ret;

	WRITE_ONCE(p->armed, true);
	ret = ktr_uprobe_register(&p->uh, &p->uc);
	if (ret)
		WRITE_ONCE(p->armed, false);
	return ret;
}

static void ktr_uprobe_disarm(struct ktr_event_type *ev)
{
	struct ktr_kprobe *p = container_of(ev, struct ktr_kprobe, type);

	ktr_uprobe_unregister(&p->uh, &p->uc);
	WRITE_ONCE(p->armed, false);
}

const struct ktr_event_source ktr_uprobe_source = {
	.arm = ktr_uprobe_arm,
	.disarm = ktr_uprobe_disarm,
};

/**
 * ktr_uprobe_prepare - find and hold the file of uprobe @p
 * @p: parsed, a uprobe or uretprobe.
 * @extack: for the error message.
 *
 * Context: task (sleeps).
 * Return: 0 (the file is held: ktr_uprobe_release() lets it go), or a
 * negative errno with a message.
 */
int ktr_uprobe_prepare(struct ktr_kprobe *p, struct netlink_ext_ack *extack)
{
	const struct ktr_probe_def *d = &p->def;
	struct inode *inode;
	char *path;
	int ret;

	if (d->needs_entry) {
		NL_SET_ERR_MSG_MOD(extack, "$duration is for kretprobes only");
		return -EINVAL;
	}
	path = kstrndup(p->text + d->path_pos, d->path_len, GFP_KERNEL);
	if (!path)
		return -ENOMEM;
	ret = kern_path(path, LOOKUP_FOLLOW, &p->upath);
	kfree(path);
	if (ret) {
		NL_SET_ERR_MSG_MOD(extack,
				   "uprobe: cannot look the file up (missing, or not reachable)");
		return ret;
	}
	inode = d_real_inode(p->upath.dentry);
	if (!d_is_reg(p->upath.dentry) || !inode) {
		NL_SET_ERR_MSG_MOD(extack, "uprobe: not a regular file");
		ret = -EINVAL;
		goto err;
	}
	if (d->offset >= i_size_read(inode)) {
		NL_SET_ERR_MSG_MOD(extack, "uprobe: the offset is beyond the end of the file");
		ret = -EINVAL;
		goto err;
	}
	p->uh.inode = inode;
	p->uh.offset = d->offset;
	p->uc.handler = d->kind == KTR_PROBE_UPROBE ? ktr_uprobe_hit : NULL;
	p->uc.ret_handler = d->kind == KTR_PROBE_URETPROBE ? ktr_uprobe_ret :
							      NULL;
	return 0;
err:
	path_put(&p->upath);
	p->upath.dentry = NULL;
	return ret;
}

/* Let the file go (after the probe was disarmed for good). */
void ktr_uprobe_release(struct ktr_kprobe *p)
{
	if (p->upath.dentry)
		path_put(&p->upath);
}
