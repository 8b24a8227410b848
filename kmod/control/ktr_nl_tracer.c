// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_tracer.c - KTR_CMD_LIST_TRACERS and KTR_CMD_SET_TRACER
 * (uapi/ktr.h): the tracer registry (tracer/ktr_tracer.c) over netlink.
 * Every change of the current tracer sends a notice (SET_TRACER, its
 * module unloaded, RESET): the registry calls ktr_nl_tracer_changed()
 * under its lock, in the order of the changes.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <net/genetlink.h>

#include "ktr_nl.h"
#include "tracer/ktr_tracer.h"

const struct nla_policy ktr_nl_set_tracer_policy[KTR_ATTR_MAX + 1] = {
	[KTR_ATTR_TRACER_NAME]		= { .type = NLA_NUL_STRING,
					    .len = KTR_TRACER_NAME_MAX - 1 },
	[KTR_ATTR_TRACER_SETTINGS]	= { .type = NLA_BINARY,
					    .len = KTR_TRACER_SETTINGS_MAX },
};

static int ktr_nl_put_tracer_name(struct sk_buff *msg, const void *arg)
{
	return nla_put_string(msg, KTR_ATTR_TRACER_NAME, arg);
}

/*
 * Split KTR_ATTR_TRACER_SETTINGS (@buf, @len bytes, a copy: the '=' become
 * NULs) into @set. Return: how many, or -EINVAL with a message.
 */
static int ktr_nl_split_settings(char *buf, size_t len,
				 struct ktr_tracer_setting *set,
				 struct genl_info *info)
{
	size_t off = 0;
	int n = 0;

	if (!len)
		return 0;
	if (buf[len - 1] != '\0') {
		GENL_SET_ERR_MSG(info,
				 "KTR_ATTR_TRACER_SETTINGS must end with a NUL");
		return -EINVAL;
	}
	while (off < len) {
		char *s = buf + off, *eq = strchr(s, '=');

		off += strlen(s) + 1;
		if (!eq || eq == s) {
			GENL_SET_ERR_MSG(info,
					 "a tracer option must be key=value with a key");
			return -EINVAL;
		}
		if (n == KTR_TRACER_OPTS_MAX) {
			GENL_SET_ERR_MSG(info, "too many tracer options (at most 16)");
			return -EINVAL;
		}
		*eq = '\0';
		set[n].key = s;
		set[n].value = eq + 1;
		n++;
	}
	return n;
}

int ktr_nl_set_tracer(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr *settings = info->attrs[KTR_ATTR_TRACER_SETTINGS];
	struct ktr_tracer_setting set[KTR_TRACER_OPTS_MAX];
	char current_name[KTR_TRACER_NAME_MAX];
	char *buf = NULL;
	int n = 0, ret;

	if (GENL_REQ_ATTR_CHECK(info, KTR_ATTR_TRACER_NAME)) {
		GENL_SET_ERR_MSG(info, "KTR_ATTR_TRACER_NAME (the tracer) is required");
		return -EINVAL;
	}
	if (settings) {
		buf = kmemdup(nla_data(settings), nla_len(settings), GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
		n = ktr_nl_split_settings(buf, nla_len(settings), set, info);
		if (n < 0) {
			kfree(buf);
			return n;
		}
	}
	ret = ktr_tracer_set(nla_data(info->attrs[KTR_ATTR_TRACER_NAME]), set,
			     n, current_name, info->extack);
	kfree(buf);
	if (ret)
		return ret;
	/* The registry sent the notice (ktr_nl_tracer_changed()). */
	return ktr_nl_reply(info, KTR_CMD_SET_TRACER, ktr_nl_put_tracer_name,
			    current_name);
}

static int ktr_nl_put_option(struct sk_buff *msg,
			     const struct ktr_tracer_opt_info *o)
{
	struct nlattr *nest = nla_nest_start(msg, KTR_ATTR_TRACER_OPTION);
	const char *def = ktr_tracer_option_default(o->opt);

	if (!nest ||
	    nla_put_string(msg, KTR_ATTR_TRACER_OPT_NAME, o->opt->name) ||
	    nla_put_u32(msg, KTR_ATTR_TRACER_OPT_TYPE, o->opt->type) ||
	    nla_put_string(msg, KTR_ATTR_TRACER_OPT_DESC, o->opt->description) ||
	    nla_put_string(msg, KTR_ATTR_TRACER_OPT_DEFAULT, def) ||
	    (o->value && nla_put_string(msg, KTR_ATTR_TRACER_OPT_VALUE, o->value)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* The attributes of one KTR_CMD_LIST_TRACERS message. */
static int ktr_nl_put_tracer(struct sk_buff *msg, const void *arg)
{
	const struct ktr_tracer_info *t = arg;
	struct nlattr *opts;
	unsigned int i;

	if (nla_put_string(msg, KTR_ATTR_TRACER_NAME, t->name) ||
	    nla_put_string(msg, KTR_ATTR_TRACER_DESC, t->description) ||
	    nla_put_u8(msg, KTR_ATTR_TRACER_CURRENT, t->is_current))
		return -EMSGSIZE;
	opts = nla_nest_start(msg, KTR_ATTR_TRACER_OPTIONS);
	if (!opts)
		return -EMSGSIZE;
	for (i = 0; i < t->nr_options; i++)
		if (ktr_nl_put_option(msg, &t->options[i]))
			return -EMSGSIZE;
	nla_nest_end(msg, opts);
	return 0;
}

static int ktr_nl_list_tracer(const struct ktr_tracer_info *t, void *priv)
{
	return ktr_nl_dump_one(priv, t);
}

int ktr_nl_list_tracers(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct ktr_nl_dump d = {
		.skb = skb, .cb = cb, .cmd = KTR_CMD_LIST_TRACERS,
		.fill = ktr_nl_put_tracer,
	};
	unsigned long pos = cb->args[0];
	int ret = ktr_tracers_for_each(&pos, ktr_nl_list_tracer, &d);

	return ktr_nl_dump_done(&d, pos, ret);
}

static void ktr_nl_tracer_changed(const char *current_name)
{
	ktr_nl_notify(KTR_CMD_SET_TRACER, ktr_nl_put_tracer_name, current_name);
}

void ktr_nl_tracer_init(void)
{
	ktr_tracer_set_change_notify(ktr_nl_tracer_changed);
}

void ktr_nl_tracer_exit(void)
{
	ktr_tracer_set_change_notify(NULL);
}
