/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ktr.h - the ABI between the ktr kernel module and its user-space tools.
 *
 * This header is included by the module (with __KERNEL__ defined) and by
 * user space (plain C or C++). It holds nothing but ABI: numbers, names and
 * fixed-width types. Numbers are never reused: a retired command, attribute
 * or ioctl keeps its slot, marked "reserved", forever.
 *
 * ABI versioning
 * --------------
 * KTR_ABI_MAJOR changes when an existing command, attribute or layout changes
 * meaning; a tool must refuse to talk to a module of another major.
 * KTR_ABI_MINOR grows when something is added; a tool built against minor N
 * works with a module of minor >= N and must tolerate unknown attributes.
 * Every struct shared through this header starts with a __u32 size field.
 *
 * Control plane: the "ktr" generic netlink family
 * -----------------------------------------------
 * Family name KTR_GENL_NAME, version KTR_GENL_VERSION. User space resolves the
 * family id with CTRL_CMD_GETFAMILY (libnl: genl_ctrl_resolve()). If the
 * family does not exist the module is not loaded.
 *
 * Permissions: every command requires CAP_PERFMON or CAP_SYS_ADMIN in the
 * initial user namespace (a tracer sees the whole kernel). Without it the
 * kernel answers -EPERM with an extended-ack message saying so.
 * Commands that change state are additionally flagged GENL_ADMIN_PERM.
 *
 * Requests use strict validation (unknown attributes are rejected with
 * -EINVAL and an extended-ack message naming the attribute).
 *
 * KTR_CMD_GET_INFO (do)
 *   Request:  no attributes.
 *   Reply:    KTR_CMD_GET_INFO with
 *     KTR_ATTR_ABI_MAJOR         u32     ABI major of the module
 *     KTR_ATTR_ABI_MINOR         u32     ABI minor of the module
 *     KTR_ATTR_MODULE_VERSION    string  module version, e.g. "0.1.0"
 *     KTR_ATTR_CPUS_POSSIBLE     u32     num_possible_cpus()
 *     KTR_ATTR_CPUS_ONLINE       u32     num_online_cpus()
 *     KTR_ATTR_SUBBUF_SIZE       u32     default sub-buffer size, bytes
 *     KTR_ATTR_NR_SUBBUFS        u32     default sub-buffers per CPU
 *     KTR_ATTR_KERNEL_RELEASE    string  utsname()->release of the kernel
 *
 * KTR_CMD_SELFTEST (do; GENL_ADMIN_PERM; ABI minor 1)
 *   Runs the in-kernel self-test and stress of the ring buffer on a buffer
 *   instance of its own (tracing state is not touched): one writer kthread
 *   bound to each online CPU, a hard-irq hrtimer per CPU writing on top of
 *   it (nested), periodic flushes on every CPU, and a reader kthread that
 *   takes and checks every sub-buffer concurrently. Every record is decoded
 *   and checked (checksum, per-writer sequence, per-CPU time order, time
 *   equal to the one the writer embedded, loss accounted exactly). The
 *   request blocks for the duration plus a short drain; tools must wait
 *   longer than the duration for the reply. One self-test at a time: a
 *   second request meanwhile fails with -EBUSY.
 *   Request (all optional):
 *     KTR_ATTR_SELFTEST_MODE         u32  enum ktr_rb_mode (ktr_ringbuf.h);
 *                                         default KTR_RB_MODE_DISCARD
 *     KTR_ATTR_SELFTEST_SUBBUF_SIZE  u32  bytes, power of two in
 *                                         [KTR_SUBBUF_SIZE_MIN, _MAX];
 *                                         default: the module's default
 *     KTR_ATTR_SELFTEST_NR_SUBBUFS   u32  power of two in
 *                                         [KTR_NR_SUBBUFS_MIN, _MAX];
 *                                         default: the module's default
 *     KTR_ATTR_SELFTEST_DURATION_MS  u32  [KTR_SELFTEST_DURATION_MS_MIN,
 *                                         _MAX]; default
 *                                         KTR_SELFTEST_DURATION_MS_DEFAULT
 *     Bad values start nothing and fail with an extended-ack message that
 *     names the attribute (or points at it: NLMSGERR_ATTR_OFFS): out of
 *     range (checked by the policy): -ERANGE; mode unknown: -EINVAL or
 *     -ERANGE; not a power of two, or a buffer larger than
 *     KTR_SELFTEST_BYTES_PER_CPU_MAX per CPU: -EINVAL.
 *   Reply:    KTR_CMD_SELFTEST with the four request attributes (values
 *     used) and, summed over the CPUs under test:
 *     KTR_ATTR_SELFTEST_CPUS              u32  CPUs under test
 *     KTR_ATTR_SELFTEST_ELAPSED_MS        u32  time the writers ran
 *     KTR_ATTR_SELFTEST_WRITTEN           u64  events offered to the ring
 *     KTR_ATTR_SELFTEST_READ              u64  events read and checked
 *     KTR_ATTR_SELFTEST_BYTES             u64  record bytes committed
 *     KTR_ATTR_SELFTEST_LOST_FULL         u64  lost: no room (see
 *     KTR_ATTR_SELFTEST_LOST_OVERWRITTEN  u64  lost: recycled   struct
 *     KTR_ATTR_SELFTEST_LOST_NESTING      u64  lost: nesting    ktr_rb_cpu_
 *     KTR_ATTR_SELFTEST_LOST_DISABLED     u64  lost: disabled   stats)
 *     KTR_ATTR_SELFTEST_LOST_REPORTED     u64  sum of the lost fields of the
 *                                              sub-buffer headers read
 *     KTR_ATTR_SELFTEST_BUFFERED          u64  still buffered at the end
 *     KTR_ATTR_SELFTEST_SUBBUFS_READ      u64  sub-buffers read
 *     KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN u64 sub-buffers recycled unread
 *     KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN   u64  events offered by the hrtimers
 *     KTR_ATTR_SELFTEST_NESTED            u64  of those, written while the
 *                                              CPU's kthread was between
 *                                              reserve and commit
 *     KTR_ATTR_SELFTEST_FLUSHES           u64  flush rounds (all CPUs)
 *     KTR_ATTR_SELFTEST_LONG_EVENTS       u64  events read in the "length in
 *                                              the next word" form
 *     KTR_ATTR_SELFTEST_TIME_RECORDS      u64  TIME_EXTEND + TIME_STAMP
 *                                              records read
 *     KTR_ATTR_SELFTEST_ERRORS            u64  problems found; 0 is a pass
 *     KTR_ATTR_SELFTEST_ERROR             string  the first problem (only
 *                                              when ERRORS > 0)
 *   The test passes when ERRORS is 0; it then also holds that WRITTEN ==
 *   READ + LOST_FULL + LOST_OVERWRITTEN + LOST_NESTING + LOST_DISABLED and
 *   BUFFERED == 0. A test that ran answers 0 even if it found errors; an
 *   error code means it could not run (-EBUSY, -ENOMEM, -EINVAL).
 *
 * Data plane: the character device KTR_DEVICE_PATH
 * ------------------------------------------------
 * Mode 0600; open() additionally requires CAP_PERFMON or CAP_SYS_ADMIN.
 * Streaming (mmap, ioctls) is added by later ABI minors.
 */
