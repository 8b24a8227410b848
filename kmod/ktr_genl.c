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

/*
 * Attributes accepted in requests. GET_INFO takes none; SELFTEST takes the
 * four KTR_ATTR_SELFTEST_{MODE,SUBBUF_SIZE,NR_SUBBUFS,DURATION_MS}. The
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
	struct ktr_rb *rb = ktr_trace_rb();
	u64 clock_local, clock_mono;

	ktr_rb_clock_map(rb, &clock_local, &clock_mono);
	if (nla_put_u32(msg, KTR_ATTR_ABI_MAJOR, KTR_ABI_MAJOR) ||
	    nla_put_u32(msg, KTR_ATTR_ABI_MINOR, KTR_ABI_MINOR) ||
	    nla_put_string(msg, KTR_ATTR_MODULE_VERSION, KTR_MODULE_VERSION) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_POSSIBLE, num_possible_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_ONLINE, num_online_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_SUBBUF_SIZE,
			ktr_default_geometry.subbuf_size) ||
	    nla_put_u32(msg, KTR_ATTR_NR_SUBBUFS,
			ktr_default_geometry.nr_subbufs) ||
	    nla_put_string(msg, KTR_ATTR_KERNEL_RELEASE, utsname()->release) ||
	    nla_put_u32(msg, KTR_ATTR_BUFFER_MODE, ktr_rb_mode(rb)) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_CLOCK_LOCAL_NS, clock_local,
			      KTR_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_CLOCK_MONO_NS, clock_mono,
			      KTR_ATTR_PAD))
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
static int ktr_nl_list_events_start(struct netlink_callback *cb)
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
	struct sk_buff *msg;
	void *hdr;
	int n;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_EVENT_GLOB))
		return -EINVAL;
	n = ktr_events_set(nla_data(info->attrs[KTR_ATTR_EVENT_GLOB]), enable,
			   info->extack);
	if (n < 0)
		return n;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ktr_genl_family, 0,
				enable ? KTR_CMD_ENABLE_EVENTS :
					 KTR_CMD_DISABLE_EVENTS);
	if (!hdr || nla_put_u32(msg, KTR_ATTR_EVENT_COUNT, n)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int ktr_nl_enable_events(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_events(info, true);
}

static int ktr_nl_disable_events(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_events(info, false);
}

/* The dump needs .start (a capability check): a full genl_ops entry. */
static const struct genl_ops ktr_nl_dump_ops[] = {
	{
		.cmd	= KTR_CMD_LIST_EVENTS,
		.start	= ktr_nl_list_events_start,
		.dumpit	= ktr_nl_list_events,
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
