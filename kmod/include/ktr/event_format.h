/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr/event_format.h - how an event's payload is described to user space
 * (KTR_CMD_LIST_EVENTS, uapi/ktr.h): one struct ktr_field_desc per field.
 *
 * Shared by ktr's own events (kmod/probes/ktr_events.h) and the events of
 * tracer modules (ktr/tracer.h); installed with it.
 */
#ifndef _KTR_EVENT_FORMAT_H
#define _KTR_EVENT_FORMAT_H

#include <linux/compiler.h>
#include <linux/stddef.h>
#include <linux/types.h>

#include "ktr.h"
#include "ktr_event.h"

/**
 * struct ktr_field_desc - one field of a payload, as user space decodes it
 * @name: the field's name.
 * @type: enum ktr_field_type (uapi/ktr.h).
 * @offset: bytes from the payload's start (struct ktr_event_common
 *	included).
 * @size: bytes (0 for KTR_FIELD_REST_*).
 * @is_signed: a signed integer.
 * @display: enum ktr_field_display: KTR_DISPLAY_SYMBOL shows a kernel
 *	address as symbol+offset, KTR_DISPLAY_HEX as 0x...
 */
struct ktr_field_desc {
	const char *name;
	u32 type;
	u32 offset;
	u32 size;
	bool is_signed;
	u32 display;
};

#define KTR_INT(st, m) {						\
	.name = #m, .type = KTR_FIELD_INT, .offset = offsetof(st, m),	\
	.size = sizeof(((st *)0)->m),					\
	.is_signed = is_signed_type(typeof(((st *)0)->m)) }
/* An integer listed under another name (array elements: "args0"). */
#define KTR_INT_AS(st, m, n) {						\
	.name = (n), .type = KTR_FIELD_INT, .offset = offsetof(st, m),	\
	.size = sizeof(((st *)0)->m),					\
	.is_signed = is_signed_type(typeof(((st *)0)->m)) }
/* A kernel address, shown as symbol+offset. */
#define KTR_SYM(st, m) {						\
	.name = #m, .type = KTR_FIELD_INT, .offset = offsetof(st, m),	\
	.size = sizeof(((st *)0)->m), .is_signed = false,		\
	.display = KTR_DISPLAY_SYMBOL }
#define KTR_CHARS(st, m) {						\
	.name = #m, .type = KTR_FIELD_CHAR_ARRAY,			\
	.offset = offsetof(st, m), .size = sizeof(((st *)0)->m),	\
	.is_signed = false }
/* Text after the struct, to the end of the payload. */
#define KTR_REST(st, n) {						\
	.name = (n), .type = KTR_FIELD_REST_STRING,			\
	.offset = sizeof(st), .size = 0, .is_signed = false }
/* 64-bit values after the struct, to the end of the payload. */
#define KTR_REST_U64(st, n) {						\
	.name = (n), .type = KTR_FIELD_REST_U64,			\
	.offset = sizeof(st), .size = 0, .is_signed = false }

#endif /* _KTR_EVENT_FORMAT_H */
