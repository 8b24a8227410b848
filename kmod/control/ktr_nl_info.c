// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_nl_info.c - KTR_CMD_GET_INFO: the module, its ABI and the trace
 * buffer as it is now (uapi/ktr.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <linux/utsname.h>
#include <net/genetlink.h>

#include "ktr_nl.h"
#include "tracer/ktr_trace.h"

static int ktr_nl_fill_info(struct sk_buff *msg, const void *arg)
{
	struct ktr_trace_state st;

	ktr_trace_get_state(&st);
	if (nla_put_u32(msg, KTR_ATTR_ABI_MAJOR, KTR_ABI_MAJOR) ||
	    nla_put_u32(msg, KTR_ATTR_ABI_MINOR, KTR_ABI_MINOR) ||
	    nla_put_string(msg, KTR_ATTR_MODULE_VERSION, KTR_MODULE_VERSION) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_POSSIBLE, num_possible_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_CPUS_ONLINE, num_online_cpus()) ||
	    nla_put_u32(msg, KTR_ATTR_SUBBUF_SIZE, st.geo.subbuf_size) ||
	    nla_put_u32(msg, KTR_ATTR_NR_SUBBUFS, st.geo.nr_subbufs) ||
	    nla_put_string(msg, KTR_ATTR_KERNEL_RELEASE, utsname()->release) ||
	    nla_put_u32(msg, KTR_ATTR_BUFFER_MODE, st.geo.mode) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_CLOCK_LOCAL_NS, st.clock_local,
			      KTR_ATTR_PAD) ||
	    nla_put_u64_64bit(msg, KTR_ATTR_CLOCK_MONO_NS, st.clock_mono,
			      KTR_ATTR_PAD) ||
	    nla_put_u8(msg, KTR_ATTR_TRACING_ON, st.on))
		return -EMSGSIZE;
	return 0;
}

int ktr_nl_get_info(struct sk_buff *skb, struct genl_info *info)
{
	return ktr_nl_reply(info, KTR_CMD_GET_INFO, ktr_nl_fill_info, NULL);
}
