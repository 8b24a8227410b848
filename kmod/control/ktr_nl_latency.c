// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_latency.c - KTR_CMD_GET_LATENCY (uapi/ktr.h): the wakeup latency
 * tracers' maximum, histogram and worst-case trace
 * (tracer/ktr_tracer_wakeup.c) as a dump, and their new-maximum notices.
 */
#include <linux/slab.h>
#include <net/genetlink.h>

#include "ktr_nl.h"
#include "tracer/ktr_tracer_wakeup.h"

/* What one message of the dump shows: the summary (@i 0) or record @i - 1. */
struct ktr_nl_lat_msg {
	const struct ktr_lat_report *r;
	unsigned int i;
};

static int ktr_nl_put_lat_summary(struct sk_buff *msg,
				  const struct ktr_lat_report *r)
{
	const struct ktr_lat_max *m = &r->max;
	const struct ktr_nl_u64 v[] = {
		{ KTR_ATTR_LAT_SEQ, m->seq },
		{ KTR_ATTR_LAT_THRESHOLD_NS, r->threshold },
		{ KTR_ATTR_LAT_COUNT, r->count },
		{ KTR_ATTR_LAT_SUM_NS, r->sum },
		{ KTR_ATTR_LAT_LOST, r->lost },
	};
	const struct ktr_nl_u64 mv[] = {
		{ KTR_ATTR_LAT_MAX_NS, m->latency },
		{ KTR_ATTR_LAT_WAKE_TS, m->wake_ts },
		{ KTR_ATTR_LAT_SWITCH_TS, m->switch_ts },
	};

	if (nla_put_string(msg, KTR_ATTR_LAT_TRACER, r->tracer) ||
	    ktr_nl_put_u64s(msg, v, ARRAY_SIZE(v), KTR_ATTR_PAD) ||
	    nla_put(msg, KTR_ATTR_LAT_HIST, sizeof(r->buckets), r->buckets))
		return -EMSGSIZE;
	if (!m->seq)
		return 0;
	if (ktr_nl_put_u64s(msg, mv, ARRAY_SIZE(mv), KTR_ATTR_PAD) ||
	    nla_put_u32(msg, KTR_ATTR_LAT_PID, (u32)m->pid) ||
	    nla_put_string(msg, KTR_ATTR_LAT_COMM, m->comm) ||
	    nla_put_u32(msg, KTR_ATTR_LAT_PRIO, (u32)m->prio) ||
	    nla_put_u32(msg, KTR_ATTR_CPU, m->cpu))
		return -EMSGSIZE;
	return 0;
}

static int ktr_nl_put_lat(struct sk_buff *msg, const void *arg)
{
	const struct ktr_nl_lat_msg *lm = arg;
	const struct ktr_lat_rec *rec;

	if (!lm->i)
		return ktr_nl_put_lat_summary(msg, lm->r);
	rec = &lm->r->max.recs[lm->i - 1];
	if (nla_put_u64_64bit(msg, KTR_ATTR_LAT_SEQ, lm->r->max.seq,
			      KTR_ATTR_PAD) ||
	    nla_put_u32(msg, KTR_ATTR_CPU, rec->cpu) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_LAT_EVENT_TS, rec->ts, KTR_ATTR_PAD) ||
	    nla_put(msg, KTR_ATTR_LAT_EVENT, rec->size, &rec->p))
		return -EMSGSIZE;
	return 0;
}

int ktr_nl_get_latency(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktr_nl_dump d = {
		.skb = skb, .cb = cb, .cmd = KTR_CMD_GET_LATENCY,
		.fill = ktr_nl_put_lat,
	};
	struct ktr_lat_report *r = kmalloc(sizeof(*r), GFP_KERNEL);
	struct ktr_nl_lat_msg lm = { .r = r };
	unsigned long pos = cb->args[0];
	int ret;

	if (!r)
		return -ENOMEM;
	ret = ktr_wakeup_read(r);
	if (ret) {
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "no latency data: no latency tracer was set since ktr was loaded (ktr tracer set wakeup)");
		goto out;
	}
	/*
	 * The first message said which maximum of which run: the rest must be
	 * its trace (a tracer set again starts its maxima at 1 again).
	 */
	if (pos && (r->max.seq != cb->args[1] || r->generation != cb->args[2])) {
		NL_SET_ERR_MSG_MOD(cb->extack,
				   "a new maximum or a new run of the tracer replaced the worst-case trace during the dump: read again");
		ret = -EAGAIN;
		goto out;
	}
	cb->args[1] = r->max.seq;
	cb->args[2] = r->generation;
	for (; pos <= r->max.nr; pos++) {
		lm.i = pos;
		ret = ktr_nl_dump_one(&d, &lm);
		if (ret)
			break;
	}
	ret = ktr_nl_dump_done(&d, pos, ret);
out:
	kfree(r);
	return ret;
}

static int ktr_nl_put_lat_notice(struct sk_buff *msg, const void *arg)
{
	const struct ktr_lat_notice *n = arg;

	if (nla_put_string(msg, KTR_ATTR_LAT_TRACER, n->tracer) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_LAT_SEQ, n->seq, KTR_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_LAT_MAX_NS, n->latency, KTR_ATTR_PAD) ||
	    nla_put_u32(msg, KTR_ATTR_LAT_PID, (u32)n->pid) ||
	    nla_put_string(msg, KTR_ATTR_LAT_COMM, n->comm) ||
	    nla_put_u32(msg, KTR_ATTR_LAT_PRIO, (u32)n->prio) ||
	    nla_put_u32(msg, KTR_ATTR_CPU, n->cpu))
		return -EMSGSIZE;
	return 0;
}

static void ktr_nl_latency_notice(const struct ktr_lat_notice *n)
{
	ktr_nl_notify(KTR_CMD_GET_LATENCY, ktr_nl_put_lat_notice, n);
}

void ktr_nl_latency_init(void)
{
	ktr_wakeup_set_notify(ktr_nl_latency_notice);
}

void ktr_nl_latency_exit(void)
{
	ktr_wakeup_set_notify(NULL);
}
