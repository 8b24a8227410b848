// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_dev.c - the /dev/ktr character device (data plane).
 *
 * A misc device: no class to create, a node made by devtmpfs with mode 0600.
 * Beyond the file mode, open() requires ktr_capable(), so a root process
 * that dropped CAP_PERFMON/CAP_SYS_ADMIN cannot read buffers either.
 *
 * write() records a marker event; KTR_IOC_STREAM_OPEN opens a per-CPU
 * stream (ktr_stream.c), KTR_IOC_FUNCLAT_OPEN a set of function latency
 * histograms (ktr_funclat_fd.c). The protocol is in uapi/ktr.h.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/uaccess.h>

#include "ktr.h"
#include "ktr_control.h"
#include "tracer/ktr_trace.h"

/**
 * ktr_copy_struct_in - copy in an ioctl's extensible struct
 * @dst: the module's struct.
 * @ksize: its size.
 * @ver0: the first version's size: the least a caller may give.
 * @src: the caller's struct.
 * @usize: its size field.
 *
 * Newer fields the module does not know must be zero
 * (copy_struct_from_user()); at most a page.
 *
 * Return: 0, -EINVAL (below @ver0), -E2BIG, or -EFAULT.
 */
int ktr_copy_struct_in(void *dst, size_t ksize, size_t ver0,
		       const void __user *src, u32 usize)
{
	if (usize < ver0)
		return -EINVAL;
	if (usize > PAGE_SIZE)
		return -E2BIG;
	return copy_struct_from_user(dst, ksize, src, usize);
}

static int ktr_dev_open(struct inode *inode, struct file *file)
{
	if (!ktr_capable())
		return -EPERM;
	return nonseekable_open(inode, file);
}

static int ktr_dev_release(struct inode *inode, struct file *file)
{
	return 0;
}

static ssize_t ktr_dev_write(struct file *file, const char __user *buf,
			     size_t count, loff_t *ppos)
{
	return ktr_trace_marker(buf, count);
}

static long ktr_dev_ioctl(struct file *file, unsigned int cmd,
			  unsigned long arg)
{
	/* The size in the number may grow with the struct: match type + nr. */
	if (_IOC_TYPE(cmd) != KTR_IOC_MAGIC)
		return -ENOTTY;
	switch (_IOC_NR(cmd)) {
	case _IOC_NR(KTR_IOC_STREAM_OPEN):
		/* Reading the trace needs a readable fd (O_WRONLY: markers). */
		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		return ktr_stream_open((void __user *)arg);
	case _IOC_NR(KTR_IOC_FUNCLAT_OPEN):
		/* Like reading the trace: a readable fd. */
		if (!(file->f_mode & FMODE_READ))
			return -EBADF;
		return ktr_funclat_fd_open((void __user *)arg);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations ktr_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= ktr_dev_open,
	.release	= ktr_dev_release,
	.write		= ktr_dev_write,
	.unlocked_ioctl	= ktr_dev_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
};

static struct miscdevice ktr_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KTR_DEVICE_NAME,
	.fops	= &ktr_dev_fops,
	.mode	= 0600,
};

int ktr_dev_init(void)
{
	int ret = ktr_stream_init();

	if (ret)
		return ret;
	ret = misc_register(&ktr_miscdev);
	if (ret) {
		pr_err("cannot register /dev/%s: %d\n", KTR_DEVICE_NAME, ret);
		ktr_stream_exit();
	}
	return ret;
}

void ktr_dev_exit(void)
{
	misc_deregister(&ktr_miscdev);
	ktr_stream_exit();
}
