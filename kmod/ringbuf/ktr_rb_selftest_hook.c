// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_rb_selftest_hook.c - where a test module plugs the ring buffer's
 * self-test into ktr.ko.
 *
 * The self-test (tests/modules/ktr_rb_test/) is test code, kept out of
 * ktr.ko. When loaded, it registers its struct ktr_selftest_ops here;
 * KTR_CMD_SELFTEST calls ktr_selftest_run(), which runs it while holding a
 * reference on its module, so rmmod of the test module waits for no one
 * and cannot free the code of a running self-test (it fails with EBUSY
 * instead, as for any module in use). One provider at a time.
 *
 * Kernel only: this file is not part of the host build of the ring buffer.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bug.h>
#include <linux/errno.h>
#include <linux/export.h>
#include <linux/module.h>
#include <linux/mutex.h>

#include "ktr_rb_selftest.h"

/* Protects ktr_selftest_ops; never held while a self-test runs. */
static DEFINE_MUTEX(ktr_selftest_lock);
static const struct ktr_selftest_ops *ktr_selftest_ops;

/**
 * ktr_selftest_register() - provide the ring buffer self-test to ktr.ko
 * @ops: the self-test; @ops->owner must be the calling module
 *	(THIS_MODULE) and @ops must stay valid until
 *	ktr_selftest_unregister().
 *
 * From now on KTR_CMD_SELFTEST runs @ops->run.
 *
 * Context: task (module init), may sleep.
 * Return: 0; -EINVAL when @ops has no run function; -EBUSY when another
 * self-test is registered already.
 */
int ktr_selftest_register(const struct ktr_selftest_ops *ops)
{
	int ret = 0;

	if (!ops || !ops->run)
		return -EINVAL;
	mutex_lock(&ktr_selftest_lock);
	if (ktr_selftest_ops)
		ret = -EBUSY;
	else
		ktr_selftest_ops = ops;
	mutex_unlock(&ktr_selftest_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(ktr_selftest_register);

/**
 * ktr_selftest_unregister() - withdraw a self-test given to
 * ktr_selftest_register()
 * @ops: the same pointer that was registered.
 *
 * No self-test of @ops runs once the owner's exit function is called (a
 * running one holds a reference on the owner), and none can start after
 * this returns.
 *
 * Context: task (module exit), may sleep.
 */
void ktr_selftest_unregister(const struct ktr_selftest_ops *ops)
{
	mutex_lock(&ktr_selftest_lock);
	if (!WARN_ON_ONCE(ktr_selftest_ops != ops))
		ktr_selftest_ops = NULL;
	mutex_unlock(&ktr_selftest_lock);
}
EXPORT_SYMBOL_GPL(ktr_selftest_unregister);

/**
 * ktr_selftest_run() - run the registered self-test
 * @cfg: geometry, mode and duration (checked by the caller).
 * @res: filled by the self-test.
 *
 * Context: task, sleeps for about @cfg->duration_ms.
 * Return: -EOPNOTSUPP when no self-test is registered (or its module is
 * going away); otherwise what the self-test's run function returns.
 */
int ktr_selftest_run(const struct ktr_selftest_cfg *cfg,
		     struct ktr_selftest_result *res)
{
	const struct ktr_selftest_ops *ops;
	struct module *owner;
	int ret;

	mutex_lock(&ktr_selftest_lock);
	ops = ktr_selftest_ops;
	if (ops && !try_module_get(ops->owner))
		ops = NULL;
	mutex_unlock(&ktr_selftest_lock);
	if (!ops)
		return -EOPNOTSUPP;

	owner = ops->owner;
	ret = ops->run(cfg, res);
	module_put(owner);
	return ret;
}
