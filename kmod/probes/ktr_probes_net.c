// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_net.c - probes on net:net_dev_xmit and net:netif_receive_skb.
 * net_dev_xmit fires after the driver took the skb, which may be freed
 * already: its address is recorded, never dereferenced (the length comes
 * as an argument). netif_receive_skb's skb is live: its len and device.
 */
#include <linux/netdevice.h>
#include <linux/skbuff.h>
#include <linux/string.h>
#include <trace/events/net.h>	/* prototypes only: probe type checks */

#include "ktr_events.h"
#include "ktr_probe.h"

static void ktr_probe_net_dev_xmit(void *data, struct sk_buff *skb, int rc,
				   struct net_device *dev,
				   unsigned int skb_len)
{
	struct ktr_event_net_dev_xmit *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_NET_DEV_XMIT, sizeof(*e));
	if (!e)
		return;
	e->skbaddr = (unsigned long)skb;
	e->len = skb_len;
	e->rc = rc;
	memcpy(e->name, dev->name, KTR_IFNAMSIZ);
	ktr_event_end(&ev);
}

static void ktr_probe_netif_receive_skb(void *data, struct sk_buff *skb)
{
	struct ktr_event_netif_receive_skb *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_NETIF_RECEIVE_SKB, sizeof(*e));
	if (!e)
		return;
	e->skbaddr = (unsigned long)skb;
	e->len = skb->len;
	if (skb->dev)
		memcpy(e->name, skb->dev->name, KTR_IFNAMSIZ);
	else
		memset(e->name, 0, KTR_IFNAMSIZ);
	ktr_event_end(&ev);
}

#define N_XMIT		struct ktr_event_net_dev_xmit
static const struct ktr_field_desc ktr_net_dev_xmit_fields[] = {
	KTR_INT(N_XMIT, skbaddr),
	KTR_INT(N_XMIT, len),
	KTR_INT(N_XMIT, rc),
	KTR_CHARS(N_XMIT, name),
};

#define N_RECV		struct ktr_event_netif_receive_skb
static const struct ktr_field_desc ktr_netif_receive_skb_fields[] = {
	KTR_INT(N_RECV, skbaddr),
	KTR_INT(N_RECV, len),
	KTR_CHARS(N_RECV, name),
};

static struct ktr_event_type ktr_net_events[] = {
	{ .id = KTR_EVENT_NET_DEV_XMIT, .system = "net",
	  .name = "net_dev_xmit", .tp_name = "net_dev_xmit",
	  .probe = ktr_probe_net_dev_xmit,
	  .fields = ktr_net_dev_xmit_fields,
	  .nr_fields = ARRAY_SIZE(ktr_net_dev_xmit_fields) },
	{ .id = KTR_EVENT_NETIF_RECEIVE_SKB, .system = "net",
	  .name = "netif_receive_skb", .tp_name = "netif_receive_skb",
	  .probe = ktr_probe_netif_receive_skb,
	  .fields = ktr_netif_receive_skb_fields,
	  .nr_fields = ARRAY_SIZE(ktr_netif_receive_skb_fields) },
};

/* See ktr_probes_sched_check_types(). */
static void ktr_probes_net_check_types(void)
{
	check_trace_callback_type_net_dev_xmit(ktr_probe_net_dev_xmit);
	check_trace_callback_type_netif_receive_skb(ktr_probe_netif_receive_skb);
}

const struct ktr_event_group ktr_net_group = {
	.events = ktr_net_events,
	.nr_events = ARRAY_SIZE(ktr_net_events),
	.check_types = ktr_probes_net_check_types,
};
