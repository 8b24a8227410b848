// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_trace.c - control of the trace session (tracer/ktr_trace.c):
 * KTR_CMD_START, STOP, RESET, GET_STATS, WRITE_MARKER and SET_BUFFER.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <net/genetlink.h>

#include "ktr_event.h"
#include "ktr_nl.h"
#include "ringbuf/ktr_rb.h"
#include "tracer/ktr_trace.h"
#include "tracer/ktr_tracer.h"

/* Inside KTR_ATTR_BUFFER (KTR_CMD_SET_BUFFER). */
static const struct nla_policy ktr_nl_buffer_policy[KTR_BUFFER_MAX + 1] = {
	[KTR_BUFFER_SUBBUF_SIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_subbuf_size_range),
	[KTR_BUFFER_NR_SUBBUFS]		=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_nr_subbufs_range),
	[KTR_BUFFER_MODE]		=
		NLA_POLICY_MAX(NLA_U32, KTR_RB_MODE_OVERWRITE),
};

const struct nla_policy ktr_nl_set_buffer_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_BUFFER]		=
		NLA_POLICY_NESTED(ktr_nl_buffer_policy),
};

const struct nla_policy ktr_nl_marker_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_MARKER_TEXT]		= { .type = NLA_BINARY,
					    .len = KTR_MARKER_MAX },
};

static int ktr_nl_fill_on(struct sk_buff *msg, const void *arg)
{
	return nla_put_u8(msg, KTR_ATTR_TRACING_ON, *(const bool *)arg);
}

/* The buffer's switch and the current tracer's start/stop (tracer registry). */
static int ktr_nl_set_on(struct genl_info *info, bool on)
{
	u8 cmd = on ? KTR_CMD_START : KTR_CMD_STOP;
	bool changed;
	int ret;

	ret = ktr_tracer_set_on(on, &changed, info->extack);
	if (changed)
		ktr_nl_notify(cmd, ktr_nl_fill_on, &on);
	if (ret)
		return ret;
	return ktr_nl_reply(info, cmd, ktr_nl_fill_on, &on);
}

int ktr_nl_start(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_on(info, true);
}

int ktr_nl_stop(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_on(info, false);
}

int ktr_nl_reset(struct sk_buff *skb, struct genl_info *info)
{
	bool on = true;
	int ret;

	ret = ktr_tracer_reset(info->extack);	/* buffer, tracing on, nop */
	if (ret)
		return ret;
	ktr_nl_notify(KTR_CMD_RESET, ktr_nl_fill_on, &on);
	return ktr_nl_reply(info, KTR_CMD_RESET, ktr_nl_fill_on, &on);
}

