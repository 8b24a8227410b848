// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_selftest.c - KTR_CMD_SELFTEST: run the ring buffer's in-kernel
 * self-test with the geometry asked for and answer with its counters.
 *
 * The self-test is not part of ktr.ko: the test module ktr_rb_test.ko
 * provides it through ringbuf/ktr_rb_selftest.h. Without it loaded the
 * command fails with EOPNOTSUPP and a message saying what to load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>
#include <net/genetlink.h>

#include "ktr_nl.h"
#include "ringbuf/ktr_rb.h"
#include "ringbuf/ktr_rb_selftest.h"
#include "tracer/ktr_trace.h"

static struct netlink_range_validation ktr_nl_duration_range = {
	.min = KTR_SELFTEST_DURATION_MS_MIN,
	.max = KTR_SELFTEST_DURATION_MS_MAX,
};

const struct nla_policy ktr_nl_selftest_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_SELFTEST_MODE]	=
		NLA_POLICY_MAX(NLA_U32, KTR_RB_MODE_OVERWRITE),
	[KTR_ATTR_SELFTEST_SUBBUF_SIZE]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_subbuf_size_range),
	[KTR_ATTR_SELFTEST_NR_SUBBUFS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_nr_subbufs_range),
	[KTR_ATTR_SELFTEST_DURATION_MS]	=
		NLA_POLICY_FULL_RANGE(NLA_U32, &ktr_nl_duration_range),
};

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
				      ktr_trace_defaults()->subbuf_size);
	cfg->nr_subbufs = ktr_nl_u32(info, KTR_ATTR_SELFTEST_NR_SUBBUFS,
				     ktr_trace_defaults()->nr_subbufs);
	cfg->duration_ms = ktr_nl_u32(info, KTR_ATTR_SELFTEST_DURATION_MS,
				      KTR_SELFTEST_DURATION_MS_DEFAULT);

	switch (ktr_rb_check_geometry(cfg->subbuf_size, cfg->nr_subbufs,
				      cfg->mode,
				      KTR_SELFTEST_BYTES_PER_CPU_MAX)) {
	case KTR_RB_GEO_OK:
		return 0;
	case KTR_RB_GEO_SUBBUF_SIZE:
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_ATTR_SELFTEST_SUBBUF_SIZE],
				    "KTR_ATTR_SELFTEST_SUBBUF_SIZE must be a power of two");
		break;
	case KTR_RB_GEO_NR_SUBBUFS:
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_ATTR_SELFTEST_NR_SUBBUFS],
				    "KTR_ATTR_SELFTEST_NR_SUBBUFS must be a power of two");
		break;
	case KTR_RB_GEO_MODE:	/* the policy checks it */
		NL_SET_ERR_MSG_ATTR(info->extack, tb[KTR_ATTR_SELFTEST_MODE],
				    "KTR_ATTR_SELFTEST_MODE is not a mode");
		break;
	case KTR_RB_GEO_TOO_BIG:
		NL_SET_ERR_MSG_ATTR(info->extack,
				    tb[KTR_ATTR_SELFTEST_NR_SUBBUFS] ?:
				    tb[KTR_ATTR_SELFTEST_SUBBUF_SIZE],
				    "KTR_ATTR_SELFTEST_SUBBUF_SIZE x (KTR_ATTR_SELFTEST_NR_SUBBUFS + 1) exceeds 64 MiB per CPU");
		break;
	}
	return -EINVAL;
}

static int ktr_nl_put_selftest(struct sk_buff *msg,
			       const struct ktr_selftest_cfg *cfg,
			       const struct ktr_selftest_result *r)
{
	const struct ktr_nl_u64 counters[] = {
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

	if (nla_put_u32(msg, KTR_ATTR_SELFTEST_MODE, cfg->mode) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_SUBBUF_SIZE, cfg->subbuf_size) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_NR_SUBBUFS, cfg->nr_subbufs) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_DURATION_MS, cfg->duration_ms) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_CPUS, r->cpus) ||
	    nla_put_u32(msg, KTR_ATTR_SELFTEST_ELAPSED_MS, r->elapsed_ms))
		return -EMSGSIZE;
	if (ktr_nl_put_u64s(msg, counters, ARRAY_SIZE(counters), KTR_ATTR_PAD))
		return -EMSGSIZE;
	if (r->errors && nla_put_string(msg, KTR_ATTR_SELFTEST_ERROR, r->error))
		return -EMSGSIZE;
	return 0;
}

int ktr_nl_selftest(struct sk_buff *skb, struct genl_info *info)
{
	struct ktr_selftest_result *res;
	struct ktr_selftest_cfg cfg;
	struct ktr_geometry geo;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	ret = ktr_nl_selftest_cfg(info, &cfg);
	if (ret)
		return ret;
	geo.subbuf_size = cfg.subbuf_size;
	geo.nr_subbufs = cfg.nr_subbufs;
	geo.mode = cfg.mode;
	ret = ktr_trace_check_memory(&geo, info->extack);
	if (ret)
		return ret;

	res = kzalloc(sizeof(*res), GFP_KERNEL);
	if (!res)
		return -ENOMEM;
	ret = ktr_selftest_run(&cfg, res);
	if (ret) {
		if (ret == -EOPNOTSUPP)
			GENL_SET_ERR_MSG(info,
					 "the ring buffer self-test is not loaded: insmod ktr_rb_test.ko (built in tests/modules/ktr_rb_test/)");
		else if (ret == -EBUSY)
			GENL_SET_ERR_MSG(info, "a ring buffer self-test is already running");
		else if (ret == -ENOMEM)
			GENL_SET_ERR_MSG(info, "not enough memory for the self-test buffer");
		goto out;
	}

	ret = -ENOMEM;
	msg = genlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	if (!msg)
		goto out;
	hdr = genlmsg_put_reply(msg, info, &ktr_nl_family, 0,
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
