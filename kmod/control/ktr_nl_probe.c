// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_probe.c - KTR_CMD_ADD_PROBE, KTR_CMD_DEL_PROBE and
 * KTR_CMD_LIST_PROBES (uapi/ktr.h): the netlink side of dynamic probes
 * (probes/ktr_kprobe.c). Adding and deleting send a notice.
 */
#include <net/genetlink.h>

#include "ktr_nl.h"
#include "probes/ktr_kprobe.h"

const struct nla_policy ktr_nl_add_probe_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_PROBE_DEF]	= { .type = NLA_NUL_STRING,
				    .len = KTR_PROBE_DEF_MAX - 1 },
};

/* "group:event" at most. */
const struct nla_policy ktr_nl_del_probe_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_PROBE_NAME]	= { .type = NLA_NUL_STRING,
				    .len = 2 * KTR_EVENT_NAME_MAX - 1 },
	[KTR_ATTR_PROBE_ALL]	= NLA_POLICY_RANGE(NLA_U8, 1, 1),
};

static int ktr_nl_put_added(struct sk_buff *msg, const void *arg)
{
	const struct ktr_kprobe_added *a = arg;

	if (nla_put_u32(msg, KTR_ATTR_EVENT_ID, a->id) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_SYSTEM, a->system) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_NAME, a->name))
		return -EMSGSIZE;
	return 0;
}

int ktr_nl_add_probe(struct sk_buff *skb, struct genl_info *info)
{
	struct ktr_kprobe_added added;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_PROBE_DEF)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_PROBE_DEF (the definition) is required");
		return -EINVAL;
	}
	ret = ktr_kprobe_add(nla_data(info->attrs[KTR_ATTR_PROBE_DEF]), &added,
			     info->extack);
	if (ret)
		return ret;
	ktr_nl_notify(KTR_CMD_ADD_PROBE, ktr_nl_put_added, &added);
	return ktr_nl_reply(info, KTR_CMD_ADD_PROBE, ktr_nl_put_added, &added);
}

static int ktr_nl_put_count(struct sk_buff *msg, const void *arg)
{
	return nla_put_u32(msg, KTR_ATTR_EVENT_COUNT, *(const u32 *)arg);
}

int ktr_nl_del_probe(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *name = info->attrs[KTR_ATTR_PROBE_NAME];
	struct nlattr *all = info->attrs[KTR_ATTR_PROBE_ALL];
	u32 count = 1;
	int ret;

	if (!name == !all) {
		GENL_SET_ERR_MSG(info,
				 "give exactly one of KTR_ATTR_PROBE_NAME and KTR_ATTR_PROBE_ALL");
		return -EINVAL;
	}
	if (all) {
		count = ktr_kprobes_del_all();
	} else {
		ret = ktr_kprobe_del(nla_data(name), info->extack);
		if (ret)
			return ret;
	}
	ktr_nl_notify(KTR_CMD_DEL_PROBE, ktr_nl_put_count, &count);
	return ktr_nl_reply(info, KTR_CMD_DEL_PROBE, ktr_nl_put_count, &count);
}

/* The attributes of one KTR_CMD_LIST_PROBES message. */
static int ktr_nl_put_probe(struct sk_buff *msg, const void *arg)
{
	const struct ktr_kprobe_info *p = arg;
	const struct ktr_nl_u64 counters[] = {
		{ KTR_ATTR_PROBE_ADDR, p->addr },
		{ KTR_ATTR_PROBE_HITS, p->hits },
		{ KTR_ATTR_PROBE_MISSED, p->missed },
	};

	if (nla_put_u32(msg, KTR_ATTR_EVENT_ID, p->id) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_SYSTEM, p->system) ||
	    nla_put_string(msg, KTR_ATTR_EVENT_NAME, p->name) ||
	    nla_put_u8(msg, KTR_ATTR_EVENT_ENABLED, p->enabled) ||
	    nla_put_string(msg, KTR_ATTR_PROBE_DEF, p->text) ||
	    nla_put_u32(msg, KTR_ATTR_PROBE_KIND, p->kind) ||
	    nla_put_u32(msg, KTR_ATTR_PROBE_MECH, p->mech) ||
	    ktr_nl_put_u64s(msg, counters, ARRAY_SIZE(counters), KTR_ATTR_PAD) ||
	    nla_put_u32(msg, KTR_ATTR_PROBE_MAXACTIVE, p->maxactive) ||
	    nla_put_u8(msg, KTR_ATTR_PROBE_GONE, p->gone))
		return -EMSGSIZE;
	return 0;
}

static int ktr_nl_list_probe(const struct ktr_kprobe_info *p, void *priv)
{
	return ktr_nl_dump_one(priv, p);
}

int ktr_nl_list_probes(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktr_nl_dump d = {
		.skb = skb, .cb = cb, .cmd = KTR_CMD_LIST_PROBES,
		.fill = ktr_nl_put_probe,
	};
	unsigned long pos = cb->args[0];
	int ret = ktr_kprobes_for_each(&pos, ktr_nl_list_probe, &d);

	return ktr_nl_dump_done(&d, pos, ret);
}
