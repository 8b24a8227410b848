/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * ktr.h - the ABI between the ktr kernel module and its user-space tools.
 *
 * This header is included by the module (with __KERNEL__ defined) and by
 * user space (plain C or C++). It holds nothing but ABI: numbers, names and
 * fixed-width types. Numbers are never reused: a retired command, attribute
 * or ioctl keeps its slot, marked "reserved", forever.
 *
 * ABI versioning
 * --------------
 * KTR_ABI_MAJOR changes when an existing command, attribute or layout changes
 * meaning; a tool must refuse to talk to a module of another major.
 * KTR_ABI_MINOR grows when something is added; a tool built against minor N
 * works with a module of minor >= N and must tolerate unknown attributes.
 * Every struct shared through this header starts with a __u32 size field.
 *
 * Control plane: the "ktr" generic netlink family
 * -----------------------------------------------
 * Family name KTR_GENL_NAME, version KTR_GENL_VERSION. User space resolves the
 * family id with CTRL_CMD_GETFAMILY (libnl: genl_ctrl_resolve()). If the
 * family does not exist the module is not loaded.
 *
 * Permissions: every command requires CAP_PERFMON or CAP_SYS_ADMIN in the
 * initial user namespace (a tracer sees the whole kernel). Without it the
 * kernel answers -EPERM with an extended-ack message saying so.
 * Commands that change state are additionally flagged GENL_ADMIN_PERM,
 * which the netlink core checks as CAP_NET_ADMIN.
 *
 * Requests use strict validation (unknown attributes are rejected with
 * -EINVAL and an extended-ack message naming the attribute).
 *
 * KTR_CMD_GET_INFO (do)
 *   Request:  no attributes.
 *   Reply:    KTR_CMD_GET_INFO with
 *     KTR_ATTR_ABI_MAJOR         u32     ABI major of the module
 *     KTR_ATTR_ABI_MINOR         u32     ABI minor of the module
 *     KTR_ATTR_MODULE_VERSION    string  module version, e.g. "0.1.0"
 *     KTR_ATTR_CPUS_POSSIBLE     u32     num_possible_cpus()
 *     KTR_ATTR_CPUS_ONLINE       u32     num_online_cpus()
 *     KTR_ATTR_SUBBUF_SIZE       u32     default sub-buffer size, bytes
 *     KTR_ATTR_NR_SUBBUFS        u32     default sub-buffers per CPU
 *     KTR_ATTR_KERNEL_RELEASE    string  utsname()->release of the kernel
 *
 * KTR_CMD_SELFTEST (do; GENL_ADMIN_PERM; ABI minor 1)
 *   Runs the in-kernel self-test and stress of the ring buffer on a buffer
 *   instance of its own (tracing state is not touched): one writer kthread
 *   bound to each online CPU, a hard-irq hrtimer per CPU writing on top of
 *   it (nested), periodic flushes on every CPU, and a reader kthread that
 *   takes and checks every sub-buffer concurrently. Every record is decoded
 *   and checked (checksum, per-writer sequence, per-CPU time order, time
 *   equal to the one the writer embedded, loss accounted exactly). The
 *   request blocks for the duration plus a short drain; tools must wait
 *   longer than the duration for the reply. One self-test at a time: a
 *   second request meanwhile fails with -EBUSY.
 *   Request (all optional):
 *     KTR_ATTR_SELFTEST_MODE         u32  enum ktr_rb_mode (ktr_ringbuf.h);
 *                                         default KTR_RB_MODE_DISCARD
 *     KTR_ATTR_SELFTEST_SUBBUF_SIZE  u32  bytes, power of two in
 *                                         [KTR_SUBBUF_SIZE_MIN, _MAX];
 *                                         default: the module's default
 *     KTR_ATTR_SELFTEST_NR_SUBBUFS   u32  power of two in
 *                                         [KTR_NR_SUBBUFS_MIN, _MAX];
 *                                         default: the module's default
 *     KTR_ATTR_SELFTEST_DURATION_MS  u32  [KTR_SELFTEST_DURATION_MS_MIN,
 *                                         _MAX]; default
 *                                         KTR_SELFTEST_DURATION_MS_DEFAULT
 *     Bad values start nothing and fail with an extended-ack message that
 *     names the attribute (or points at it: NLMSGERR_ATTR_OFFS): out of
 *     range (checked by the policy): -ERANGE; mode unknown: -EINVAL or
 *     -ERANGE; not a power of two, or a buffer larger than
 *     KTR_SELFTEST_BYTES_PER_CPU_MAX per CPU: -EINVAL.
 *   Reply:    KTR_CMD_SELFTEST with the four request attributes (values
 *     used) and, summed over the CPUs under test:
 *     KTR_ATTR_SELFTEST_CPUS              u32  CPUs under test
 *     KTR_ATTR_SELFTEST_ELAPSED_MS        u32  time the writers ran
 *     KTR_ATTR_SELFTEST_WRITTEN           u64  events offered to the ring
 *     KTR_ATTR_SELFTEST_READ              u64  events read and checked
 *     KTR_ATTR_SELFTEST_BYTES             u64  record bytes committed
 *     KTR_ATTR_SELFTEST_LOST_FULL         u64  lost: no room (see
 *     KTR_ATTR_SELFTEST_LOST_OVERWRITTEN  u64  lost: recycled   struct
 *     KTR_ATTR_SELFTEST_LOST_NESTING      u64  lost: nesting    ktr_rb_cpu_
 *     KTR_ATTR_SELFTEST_LOST_DISABLED     u64  lost: disabled   stats)
 *     KTR_ATTR_SELFTEST_LOST_REPORTED     u64  sum of the lost fields of the
 *                                              sub-buffer headers read
 *     KTR_ATTR_SELFTEST_BUFFERED          u64  still buffered at the end
 *     KTR_ATTR_SELFTEST_SUBBUFS_READ      u64  sub-buffers read
 *     KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN u64 sub-buffers recycled unread
 *     KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN   u64  events offered by the hrtimers
 *     KTR_ATTR_SELFTEST_NESTED            u64  of those, written while the
 *                                              CPU's kthread was between
 *                                              reserve and commit
 *     KTR_ATTR_SELFTEST_FLUSHES           u64  flush rounds (all CPUs)
 *     KTR_ATTR_SELFTEST_LONG_EVENTS       u64  events read in the "length in
 *                                              the next word" form
 *     KTR_ATTR_SELFTEST_TIME_RECORDS      u64  TIME_EXTEND + TIME_STAMP
 *                                              records read
 *     KTR_ATTR_SELFTEST_ERRORS            u64  problems found; 0 is a pass
 *     KTR_ATTR_SELFTEST_ERROR             string  the first problem (only
 *                                              when ERRORS > 0)
 *   The test passes when ERRORS is 0; it then also holds that WRITTEN ==
 *   READ + LOST_FULL + LOST_OVERWRITTEN + LOST_NESTING + LOST_DISABLED and
 *   BUFFERED == 0. A test that ran answers 0 even if it found errors; an
 *   error code means it could not run (-EBUSY, -ENOMEM, -EINVAL).
 *
 * KTR_CMD_GET_INFO also answers, from ABI minor 2, with the trace buffer
 * the module created at load time:
 *     KTR_ATTR_BUFFER_MODE       u32     enum ktr_rb_mode of the buffer
 *     KTR_ATTR_CLOCK_LOCAL_NS    u64     the record clock (local_clock())
 *     KTR_ATTR_CLOCK_MONO_NS     u64     CLOCK_MONOTONIC at the same instant
 *   A record at time ts happened at CLOCK_MONOTONIC
 *   CLOCK_MONO_NS + (ts - CLOCK_LOCAL_NS). The same pair is in every
 *   stream's meta page.
 *
 * KTR_CMD_LIST_EVENTS (dump; ABI minor 3)
 *   Request:  no attributes.
 *   Reply:    one KTR_CMD_LIST_EVENTS message per event type the module
 *     knows, in id order:
 *     KTR_ATTR_EVENT_ID          u32     enum ktr_event_id (ktr_event.h)
 *     KTR_ATTR_EVENT_SYSTEM      string  e.g. "sched" ("ktr" for markers)
 *     KTR_ATTR_EVENT_NAME        string  e.g. "sched_switch"
 *     KTR_ATTR_EVENT_AVAILABLE   u8      1: the running kernel has its
 *                                        tracepoint (markers: always)
 *     KTR_ATTR_EVENT_ENABLED     u8      1: recording
 *     KTR_ATTR_EVENT_FIELDS      nested  the payload layout, one
 *       KTR_ATTR_FIELD           nested  per field, in payload order:
 *         KTR_ATTR_FIELD_NAME    string
 *         KTR_ATTR_FIELD_TYPE    u32     enum ktr_field_type
 *         KTR_ATTR_FIELD_OFFSET  u32     bytes from the payload start
 *         KTR_ATTR_FIELD_SIZE    u32     bytes (0 for KTR_FIELD_REST_STRING)
 *         KTR_ATTR_FIELD_SIGNED  u8      1: a signed integer
 *     Every payload starts with struct ktr_event_common, listed as the
 *     fields common_id, common_flags and common_pid.
 *
 * KTR_CMD_ENABLE_EVENTS, KTR_CMD_DISABLE_EVENTS (do; GENL_ADMIN_PERM;
 * ABI minor 3)
 *   Request:
 *     KTR_ATTR_EVENT_GLOB        string  required, < KTR_EVENT_GLOB_MAX
 *                                        bytes: an event name, a shell
 *                                        glob over names ("sched_*", "*"),
 *                                        or "system:glob" ("sched:*": the
 *                                        system matched exactly)
 *   Reply:    KTR_CMD_ENABLE_EVENTS / KTR_CMD_DISABLE_EVENTS with
 *     KTR_ATTR_EVENT_COUNT       u32     matching events now enabled /
 *                                        disabled (markers and events this
 *                                        kernel lacks are not counted)
 *   A probe is registered on an event's tracepoint only while the event is
 *   enabled, so the kernel's tracepoint stays a NOP otherwise. Errors:
 *   -ENOENT "no event matches" (nothing changes); -EOPNOTSUPP when the glob
 *   names only events that cannot be switched: markers (always on: they
 *   are written on purpose) and events whose tracepoint this kernel lacks.
 *   On a registration failure, the events this request enabled are
 *   disabled again. Names (events, systems, fields) are shorter than
 *   KTR_EVENT_NAME_MAX. Event ids fit 16 bits (the payload's common id). A
 *   tool meeting a field type it does not know cannot decode that event.
 *   Permissions: like every state change, these need CAP_NET_ADMIN
 *   (GENL_ADMIN_PERM) besides CAP_PERFMON or CAP_SYS_ADMIN.
 *
 * KTR_CMD_ATTACH_RAW (do; GENL_ADMIN_PERM)
 *   Raw attach: records the raw arguments of any kernel tracepoint, found
 *   by name in vmlinux or in a loaded module (the kernel's tracepoint
 *   module notifier keeps ktr's list of module tracepoints current).
 *   Request:
 *     KTR_ATTR_RAW_TRACEPOINT    string  required, < KTR_EVENT_NAME_MAX
 *                                        bytes: the tracepoint's bare name
 *                                        ("sys_enter", not
 *                                        "raw_syscalls:sys_enter"); vmlinux
 *                                        is searched first, then modules
 *                                        in load order
 *     KTR_ATTR_RAW_NARGS         u32     arguments to record, 0..
 *                                        KTR_RAW_NARGS_MAX; default
 *                                        KTR_RAW_NARGS_MAX
 *   Reply: an ack. The attach creates an event type, listed by
 *   KTR_CMD_LIST_EVENTS: system "raw", name the tracepoint's, id the next
 *   of KTR_EVENT_RAW_FIRST.. (ktr_event.h; never reused while the module
 *   stays loaded), fields arg0..arg<N-1>, each an unsigned 8-byte
 *   KTR_FIELD_INT at offset 8 + 8 * i. The event is enabled at once; it
 *   can be disabled and enabled again like any event ("raw:NAME").
 *   Argument i is the tracepoint's i-th TP_PROTO argument as a register
 *   word: integers narrower than 64 bits, bool and char may carry garbage
 *   in their upper bits; pointers are addresses, never dereferenced.
 *   Arguments beyond the tracepoint's own are meaningless (ask for as many
 *   as its TP_PROTO has). The arguments are taken from the calling
 *   convention (x86-64, arm64): what the kernel's own tracepoint callers
 *   pass a probe. A curated event's tracepoint can be attached raw too.
 *   When the module owning an attached tracepoint is unloaded, the probe
 *   is removed first and the event stays listed, unavailable (recording
 *   nothing); if a module with a tracepoint of that name is loaded again,
 *   the event is attached to it again, enabled if it was when the module
 *   went away. At most KTR_RAW_EVENTS_MAX raw events at a time.
 *   Errors (extack message each; nothing changes): -ENOENT no tracepoint
 *   of that name (a module's tracepoint cannot be attached before the
 *   module is loaded); -EEXIST already attached raw; -ENOSPC
 *   KTR_RAW_EVENTS_MAX reached, or the id range used up (reload ktr);
 *   -ERANGE nargs above KTR_RAW_NARGS_MAX; -EINVAL name missing or empty;
 *   a name too long or an attribute of the wrong size is refused by the
 *   policy (-ERANGE or -EINVAL); -ENOMEM; a registration failure's errno.
 *
 * KTR_CMD_DETACH_RAW (do; GENL_ADMIN_PERM)
 *   Request:
 *     KTR_ATTR_RAW_TRACEPOINT    string  required: the name given to
 *                                        KTR_CMD_ATTACH_RAW
 *   Reply: an ack. The probe is removed, running probes are waited for,
 *   and the event type disappears from the list (its id is not reused).
 *   Errors: -ENOENT no raw event of that name; -EINVAL name missing.
 *
 * Data plane: the character device KTR_DEVICE_PATH (ABI minor 2)
 * -------------------------------------------------------------
 * Mode 0600; open() additionally requires CAP_PERFMON or CAP_SYS_ADMIN.
 *
 * write(2) on the device records a marker event (uapi/ktr_event.h) on the
 * writer's CPU: 1..KTR_MARKER_MAX bytes per call. Errors: -EINVAL (too
 * long), -EFAULT, -ENOSPC (buffer full in discard mode: the event is
 * counted as lost_full), -ENODEV (buffer disabled: counted as
 * lost_disabled), -ELOOP (nested too deeply: lost_nesting).
 *
 * Streams. ioctl(KTR_IOC_STREAM_OPEN) on the device returns a new file
 * descriptor (O_RDONLY | O_CLOEXEC) for the ring of one CPU. One stream
 * per CPU at a time (-EBUSY otherwise; a mapping keeps its stream open
 * after close() until munmap()); a possible CPU may be offline. The device
 * fd must be open for reading (-EBADF: an O_WRONLY fd writes markers only).
 * Arguments are extensible structs: @size at least the first version's
 * (*_SIZE_VER0, else -EINVAL), at most a page (-E2BIG), bytes beyond what
 * the module knows zero (-E2BIG otherwise); ioctl numbers are matched on
 * type and number only, so a grown struct keeps its ioctl.
 * A stream fd supports:
 *
 *   mmap(NULL, meta->mmap_size, PROT_READ, MAP_SHARED, fd, 0)
 *       The meta page (struct ktr_stream_meta, one page), then the CPU's
 *       nr_subbufs + 1 sub-buffers, read-only. Mapping the meta page
 *       alone (length = page size) is allowed. Offset other than 0 or
 *       another length: -EINVAL; PROT_WRITE: -EACCES (the fd is read-only)
 *       or -EPERM; PROT_EXEC (also implied by the READ_IMPLIES_EXEC
 *       personality): -EPERM; MAP_PRIVATE: -EINVAL. mprotect() cannot add
 *       write or exec later. Not inherited across fork(); pages dropped
 *       with MADV_DONTNEED are not mapped back (SIGBUS).
 *   ioctl(KTR_IOC_GET_SUBBUF, struct ktr_stream_subbuf *)
 *       Take the oldest complete sub-buffer out of the ring. It stays
 *       untouched by writers (overwrite mode included) until PUT; read it
 *       in place at the returned offset of the mapping (it decodes on its
 *       own, uapi/ktr_ringbuf.h). When none is ready, blocks until the
 *       stream is readable as poll() defines it, unless KTR_GET_NONBLOCK
 *       is set or the fd is O_NONBLOCK: -EAGAIN then. -EINTR on a signal
 *       (restarted under SA_RESTART); -EBUSY if one is held already.
 *   ioctl(KTR_IOC_PUT_SUBBUF)
 *       Give it back; its events count as read. -EINVAL if none is held.
 *   ioctl(KTR_IOC_FLUSH)
 *       Close the CPU's partly filled sub-buffer so that it becomes
 *       ready (runs on that CPU; an offline CPU is flushed directly), and
 *       wake pollers. Live readers flush periodically and at stop. If
 *       events were dropped after the last sub-buffer, a flush that finds
 *       free room starts an empty sub-buffer whose lost count reports
 *       them: flushing again after draining a full ring makes every loss
 *       visible in the stream.
 *   poll()/epoll: readable when at least meta->watermark sub-buffers are
 *       ready, or when one is and a sub-buffer the last flush sealed is
 *       still unread (consumed < meta->flush_end). Writers never wake
 *       anyone: while a poller waits, a timer checks every
 *       KTR_STREAM_POLL_MS (a blocked GET or read() checks as often by
 *       itself); a flush wakes at once.
 *   read(fd, buf, n): the copying fallback: GET, copy, PUT of as many
 *       whole sub-buffers as fit in n (n < subbuf_size: -EINVAL). Blocks
 *       like GET unless O_NONBLOCK. Not allowed while a GET is held
 *       (-EBUSY). A sub-buffer that cannot be copied out (-EFAULT, or a
 *       short count after others) stays held and is the first copied by
 *       the next read(): read() never loses events.
 *   close(): a held sub-buffer is put back (counted as read).
 *
 * The meta page is updated by GET, PUT, FLUSH and read(), never by
 * writers: its counters are those of the last such call. Read it under
 * update_seq (even: stable; odd or changed: read again).
 *
 * Module lifetime: the device file and every stream (and every mapping of
 * one) hold a reference on the module. While any is open, rmmod fails
 * (delete_module(2): EWOULDBLOCK, "Resource temporarily unavailable" or
 * "Module ktr is in use") and nothing changes: a reader can never see the
 * buffer vanish.
 *
 * Permissions: opening /dev/ktr needs CAP_PERFMON or CAP_SYS_ADMIN. A
 * stream fd, and a mapping of one, is then itself the right to read that
 * CPU's trace, as perf's fds are: whoever receives one (SCM_RIGHTS, an
 * inherited fd) reads with it.
 */
