// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_genl.c - the "ktr" generic netlink family (control plane).
 *
 * The protocol (commands, attributes, permissions) is documented in
 * uapi/ktr.h. Every operation goes through ktr_nl_pre_doit(), which refuses
 * callers without ktr_capable() with -EPERM and an extended-ack message.
 *
 * The family is parallel_ops: doit handlers are not serialized by the
 * global genl mutex (KTR_CMD_SELFTEST runs for seconds and must not block
 * every other generic netlink family meanwhile); each handler serializes
 * what it needs itself.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "ktr.h"
#include "ktr_ringbuf.h"
#include "ktr_compat.h"
#include "ktr_genl_raw.h"
#include "ktr_internal.h"
#include "probes/ktr_events.h"
#include "probes/ktr_filter.h"
#include "ringbuf/ktr_rb.h"
#include "ringbuf/ktr_rb_selftest.h"

static struct netlink_range_validation ktr_nl_subbuf_size_range = {
	.min = KTR_SUBBUF_SIZE_MIN,
	.max = KTR_SUBBUF_SIZE_MAX,
};

static struct netlink_range_validation ktr_nl_nr_subbufs_range = {
	.min = KTR_NR_SUBBUFS_MIN,
	.max = KTR_NR_SUBBUFS_MAX,
};

static struct netlink_range_validation ktr_nl_duration_range = {
	.min = KTR_SELFTEST_DURATION_MS_MIN,
	.max = KTR_SELFTEST_DURATION_MS_MAX,
};

/* Inside KTR_ATTR_BUFFER (KTR_CMD_SET_BUFFER). */
static const struct nla_policy ktr_nl_buffer_policy[KTR_BUFFER_MAX + 1] = {
	[KTR_BUFFER_SUBBUF_SIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_subbuf_size_range),
	[KTR_BUFFER_NR_SUBBUFS]		=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_nr_subbufs_range),
	[KTR_BUFFER_MODE]		=
		NLA_POLICY_MAX(NLA_U32, KTR_RB_MODE_OVERWRITE),
};

/*
 * Attributes accepted in requests. GET_INFO takes none; SELFTEST takes the
 * four KTR_ATTR_SELFTEST_{MODE,SUBBUF_SIZE,NR_SUBBUFS,DURATION_MS};
 * ENABLE/DISABLE_EVENTS KTR_ATTR_EVENT_GLOB; WRITE_MARKER
 * KTR_ATTR_MARKER_TEXT; SET_BUFFER KTR_ATTR_BUFFER. The
 * reply-only attributes are listed so strict validation rejects them as
 * input with a precise message rather than an "unknown attribute" one.
 */
static const struct nla_policy ktr_nl_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_ABI_MAJOR]		= { .type = NLA_REJECT },
	[KTR_ATTR_ABI_MINOR]		= { .type = NLA_REJECT },
	[KTR_ATTR_MODULE_VERSION]	= { .type = NLA_REJECT },
	[KTR_ATTR_CPUS_POSSIBLE]	= { .type = NLA_REJECT },
	[KTR_ATTR_CPUS_ONLINE]		= { .type = NLA_REJECT },
	[KTR_ATTR_SUBBUF_SIZE]		= { .type = NLA_REJECT },
	[KTR_ATTR_NR_SUBBUFS]		= { .type = NLA_REJECT },
	[KTR_ATTR_KERNEL_RELEASE]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_MODE]	=
		NLA_POLICY_MAX(NLA_U32, KTR_RB_MODE_OVERWRITE),
	[KTR_ATTR_SELFTEST_SUBBUF_SIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_subbuf_size_range),
	[KTR_ATTR_SELFTEST_NR_SUBBUFS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_nr_subbufs_range),
	[KTR_ATTR_SELFTEST_DURATION_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_duration_range),
	[KTR_ATTR_SELFTEST_CPUS]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_ELAPSED_MS]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_WRITTEN]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_READ]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_BYTES]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_LOST_FULL]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_LOST_OVERWRITTEN] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_LOST_NESTING] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_LOST_DISABLED] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_LOST_REPORTED] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_BUFFERED]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_SUBBUFS_READ] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_NESTED]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_FLUSHES]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_LONG_EVENTS]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_TIME_RECORDS] = { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_ERRORS]	= { .type = NLA_REJECT },
	[KTR_ATTR_SELFTEST_ERROR]	= { .type = NLA_REJECT },
	[KTR_ATTR_BUFFER_MODE]		= { .type = NLA_REJECT },
	[KTR_ATTR_CLOCK_LOCAL_NS]	= { .type = NLA_REJECT },
	[KTR_ATTR_CLOCK_MONO_NS]	= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_ID]		= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_SYSTEM]		= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_NAME]		= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_AVAILABLE]	= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_ENABLED]	= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_FIELDS]		= { .type = NLA_REJECT },
	[KTR_ATTR_FIELD]		= { .type = NLA_REJECT },
	[KTR_ATTR_FIELD_NAME]		= { .type = NLA_REJECT },
	[KTR_ATTR_FIELD_TYPE]		= { .type = NLA_REJECT },
	[KTR_ATTR_FIELD_OFFSET]		= { .type = NLA_REJECT },
	[KTR_ATTR_FIELD_SIZE]		= { .type = NLA_REJECT },
	[KTR_ATTR_FIELD_SIGNED]		= { .type = NLA_REJECT },
	[KTR_ATTR_EVENT_GLOB]		= { .type = NLA_NUL_STRING,
					    .len = KTR_EVENT_GLOB_MAX - 1 },
	[KTR_ATTR_EVENT_COUNT]		= { .type = NLA_REJECT },
	[KTR_ATTR_TRACING_ON]		= { .type = NLA_REJECT },
	[KTR_ATTR_CPU]			= { .type = NLA_REJECT },
	[KTR_ATTR_CPU_ONLINE]		= { .type = NLA_REJECT },
	[KTR_ATTR_STATS]		= { .type = NLA_REJECT },
	[KTR_ATTR_MARKER_TEXT]		= { .type = NLA_BINARY,
					    .len = KTR_MARKER_MAX },
	[KTR_ATTR_BUFFER]		=
		NLA_POLICY_NESTED(ktr_nl_buffer_policy),
	[KTR_ATTR_RAW_TRACEPOINT]	= { .type = NLA_NUL_STRING,
					    .len = KTR_EVENT_NAME_MAX - 1 },
	[KTR_ATTR_RAW_NARGS]		= NLA_POLICY_MAX(NLA_U32,
							 KTR_RAW_NARGS_MAX),
};

