// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_sample_tracer.c - how to write a ktr tracer module.
 *
 * Registers the tracer "sample" with ktr.ko (ktr/tracer.h). When it is the
 * current tracer (`ktr tracer set sample --opt tag=7 --opt period_ms=10`)
 * it records "sample:tick" events, decoded by ktr-read with no change to
 * the tools:
 *   - one per timer period (option period_ms; 0: no timer), from the timer;
 *   - N at once when N is written to
 *     /sys/module/ktr_sample_tracer/parameters/fire, from the writer.
 * Each tick carries a sequence number, the tag option, where it came from
 * (0: fire, 1: timer) and the CPU.
 *
 * It may be unloaded at any time, current or not: its exit unregisters the
 * tracer, which stops it first (nop becomes current). While it is loaded,
 * ktr.ko cannot be unloaded (it uses ktr's symbols).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/smp.h>
#include <linux/timer.h>

#include <ktr/tracer.h>

/* The payload of a sample:tick event. */
struct ktr_sample_tick {
	struct ktr_event_common common;
	u64 seq;
	u64 tag;
	u32 source;	/* 0: a write to "fire", 1: the timer */
	u32 cpu;
};

#define M_TICK struct ktr_sample_tick
static const struct ktr_field_desc ktr_sample_tick_fields[] = {
	KTR_INT(M_TICK, seq),
	KTR_INT(M_TICK, tag),
	KTR_INT(M_TICK, source),
	KTR_INT(M_TICK, cpu),
};

static struct ktr_tracer_event ktr_sample_events[] = {
	{ .name = "tick", .fields = ktr_sample_tick_fields,
	  .nr_fields = ARRAY_SIZE(ktr_sample_tick_fields) },
};

enum { OPT_TAG, OPT_PERIOD_MS };

static const struct ktr_tracer_option ktr_sample_options[] = {
	[OPT_TAG] = { .name = "tag", .type = KTR_TRACER_OPT_U64, .def = "0",
		      .description = "a number copied into every tick" },
	[OPT_PERIOD_MS] = { .name = "period_ms", .type = KTR_TRACER_OPT_U64,
			    .def = "0", .max = 1000,
			    .description = "a tick from a timer every N ms (0: none)" },
};

static atomic64_t ktr_sample_seq;
static u64 ktr_sample_tag;
static unsigned long ktr_sample_period;	/* jiffies; 0: no timer */
static bool ktr_sample_running;
/* Read-only: 1 between start and stop (`ktr start`/`ktr stop` switch it). */
module_param_named(running, ktr_sample_running, bool, 0444);
MODULE_PARM_DESC(running, "1 while the tracer is started");
static struct timer_list ktr_sample_timer;
/* Held by a write to fire while it records: stop waits for it. */
static DEFINE_MUTEX(ktr_sample_fire_lock);

static void ktr_sample_tick(u32 source)
{
	struct ktr_sample_tick *e;
	struct ktr_tracer_rec rec;

	e = ktr_tracer_reserve(&rec, &ktr_sample_events[0], sizeof(*e));
	if (!e)
		return;
	e->seq = atomic64_inc_return(&ktr_sample_seq);
	e->tag = ktr_sample_tag;
	e->source = source;
	e->cpu = smp_processor_id();
	ktr_tracer_commit(&rec);
}

static void ktr_sample_timer_fn(struct timer_list *t)
{
	ktr_sample_tick(1);
	mod_timer(&ktr_sample_timer, jiffies + ktr_sample_period);
}

static int ktr_sample_init(const union ktr_tracer_value *vals,
			   struct netlink_ext_ack *extack)
{
	ktr_sample_tag = vals[OPT_TAG].u;
	ktr_sample_period = vals[OPT_PERIOD_MS].u ?
			    max(1UL, msecs_to_jiffies(vals[OPT_PERIOD_MS].u)) : 0;
	atomic64_set(&ktr_sample_seq, 0);
	return 0;
}

static int ktr_sample_start(void)
{
	WRITE_ONCE(ktr_sample_running, true);
	if (ktr_sample_period)
		mod_timer(&ktr_sample_timer, jiffies + ktr_sample_period);
	return 0;
}

/* When this returns, no tick is being written (ktr/tracer.h). */
static void ktr_sample_stop(void)
{
	WRITE_ONCE(ktr_sample_running, false);
	mutex_lock(&ktr_sample_fire_lock);	/* a write to fire is done */
	mutex_unlock(&ktr_sample_fire_lock);
	del_timer_sync(&ktr_sample_timer);
}

static struct ktr_tracer ktr_sample_tracer = {
	.name = "sample",
	.description =
		"ktr's sample tracer module: ticks from a timer or from writes to its fire parameter",
	.owner = THIS_MODULE,
	.options = ktr_sample_options,
	.nr_options = ARRAY_SIZE(ktr_sample_options),
	.events = ktr_sample_events,
	.nr_events = ARRAY_SIZE(ktr_sample_events),
	.init = ktr_sample_init,
	.start = ktr_sample_start,
	.stop = ktr_sample_stop,
};

/* Writing N to the "fire" parameter records N ticks (when running). */
static int ktr_sample_fire(const char *val, const struct kernel_param *kp)
{
	unsigned int n, i;
	int ret = kstrtouint(val, 0, &n);

	if (ret)
		return ret;
	if (n > 100000)
		return -ERANGE;
	mutex_lock(&ktr_sample_fire_lock);
	for (i = 0; i < n && READ_ONCE(ktr_sample_running); i++)
		ktr_sample_tick(0);
	mutex_unlock(&ktr_sample_fire_lock);
	return 0;
}

static const struct kernel_param_ops ktr_sample_fire_ops = {
	.set = ktr_sample_fire,
};
module_param_cb(fire, &ktr_sample_fire_ops, NULL, 0200);
MODULE_PARM_DESC(fire, "write N: record N ticks now");

static int __init ktr_sample_mod_init(void)
{
	timer_setup(&ktr_sample_timer, ktr_sample_timer_fn, 0);
	return ktr_register_tracer(&ktr_sample_tracer);
}

static void __exit ktr_sample_mod_exit(void)
{
	ktr_unregister_tracer(&ktr_sample_tracer);
}

module_init(ktr_sample_mod_init);
module_exit(ktr_sample_mod_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("ktr sample tracer module");
