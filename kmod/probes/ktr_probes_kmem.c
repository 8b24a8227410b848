// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_kmem.c - probes on kmem:kmalloc and kmem:kfree (the same
 * prototypes on 6.1 and 6.12: kmalloc carries the node since 6.1).
 *
 * Recursion: these fire inside the allocator, so the probes record
 * scalars only (ptr is never dereferenced) and neither allocate nor free:
 * the ring buffer does neither.
 */
#include <linux/gfp.h>
#include <linux/slab.h>
#include <trace/events/kmem.h>	/* prototypes only: probe type checks */

#include "ktr_events.h"
#include "ktr_probe.h"

static void ktr_probe_kmalloc(void *data, unsigned long call_site,
			      const void *ptr, size_t bytes_req,
			      size_t bytes_alloc, gfp_t gfp_flags, int node)
{
	struct ktr_event_kmalloc *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_KMALLOC, sizeof(*e));
	if (!e)
		return;
	e->call_site = call_site;
	e->ptr = (unsigned long)ptr;
	e->bytes_req = bytes_req;
	e->bytes_alloc = bytes_alloc;
	e->gfp_flags = (__force u32)gfp_flags;
	e->node = node;
	ktr_event_end(&ev);
}

static void ktr_probe_kfree(void *data, unsigned long call_site,
			    const void *ptr)
{
	struct ktr_event_kfree *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_KFREE, sizeof(*e));
	if (!e)
		return;
	e->call_site = call_site;
	e->ptr = (unsigned long)ptr;
	ktr_event_end(&ev);
}

#define K_MALLOC	struct ktr_event_kmalloc
static const struct ktr_field_desc ktr_kmalloc_fields[] = {
	KTR_INT(K_MALLOC, call_site),
	KTR_INT(K_MALLOC, ptr),
	KTR_INT(K_MALLOC, bytes_req),
	KTR_INT(K_MALLOC, bytes_alloc),
	KTR_INT(K_MALLOC, gfp_flags),
	KTR_INT(K_MALLOC, node),
};

#define K_FREE		struct ktr_event_kfree
static const struct ktr_field_desc ktr_kfree_fields[] = {
	KTR_INT(K_FREE, call_site),
	KTR_INT(K_FREE, ptr),
};

static struct ktr_event_type ktr_kmem_events[] = {
	{ .id = KTR_EVENT_KMALLOC, .system = "kmem",
	  .name = "kmalloc", .tp_name = "kmalloc",
	  .probe = ktr_probe_kmalloc,
	  .fields = ktr_kmalloc_fields,
	  .nr_fields = ARRAY_SIZE(ktr_kmalloc_fields) },
	{ .id = KTR_EVENT_KFREE, .system = "kmem",
	  .name = "kfree", .tp_name = "kfree",
	  .probe = ktr_probe_kfree,
	  .fields = ktr_kfree_fields,
	  .nr_fields = ARRAY_SIZE(ktr_kfree_fields) },
};

/* See ktr_probes_sched_check_types(). */
static void ktr_probes_kmem_check_types(void)
{
	check_trace_callback_type_kmalloc(ktr_probe_kmalloc);
	check_trace_callback_type_kfree(ktr_probe_kfree);
}

const struct ktr_event_group ktr_kmem_group = {
	.events = ktr_kmem_events,
	.nr_events = ARRAY_SIZE(ktr_kmem_events),
	.check_types = ktr_probes_kmem_check_types,
};