#ifndef _UAPI_LINUX_KTR_H
#define _UAPI_LINUX_KTR_H

#include <linux/ioctl.h>
#include <linux/types.h>	/* kernel and user space (linux-libc-dev) alike */

#include "ktr_ringbuf.h"

#define KTR_ABI_MAJOR		1
#define KTR_ABI_MINOR		3

#define KTR_GENL_NAME		"ktr"
#define KTR_GENL_VERSION	1

#define KTR_DEVICE_NAME		"ktr"
#define KTR_DEVICE_PATH		"/dev/ktr"

/* Generic netlink commands. Never renumber; append only. */
enum ktr_cmd {
	KTR_CMD_UNSPEC,
	KTR_CMD_GET_INFO,
	KTR_CMD_SELFTEST,		/* ABI minor 1 */
	KTR_CMD_LIST_EVENTS,		/* ABI minor 3 */
	KTR_CMD_ENABLE_EVENTS,		/* ABI minor 3 */
	KTR_CMD_DISABLE_EVENTS,		/* ABI minor 3 */
	/* Raw attach */
	KTR_CMD_ATTACH_RAW,
	KTR_CMD_DETACH_RAW,

	__KTR_CMD_MAX,
};

#define KTR_CMD_MAX (__KTR_CMD_MAX - 1)

