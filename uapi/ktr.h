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
 * Data plane: the character device KTR_DEVICE_PATH
 * ------------------------------------------------
 * Mode 0600; open() additionally requires CAP_PERFMON or CAP_SYS_ADMIN.
 * Streaming (mmap, ioctls) is added by later ABI minors.
 */
#ifndef _UAPI_LINUX_KTR_H
#define _UAPI_LINUX_KTR_H

#include <linux/types.h>	/* kernel and user space (linux-libc-dev) alike */

#define KTR_ABI_MAJOR		1
#define KTR_ABI_MINOR		0

#define KTR_GENL_NAME		"ktr"
#define KTR_GENL_VERSION	1

#define KTR_DEVICE_NAME		"ktr"
#define KTR_DEVICE_PATH		"/dev/ktr"

/* Generic netlink commands. Never renumber; append only. */
enum ktr_cmd {
	KTR_CMD_UNSPEC,
	KTR_CMD_GET_INFO,

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

	__KTR_ATTR_MAX,
};

#define KTR_ATTR_MAX (__KTR_ATTR_MAX - 1)

/* Limits on buffer geometry accepted by the module. */
#define KTR_SUBBUF_SIZE_MIN	4096u
#define KTR_SUBBUF_SIZE_MAX	(4u << 20)
#define KTR_NR_SUBBUFS_MIN	2u
#define KTR_NR_SUBBUFS_MAX	4096u

#endif /* _UAPI_LINUX_KTR_H */
