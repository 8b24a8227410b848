// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_genl.c - the "ktr" generic netlink family (control plane).
 *
 * The protocol (commands, attributes, permissions) is documented in
 * uapi/ktr.h. Every operation goes through ktr_nl_pre_doit(), which refuses
 * callers without ktr_capable() with -EPERM and an extended-ack message.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/module.h>
#include <linux/utsname.h>
#include <net/genetlink.h>
#include <net/netlink.h>

#include "ktr.h"
#include "ktr_compat.h"
#include "ktr_internal.h"

/*
 * Attributes accepted in requests. GET_INFO takes none; the reply-only
 * attributes are listed so strict validation rejects them as input with a
 * precise message rather than an "unknown attribute" one.
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
	if (nla_put_u32(msg, KTR_ATTR_ABI_MAJOR, KTR_ABI_MAJOR) ||
	    nla_put_u32(msg, KTR_ATTR_ABI_MINOR, KTR_ABI_MINOR) ||
	    nla_put_string(msg, KTR_ATTR_MODULE_VERSION, KTR_MODULE_VERSION) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_POSSIBLE, num_possible_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_ONLINE, num_online_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_SUBBUF_SIZE,
			ktr_default_geometry.subbuf_size) ||
	    nla_put_u32(msg, KTR_ATTR_NR_SUBBUFS,
			ktr_default_geometry.nr_subbufs) ||
	    nla_put_string(msg, KTR_ATTR_KERNEL_RELEASE, utsname()->release))
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

static const struct genl_small_ops ktr_nl_ops[] = {
	{
		.cmd	= KTR_CMD_GET_INFO,
		.doit	= ktr_nl_get_info,
	},
};

static struct genl_family ktr_genl_family __ro_after_init = {
	.name		= KTR_GENL_NAME,
	.version	= KTR_GENL_VERSION,
	.maxattr	= KTR_ATTR_MAX,
	.policy		= ktr_nl_policy,
	.netnsok	= false,
	.module		= THIS_MODULE,
	.pre_doit	= ktr_nl_pre_doit,
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
