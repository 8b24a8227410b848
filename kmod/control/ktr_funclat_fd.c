// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_funclat_fd.c - KTR_IOC_FUNCLAT_OPEN: the file descriptor that owns a
 * set of function latency histograms (probes/ktr_funclat.c).
 *
 * Translation only: the request is copied in and checked here, the set is
 * built and read by the probes layer. The fd's lifetime is the set's, like
 * a perf event's: close() unprobes and frees. The file holds the module
 * (fops owner), so ktr cannot be unloaded while a set exists. The protocol
 * is in uapi/ktr.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/threads.h>
#include <linux/uaccess.h>

#include "ktr.h"
#include "ktr_control.h"
#include "probes/ktr_funclat.h"

/**
 * struct ktr_funclat_file - an open histogram fd
 * @fl: the set it owns.
 * @stat_size: bytes per function that read() gives (the caller's
 *	struct ktr_funclat_stat size).
 */
struct ktr_funclat_file {
	struct ktr_funclat *fl;
	u32 stat_size;
};

static ssize_t ktr_funclat_fd_read(struct file *file, char __user *buf,
				   size_t count, loff_t *ppos)
{
	struct ktr_funclat_file *f = file->private_data;
	unsigned int n = ktr_funclat_nr_funcs(f->fl);
	size_t rec = f->stat_size;
	size_t known = min_t(size_t, rec, sizeof(struct ktr_funclat_stat));
	struct ktr_funclat_stat *st;
	unsigned int i;
	ssize_t ret = (ssize_t)(n * rec);

	if (count < n * rec)
		return -EINVAL;
	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		char __user *at = buf + i * rec;

		ktr_funclat_read(f->fl, i, st);
		if (copy_to_user(at, st, known) ||
		    (rec > known && clear_user(at + known, rec - known))) {
			ret = -EFAULT;
			break;
		}
	}
	kfree(st);
	return ret;
}

static int ktr_funclat_fd_release(struct inode *inode, struct file *file)
{
	struct ktr_funclat_file *f = file->private_data;

	ktr_funclat_destroy(f->fl);	/* waits for running handlers */
	kfree(f);
	return 0;
}

static const struct file_operations ktr_funclat_fops = {
	.owner		= THIS_MODULE,
	.read		= ktr_funclat_fd_read,
	.release	= ktr_funclat_fd_release,
	.llseek		= noop_llseek,
};

/* The request's own checks; -EINVAL unless said otherwise. */
static int ktr_funclat_check(const struct ktr_funclat_open *o)
{
	if (o->flags || !o->nr_funcs || o->nr_funcs > KTR_FUNCLAT_FUNCS_MAX)
		return -EINVAL;
	if (o->maxactive > KTR_FUNCLAT_MAXACTIVE_MAX ||
	    o->unit_ns > KTR_FUNCLAT_UNIT_NS_MAX)
		return -EINVAL;
	if (o->stat_size < KTR_FUNCLAT_STAT_SIZE_VER0 ||
	    o->stat_size > PAGE_SIZE)
		return -EINVAL;
	return 0;
}

/* Every slot holds a non-empty name and its NUL; else its index. */
static int ktr_funclat_check_names(const char (*names)[KTR_FUNCLAT_NAME_SLOT],
				   unsigned int n, u32 *failed)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!names[i][0] ||
		    !memchr(names[i], '\0', KTR_FUNCLAT_NAME_SLOT)) {
			*failed = i;
			return -EINVAL;
		}
	}
	return 0;
}

/* The process @nr of the caller's pid namespace, if it is a process. */
static struct pid *ktr_funclat_tgid(u32 nr)
{
	struct pid *pid;
	bool is_process;

	if (nr > PID_MAX_LIMIT)
		return ERR_PTR(-ESRCH);
	pid = find_get_pid(nr);
	if (!pid)
		return ERR_PTR(-ESRCH);
	rcu_read_lock();
	is_process = pid_task(pid, PIDTYPE_TGID);
	rcu_read_unlock();
	if (!is_process) {
		put_pid(pid);
		return ERR_PTR(-ESRCH);
	}
	return pid;
}

/**
 * ktr_funclat_fd_open - KTR_IOC_FUNCLAT_OPEN: probe functions, return the fd
 * @uarg: struct ktr_funclat_open from user space; @failed is written back.
 *
 * Context: task (sleeps).
 * Return: the new file descriptor, or a negative errno (see uapi/ktr.h).
 */
int ktr_funclat_fd_open(struct ktr_funclat_open __user *uarg)
{
	struct ktr_funclat_params p = { 0 };
	char (*names)[KTR_FUNCLAT_NAME_SLOT] = NULL;
	struct ktr_funclat_open o;
	struct ktr_funclat_file *f = NULL;
	struct pid *tgid = NULL;
	u32 failed = KTR_FUNCLAT_NONE;
	u32 usize;
	int ret;

	/* The first versions are the layouts of this header. */
	BUILD_BUG_ON(sizeof(o) != KTR_FUNCLAT_OPEN_SIZE_VER0);
	BUILD_BUG_ON(sizeof(struct ktr_funclat_stat) != KTR_FUNCLAT_STAT_SIZE_VER0);
	if (!ktr_capable())
		return -EPERM;
	if (get_user(usize, &uarg->size))
		return -EFAULT;
	ret = ktr_copy_struct_in(&o, sizeof(o), KTR_FUNCLAT_OPEN_SIZE_VER0,
				 uarg, usize);
	if (ret)
		return ret;
	if (put_user(failed, &uarg->failed))
		return -EFAULT;
	ret = ktr_funclat_check(&o);
	if (ret)
		return ret;

	names = kvmalloc_array(o.nr_funcs, KTR_FUNCLAT_NAME_SLOT, GFP_KERNEL);
	if (!names)
		return -ENOMEM;
	if (copy_from_user(names, u64_to_user_ptr(o.names),
			   (size_t)o.nr_funcs * KTR_FUNCLAT_NAME_SLOT)) {
		ret = -EFAULT;
		goto out;
	}
	ret = ktr_funclat_check_names(names, o.nr_funcs, &failed);
	if (ret)
		goto out;
	if (o.pid) {
		tgid = ktr_funclat_tgid(o.pid);
		if (IS_ERR(tgid)) {
			ret = PTR_ERR(tgid);
			tgid = NULL;
			goto out;
		}
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		ret = -ENOMEM;
		goto out;
	}
	f->stat_size = o.stat_size;
	p.names = names;
	p.nr_funcs = o.nr_funcs;
	p.tgid = tgid;
	p.maxactive = o.maxactive;
	p.unit_ns = o.unit_ns ? o.unit_ns : 1;
	f->fl = ktr_funclat_create(&p, &failed);
	if (IS_ERR(f->fl)) {
		ret = PTR_ERR(f->fl);
		kfree(f);
		goto out;
	}
	ret = anon_inode_getfd("[ktr_funclat]", &ktr_funclat_fops, f,
			       O_RDONLY | O_CLOEXEC);
	if (ret < 0) {
		ktr_funclat_destroy(f->fl);
		kfree(f);
	}
out:
	put_pid(tgid);
	kvfree(names);
	/* The errno stays what went wrong; a fault here loses the index. */
	if (failed != KTR_FUNCLAT_NONE)
		(void)put_user(failed, &uarg->failed);
	return ret;
}