static struct genl_family ktr_genl_family;

static int ktr_nl_pre_doit(const struct ktr_genl_doit_ops *ops,
			   struct sk_buff *skb, struct genl_info *info)
{
	/*
	 * The check is made against the task sending the request; generic
	 * netlink runs doit synchronously in its sendmsg() context.
	 */
	if (!ktr_capable()) {
		GENL_SET_ERR_MSG(info,
				 "ktr needs CAP_PERFMON or CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

static int ktr_nl_put_info(struct sk_buff *msg)
{
	struct ktr_trace_state st;

	ktr_trace_get_state(&st);
	if (nla_put_u32(msg, KTR_ATTR_ABI_MAJOR, KTR_ABI_MAJOR) ||
	    nla_put_u32(msg, KTR_ATTR_ABI_MINOR, KTR_ABI_MINOR) ||
	    nla_put_string(msg, KTR_ATTR_MODULE_VERSION, KTR_MODULE_VERSION) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_POSSIBLE, num_possible_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_ONLINE, num_online_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_SUBBUF_SIZE, st.geo.subbuf_size) ||
	    nla_put_u32(msg, KTR_ATTR_NR_SUBBUFS, st.geo.nr_subbufs) ||
	    nla_put_string(msg, KTR_ATTR_KERNEL_RELEASE, utsname()->release) ||
	    nla_put_u32(msg, KTR_ATTR_BUFFER_MODE, st.geo.mode) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_CLOCK_LOCAL_NS, st.clock_local,
			      KTR_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_CLOCK_MONO_NS, st.clock_mono,
			      KTR_ATTR_PAD) ||
	    nla_put_u8(msg, KTR_ATTR_TRACING_ON, st.on))
		return -EMSGSIZE;
	return 0;
}

static int ktr_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &ktr_genl_family, 0,
				KTR_CMD_GET_INFO);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}

	ret = ktr_nl_put_info(msg);
	if (ret)
		goto err_free;

	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

/* The value of u32 attribute @type, or @def when the request lacks it. */
static u32 ktr_nl_u32(struct genl_info *info, int type, u32 def)
{
	return info->attrs[type] ? nla_get_u32(info->attrs[type]) : def;
}

/*
 * What the policy cannot say: powers of two, and a size bound on the whole
 * buffer. Each message names the attribute it is about.
 */
static int ktr_nl_selftest_cfg(struct genl_info *info,
			       struct ktr_selftest_cfg *cfg)
{
	struct nlattr **tb = info->attrs;

	cfg->mode = ktr_nl_u32(info, KTR_ATTR_SELFTEST_MODE,
			       KTR_RB_MODE_DISCARD);
	cfg->subbuf_size = ktr_nl_u32(info, KTR_ATTR_SELFTEST_SUBBUF_SIZE,
				      ktr_default_geometry.subbuf_size);
	cfg->nr_subbufs = ktr_nl_u32(info, KTR_ATTR_SELFTEST_NR_SUBBUFS,
				     ktr_default_geometry.nr_subbufs);
	cfg->duration_ms = ktr_nl_u32(info, KTR_ATTR_SELFTEST_DURATION_MS,
				      KTR_SELFTEST_DURATION_MS_DEFAULT);

