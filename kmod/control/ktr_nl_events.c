// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_events.c - KTR_CMD_LIST_EVENTS, KTR_CMD_ENABLE_EVENTS and
 * KTR_CMD_DISABLE_EVENTS: the event registry (probes/ktr_events.c) over
 * netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "ktr_nl.h"
#include "probes/ktr_events.h"

const struct nla_policy ktr_nl_events_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_EVENT_GLOB]		= { .type = NLA_NUL_STRING,
					    .len = KTR_EVENT_GLOB_MAX - 1 },
};

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

static int ktr_nl_put_field(struct sk_buff *msg, const struct ktr_field_desc *f)
{
	struct nlattr *nest = nla_nest_start(msg, KTR_ATTR_FIELD);

	if (!nest ||
	    nla_put_string(msg, KTR_ATTR_FIELD_NAME, f->name) ||
	    nla_put_u32(msg, KTR_ATTR_FIELD_TYPE, f->type) ||
	    nla_put_u32(msg, KTR_ATTR_FIELD_OFFSET, f->offset) ||
	    nla_put_u32(msg, KTR_ATTR_FIELD_SIZE, f->size) ||
	    nla_put_u8(msg, KTR_ATTR_FIELD_SIGNED, f->is_signed) ||
	    (f->display &&
	     nla_put_u32(msg, KTR_ATTR_FIELD_DISPLAY, f->display)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

static int ktr_nl_put_event(struct sk_buff *msg, const void *arg)
{
	const struct ktr_event_type *ev = arg;
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

/* One KTR_CMD_LIST_EVENTS message for @ev; -EMSGSIZE when it is full. */
static int ktr_nl_list_one(const struct ktr_event_type *ev, void *priv)
{
	return ktr_nl_dump_one(priv, ev);
}

int ktr_nl_list_events(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktr_nl_dump d = {
		.skb = skb, .cb = cb, .cmd = KTR_CMD_LIST_EVENTS,
		.fill = ktr_nl_put_event,
	};
	unsigned long idx = cb->args[0];
	int ret = ktr_events_for_each(&idx, ktr_nl_list_one, &d);

	return ktr_nl_dump_done(&d, idx, ret);
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

int ktr_nl_enable_events(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_events(info, true);
}

int ktr_nl_disable_events(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_set_events(info, false);
}
