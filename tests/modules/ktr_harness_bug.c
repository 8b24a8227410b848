// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_harness_bug.c - a deliberately broken module for the VM harness's
 * self-tests: each bug= value makes the kernel report one kind of problem,
 * and the test passes only if vm/run turns that report into a failure.
 * Loaded only inside QEMU guests by tests/vm/harness-detects-*.sh.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/string.h>

static char *bug = "none";
module_param(bug, charp, 0444);
MODULE_PARM_DESC(bug, "none|warn|lockdep|leak|uaf");

static DEFINE_MUTEX(lock_a);
static DEFINE_MUTEX(lock_b);
static void *leaked;

/* A then B here, B then A below: lockdep reports a possible deadlock. */
static void inverted_locking(void)
{
	mutex_lock(&lock_a);
	mutex_lock(&lock_b);
	mutex_unlock(&lock_b);
	mutex_unlock(&lock_a);

	mutex_lock(&lock_b);
	mutex_lock(&lock_a);
	mutex_unlock(&lock_a);
	mutex_unlock(&lock_b);
}

static noinline int use_after_free(void)
{
	char *p = kmalloc(64, GFP_KERNEL);
	int v;

	if (!p)
		return -ENOMEM;
	kfree(p);
	v = READ_ONCE(p[8]);
	return v & 0;
}

/*
 * Leak several objects: kmemleak misses one whose address a stale stack
 * slot still holds (e.g. insmod's kernel stack, cached for reuse after it
 * exits, which kmemleak scans as vmalloc memory). Each allocation here
 * overwrites the previous one's slots, so at most the last can be missed.
 */
static void leak_some(void)
{
	int i;

	for (i = 0; i < 8; i++) {
		WRITE_ONCE(leaked, kmalloc(256, GFP_KERNEL));
		WRITE_ONCE(leaked, NULL);	/* the only reference is gone */
	}
}

static int __init ktr_harness_bug_init(void)
{
	pr_info("injecting bug '%s'\n", bug);
	if (!strcmp(bug, "warn"))
		WARN(1, "ktr_harness_bug: deliberate WARN");
	else if (!strcmp(bug, "lockdep"))
		inverted_locking();
	else if (!strcmp(bug, "leak"))
		leak_some();
	else if (!strcmp(bug, "uaf"))
		return use_after_free();
	else if (strcmp(bug, "none"))
		return -EINVAL;
	return 0;
}

static void __exit ktr_harness_bug_exit(void)
{
}

module_init(ktr_harness_bug_init);
module_exit(ktr_harness_bug_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktr VM harness self-test: deliberate kernel bugs");
