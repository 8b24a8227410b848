// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl.c - the "ktr" generic netlink family (control plane): the family,
 * its operations table, the permission check and the reply and notice
 * helpers. The commands live in one file per domain (ktr_nl.h).
 *
 * The protocol (commands, attributes, permissions) is documented in
 * uapi/ktr.h. Every operation goes through ktr_nl_pre_doit() (dumps through
 * ktr_nl_dump_start()), which refuses with -EPERM and an extended-ack
 * message unless both the sending task and the opener of the sending socket
 * have ktr_capable() (the read-only commands reveal filters, statistics
 * and the buffer: a socket opened by an unprivileged process and handed to
 * a privileged one must not read them); state-changing ones also need
 * CAP_NET_ADMIN of both (GENL_ADMIN_PERM, checked by the netlink core).
 * Each command has its own policy: strict validation refuses every
 * attribute it does not list.
 *
 * The family is parallel_ops: doit handlers are not serialized by the
 * global genl mutex (KTR_CMD_SELFTEST runs for seconds and must not block
 * every other generic netlink family meanwhile); each domain serializes
 * what it needs itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <net/netlink.h>
#include <net/sock.h>

#include "ktr.h"
#include "ktr_compat.h"
#include "ktr_control.h"
#include "ktr_nl.h"

const struct nla_policy ktr_nl_no_attr_policy[KTR_ATTR_MAX + 1] = {
};

/* The ring buffer's per-field limits, shared by SET_BUFFER and SELFTEST. */
struct netlink_range_validation ktr_nl_subbuf_size_range = {
	.min = KTR_SUBBUF_SIZE_MIN,
	.max = KTR_SUBBUF_SIZE_MAX,
};

struct netlink_range_validation ktr_nl_nr_subbufs_range = {
	.min = KTR_NR_SUBBUFS_MIN,
	.max = KTR_NR_SUBBUFS_MAX,
};

/* Why ktr_nl_refused() refuses a request. */
enum ktr_nl_refusal { KTR_NL_OK, KTR_NL_TASK, KTR_NL_OPENER };

/*
 * May the sender of request @skb use ktr? The task sending it (generic
 * netlink runs doit and dump start synchronously in its sendmsg()
 * context) and the opener of the socket it came through must both be
 * ktr_capable(), as netlink_capable() checks both for GENL_ADMIN_PERM.
 * Unlike netlink_capable(), a destination given in sendto() does not
 * exempt the opener.
 */
static enum ktr_nl_refusal ktr_nl_refused(const struct sk_buff *skb)
{
	const struct sock *sk = NETLINK_CB(skb).sk;
	const struct socket *sock = sk ? READ_ONCE(sk->sk_socket) : NULL;

	if (!ktr_capable())
		return KTR_NL_TASK;
	if (!sock || !ktr_file_capable(sock->file))
		return KTR_NL_OPENER;
	return KTR_NL_OK;
}

static int ktr_nl_pre_doit(const struct ktr_genl_doit_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	switch (ktr_nl_refused(skb)) {
	case KTR_NL_OK:
		return 0;
	case KTR_NL_TASK:
		GENL_SET_ERR_MSG(info,
				 "ktr needs CAP_PERFMON or CAP_SYS_ADMIN");
		break;
	case KTR_NL_OPENER:
		GENL_SET_ERR_MSG(info,
				 "ktr needs CAP_PERFMON or CAP_SYS_ADMIN, also for the process that opened this netlink socket");
		break;
	}
	return -EPERM;
}

/* Index in ktr_nl_mcgrps. */
enum { KTR_NL_MCGRP_NOTICES };

static const struct genl_multicast_group ktr_nl_mcgrps[] = {
	[KTR_NL_MCGRP_NOTICES] = {
		.name	= KTR_GENL_MCGRP_NOTICES,
#ifdef GENL_MCAST_CAP_SYS_ADMIN
		.flags	= GENL_MCAST_CAP_SYS_ADMIN,
#endif
	},
};

/* Puts the attributes of a reply or notice; -EMSGSIZE if they do not fit. */
typedef int (*ktr_nl_fill_t)(struct sk_buff *msg, const void *arg);