/* Generic netlink attributes. Never renumber; append only. */
enum ktr_attr {
	KTR_ATTR_UNSPEC,
	KTR_ATTR_PAD,			/* alignment padding for u64 attributes */
	KTR_ATTR_ABI_MAJOR,		/* u32 */
	KTR_ATTR_ABI_MINOR,		/* u32 */
	KTR_ATTR_MODULE_VERSION,	/* NUL-terminated string */
	KTR_ATTR_CPUS_POSSIBLE,		/* u32 */
	KTR_ATTR_CPUS_ONLINE,		/* u32 */
	KTR_ATTR_SUBBUF_SIZE,		/* u32, bytes, power of two */
	KTR_ATTR_NR_SUBBUFS,		/* u32, power of two */
	KTR_ATTR_KERNEL_RELEASE,	/* NUL-terminated string */
	/* KTR_CMD_SELFTEST (ABI minor 1) */
	KTR_ATTR_SELFTEST_MODE,			/* u32, enum ktr_rb_mode */
	KTR_ATTR_SELFTEST_SUBBUF_SIZE,		/* u32, bytes */
	KTR_ATTR_SELFTEST_NR_SUBBUFS,		/* u32 */
	KTR_ATTR_SELFTEST_DURATION_MS,		/* u32 */
	KTR_ATTR_SELFTEST_CPUS,			/* u32 */
	KTR_ATTR_SELFTEST_ELAPSED_MS,		/* u32 */
	KTR_ATTR_SELFTEST_WRITTEN,		/* u64 */
	KTR_ATTR_SELFTEST_READ,			/* u64 */
	KTR_ATTR_SELFTEST_BYTES,		/* u64 */
	KTR_ATTR_SELFTEST_LOST_FULL,		/* u64 */
	KTR_ATTR_SELFTEST_LOST_OVERWRITTEN,	/* u64 */
	KTR_ATTR_SELFTEST_LOST_NESTING,		/* u64 */
	KTR_ATTR_SELFTEST_LOST_DISABLED,	/* u64 */
	KTR_ATTR_SELFTEST_LOST_REPORTED,	/* u64 */
	KTR_ATTR_SELFTEST_BUFFERED,		/* u64 */
	KTR_ATTR_SELFTEST_SUBBUFS_READ,		/* u64 */
	KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN,	/* u64 */
	KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN,	/* u64 */
	KTR_ATTR_SELFTEST_NESTED,		/* u64 */
	KTR_ATTR_SELFTEST_FLUSHES,		/* u64 */
	KTR_ATTR_SELFTEST_LONG_EVENTS,		/* u64 */
	KTR_ATTR_SELFTEST_TIME_RECORDS,		/* u64 */
	KTR_ATTR_SELFTEST_ERRORS,		/* u64 */
	KTR_ATTR_SELFTEST_ERROR,		/* NUL-terminated string */
	/* KTR_CMD_GET_INFO (ABI minor 2) */
	KTR_ATTR_BUFFER_MODE,			/* u32, enum ktr_rb_mode */
	KTR_ATTR_CLOCK_LOCAL_NS,		/* u64 */
	KTR_ATTR_CLOCK_MONO_NS,			/* u64 */
	/* Events (ABI minor 3) */
	KTR_ATTR_EVENT_ID,			/* u32, enum ktr_event_id */
	KTR_ATTR_EVENT_SYSTEM,			/* NUL-terminated string */
	KTR_ATTR_EVENT_NAME,			/* NUL-terminated string */
	KTR_ATTR_EVENT_AVAILABLE,		/* u8 */
	KTR_ATTR_EVENT_ENABLED,			/* u8 */
	KTR_ATTR_EVENT_FIELDS,			/* nested: KTR_ATTR_FIELD... */
	KTR_ATTR_FIELD,				/* nested: KTR_ATTR_FIELD_* */
	KTR_ATTR_FIELD_NAME,			/* NUL-terminated string */
	KTR_ATTR_FIELD_TYPE,			/* u32, enum ktr_field_type */
	KTR_ATTR_FIELD_OFFSET,			/* u32 */
	KTR_ATTR_FIELD_SIZE,			/* u32 */
	KTR_ATTR_FIELD_SIGNED,			/* u8 */
	KTR_ATTR_EVENT_GLOB,			/* NUL-terminated string */
	KTR_ATTR_EVENT_COUNT,			/* u32 */
	/* Raw attach */
	KTR_ATTR_RAW_TRACEPOINT,		/* NUL-terminated string */
	KTR_ATTR_RAW_NARGS,			/* u32 */

