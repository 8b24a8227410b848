// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_raw.c - KTR_CMD_ATTACH_RAW and KTR_CMD_DETACH_RAW (uapi/ktr.h):
 * the netlink side of raw attach (probes/ktr_raw.c). Both answer with an
 * ack only; the new event is seen with KTR_CMD_LIST_EVENTS.
 */
#include <net/genetlink.h>

#include "ktr_nl.h"
#include "probes/ktr_raw.h"

/* Both commands: ATTACH_RAW takes both, DETACH_RAW the name only. */
const struct nla_policy ktr_nl_raw_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_RAW_TRACEPOINT]	= { .type = NLA_NUL_STRING,
					    .len = KTR_EVENT_NAME_MAX - 1 },
	[KTR_ATTR_RAW_NARGS]		= NLA_POLICY_MAX(NLA_U32,
							 KTR_RAW_NARGS_MAX),
};

/* The tracepoint name is required: an error naming it otherwise. */
static bool ktr_nl_raw_name_missing(struct genl_info *info)
{
	if (!GENL_REQ_ATTR_CHECK(info, KTR_ATTR_RAW_TRACEPOINT))
		return false;
	GENL_SET_ERR_MSG(info, "KTR_ATTR_RAW_TRACEPOINT (the tracepoint's name) is required");
	return true;
}

int ktr_nl_attach_raw(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *nargs = info->attrs[KTR_ATTR_RAW_NARGS];

	if (ktr_nl_raw_name_missing(info))
		return -EINVAL;
	return ktr_raw_attach(nla_data(info->attrs[KTR_ATTR_RAW_TRACEPOINT]),
			      nargs ? nla_get_u32(nargs) : KTR_RAW_NARGS_MAX,
			      info->extack);
}

int ktr_nl_detach_raw(struct sk_buff *skb, struct genl_info *info)
{
	if (ktr_nl_raw_name_missing(info))
		return -EINVAL;
	if (info->attrs[KTR_ATTR_RAW_NARGS]) {
		NL_SET_ERR_MSG_ATTR(info->extack,
				    info->attrs[KTR_ATTR_RAW_NARGS],
				    "KTR_ATTR_RAW_NARGS is for KTR_CMD_ATTACH_RAW only");
		return -EINVAL;
	}
	return ktr_raw_detach(nla_data(info->attrs[KTR_ATTR_RAW_TRACEPOINT]),
			      info->extack);
}
