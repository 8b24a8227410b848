/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_compat.h - every kernel-version difference ktr cares about, in one place.
 *
 * ktr builds against Debian's 6.1 and 6.12 kernels (and a 6.1 debug build).
 * Code elsewhere in kmod/ never tests LINUX_VERSION_CODE: it calls the
 * wrappers below, which say what changed and when.
 */
#ifndef _KTR_COMPAT_H
#define _KTR_COMPAT_H

#include <linux/version.h>
#include <linux/err.h>
#include <linux/mm.h>
#include <linux/uprobes.h>
#include <net/genetlink.h>

/*
 * v6.2 (commit "genetlink: use a separate type for split ops") changed the
 * type of the ops argument of genl_family::pre_doit/post_doit.
 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 2, 0)
#define ktr_genl_doit_ops genl_split_ops
#else
#define ktr_genl_doit_ops genl_ops
#endif

/*
 * v6.3 made vma->vm_flags read-only; writers go through vm_flags_set() and
 * vm_flags_clear(), which take the mmap write lock assertions into account.
 */
static inline void ktr_vm_flags_set(struct vm_area_struct *vma,
				    vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_set(vma, flags);
#else
	vma->vm_flags |= flags;
#endif
}

static inline void ktr_vm_flags_clear(struct vm_area_struct *vma,
				      vm_flags_t flags)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	vm_flags_clear(vma, flags);
#else
	vma->vm_flags &= ~flags;
#endif
}

/*
 * v6.2 added formatted extended-ack messages (NL_SET_ERR_MSG_FMT_MOD, into
 * a buffer of the extack). Before, a message is a static string only:
 * @plain (a literal) says the same without the values.
 */
#ifdef NL_SET_ERR_MSG_FMT_MOD
#define KTR_ERR_MSG_FMT_IF_ABLE(extack, fmt, args...)			\
	NL_SET_ERR_MSG_FMT_MOD(extack, fmt, ##args)
/* Bytes a formatted message may take, NUL included (longer: truncated). */
#define KTR_ERR_MSG_FMT_MAX	NETLINK_MAX_FMTMSG_LEN
#else
#define KTR_ERR_MSG_FMT_MAX	0
#define KTR_ERR_MSG_FMT_IF_ABLE(extack, fmt, args...) do { } while (0)
#endif
#define KTR_ERR_MSG_FMT(extack, plain, fmt, args...) do {		\
	NL_SET_ERR_MSG_MOD(extack, plain);				\
	KTR_ERR_MSG_FMT_IF_ABLE(extack, fmt, ##args);			\
} while (0)

/*
 * An extended-ack message chosen at run time among static strings (a
 * parser's reasons): the NL_SET_ERR_MSG macros take literals only.
 */
static inline void ktr_extack_set_static(struct netlink_ext_ack *extack,
					 const char *msg)
{
	if (extack)
		extack->_msg = msg;
}

/*
 * v6.12 (commit "uprobes: make uprobe_register() return struct uprobe *")
 * changed the uprobe API: register returns the uprobe, which unregistering
 * names; unregistering no longer waits for running handlers by itself
 * (uprobe_unregister_sync() does). Before, both name inode and offset.
 */
struct ktr_uprobe_handle {
	struct inode *inode;
	loff_t offset;
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	struct uprobe *uprobe;
#endif
};

static inline int ktr_uprobe_register(struct ktr_uprobe_handle *h,
				      struct uprobe_consumer *uc)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	h->uprobe = uprobe_register(h->inode, h->offset, 0, uc);
	return IS_ERR(h->uprobe) ? PTR_ERR(h->uprobe) : 0;
#else
	return uprobe_register(h->inode, h->offset, uc);
#endif
}

/* Returns once no handler of @uc runs any more. */
static inline void ktr_uprobe_unregister(struct ktr_uprobe_handle *h,
					 struct uprobe_consumer *uc)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 12, 0)
	uprobe_unregister_nosync(h->uprobe, uc);
	uprobe_unregister_sync();
#else
	uprobe_unregister(h->inode, h->offset, uc);
#endif
}

/*
 * Not wrapped because ktr avoids them: class_create() (lost its owner
 * argument in v6.4) - /dev/ktr is a misc device, which needs no class;
 * ftrace_regs accessors (opaque since v6.x) - added with the kprobe work.
 */

#endif /* _KTR_COMPAT_H */
