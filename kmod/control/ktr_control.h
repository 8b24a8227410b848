/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_control.h - the control plane's entry points: the generic netlink
 * family (ktr_nl*.c), /dev/ktr (ktr_dev.c), its streams (ktr_stream.c) and
 * its function latency fds (ktr_funclat_fd.c).
 * Module init (ktr_main.c) registers them last and removes them first.
 */
#ifndef _KTR_CONTROL_H
#define _KTR_CONTROL_H

#include <linux/capability.h>
#include <linux/user_namespace.h>

struct ktr_stream_open;
struct ktr_funclat_open;

/**
 * ktr_capable - may the current task control ktr or read its buffers?
 *
 * A tracer sees the whole kernel: CAP_PERFMON (or CAP_SYS_ADMIN, which
 * perfmon_capable() also accepts) in the initial user namespace.
 */
static inline bool ktr_capable(void)
{
	return perfmon_capable();
}

/**
 * ktr_file_capable - did whoever opened @file have what ktr_capable() asks?
 * @file: e.g. the file of a netlink socket.
 *
 * The credentials are the opener's, saved at open: a privileged program
 * made to write into a descriptor an unprivileged one opened and handed to
 * it (a confused deputy) does not pass.
 */
static inline bool ktr_file_capable(const struct file *file)
{
	return file && (file_ns_capable(file, &init_user_ns, CAP_PERFMON) ||
			file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN));
}

int ktr_nl_init(void);
void ktr_nl_exit(void);

int ktr_dev_init(void);
void ktr_dev_exit(void);

int ktr_copy_struct_in(void *dst, size_t ksize, size_t ver0,
		       const void __user *src, u32 usize);
int ktr_stream_open(struct ktr_stream_open __user *uarg);
int ktr_stream_init(void);
void ktr_stream_exit(void);
int ktr_funclat_fd_open(struct ktr_funclat_open __user *uarg);

#endif /* _KTR_CONTROL_H */