	if (!is_power_of_2(cfg->subbuf_size)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_ATTR_SELFTEST_SUBBUF_SIZE],
				    "KTR_ATTR_SELFTEST_SUBBUF_SIZE must be a power of two");
		return -EINVAL;
	}
	if (!is_power_of_2(cfg->nr_subbufs)) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_ATTR_SELFTEST_NR_SUBBUFS],
				    "KTR_ATTR_SELFTEST_NR_SUBBUFS must be a power of two");
		return -EINVAL;
	}
	if ((u64)cfg->subbuf_size * (cfg->nr_subbufs + 1) >
	    KTR_SELFTEST_BYTES_PER_CPU_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_ATTR_SELFTEST_NR_SUBBUFS] ?:
				    tb[KTR_ATTR_SELFTEST_SUBBUF_SIZE],
				    "KTR_ATTR_SELFTEST_SUBBUF_SIZE x (KTR_ATTR_SELFTEST_NR_SUBBUFS + 1) exceeds 64 MiB per CPU");
		return -EINVAL;
	}
	return 0;
}

static int ktr_nl_put_selftest(struct sk_buff *msg,
			       const struct ktr_selftest_cfg *cfg,
			       const struct ktr_selftest_result *r)
{
	const struct {
		int type;
		u64 value;
	} counters[] = {
		{ KTR_ATTR_SELFTEST_WRITTEN, r->written },
		{ KTR_ATTR_SELFTEST_READ, r->read },
		{ KTR_ATTR_SELFTEST_BYTES, r->bytes },
		{ KTR_ATTR_SELFTEST_LOST_FULL, r->lost_full },
		{ KTR_ATTR_SELFTEST_LOST_OVERWRITTEN, r->lost_overwritten },
		{ KTR_ATTR_SELFTEST_LOST_NESTING, r->lost_nesting },
		{ KTR_ATTR_SELFTEST_LOST_DISABLED, r->lost_disabled },
		{ KTR_ATTR_SELFTEST_LOST_REPORTED, r->lost_reported },
		{ KTR_ATTR_SELFTEST_BUFFERED, r->buffered },
		{ KTR_ATTR_SELFTEST_SUBBUFS_READ, r->subbufs_read },
		{ KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN, r->subbufs_overwritten },
		{ KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN, r->hardirq_written },
		{ KTR_ATTR_SELFTEST_NESTED, r->nested },
		{ KTR_ATTR_SELFTEST_FLUSHES, r->flushes },
		{ KTR_ATTR_SELFTEST_LONG_EVENTS, r->long_events },
		{ KTR_ATTR_SELFTEST_TIME_RECORDS, r->time_records },
		{ KTR_ATTR_SELFTEST_ERRORS, r->errors },
	};
	size_t i;

	if (nla_put_u32(msg, KTR_ATTR_SELFTEST_MODE, cfg->mode) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_SUBBUF_SIZE, cfg->subbuf_size) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_NR_SUBBUFS, cfg->nr_subbufs) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_DURATION_MS, cfg->duration_ms) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_CPUS, r->cpus) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_ELAPSED_MS, r->elapsed_ms))
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counters); i++) {
		if (nla_put_u64_64bit(msg, counters[i].type, counters[i].value,
				      KTR_ATTR_PAD))
			return -EMSGSIZE;
	}
	if (r->errors && nla_put_string(msg, KTR_ATTR_SELFTEST_ERROR, r->error))
		return -EMSGSIZE;
	return 0;
}

static int ktr_nl_selftest(struct sk_buff *skb, struct genl_info *info)
{
	struct ktr_selftest_result *res;
	struct ktr_selftest_cfg cfg;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = ktr_nl_selftest_cfg(info, &cfg);
	if (ret)
		return ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	ret = ktr_selftest_run(&cfg, res);
	if (ret) {
		if (ret == -EBUSY)
			GENL_SET_ERR_MSG(info, "a ring buffer self-test is already running");
		else if (ret == -ENOMEM)
			GENL_SET_ERR_MSG(info, "not enough memory for the self-test buffer");
		goto out;
	}

	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &ktr_genl_family, 0,
				KTR_CMD_SELFTEST);
	ret = hdr ? ktr_nl_put_selftest(msg, &cfg, res) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		goto out;
	}
	genlmsg_end(msg, hdr);
	ret = genlmsg_reply(msg, info);
out:
	kfree(res);
	return ret;
}

/* --- replies and notices ------------------------------------------------ */

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