	__KTR_ATTR_MAX,
};

#define KTR_ATTR_MAX (__KTR_ATTR_MAX - 1)

/* KTR_ATTR_FIELD_TYPE: how a field of an event payload is read. */
enum ktr_field_type {
	KTR_FIELD_INT = 1,		/* integer of 1, 2, 4 or 8 bytes */
	KTR_FIELD_CHAR_ARRAY = 2,	/* fixed size, NUL-padded text */
	KTR_FIELD_REST_STRING = 3,	/* text to the end of the payload */
};

#define KTR_EVENT_NAME_MAX	64	/* bytes, NUL included */
#define KTR_EVENT_GLOB_MAX	128	/* bytes, NUL included */

/* Raw attach (KTR_CMD_ATTACH_RAW) limits. */
#define KTR_RAW_NARGS_MAX	6	/* arguments recorded per event */
#define KTR_RAW_EVENTS_MAX	64	/* raw events attached at a time */

/* Limits on buffer geometry accepted by the module. */
#define KTR_SUBBUF_SIZE_MIN	4096u
#define KTR_SUBBUF_SIZE_MAX	(4u << 20)
#define KTR_NR_SUBBUFS_MIN	2u
#define KTR_NR_SUBBUFS_MAX	4096u

/* KTR_CMD_SELFTEST limits and defaults. */
#define KTR_SELFTEST_DURATION_MS_MIN		10u
#define KTR_SELFTEST_DURATION_MS_MAX		60000u
#define KTR_SELFTEST_DURATION_MS_DEFAULT	2000u
#define KTR_SELFTEST_BYTES_PER_CPU_MAX		(64u << 20)

