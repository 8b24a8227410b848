/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_internal.h - what the glue files of ktr.ko share with each other.
 */
#ifndef _KTR_INTERNAL_H
#define _KTR_INTERNAL_H

#include <linux/types.h>

#define KTR_MODULE_VERSION "0.1.0"

/* Buffer geometry defaults, set at load time (module parameters). */
struct ktr_geometry {
	u32 subbuf_size;	/* bytes, power of two */
	u32 nr_subbufs;		/* per CPU, power of two */
	u32 mode;		/* enum ktr_rb_mode */
};

/* What GET_INFO reports about the trace buffer, read at once. */
struct ktr_trace_state {
	struct ktr_geometry geo;
	bool on;
	u64 clock_local;
	u64 clock_mono;
};

struct ktr_rb;
struct ktr_stream_open;
struct netlink_ext_ack;

extern struct ktr_geometry ktr_default_geometry;

bool ktr_capable(void);

int ktr_genl_init(void);
void ktr_genl_exit(void);

int ktr_trace_init(const struct ktr_geometry *geo);
void ktr_trace_exit(void);
struct ktr_rb *ktr_trace_rb(void);
ssize_t ktr_trace_marker(const char __user *ubuf, size_t len);
int ktr_trace_write_marker(const void *text, size_t len, unsigned int *cpu);
void ktr_trace_get_state(struct ktr_trace_state *st);
bool ktr_trace_set_on(bool on);
int ktr_trace_reconfigure(const struct ktr_geometry *geo,
			  struct netlink_ext_ack *extack);
int ktr_trace_reset(struct netlink_ext_ack *extack);

int ktr_stream_open(struct ktr_stream_open __user *uarg);
int ktr_streams_block(void);
void ktr_streams_unblock(void);

int ktr_dev_init(void);
void ktr_dev_exit(void);

int ktr_bench_start(void);
void ktr_bench_stop(void);

#endif /* _KTR_INTERNAL_H */