/* Put the @n counters of @v as u64 attributes (@pad: the family's pad). */
int ktr_nl_put_u64s(struct sk_buff *msg, const struct ktr_nl_u64 *v,
		    size_t n, int pad)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (nla_put_u64_64bit(msg, v[i].type, v[i].value, pad))
			return -EMSGSIZE;
	return 0;
}

/* Answer @info with a @cmd message that @fill fills. */
int ktr_nl_reply(struct genl_info *info, u8 cmd, ktr_nl_fill_t fill,
		 const void *arg)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ktr_nl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/*
 * Tell the "notices" group about a state change: a @cmd message that @fill
 * fills. Best effort: a notice that cannot be built is not sent (listeners
 * re-read the state when they miss one, see uapi/ktr.h).
 */
void ktr_nl_notify(u8 cmd, ktr_nl_fill_t fill, const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ktr_nl_family, &init_net,
				KTR_NL_MCGRP_NOTICES))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ktr_nl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&ktr_nl_family, msg, 0, KTR_NL_MCGRP_NOTICES,
			  GFP_KERNEL);
}

/* Dumps do not go through pre_doit: the capability check is here. */
int ktr_nl_dump_start(struct netlink_callback *cb)
{
	switch (ktr_nl_refused(cb->skb)) {
	case KTR_NL_OK:
		return 0;
	case KTR_NL_TASK:
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "controlling ktr needs CAP_PERFMON or CAP_SYS_ADMIN");
		break;
	case KTR_NL_OPENER:
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "controlling ktr needs CAP_PERFMON or CAP_SYS_ADMIN, also for the process that opened this netlink socket");
		break;
	}
	return -EPERM;
}

/**
 * ktr_nl_dump_one - add one object's message to a dump
 * @d: the dump.
 * @obj: what @d->fill puts.
 *
 * Return: 0, or -EMSGSIZE when the message does not fit what is left of
 * the reply (then nothing of it stays there: the object goes in the next
 * one).
 */
int ktr_nl_dump_one(struct ktr_nl_dump *d, const void *obj)
{
	void *hdr = genlmsg_put(d->skb, NETLINK_CB(d->cb->skb).portid,
				d->cb->nlh->nlmsg_seq, &ktr_nl_family,
				NLM_F_MULTI, d->cmd);

	if (!hdr)
		return -EMSGSIZE;
	if (d->fill(d->skb, obj)) {
		genlmsg_cancel(d->skb, hdr);
		return -EMSGSIZE;
	}
	genlmsg_end(d->skb, hdr);
	return 0;
}

/**
 * ktr_nl_dump_done - what a dumpit returns after its walk
 * @d: the dump.
 * @pos: where the walk stopped (the position to resume from).
 * @ret: what the walk returned: 0 when it is over, -EMSGSIZE when the
 *	reply filled up.
 *
 * Return: the reply's length (a full reply: netlink calls again and the
 * walk resumes at @pos; an empty one ends the dump), or @ret when not even
 * the first object fitted an empty reply: an error, not a silent end.
 */
int ktr_nl_dump_done(struct ktr_nl_dump *d, unsigned long pos, int ret)
{
	if (ret && pos == d->cb->args[0])
		return ret;
	d->cb->args[0] = pos;
	return d->skb->len;
}

#define KTR_NL_DO(c, fn, pol, fl) {					\
	.cmd = (c), .doit = (fn), .policy = (pol),			\
	.maxattr = KTR_ATTR_MAX, .flags = (fl) }
#define KTR_NL_DUMP(c, fn) {						\
	.cmd = (c), .start = ktr_nl_dump_start, .dumpit = (fn),		\
	.policy = ktr_nl_no_attr_policy, .maxattr = KTR_ATTR_MAX }

/*
 * Every command with its policy. GENL_ADMIN_PERM: the command changes
 * state (or, SELFTEST, owns every CPU for a while).
 */
