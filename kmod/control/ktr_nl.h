/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_nl.h - what the files of the "ktr" generic netlink family share.
 *
 * One file per domain (info, events, trace, filter, raw, probe, tracer, latency,
 * selftest): each
 * parses its requests into a struct with its own policy, calls the domain
 * (tracer/, probes/) and serialises the reply. ktr_nl.c holds the family,
 * the operations table, the permission check and the reply/notice helpers.
 * The protocol itself is documented in uapi/ktr.h.
 */
#ifndef _KTR_NL_H
#define _KTR_NL_H

#include <net/genetlink.h>

#include "ktr.h"

extern struct genl_family ktr_nl_family;

/* Field ranges of a buffer geometry (the whole rule: ktr_rb_check_geometry). */
extern struct netlink_range_validation ktr_nl_subbuf_size_range;
extern struct netlink_range_validation ktr_nl_nr_subbufs_range;

/* Puts the attributes of a reply or notice; -EMSGSIZE if they do not fit. */
typedef int (*ktr_nl_fill_t)(struct sk_buff *msg, const void *arg);

int ktr_nl_reply(struct genl_info *info, u8 cmd, ktr_nl_fill_t fill,
		 const void *arg);
void ktr_nl_notify(u8 cmd, ktr_nl_fill_t fill, const void *arg);

/* One u64 attribute of a table of counters. */
struct ktr_nl_u64 {
	int type;
	u64 value;
};

int ktr_nl_put_u64s(struct sk_buff *msg, const struct ktr_nl_u64 *v,
		    size_t n, int pad);
int ktr_nl_dump_start(struct netlink_callback *cb);

/*
 * A dump in progress: every object a walk visits becomes one NLM_F_MULTI
 * message @cmd whose attributes @fill puts; cb->args[0] keeps the walk's
 * position between the calls of one dump.
 */
struct ktr_nl_dump {
	struct sk_buff *skb;
	struct netlink_callback *cb;
	u8 cmd;
	ktr_nl_fill_t fill;
};

int ktr_nl_dump_one(struct ktr_nl_dump *d, const void *obj);
int ktr_nl_dump_done(struct ktr_nl_dump *d, unsigned long pos, int ret);

/* Commands that take no attribute. */
extern const struct nla_policy ktr_nl_no_attr_policy[KTR_ATTR_MAX + 1];

/* ktr_nl_info.c */
int ktr_nl_get_info(struct sk_buff *skb, struct genl_info *info);

/* ktr_nl_events.c */
extern const struct nla_policy ktr_nl_events_policy[KTR_ATTR_MAX + 1];
int ktr_nl_list_events(struct sk_buff *skb, struct netlink_callback *cb);
int ktr_nl_enable_events(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_disable_events(struct sk_buff *skb, struct genl_info *info);

/* ktr_nl_trace.c */
extern const struct nla_policy ktr_nl_marker_policy[KTR_ATTR_MAX + 1];
extern const struct nla_policy ktr_nl_set_buffer_policy[KTR_ATTR_MAX + 1];
int ktr_nl_start(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_stop(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_reset(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_get_stats(struct sk_buff *skb, struct netlink_callback *cb);
int ktr_nl_write_marker(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_set_buffer(struct sk_buff *skb, struct genl_info *info);

/* ktr_nl_filter.c */
extern const struct nla_policy ktr_nl_task_filter_policy[KTR_ATTR_MAX + 1];
extern const struct nla_policy ktr_nl_event_filter_policy[KTR_ATTR_MAX + 1];
int ktr_nl_set_task_filter(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_set_event_filter(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_get_filters(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_clear_filters(struct sk_buff *skb, struct genl_info *info);

/* ktr_nl_raw.c */
extern const struct nla_policy ktr_nl_raw_policy[KTR_ATTR_MAX + 1];
int ktr_nl_attach_raw(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_detach_raw(struct sk_buff *skb, struct genl_info *info);

/* ktr_nl_probe.c */
extern const struct nla_policy ktr_nl_add_probe_policy[KTR_ATTR_MAX + 1];
extern const struct nla_policy ktr_nl_del_probe_policy[KTR_ATTR_MAX + 1];
int ktr_nl_add_probe(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_del_probe(struct sk_buff *skb, struct genl_info *info);
int ktr_nl_list_probes(struct sk_buff *skb, struct netlink_callback *cb);

/* ktr_nl_tracer.c */
extern const struct nla_policy ktr_nl_set_tracer_policy[KTR_ATTR_MAX + 1];
int ktr_nl_list_tracers(struct sk_buff *skb, struct netlink_callback *cb);
int ktr_nl_set_tracer(struct sk_buff *skb, struct genl_info *info);

/* ktr_nl_latency.c */
int ktr_nl_get_latency(struct sk_buff *skb, struct netlink_callback *cb);
void ktr_nl_latency_init(void);
void ktr_nl_latency_exit(void);
void ktr_nl_tracer_init(void);
void ktr_nl_tracer_exit(void);

/* ktr_nl_selftest.c */
extern const struct nla_policy ktr_nl_selftest_policy[KTR_ATTR_MAX + 1];
int ktr_nl_selftest(struct sk_buff *skb, struct genl_info *info);

#endif /* _KTR_NL_H */