static int ktr_nl_put_stats(struct sk_buff *msg, unsigned int cpu,
			    const struct ktr_rb_cpu_stats *c)
{
	const struct ktr_nl_u64 counters[] = {
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

	if (nla_put_u32(msg, KTR_ATTR_CPU, cpu) ||
	    nla_put_u8(msg, KTR_ATTR_CPU_ONLINE, cpu_online(cpu)))
		return -EMSGSIZE;
	nest = nla_nest_start(msg, KTR_ATTR_STATS);
	if (!nest)
		return -EMSGSIZE;
	if (ktr_nl_put_u64s(msg, counters, ARRAY_SIZE(counters), KTR_STATS_PAD))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* What one KTR_CMD_GET_STATS message says. */
struct ktr_nl_cpu_stats {
	unsigned int cpu;
	struct ktr_rb_cpu_stats c;
};

static int ktr_nl_fill_stats(struct sk_buff *msg, const void *arg)
{
	const struct ktr_nl_cpu_stats *s = arg;

	return ktr_nl_put_stats(msg, s->cpu, &s->c);
}

int ktr_nl_get_stats(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktr_nl_dump d = {
		.skb = skb, .cb = cb, .cmd = KTR_CMD_GET_STATS,
		.fill = ktr_nl_fill_stats,
	};
	struct ktr_nl_cpu_stats s;
	int ret = 0;

	for (s.cpu = cb->args[0]; s.cpu < nr_cpu_ids; s.cpu++) {
		if (!cpu_possible(s.cpu) || ktr_trace_get_stats(s.cpu, &s.c))
			continue;
		ret = ktr_nl_dump_one(&d, &s);
		if (ret)
			break;
	}
	return ktr_nl_dump_done(&d, s.cpu, ret);
}

static int ktr_nl_fill_cpu(struct sk_buff *msg, const void *arg)
{
	return nla_put_u32(msg, KTR_ATTR_CPU, *(const unsigned int *)arg);
}

int ktr_nl_write_marker(struct sk_buff *skb, struct genl_info *info)
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

/* SET_BUFFER's nested KTR_ATTR_BUFFER: what it changes. */
static int ktr_nl_buffer_change(struct genl_info *info, struct nlattr **tb,
				struct ktr_geometry_change *chg)
{
	struct nlattr *nest = info->attrs[KTR_ATTR_BUFFER];
	int ret;

	ret = nla_parse_nested(tb, KTR_BUFFER_MAX, nest, ktr_nl_buffer_policy,
			       info->extack);
	if (ret)
		return ret;
	memset(chg, 0, sizeof(*chg));
	if (tb[KTR_BUFFER_SUBBUF_SIZE]) {
		chg->geo.subbuf_size = nla_get_u32(tb[KTR_BUFFER_SUBBUF_SIZE]);
		chg->has |= KTR_GEO_HAS_SUBBUF_SIZE;
	}
	if (tb[KTR_BUFFER_NR_SUBBUFS]) {
		chg->geo.nr_subbufs = nla_get_u32(tb[KTR_BUFFER_NR_SUBBUFS]);
		chg->has |= KTR_GEO_HAS_NR_SUBBUFS;
	}
	if (tb[KTR_BUFFER_MODE]) {
		chg->geo.mode = nla_get_u32(tb[KTR_BUFFER_MODE]);
		chg->has |= KTR_GEO_HAS_MODE;
	}
	if (!chg->has) {
		NL_SET_ERR_MSG_ATTR(info->extack, nest,
				    "KTR_ATTR_BUFFER needs KTR_BUFFER_SUBBUF_SIZE, KTR_BUFFER_NR_SUBBUFS or KTR_BUFFER_MODE");
		return -EINVAL;
	}
	return 0;
}

/* Word the tracer's verdict on the merged geometry, on the attribute. */
static void ktr_nl_buffer_geo_error(struct genl_info *info, struct nlattr **tb,
				    int why)
{
	switch (why) {
	case KTR_RB_GEO_SUBBUF_SIZE:
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTR_BUFFER_SUBBUF_SIZE],
				    "KTR_BUFFER_SUBBUF_SIZE must be a power of two, at least a page");
		break;
	case KTR_RB_GEO_NR_SUBBUFS:
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTR_BUFFER_NR_SUBBUFS],
				    "KTR_BUFFER_NR_SUBBUFS must be a power of two");
		break;
	case KTR_RB_GEO_MODE:	/* the policy checks it */
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTR_BUFFER_MODE],
				    "KTR_BUFFER_MODE is not a mode");
		break;
	case KTR_RB_GEO_TOO_BIG:
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_BUFFER_NR_SUBBUFS] ?:
				    tb[KTR_BUFFER_SUBBUF_SIZE],
				    "KTR_BUFFER_SUBBUF_SIZE x (KTR_BUFFER_NR_SUBBUFS + 1) exceeds 256 MiB per CPU");
		break;
	}
}

int ktr_nl_set_buffer(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *tb[KTR_BUFFER_MAX + 1];
	struct ktr_geometry_change chg;
	struct ktr_geometry geo;
	int why, ret;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_BUFFER)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_BUFFER is required");
		return -EINVAL;
	}
	ret = ktr_nl_buffer_change(info, tb, &chg);
	if (ret)
		return ret;
	ret = ktr_trace_reconfigure(&chg, &geo, &why, info->extack);
	if (ret) {
		ktr_nl_buffer_geo_error(info, tb, why);
		return ret;
	}
	ktr_nl_notify(KTR_CMD_SET_BUFFER, ktr_nl_fill_buffer, &geo);
	return ktr_nl_reply(info, KTR_CMD_SET_BUFFER, ktr_nl_fill_buffer, &geo);
}
