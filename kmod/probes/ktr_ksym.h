/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ktr_ksym.h - kernel symbols by name (ktr_ksym.c), for the @SYM fetch
 * arguments of probe definitions.
 */
#ifndef _KTR_KSYM_H
#define _KTR_KSYM_H

void ktr_ksym_init(void);
bool ktr_ksym_available(void);
unsigned long ktr_ksym_lookup(const char *name);

#endif /* _KTR_KSYM_H */
