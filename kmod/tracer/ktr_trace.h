/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_trace.h - the trace session (ktr_trace.c): the buffer every event
 * goes to, who reads it, whether it records, and its reset.
 *
 * Layering: control (netlink, /dev/ktr, streams) calls the session; the
 * session calls the probes (ktr_probe_set_buffer(), events off and filters
 * cleared on reset) and the ring buffer; nothing below calls back up.
 */
#ifndef _KTR_TRACE_H
#define _KTR_TRACE_H

#include <linux/types.h>

#define KTR_MODULE_VERSION "0.1.0"

/* Geometry and mode of a trace buffer. */
struct ktr_geometry {
	u32 subbuf_size;	/* bytes, power of two */
	u32 nr_subbufs;		/* per CPU, power of two */
	u32 mode;		/* enum ktr_rb_mode */
};

/*
 * A SET_BUFFER request: the fields whose KTR_GEO_HAS_* bit is set replace
 * those of the current buffer, the others keep their value.
 */
enum {
	KTR_GEO_HAS_SUBBUF_SIZE = 1 << 0,
	KTR_GEO_HAS_NR_SUBBUFS = 1 << 1,
	KTR_GEO_HAS_MODE = 1 << 2,
};

struct ktr_geometry_change {
	struct ktr_geometry geo;
	u32 has;		/* KTR_GEO_HAS_* */
};

/* What GET_INFO reports about the trace buffer, read at once. */
struct ktr_trace_state {
	struct ktr_geometry geo;
	bool on;
	u64 clock_local;
	u64 clock_mono;
};

struct ktr_rb;
struct ktr_rb_cpu_stats;
struct netlink_ext_ack;

int ktr_trace_init(const struct ktr_geometry *geo);
void ktr_trace_exit(void);
const struct ktr_geometry *ktr_trace_defaults(void);
void ktr_trace_get_state(struct ktr_trace_state *st);
bool ktr_trace_set_on(bool on);
int ktr_trace_reconfigure(const struct ktr_geometry_change *chg,
			  struct ktr_geometry *result, int *geo_error,
			  struct netlink_ext_ack *extack);
int ktr_trace_reset(struct netlink_ext_ack *extack);
int ktr_trace_check_memory(const struct ktr_geometry *geo,
			   struct netlink_ext_ack *extack);
int ktr_trace_get_stats(unsigned int cpu, struct ktr_rb_cpu_stats *stats);

/* Markers: text from user space (write(2)) or from the kernel (netlink). */
ssize_t ktr_trace_marker(const char __user *ubuf, size_t len);
int ktr_trace_write_marker(const void *text, size_t len, unsigned int *cpu);

/* Reader pins: a stream holds its CPU's pin while it lives. */
struct ktr_rb *ktr_trace_pin_reader(unsigned int cpu);
void ktr_trace_unpin_reader(unsigned int cpu);

#endif /* _KTR_TRACE_H */