/* --- data plane (ABI minor 2) ------------------------------------------ */

#define KTR_IOC_MAGIC		0xb7

/**
 * struct ktr_stream_open - argument of KTR_IOC_STREAM_OPEN
 * @size: sizeof(struct ktr_stream_open) as the caller knows it.
 * @cpu: the CPU whose ring to stream (a possible CPU).
 * @watermark: poll() wakes when this many sub-buffers are ready; 0 means 1;
 *	below nr_subbufs (-EINVAL otherwise: a full ring in overwrite mode has
 *	nr_subbufs - 1 ready).
 * @flags: 0 (-EINVAL otherwise).
 */
struct ktr_stream_open {
	__u32 size;
	__u32 cpu;
	__u32 watermark;
	__u32 flags;
};

#define KTR_STREAM_OPEN_SIZE_VER0	16

/* ktr_stream_subbuf.flags */
#define KTR_GET_NONBLOCK	0x1U

/**
 * struct ktr_stream_subbuf - argument of KTR_IOC_GET_SUBBUF
 * @size: in: sizeof(struct ktr_stream_subbuf) as the caller knows it.
 * @flags: in: KTR_GET_* (unknown flags: -EINVAL).
 * @id: out: which sub-buffer of the data area (0..nr_subbufs).
 * @reserved: out: zero.
 * @offset: out: byte offset of the sub-buffer in the stream's mapping
 *	(meta->data_offset + id * meta->subbuf_size).
 * @seq: out: its sequence number (as in its header).
 */