/* Answer @info with a @cmd message that @fill fills. */
static int ktr_nl_reply(struct genl_info *info, u8 cmd, ktr_nl_fill_t fill,
			const void *arg)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ktr_genl_family, 0, cmd);
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
static void ktr_nl_notify(u8 cmd, ktr_nl_fill_t fill, const void *arg)
{
	struct sk_buff *msg;
	void *hdr;

	if (!genl_has_listeners(&ktr_genl_family, &init_net,
				KTR_NL_MCGRP_NOTICES))
		return;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &ktr_genl_family, 0, cmd);
	if (!hdr || fill(msg, arg)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&ktr_genl_family, msg, 0, KTR_NL_MCGRP_NOTICES,
			  GFP_KERNEL);
}

struct ktr_nl_events_change {
	const char *glob;
	u32 count;
};

static int ktr_nl_fill_events(struct sk_buff *msg, const void *arg)
{
	const struct ktr_nl_events_change *c = arg;

	if (c->glob && nla_put_string(msg, KTR_ATTR_EVENT_GLOB, c->glob))
		return -EMSGSIZE;
	return nla_put_u32(msg, KTR_ATTR_EVENT_COUNT, c->count);
}

/* --- events (ABI minor 3) ------------------------------------------------ */

static int ktr_nl_put_field(struct sk_buff *msg, const struct ktr_field_desc *f)
{
	struct nlattr *nest = nla_nest_start(msg, KTR_ATTR_FIELD);

	if (!nest ||
	    nla_put_string(msg, KTR_ATTR_FIELD_NAME, f->name) ||
	    nla_put_u32(msg, KTR_ATTR_FIELD_TYPE, f->type) ||
	    nla_put_u32(msg, KTR_ATTR_FIELD_OFFSET, f->offset) ||
	    nla_put_u32(msg, KTR_ATTR_FIELD_SIZE, f->size) ||
	    nla_put_u8(msg, KTR_ATTR_FIELD_SIGNED, f->is_signed))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int ktr_nl_put_event(struct sk_buff *msg,
			    const struct ktr_event_type *ev)
{
	struct nlattr *fields;
	unsigned int i;

	if (nla_put_u32(msg, KTR_ATTR_EVENT_ID, ev->id) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_SYSTEM, ev->system) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_NAME, ev->name) ||
	    nla_put_u8(msg, KTR_ATTR_EVENT_AVAILABLE,
		       ktr_event_available(ev)) ||
	    nla_put_u8(msg, KTR_ATTR_EVENT_ENABLED, READ_ONCE(ev->enabled)))
		return -EMSGSIZE;
	fields = nla_nest_start(msg, KTR_ATTR_EVENT_FIELDS);
	if (!fields)
		return -EMSGSIZE;
	for (i = 0; i < ktr_nr_common_fields; i++)
		if (ktr_nl_put_field(msg, &ktr_common_fields[i]))
			return -EMSGSIZE;
	for (i = 0; i < ev->nr_fields; i++)
		if (ktr_nl_put_field(msg, &ev->fields[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, fields);
	return 0;
}

/* Dumps do not go through pre_doit: the capability check is here. */
static int ktr_nl_dump_start(struct netlink_callback *cb)
{
	if (!ktr_capable()) {
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "controlling ktr needs CAP_PERFMON or CAP_SYS_ADMIN");
		return -EPERM;
	}
	return 0;
}

static int ktr_nl_list_events(struct sk_buff *skb, struct netlink_callback *cb)
{
	const struct ktr_event_type *ev;
	unsigned long idx;
	void *hdr;

	mutex_lock(&ktr_events_lock);	/* raw events come and go */
	for (idx = cb->args[0]; (ev = ktr_event_get(idx)); idx++) {
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ktr_genl_family,
				  NLM_F_MULTI, KTR_CMD_LIST_EVENTS);
		if (!hdr)
			break;
		if (ktr_nl_put_event(skb, ev)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	mutex_unlock(&ktr_events_lock);
	if (idx == cb->args[0] && ev)
		return -EMSGSIZE;	/* one event does not fit a message */
	cb->args[0] = idx;
	return skb->len;
}

static int ktr_nl_set_events(struct genl_info *info, bool enable)
{
	u8 cmd = enable ? KTR_CMD_ENABLE_EVENTS : KTR_CMD_DISABLE_EVENTS;
	struct ktr_nl_events_change c;
	int n;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_EVENT_GLOB)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_EVENT_GLOB is required");
		return -EINVAL;
	}
	c.glob = nla_data(info->attrs[KTR_ATTR_EVENT_GLOB]);
	n = ktr_events_set(c.glob, enable, info->extack);
	if (n < 0)
		return n;
	c.count = n;
	ktr_nl_notify(cmd, ktr_nl_fill_events, &c);
	c.glob = NULL;	/* the reply carries the count only */
	return ktr_nl_reply(info, cmd, ktr_nl_fill_events, &c);
}

static int ktr_nl_enable_events(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_events(info, true);
}

static int ktr_nl_disable_events(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_events(info, false);
}

/* --- control of tracing (ABI minor 4) ----------------------------------- */

