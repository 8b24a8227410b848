// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probes_block.c - probes on block:block_rq_issue and
 * block:block_rq_complete. Both take a struct request (the same prototype
 * on 6.1 and 6.12); the probes read what ftrace's block_rq /
 * block_rq_completion events read, with the same helpers (dev from the
 * queue's disk, which may be NULL; sector and nr_sector 0 for passthrough
 * requests; rwbs from blk_fill_rwbs()). ioprio (6.12's ftrace records it)
 * is left out: it is not in the 6.1 request.
 */
#include <linux/blk-mq.h>
#include <linux/blkdev.h>
#include <linux/blktrace_api.h>
#include <linux/sched.h>
#include <linux/string.h>
#include <trace/events/block.h>	/* prototypes only: probe type checks */

#include "ktr_events.h"
#include "ktr_probe.h"

static u32 ktr_rq_dev(struct request *rq)
{
	return rq->q->disk ? disk_devt(rq->q->disk) : 0;
}

static void ktr_probe_block_rq_issue(void *data, struct request *rq)
{
	struct ktr_event_block_rq_issue *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_BLOCK_RQ_ISSUE, sizeof(*e));
	if (!e)
		return;
	e->dev = ktr_rq_dev(rq);
	e->sector = blk_rq_trace_sector(rq);
	e->nr_sector = blk_rq_trace_nr_sectors(rq);
	e->bytes = blk_rq_bytes(rq);
	memset(e->rwbs, 0, sizeof(e->rwbs));
	blk_fill_rwbs(e->rwbs, rq->cmd_flags);
	memcpy(e->comm, current->comm, KTR_COMM_LEN);
	ktr_event_end(&ev);
}

static void ktr_probe_block_rq_complete(void *data, struct request *rq,
					blk_status_t error,
					unsigned int nr_bytes)
{
	struct ktr_event_block_rq_complete *e;
	struct ktr_rb_event ev;

	e = ktr_event_begin(&ev, KTR_EVENT_BLOCK_RQ_COMPLETE, sizeof(*e));
	if (!e)
		return;
	e->dev = ktr_rq_dev(rq);
	e->sector = blk_rq_pos(rq);
	e->nr_sector = nr_bytes >> 9;
	e->error = blk_status_to_errno(error);
	memset(e->rwbs, 0, sizeof(e->rwbs));
	blk_fill_rwbs(e->rwbs, rq->cmd_flags);
	ktr_event_end(&ev);
}

#define B_ISSUE		struct ktr_event_block_rq_issue
static const struct ktr_field_desc ktr_rq_issue_fields[] = {
	KTR_INT(B_ISSUE, sector),
	KTR_INT(B_ISSUE, dev),
	KTR_INT(B_ISSUE, nr_sector),
	KTR_INT(B_ISSUE, bytes),
	KTR_CHARS(B_ISSUE, rwbs),
	KTR_CHARS(B_ISSUE, comm),
};

#define B_COMPLETE	struct ktr_event_block_rq_complete
static const struct ktr_field_desc ktr_rq_complete_fields[] = {
	KTR_INT(B_COMPLETE, sector),
	KTR_INT(B_COMPLETE, dev),
	KTR_INT(B_COMPLETE, nr_sector),
	KTR_INT(B_COMPLETE, error),
	KTR_CHARS(B_COMPLETE, rwbs),
};

static struct ktr_event_type ktr_block_events[] = {
	{ .id = KTR_EVENT_BLOCK_RQ_ISSUE, .system = "block",
	  .name = "block_rq_issue", .tp_name = "block_rq_issue",
	  .probe = ktr_probe_block_rq_issue,
	  .fields = ktr_rq_issue_fields,
	  .nr_fields = ARRAY_SIZE(ktr_rq_issue_fields) },
	{ .id = KTR_EVENT_BLOCK_RQ_COMPLETE, .system = "block",
	  .name = "block_rq_complete", .tp_name = "block_rq_complete",
	  .probe = ktr_probe_block_rq_complete,
	  .fields = ktr_rq_complete_fields,
	  .nr_fields = ARRAY_SIZE(ktr_rq_complete_fields) },
};

/* See ktr_probes_sched_check_types(). */
static void ktr_probes_block_check_types(void)
{
	check_trace_callback_type_block_rq_issue(ktr_probe_block_rq_issue);
	check_trace_callback_type_block_rq_complete(ktr_probe_block_rq_complete);
}

const struct ktr_event_group ktr_block_group = {
	.events = ktr_block_events,
	.nr_events = ARRAY_SIZE(ktr_block_events),
	.check_types = ktr_probes_block_check_types,
};