#ifndef _UAPI_LINUX_KTR_H
#define _UAPI_LINUX_KTR_H

#include <linux/types.h>	/* kernel and user space (linux-libc-dev) alike */

#define KTR_ABI_MAJOR		1
#define KTR_ABI_MINOR		1

#define KTR_GENL_NAME		"ktr"
#define KTR_GENL_VERSION	1

#define KTR_DEVICE_NAME		"ktr"
#define KTR_DEVICE_PATH		"/dev/ktr"

/* Generic netlink commands. Never renumber; append only. */
enum ktr_cmd {
	KTR_CMD_UNSPEC,
	KTR_CMD_GET_INFO,
	KTR_CMD_SELFTEST,		/* ABI minor 1 */

	__KTR_CMD_MAX,
};

#define KTR_CMD_MAX (__KTR_CMD_MAX - 1)

/* Generic netlink attributes. Never renumber; append only. */
enum ktr_attr {
	KTR_ATTR_UNSPEC,
	KTR_ATTR_PAD,			/* alignment padding for u64 attributes */
	KTR_ATTR_ABI_MAJOR,		/* u32 */
	KTR_ATTR_ABI_MINOR,		/* u32 */
	KTR_ATTR_MODULE_VERSION,	/* NUL-terminated string */
	KTR_ATTR_CPUS_POSSIBLE,		/* u32 */
	KTR_ATTR_CPUS_ONLINE,		/* u32 */
	KTR_ATTR_SUBBUF_SIZE,		/* u32, bytes, power of two */
	KTR_ATTR_NR_SUBBUFS,		/* u32, power of two */
	KTR_ATTR_KERNEL_RELEASE,	/* NUL-terminated string */
	/* KTR_CMD_SELFTEST (ABI minor 1) */
	KTR_ATTR_SELFTEST_MODE,			/* u32, enum ktr_rb_mode */
	KTR_ATTR_SELFTEST_SUBBUF_SIZE,		/* u32, bytes */
	KTR_ATTR_SELFTEST_NR_SUBBUFS,		/* u32 */
	KTR_ATTR_SELFTEST_DURATION_MS,		/* u32 */
	KTR_ATTR_SELFTEST_CPUS,			/* u32 */
	KTR_ATTR_SELFTEST_ELAPSED_MS,		/* u32 */
	KTR_ATTR_SELFTEST_WRITTEN,		/* u64 */
	KTR_ATTR_SELFTEST_READ,			/* u64 */
	KTR_ATTR_SELFTEST_BYTES,		/* u64 */
	KTR_ATTR_SELFTEST_LOST_FULL,		/* u64 */
	KTR_ATTR_SELFTEST_LOST_OVERWRITTEN,	/* u64 */
	KTR_ATTR_SELFTEST_LOST_NESTING,		/* u64 */
	KTR_ATTR_SELFTEST_LOST_DISABLED,	/* u64 */
	KTR_ATTR_SELFTEST_LOST_REPORTED,	/* u64 */
	KTR_ATTR_SELFTEST_BUFFERED,		/* u64 */
	KTR_ATTR_SELFTEST_SUBBUFS_READ,		/* u64 */
	KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN,	/* u64 */
	KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN,	/* u64 */
	KTR_ATTR_SELFTEST_NESTED,		/* u64 */
	KTR_ATTR_SELFTEST_FLUSHES,		/* u64 */
	KTR_ATTR_SELFTEST_LONG_EVENTS,		/* u64 */
	KTR_ATTR_SELFTEST_TIME_RECORDS,		/* u64 */
	KTR_ATTR_SELFTEST_ERRORS,		/* u64 */
	KTR_ATTR_SELFTEST_ERROR,		/* NUL-terminated string */

	__KTR_ATTR_MAX,
};

#define KTR_ATTR_MAX (__KTR_ATTR_MAX - 1)

/* Limits on buffer geometry accepted by the module. */
#define KTR_SUBBUF_SIZE_MIN	4096u
#define KTR_SUBBUF_SIZE_MAX	(4u << 20)
#define KTR_NR_SUBBUFS_MIN	2u
#define KTR_NR_SUBBUFS_MAX	4096u

/* KTR_CMD_SELFTEST limits and defaults. */
#define KTR_SELFTEST_DURATION_MS_MIN		10u
#define KTR_SELFTEST_DURATION_MS_MAX		60000u
#define KTR_SELFTEST_DURATION_MS_DEFAULT	2000u
#define KTR_SELFTEST_BYTES_PER_CPU_MAX		(64u << 20)

#endif /* _UAPI_LINUX_KTR_H */