static int ktr_nl_fill_on(struct sk_buff *msg, const void *arg)
{
	return nla_put_u8(msg, KTR_ATTR_TRACING_ON, *(const bool *)arg);
}

static int ktr_nl_set_on(struct genl_info *info, bool on)
{
	u8 cmd = on ? KTR_CMD_START : KTR_CMD_STOP;

	if (ktr_trace_set_on(on))
		ktr_nl_notify(cmd, ktr_nl_fill_on, &on);
	return ktr_nl_reply(info, cmd, ktr_nl_fill_on, &on);
}

static int ktr_nl_start(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_on(info, true);
}

static int ktr_nl_stop(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_on(info, false);
}

static int ktr_nl_reset(struct sk_buff *skb, struct genl_info *info)
{
	bool on = true;
	int ret;

	ret = ktr_trace_reset(info->extack);
	if (ret)
		return ret;
	ktr_nl_notify(KTR_CMD_RESET, ktr_nl_fill_on, &on);
	return ktr_nl_reply(info, KTR_CMD_RESET, ktr_nl_fill_on, &on);
}

static int ktr_nl_put_stats(struct sk_buff *msg, unsigned int cpu,
			    const struct ktr_rb_cpu_stats *c)
{
	const struct {
		int type;
		u64 value;
	} counters[] = {
		{ KTR_STATS_WRITTEN, c->written },
		{ KTR_STATS_BYTES, c->bytes },
		{ KTR_STATS_READ, c->read },
		{ KTR_STATS_BUFFERED, c->buffered },
		{ KTR_STATS_LOST_FULL, c->lost_full },
		{ KTR_STATS_LOST_OVERWRITTEN, c->lost_overwritten },
		{ KTR_STATS_LOST_NESTING, c->lost_nesting },
		{ KTR_STATS_LOST_DISABLED, c->lost_disabled },
		{ KTR_STATS_DISCARDED, c->discarded },
		{ KTR_STATS_SUBBUFS_WRITTEN, c->subbufs_written },
		{ KTR_STATS_SUBBUFS_READ, c->subbufs_read },
		{ KTR_STATS_SUBBUFS_OVERWRITTEN, c->subbufs_overwritten },
	};
	struct nlattr *nest;
	size_t i;

	if (nla_put_u32(msg, KTR_ATTR_CPU, cpu) ||
	    nla_put_u8(msg, KTR_ATTR_CPU_ONLINE, cpu_online(cpu)))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, KTR_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < ARRAY_SIZE(counters); i++)
		if (nla_put_u64_64bit(msg, counters[i].type, counters[i].value,
				      KTR_STATS_PAD))
			return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int ktr_nl_get_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktr_rb_cpu_stats c;
	unsigned int cpu;
	void *hdr;
	int ret;

	for (cpu = cb->args[0]; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		rcu_read_lock();	/* the buffer may be replaced */
		ret = ktr_rb_get_stats(ktr_trace_rb(), cpu, &c);
		rcu_read_unlock();
		if (ret)
			continue;
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
				  cb->nlh->nlmsg_seq, &ktr_genl_family,
				  NLM_F_MULTI, KTR_CMD_GET_STATS);
		if (!hdr)
			break;
		if (ktr_nl_put_stats(skb, cpu, &c)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
	}
	cb->args[0] = cpu;
	return skb->len;
}

static int ktr_nl_fill_cpu(struct sk_buff *msg, const void *arg)
{
	return nla_put_u32(msg, KTR_ATTR_CPU, *(const unsigned int *)arg);
}

static int ktr_nl_write_marker(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *text;
	unsigned int cpu;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_MARKER_TEXT)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_MARKER_TEXT is required");
		return -EINVAL;
	}
	text = info->attrs[KTR_ATTR_MARKER_TEXT];
	if (!nla_len(text)) {
		NL_SET_ERR_MSG_ATTR(info->extack, text,
				    "KTR_ATTR_MARKER_TEXT is empty: a marker has 1..KTR_MARKER_MAX bytes");
		return -EINVAL;
	}
	ret = ktr_trace_write_marker(nla_data(text), nla_len(text), &cpu);
	switch (ret) {
	case 0:
		return ktr_nl_reply(info, KTR_CMD_WRITE_MARKER,
				    ktr_nl_fill_cpu, &cpu);
	case -ENOSPC:
		GENL_SET_ERR_MSG(info,
				 "this CPU's trace buffer is full (discard mode): marker dropped");
		break;
	case -ENODEV:
		GENL_SET_ERR_MSG(info, "tracing is stopped (ktr start): marker dropped");
		break;
	case -ELOOP:
		GENL_SET_ERR_MSG(info, "writers nested too deeply on this CPU: marker dropped");
		break;
	case -ENOMEM:
		GENL_SET_ERR_MSG(info, "not enough memory for the marker");
		break;
	}
	return ret;
}

