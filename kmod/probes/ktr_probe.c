// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_probe.c - the buffer every probe writes to (ktr_probe.h).
 *
 * The trace session owns the buffer and tells the probes which one it is;
 * the probes never call up into the session.
 */
#include "ktr_probe.h"

struct ktr_rb __rcu *ktr_probe_rb;

/**
 * ktr_probe_set_buffer - the buffer probes write to from now on
 * @rb: the buffer, or NULL (probes then must not run: unload).
 *
 * Context: the trace session's lock held; the caller waits a grace
 * period before it frees the previous buffer.
 */
void ktr_probe_set_buffer(struct ktr_rb *rb)
{
	rcu_assign_pointer(ktr_probe_rb, rb);
}
