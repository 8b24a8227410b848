// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_dev.c - the /dev/ktr character device (data plane).
 *
 * A misc device: no class to create, a node made by devtmpfs with mode 0600.
 * Beyond the file mode, open() requires ktr_capable(), so a root process
 * that dropped CAP_PERFMON/CAP_SYS_ADMIN cannot read buffers either.
 * Streaming (mmap of per-CPU buffers, get/put ioctls) arrives with ABI 1.1.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "ktr.h"
#include "ktr_internal.h"

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

static const struct file_operations ktr_dev_fops = {
	.owner		= THIS_MODULE,
	.open		= ktr_dev_open,
	.release	= ktr_dev_release,
};

static struct miscdevice ktr_miscdev = {
	.minor	= MISC_DYNAMIC_MINOR,
	.name	= KTR_DEVICE_NAME,
	.fops	= &ktr_dev_fops,
	.mode	= 0600,
};

int ktr_dev_init(void)
{
	int ret = misc_register(&ktr_miscdev);

	if (ret)
		pr_err("cannot register /dev/%s: %d\n", KTR_DEVICE_NAME, ret);
	return ret;
}

void ktr_dev_exit(void)
{
	misc_deregister(&ktr_miscdev);
}