static int ktr_nl_fill_buffer(struct sk_buff *msg, const void *arg)
{
	const struct ktr_geometry *geo = arg;
	struct nlattr *nest = nla_nest_start(msg, KTR_ATTR_BUFFER);

	if (!nest ||
	    nla_put_u32(msg, KTR_BUFFER_SUBBUF_SIZE, geo->subbuf_size) ||
	    nla_put_u32(msg, KTR_BUFFER_NR_SUBBUFS, geo->nr_subbufs) ||
	    nla_put_u32(msg, KTR_BUFFER_MODE, geo->mode))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/*
 * The geometry SET_BUFFER asks for: absent values from the buffer as it
 * is; what the policy cannot check, checked here with a message.
 */
static int ktr_nl_buffer_cfg(struct genl_info *info, struct ktr_geometry *geo)
{
	struct nlattr *nest = info->attrs[KTR_ATTR_BUFFER];
	struct nlattr *tb[KTR_BUFFER_MAX + 1];
	struct ktr_trace_state st;
	int ret;

	ret = nla_parse_nested(tb, KTR_BUFFER_MAX, nest, ktr_nl_buffer_policy,
			       info->extack);
	if (ret)
		return ret;
	if (!tb[KTR_BUFFER_SUBBUF_SIZE] && !tb[KTR_BUFFER_NR_SUBBUFS] &&
	    !tb[KTR_BUFFER_MODE]) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "KTR_ATTR_BUFFER needs KTR_BUFFER_SUBBUF_SIZE, KTR_BUFFER_NR_SUBBUFS or KTR_BUFFER_MODE");
		return -EINVAL;
	}
	ktr_trace_get_state(&st);
	*geo = st.geo;
	if (tb[KTR_BUFFER_SUBBUF_SIZE])
		geo->subbuf_size = nla_get_u32(tb[KTR_BUFFER_SUBBUF_SIZE]);
	if (tb[KTR_BUFFER_NR_SUBBUFS])
		geo->nr_subbufs = nla_get_u32(tb[KTR_BUFFER_NR_SUBBUFS]);
	if (tb[KTR_BUFFER_MODE])
		geo->mode = nla_get_u32(tb[KTR_BUFFER_MODE]);

	if (!is_power_of_2(geo->subbuf_size)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTR_BUFFER_SUBBUF_SIZE],
				    "KTR_BUFFER_SUBBUF_SIZE must be a power of two");
		return -EINVAL;
	}
	if (!is_power_of_2(geo->nr_subbufs)) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTR_BUFFER_NR_SUBBUFS],
				    "KTR_BUFFER_NR_SUBBUFS must be a power of two");
		return -EINVAL;
	}
	if ((u64)geo->subbuf_size * (geo->nr_subbufs + 1) >
	    KTR_BUFFER_BYTES_PER_CPU_MAX) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_BUFFER_NR_SUBBUFS] ?:
				    tb[KTR_BUFFER_SUBBUF_SIZE],
				    "KTR_BUFFER_SUBBUF_SIZE x (KTR_BUFFER_NR_SUBBUFS + 1) exceeds 256 MiB per CPU");
		return -EINVAL;
	}
	return 0;
}

/*
 * SET_BUFFER requests one at a time: the values a request leaves out are
 * those of the buffer as the previous request left it.
 */
static DEFINE_MUTEX(ktr_nl_buffer_lock);

static int ktr_nl_set_buffer(struct sk_buff *skb, struct genl_info *info)
{
	struct ktr_geometry geo;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_BUFFER)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_BUFFER is required");
		return -EINVAL;
	}
	mutex_lock(&ktr_nl_buffer_lock);
	ret = ktr_nl_buffer_cfg(info, &geo);
	if (!ret)
		ret = ktr_trace_reconfigure(&geo, info->extack);
	mutex_unlock(&ktr_nl_buffer_lock);
	if (ret)
		return ret;
	ktr_nl_notify(KTR_CMD_SET_BUFFER, ktr_nl_fill_buffer, &geo);
	return ktr_nl_reply(info, KTR_CMD_SET_BUFFER, ktr_nl_fill_buffer, &geo);
}

/* Tracer and probe commands: numbers reserved, not implemented yet. */
static int ktr_nl_reserved(struct sk_buff *skb, struct genl_info *info)
{
	GENL_SET_ERR_MSG(info,
			 "command reserved for ktr tracers/probes, not implemented by this module");
	return -EOPNOTSUPP;
}

/* Dumps need .start (a capability check): full genl_ops entries. */
/*
 * The filter commands have policies of their own (KTR_ATTR_EVENT_NAME is an
 * input there); strict validation refuses every attribute a command's
 * policy does not list.
 */
