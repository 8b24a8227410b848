/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_raw.h - raw attach (ktr_raw.c): any tracepoint, by name, recorded
 * as an event of the registry (ktr_events.h) with its raw arguments.
 */
#ifndef _KTR_RAW_H
#define _KTR_RAW_H

struct netlink_ext_ack;

int ktr_raw_init(void);
void ktr_raw_exit(void);
int ktr_raw_attach(const char *name, unsigned int nargs,
		   struct netlink_ext_ack *extack);
int ktr_raw_detach(const char *name, struct netlink_ext_ack *extack);

#endif /* _KTR_RAW_H */