struct ktr_stream_subbuf {
	__u32 size;
	__u32 flags;
	__u32 id;
	__u32 reserved;
	__u64 offset;
	__u64 seq;
};

#define KTR_STREAM_SUBBUF_SIZE_VER0	32

/* ktr_stream_meta.held_id when the reader holds no sub-buffer. */
#define KTR_STREAM_NONE		0xffffffffU

/* How often an open stream checks whether to wake pollers. */
#define KTR_STREAM_POLL_MS	10u

/**
 * struct ktr_stream_meta - the first page of a stream's mapping
 * @size: sizeof(struct ktr_stream_meta) as the module knows it.
 * @abi_major: KTR_ABI_MAJOR of the module.
 * @abi_minor: KTR_ABI_MINOR of the module.
 * @cpu: the stream's CPU.
 * @mode: enum ktr_rb_mode of the buffer.
 * @subbuf_size: bytes per sub-buffer.
 * @nr_subbufs: sub-buffers in the ring.
 * @nr_data_subbufs: sub-buffers in the mapping: nr_subbufs + 1 (the
 *	reader's spare is mapped too: any of them may be the one handed out).
 * @data_offset: byte offset of sub-buffer 0 in the mapping (one page).
 * @mmap_size: bytes of the whole mapping.
 * @clock_local_ns: the record clock at the clock sample (see
 *	KTR_ATTR_CLOCK_LOCAL_NS).
 * @clock_mono_ns: CLOCK_MONOTONIC at the same instant.
 * @update_seq: incremented before and after each update by the module.
 * @held_id: the sub-buffer the reader holds, or KTR_STREAM_NONE.
 * @consumed: sequence number of the oldest sub-buffer not yet taken.
 * @produced: sub-buffers started so far, as published (the sequence number
 *	after the newest one; 0 before any).
 * @ready: complete sub-buffers not yet taken.
 * @watermark: as given at open (0 became 1).
 * @flush_ts: the record clock of the CPU, read on that CPU just before the
 *	last KTR_IOC_FLUSH sealed its sub-buffer (0: never flushed). Every
 *	event not in a sub-buffer sealed by that flush or earlier has a time
 *	at or after it: a reader merging CPUs may emit everything before the
 *	smallest flush_ts once those sub-buffers are read (consumed >=
 *	flush_end). For an offline CPU, flushed from another one, it is the
 *	time of the newest record in its ring.
 * @flush_end: sequence number after the last sub-buffer that flush sealed.
 * @stats: the CPU's event accounting (uapi/ktr_ringbuf.h).
 */
struct ktr_stream_meta {
	__u32 size;
	__u32 abi_major;
	__u32 abi_minor;
	__u32 cpu;
	__u32 mode;
	__u32 subbuf_size;
	__u32 nr_subbufs;
	__u32 nr_data_subbufs;
	__u64 data_offset;
	__u64 mmap_size;
	__u64 clock_local_ns;
	__u64 clock_mono_ns;
	__u32 update_seq;
	__u32 held_id;
	__u64 consumed;
	__u64 produced;
	__u32 ready;
	__u32 watermark;
	__u64 flush_ts;
	__u64 flush_end;
	struct ktr_rb_cpu_stats stats;
};

#define KTR_IOC_STREAM_OPEN	_IOW(KTR_IOC_MAGIC, 1, struct ktr_stream_open)
#define KTR_IOC_GET_SUBBUF	_IOWR(KTR_IOC_MAGIC, 2, struct ktr_stream_subbuf)
#define KTR_IOC_PUT_SUBBUF	_IO(KTR_IOC_MAGIC, 3)
#define KTR_IOC_FLUSH		_IO(KTR_IOC_MAGIC, 4)

#endif /* _UAPI_LINUX_KTR_H */