static const struct nla_policy ktr_nl_task_filter_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_FILTER_PIDS]		= { .type = NLA_BINARY,
					    .len = KTR_FILTER_PIDS_MAX *
						   sizeof(s32) },
	[KTR_ATTR_FILTER_FOLLOW]	= NLA_POLICY_MAX(NLA_U8, 1),
	[KTR_ATTR_FILTER_COMMS]		= { .type = NLA_BINARY,
					    .len = KTR_FILTER_COMMS_MAX *
						   KTR_COMM_LEN },
	[KTR_ATTR_FILTER_CPUS]		= { .type = NLA_BINARY,
					    .len = KTR_FILTER_CPUS_MAX / 8 },
};

static const struct nla_policy ktr_nl_event_filter_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_EVENT_NAME]		= { .type = NLA_NUL_STRING,
					    .len = KTR_EVENT_GLOB_MAX - 1 },
	[KTR_ATTR_FILTER_PROG]		= { .type = NLA_BINARY,
					    .len = KTR_FILTER_INSNS_MAX *
						sizeof(struct ktr_filter_insn) },
	[KTR_ATTR_FILTER_STRINGS]	= { .type = NLA_BINARY,
					    .len = KTR_FILTER_STRINGS_MAX },
	[KTR_ATTR_FILTER_TEXT]		= { .type = NLA_NUL_STRING,
					    .len = KTR_FILTER_TEXT_MAX - 1 },
	[KTR_ATTR_EVENT_STACK]		= NLA_POLICY_MAX(NLA_U8, 1),
};

/* GET_FILTERS and CLEAR_FILTERS take no attribute. */
static const struct nla_policy ktr_nl_no_attr_policy[KTR_ATTR_MAX + 1] = {
};

#define KTR_FILTERS_REPLY_SIZE	(4096 + __KTR_EVENT_ID_MAX *		\
				 (KTR_FILTER_TEXT_MAX + 2 * KTR_EVENT_NAME_MAX))

static int ktr_nl_set_task_filter(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct ktr_task_filter_req req = { .follow = -1 };

	if (a[KTR_ATTR_FILTER_PIDS]) {
		if (nla_len(a[KTR_ATTR_FILTER_PIDS]) % sizeof(s32)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[KTR_ATTR_FILTER_PIDS],
					    "process ids are 32-bit integers");
			return -EINVAL;
		}
		req.set_pids = true;
		req.pids = nla_data(a[KTR_ATTR_FILTER_PIDS]);
		req.nr_pids = nla_len(a[KTR_ATTR_FILTER_PIDS]) / sizeof(s32);
	}
	if (a[KTR_ATTR_FILTER_FOLLOW])
		req.follow = nla_get_u8(a[KTR_ATTR_FILTER_FOLLOW]);
	if (a[KTR_ATTR_FILTER_COMMS]) {
		req.set_comms = true;
		req.comms = nla_data(a[KTR_ATTR_FILTER_COMMS]);
		req.comms_len = nla_len(a[KTR_ATTR_FILTER_COMMS]);
	}
	if (a[KTR_ATTR_FILTER_CPUS]) {
		if (nla_len(a[KTR_ATTR_FILTER_CPUS]) % sizeof(u64)) {
			NL_SET_ERR_MSG_ATTR(info->extack,
					    a[KTR_ATTR_FILTER_CPUS],
					    "a CPU bitmap is 64-bit words");
			return -EINVAL;
		}
		req.set_cpus = true;
		req.cpus = nla_data(a[KTR_ATTR_FILTER_CPUS]);
		req.cpus_words = nla_len(a[KTR_ATTR_FILTER_CPUS]) / sizeof(u64);
	}
	return ktr_filter_set_task(&req, info->extack);
}

static int ktr_nl_set_event_filter(struct sk_buff *skb,
				   struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct ktr_event_filter_req req = { .stack = -1 };

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_EVENT_NAME)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_EVENT_NAME is required");
		return -EINVAL;
	}
	req.name = nla_data(a[KTR_ATTR_EVENT_NAME]);
	if (a[KTR_ATTR_FILTER_PROG]) {
		req.set_prog = true;
		req.prog = nla_data(a[KTR_ATTR_FILTER_PROG]);
		req.prog_len = nla_len(a[KTR_ATTR_FILTER_PROG]);
	}
	if (!a[KTR_ATTR_FILTER_PROG] &&
	    (a[KTR_ATTR_FILTER_STRINGS] || a[KTR_ATTR_FILTER_TEXT])) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "filter strings and text come with a program");
		return -EINVAL;
	}
	if (a[KTR_ATTR_FILTER_STRINGS]) {
		req.strings = nla_data(a[KTR_ATTR_FILTER_STRINGS]);
		req.strings_len = nla_len(a[KTR_ATTR_FILTER_STRINGS]);
	}
	if (a[KTR_ATTR_FILTER_TEXT])
		req.text = nla_data(a[KTR_ATTR_FILTER_TEXT]);
	if (a[KTR_ATTR_EVENT_STACK])
		req.stack = nla_get_u8(a[KTR_ATTR_EVENT_STACK]);
	return ktr_filter_set_event(&req, info->extack);
}