static const struct genl_ops ktr_nl_ops[] = {
	KTR_NL_DO(KTR_CMD_GET_INFO, ktr_nl_get_info, ktr_nl_no_attr_policy, 0),
	KTR_NL_DO(KTR_CMD_SELFTEST, ktr_nl_selftest, ktr_nl_selftest_policy,
		  GENL_ADMIN_PERM),
	KTR_NL_DUMP(KTR_CMD_LIST_EVENTS, ktr_nl_list_events),
	KTR_NL_DO(KTR_CMD_ENABLE_EVENTS, ktr_nl_enable_events,
		  ktr_nl_events_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_DISABLE_EVENTS, ktr_nl_disable_events,
		  ktr_nl_events_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_START, ktr_nl_start, ktr_nl_no_attr_policy,
		  GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_STOP, ktr_nl_stop, ktr_nl_no_attr_policy,
		  GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_RESET, ktr_nl_reset, ktr_nl_no_attr_policy,
		  GENL_ADMIN_PERM),
	KTR_NL_DUMP(KTR_CMD_GET_STATS, ktr_nl_get_stats),
	KTR_NL_DO(KTR_CMD_WRITE_MARKER, ktr_nl_write_marker,
		  ktr_nl_marker_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_SET_BUFFER, ktr_nl_set_buffer,
		  ktr_nl_set_buffer_policy, GENL_ADMIN_PERM),
	KTR_NL_DUMP(KTR_CMD_LIST_TRACERS, ktr_nl_list_tracers),
	KTR_NL_DO(KTR_CMD_SET_TRACER, ktr_nl_set_tracer,
		  ktr_nl_set_tracer_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_ADD_PROBE, ktr_nl_add_probe,
		  ktr_nl_add_probe_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_DEL_PROBE, ktr_nl_del_probe,
		  ktr_nl_del_probe_policy, GENL_ADMIN_PERM),
	KTR_NL_DUMP(KTR_CMD_LIST_PROBES, ktr_nl_list_probes),
	KTR_NL_DO(KTR_CMD_ATTACH_RAW, ktr_nl_attach_raw, ktr_nl_raw_policy,
		  GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_DETACH_RAW, ktr_nl_detach_raw, ktr_nl_raw_policy,
		  GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_SET_TASK_FILTER, ktr_nl_set_task_filter,
		  ktr_nl_task_filter_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_SET_EVENT_FILTER, ktr_nl_set_event_filter,
		  ktr_nl_event_filter_policy, GENL_ADMIN_PERM),
	KTR_NL_DO(KTR_CMD_GET_FILTERS, ktr_nl_get_filters,
		  ktr_nl_no_attr_policy, 0),
	KTR_NL_DO(KTR_CMD_CLEAR_FILTERS, ktr_nl_clear_filters,
		  ktr_nl_no_attr_policy, GENL_ADMIN_PERM),
	KTR_NL_DUMP(KTR_CMD_GET_LATENCY, ktr_nl_get_latency),
};

struct genl_family ktr_nl_family __ro_after_init = {
	.name		= KTR_GENL_NAME,
	.version	= KTR_GENL_VERSION,
	.maxattr	= KTR_ATTR_MAX,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.pre_doit	= ktr_nl_pre_doit,
	.ops		= ktr_nl_ops,
	.n_ops		= ARRAY_SIZE(ktr_nl_ops),
	.mcgrps		= ktr_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ktr_nl_mcgrps),
	.resv_start_op	= KTR_CMD_GET_INFO + 1,
};

int ktr_nl_init(void)
{
	int ret;

	/* The notice hooks first: no change goes unannounced once requests come. */
	ktr_nl_latency_init();
	ktr_nl_tracer_init();
	ret = genl_register_family(&ktr_nl_family);
	if (ret) {
		pr_err("cannot register generic netlink family %s: %d\n",
		       KTR_GENL_NAME, ret);
		ktr_nl_tracer_exit();
		ktr_nl_latency_exit();
		return ret;
	}
#ifndef GENL_MCAST_CAP_SYS_ADMIN
	/* Built against headers without it: say so where the admin looks. */
	pr_warn("this kernel lets any user subscribe to the \"%s\" group (no GENL_MCAST_CAP_SYS_ADMIN): notices show event globs and buffer changes\n",
		KTR_GENL_MCGRP_NOTICES);
#endif
	return 0;
}

void ktr_nl_exit(void)
{
	ktr_nl_tracer_exit();
	ktr_nl_latency_exit();
	genl_unregister_family(&ktr_nl_family);
}
