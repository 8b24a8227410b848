// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_filter.c - the filter commands: KTR_CMD_SET_TASK_FILTER,
 * SET_EVENT_FILTER, GET_FILTERS and CLEAR_FILTERS (probes/ktr_filter.c,
 * probes/ktr_filter_task.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "ktr_event.h"
#include "ktr_nl.h"
#include "probes/ktr_filter.h"

const struct nla_policy ktr_nl_task_filter_policy[KTR_ATTR_MAX + 1] = {
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

const struct nla_policy ktr_nl_event_filter_policy[KTR_ATTR_MAX + 1] = {
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

#define KTR_FILTERS_REPLY_SIZE	(4096 + __KTR_EVENT_ID_MAX *		\
				 (KTR_FILTER_TEXT_MAX + 2 * KTR_EVENT_NAME_MAX))

int ktr_nl_set_task_filter(struct sk_buff *skb, struct genl_info *info)
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

int ktr_nl_set_event_filter(struct sk_buff *skb, struct genl_info *info)
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

int ktr_nl_get_filters(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	/* Room for every event with the longest filter text. */
	msg = genlmsg_new(KTR_FILTERS_REPLY_SIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &ktr_nl_family, 0,
				KTR_CMD_GET_FILTERS);
	ret = hdr ? ktr_filter_put(msg) : -EMSGSIZE;
	if (ret) {
		nlmsg_free(msg);
		return ret;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

int ktr_nl_clear_filters(struct sk_buff *skb, struct genl_info *info)
{
	ktr_filter_clear();
	return 0;
}