static int ktr_nl_get_filters(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	/* Room for every event with the longest filter text. */
	msg = genlmsg_new(KTR_FILTERS_REPLY_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ktr_genl_family, 0,
				KTR_CMD_GET_FILTERS);
	ret = hdr ? ktr_filter_put(msg) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ktr_nl_clear_filters(struct sk_buff *skb, struct genl_info *info)
{
	ktr_filter_clear();
	return 0;
}

/*
 * Full genl_ops entries: dumps need .start (a capability check), the filter
 * commands a policy of their own.
 */
static const struct genl_ops ktr_nl_dump_ops[] = {
	{
		.cmd	= KTR_CMD_LIST_EVENTS,
		.start	= ktr_nl_dump_start,
		.dumpit	= ktr_nl_list_events,
	},
	{
		.cmd	= KTR_CMD_GET_STATS,
		.start	= ktr_nl_dump_start,
		.dumpit	= ktr_nl_get_stats,
	},
	{
		.cmd	= KTR_CMD_SET_TASK_FILTER,
		.doit	= ktr_nl_set_task_filter,
		.policy	= ktr_nl_task_filter_policy,
		.maxattr = KTR_ATTR_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_SET_EVENT_FILTER,
		.doit	= ktr_nl_set_event_filter,
		.policy	= ktr_nl_event_filter_policy,
		.maxattr = KTR_ATTR_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_GET_FILTERS,
		.doit	= ktr_nl_get_filters,
		.policy	= ktr_nl_no_attr_policy,
		.maxattr = KTR_ATTR_MAX,
	},
	{
		.cmd	= KTR_CMD_CLEAR_FILTERS,
		.doit	= ktr_nl_clear_filters,
		.policy	= ktr_nl_no_attr_policy,
		.maxattr = KTR_ATTR_MAX,
		.flags	= GENL_ADMIN_PERM,
	},
};

static const struct genl_small_ops ktr_nl_ops[] = {
	{
		.cmd	= KTR_CMD_GET_INFO,
		.doit	= ktr_nl_get_info,
	},
	{
		.cmd	= KTR_CMD_SELFTEST,
		.doit	= ktr_nl_selftest,
		/* Expensive and owns every CPU for a while: admins only. */
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_ENABLE_EVENTS,
		.doit	= ktr_nl_enable_events,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_DISABLE_EVENTS,
		.doit	= ktr_nl_disable_events,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_START,
		.doit	= ktr_nl_start,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_STOP,
		.doit	= ktr_nl_stop,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_RESET,
		.doit	= ktr_nl_reset,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_WRITE_MARKER,
		.doit	= ktr_nl_write_marker,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_SET_BUFFER,
		.doit	= ktr_nl_set_buffer,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_LIST_TRACERS,
		.doit	= ktr_nl_reserved,
	},
	{
		.cmd	= KTR_CMD_SET_TRACER,
		.doit	= ktr_nl_reserved,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_ADD_PROBE,
		.doit	= ktr_nl_reserved,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_DEL_PROBE,
		.doit	= ktr_nl_reserved,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_LIST_PROBES,
		.doit	= ktr_nl_reserved,
	},
	{
		.cmd	= KTR_CMD_ATTACH_RAW,
		.doit	= ktr_nl_attach_raw,
		.flags	= GENL_ADMIN_PERM,
	},
	{
		.cmd	= KTR_CMD_DETACH_RAW,
		.doit	= ktr_nl_detach_raw,
		.flags	= GENL_ADMIN_PERM,
	},
};

static struct genl_family ktr_genl_family __ro_after_init = {
	.name		= KTR_GENL_NAME,
	.version	= KTR_GENL_VERSION,
	.maxattr	= KTR_ATTR_MAX,
	.policy		= ktr_nl_policy,
	.netnsok	= false,
	.parallel_ops	= true,
	.module		= THIS_MODULE,
	.pre_doit	= ktr_nl_pre_doit,
	.ops		= ktr_nl_dump_ops,
	.n_ops		= ARRAY_SIZE(ktr_nl_dump_ops),
	.small_ops	= ktr_nl_ops,
	.n_small_ops	= ARRAY_SIZE(ktr_nl_ops),
	.mcgrps		= ktr_nl_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(ktr_nl_mcgrps),
	.resv_start_op	= KTR_CMD_GET_INFO + 1,
};

int ktr_genl_init(void)
{
	int ret = genl_register_family(&ktr_genl_family);

	if (ret)
		pr_err("cannot register generic netlink family %s: %d\n",
		       KTR_GENL_NAME, ret);
	return ret;
}

void ktr_genl_exit(void)
{
	genl_unregister_family(&ktr_genl_family);
}
