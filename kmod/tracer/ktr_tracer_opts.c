// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_tracer_opts.c - a tracer's definition checked and its options parsed
 * against its own table (the registry, ktr_tracer.c, calls these; nothing
 * here takes a lock or keeps state).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/netlink.h>

#include "ktr_compat.h"
#include "ktr_tracer.h"

/* [a-z0-9_]+ of fewer than @max bytes. */
static bool ktr_tracer_name_ok(const char *name, size_t max)
{
	size_t i, n = name ? strnlen(name, max) : 0;

	if (!n || n >= max)
		return false;
	for (i = 0; i < n; i++)
		if (!islower(name[i]) && !isdigit(name[i]) && name[i] != '_')
			return false;
	return true;
}

/* Exactly one of the words a bool option accepts. */
static int ktr_tracer_parse_bool(const char *s, bool *b)
{
	static const char *const yes[] = { "1", "y", "yes", "true", "on" };
	static const char *const no[] = { "0", "n", "no", "false", "off" };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(yes); i++) {
		if (!strcmp(s, yes[i])) {
			*b = true;
			return 0;
		}
		if (!strcmp(s, no[i])) {
			*b = false;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * Parse @text as option @opt's value into @val (a string points at @text).
 * Return: 0, -EINVAL (not of the type) or -ERANGE.
 */
static int ktr_tracer_parse_value(const struct ktr_tracer_option *opt,
				  const char *text, union ktr_tracer_value *val)
{
	int ret;

	switch (opt->type) {
	case KTR_TRACER_OPT_BOOL:
		return ktr_tracer_parse_bool(text, &val->b);
	case KTR_TRACER_OPT_U64:
		ret = kstrtou64(text, 0, &val->u);
		if (ret)
			return ret;
		if (val->u < opt->min || (opt->max && val->u > opt->max))
			return -ERANGE;
		return 0;
	case KTR_TRACER_OPT_STRING:
		if (strlen(text) >= KTR_TRACER_OPT_VALUE_MAX)
			return -ERANGE;
		val->s = text;
		return 0;
	}
	return -EINVAL;
}

/* The default value of @o, as text. */
const char *ktr_tracer_option_default(const struct ktr_tracer_option *o)
{
	if (o->def)
		return o->def;
	return o->type == KTR_TRACER_OPT_STRING ? "" : "0";
}

/* Whether @t is a tracer ktr can list and run. */
int ktr_tracer_check(const struct ktr_tracer *t)
{
	union ktr_tracer_value v;
	unsigned int i, j;

	if (!ktr_tracer_name_ok(t->name, KTR_TRACER_NAME_MAX) ||
	    !t->description || strlen(t->description) >= KTR_TRACER_DESC_MAX ||
	    t->nr_options > KTR_TRACER_OPTS_MAX || (t->nr_options && !t->options) ||
	    t->nr_events > KTR_TRACER_EVENTS_MAX || (t->nr_events && !t->events))
		return -EINVAL;
	for (i = 0; i < t->nr_options; i++) {
		const struct ktr_tracer_option *o = &t->options[i];

		if (!ktr_tracer_name_ok(o->name, KTR_TRACER_NAME_MAX) ||
		    !o->description ||
		    strlen(o->description) >= KTR_TRACER_DESC_MAX ||
		    ktr_tracer_parse_value(o, ktr_tracer_option_default(o), &v))
			return -EINVAL;
		for (j = 0; j < i; j++)
			if (!strcmp(o->name, t->options[j].name))
				return -EINVAL;
	}
	for (i = 0; i < t->nr_events; i++) {
		const struct ktr_tracer_event *e = &t->events[i];

		if (!ktr_tracer_name_ok(e->name, KTR_EVENT_NAME_MAX) ||
		    (e->nr_fields && !e->fields))
			return -EINVAL;
	}
	return 0;
}

/*
 * The values of @t's options from @set (the others at their default) into
 * @vals, their text (owned) into @text.
 */
int ktr_tracer_values(const struct ktr_tracer *t,
		      const struct ktr_tracer_setting *set,
		      unsigned int nr_set, union ktr_tracer_value *vals,
		      char **text, struct netlink_ext_ack *extack)
{
	unsigned int i, j;
	int ret;

	for (j = 0; j < nr_set; j++) {
		for (i = 0; i < t->nr_options; i++)
			if (!strcmp(set[j].key, t->options[i].name))
				break;
		if (i == t->nr_options) {
			KTR_ERR_MSG_FMT(extack,
					"unknown option for this tracer (see 'ktr tracer list')",
					"tracer %s has no option '%s' (see 'ktr tracer list')",
					t->name, set[j].key);
			return -EINVAL;
		}
		if (text[i]) {
			KTR_ERR_MSG_FMT(extack, "an option is given twice",
					"option '%s' is given twice", set[j].key);
			return -EINVAL;
		}
		text[i] = kstrdup(set[j].value, GFP_KERNEL);
		if (!text[i])
			return -ENOMEM;
	}
	for (i = 0; i < t->nr_options; i++) {
		const struct ktr_tracer_option *o = &t->options[i];

		if (!text[i]) {
			text[i] = kstrdup(ktr_tracer_option_default(o),
					  GFP_KERNEL);
			if (!text[i])
				return -ENOMEM;
		}
		ret = ktr_tracer_parse_value(o, text[i], &vals[i]);
		if (ret == -ERANGE) {
			KTR_ERR_MSG_FMT(extack, "an option value is out of range",
					"option '%s' is out of range (%llu..%llu, or shorter text)",
					o->name, o->min, o->max ? o->max : U64_MAX);
			return ret;
		}
		if (ret) {
			KTR_ERR_MSG_FMT(extack,
					"an option value is not of the option's type",
					"option '%s' takes %s", o->name,
					o->type == KTR_TRACER_OPT_BOOL ?
					"a boolean (0/1, yes/no, true/false, on/off)" :
					"a number");
			return -EINVAL;
		}
	}
	return 0;
}
