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
 * initial user namespace (a tracer sees the whole kernel), of both the
 * task sending it and the opener of the socket it is sent on (the
 * credentials saved by socket(): a socket an unprivileged process opened
 * and handed to a privileged one gets nothing, read-only commands
 * included). Without it the kernel answers -EPERM with an extended-ack
 * message saying whose capability is missing.
 * Commands that change state are additionally flagged GENL_ADMIN_PERM,
 * which the netlink core checks as CAP_NET_ADMIN (of the socket's opener
 * too, unless the sender gave a destination address).
 *
 * Requests use strict validation (unknown attributes are rejected with
 * -EINVAL and an extended-ack message naming the attribute). Each command
 * has its own policy: an attribute a command does not list below is
 * rejected the same way, even one that another command takes (modules
 * before the layered control plane ignored those).
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
 *   second request meanwhile fails with -EBUSY. The self-test is test code
 *   and not part of ktr.ko: the test module ktr_rb_test.ko
 *   (tests/modules/ktr_rb_test) provides it, loaded after ktr.ko; without
 *   it the request fails with -EOPNOTSUPP and an extended-ack message
 *   saying to load it.
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
 *         KTR_ATTR_FIELD_SIZE    u32     bytes (0 for KTR_FIELD_REST_*)
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
 * Control of tracing (ABI minor 4)
 * --------------------------------
 * From ABI minor 4, KTR_CMD_GET_INFO's KTR_ATTR_SUBBUF_SIZE,
 * KTR_ATTR_NR_SUBBUFS and KTR_ATTR_BUFFER_MODE describe the trace buffer
 * as it is now (the module parameters' values until KTR_CMD_SET_BUFFER
 * changes them), and GET_INFO adds:
 *     KTR_ATTR_TRACING_ON        u8      1: events are recorded; 0: stopped
 *
 * KTR_CMD_START, KTR_CMD_STOP (do; GENL_ADMIN_PERM; ABI minor 4)
 *   Like ftrace's tracing_on. While stopped the trace buffer refuses every
 *   event: probes and markers record nothing, and each refused event is
 *   counted in its CPU's lost_disabled (KTR_CMD_GET_STATS shows how much
 *   was missed). Enabled events stay enabled (their probes stay
 *   registered); streams stay open and can still drain what was recorded.
 *   The current tracer (KTR_CMD_SET_TRACER) stops with tracing, as
 *   ftrace's tracing_on stops its tracer: STOP runs its stop (the wakeup,
 *   wakeup_rt and function tracers unregister their probes, profile stops
 *   its timers; their data stay readable) and START starts it again. A
 *   tracer that fails to start at START is reset and "nop" is current:
 *   tracing is on, the error (extack message) says so, and a
 *   KTR_CMD_SET_TRACER notice names "nop".
 *   The check costs the probe path nothing it did not already pay: it is
 *   the ring buffer's own "disabled" test, the first thing a reservation
 *   reads. Starting a started tracer (or stopping a stopped one) is not an
 *   error and sends no notice.
 *   Request:  no attributes.
 *   Reply:    the same command with
 *     KTR_ATTR_TRACING_ON        u8      the state now
 *
 * KTR_CMD_RESET (do; GENL_ADMIN_PERM; ABI minor 4)
 *   What "trace-cmd reset" means for ktr: every event is disabled, the
 *   trace buffer is emptied and its counters start again from zero (a
 *   fresh buffer of the same geometry and mode replaces it), and tracing
 *   is on. Refused with -EBUSY and a message while any stream is open or
 *   mapped (nothing changes then: close the readers first). Every filter
 *   and stack capture (KTR_CMD_CLEAR_FILTERS) is removed too, and every
 *   dynamic probe is deleted (ABI minor 6): the KTR_CMD_RESET notice is
 *   the only notice of all this (no DISABLE_EVENTS or DEL_PROBE notice
 *   comes with it); a listener drops what it knew of events, filters and
 *   probes.
 *   Request:  no attributes.
 *   Reply:    KTR_CMD_RESET with KTR_ATTR_TRACING_ON (1).
 *
 * KTR_CMD_GET_STATS (dump; ABI minor 4)
 *   Request:  no attributes.
 *   Reply:    one KTR_CMD_GET_STATS message per possible CPU, in CPU
 *     order:
 *     KTR_ATTR_CPU               u32     the CPU
 *     KTR_ATTR_CPU_ONLINE        u8      1: online now
 *     KTR_ATTR_STATS             nested  struct ktr_rb_cpu_stats of the
 *                                        CPU's ring (uapi/ktr_ringbuf.h),
 *                                        one u64 attribute per counter:
 *       KTR_STATS_WRITTEN, KTR_STATS_BYTES, KTR_STATS_READ,
 *       KTR_STATS_BUFFERED (entries in the buffer, unread),
 *       KTR_STATS_LOST_FULL, KTR_STATS_LOST_OVERWRITTEN,
 *       KTR_STATS_LOST_NESTING, KTR_STATS_LOST_DISABLED,
 *       KTR_STATS_DISCARDED, KTR_STATS_SUBBUFS_WRITTEN,
 *       KTR_STATS_SUBBUFS_READ, KTR_STATS_SUBBUFS_OVERWRITTEN
 *   Each CPU's counters are read at once and are exact when no writer of
 *   the CPU is in flight (the invariant of struct ktr_rb_cpu_stats holds
 *   then). Oldest/newest event times are not reported: they cannot be
 *   read without racing the writers. If the buffer is replaced (RESET,
 *   SET_BUFFER) during a dump, later messages describe the new one.
 *
 * KTR_CMD_WRITE_MARKER (do; GENL_ADMIN_PERM; ABI minor 4)
 *   Records a marker event (uapi/ktr_event.h), exactly as write(2) on
 *   KTR_DEVICE_PATH does, on the CPU that handles the request (the
 *   sender's, as generic netlink runs the request in its sendmsg()).
 *   Request:
 *     KTR_ATTR_MARKER_TEXT       binary  required, 1..KTR_MARKER_MAX bytes,
 *                                        recorded as given (send no NUL)
 *   Reply:    KTR_CMD_WRITE_MARKER with
 *     KTR_ATTR_CPU               u32     the CPU it was recorded on
 *   Errors, like write(2)'s, each with a message: -EINVAL (missing or
 *   empty), -ERANGE (longer than KTR_MARKER_MAX: the policy's), -ENOSPC
 *   (the CPU's ring is full in discard mode; lost_full), -ENODEV (tracing
 *   stopped; lost_disabled), -ELOOP (nested too deeply; lost_nesting).
 *   Nothing is recorded on any error.
 *
 * KTR_CMD_SET_BUFFER (do; GENL_ADMIN_PERM; ABI minor 4)
 *   Changes the trace buffer's geometry and mode. Refused with -EBUSY and
 *   a message while any stream is open or mapped. Otherwise the new
 *   buffer is allocated first (-ENOMEM: nothing changes), then replaces
 *   the old one for probes and markers on every CPU (an RCU grace period
 *   lets writers still in the old one finish) and the old one is freed
 *   with what it held. Its counters start at zero; tracing keeps its
 *   on/off state; enabled events stay enabled. Streams opened afterwards
 *   see the new geometry in their meta page.
 *   Request:
 *     KTR_ATTR_BUFFER            nested  required, at least one of:
 *       KTR_BUFFER_SUBBUF_SIZE   u32     bytes, a power of two in
 *                                        [KTR_SUBBUF_SIZE_MIN, _MAX]
 *       KTR_BUFFER_NR_SUBBUFS    u32     a power of two in
 *                                        [KTR_NR_SUBBUFS_MIN, _MAX]
 *       KTR_BUFFER_MODE          u32     enum ktr_rb_mode
 *     An absent one keeps its current value. Out of range (policy):
 *     -ERANGE; not a power of two, or more than
 *     KTR_BUFFER_BYTES_PER_CPU_MAX bytes per CPU (sub-buffers + 1 spare):
 *     -EINVAL; each with a message naming the attribute. A buffer that
 *     needs more memory than the kernel has available (MemAvailable; a
 *     ring for every possible CPU) is refused with -ENOMEM and a message
 *     (with the numbers from 6.2; before, they go to the kernel log), and
 *     its allocation fails rather than invoke the OOM killer. Nothing
 *     changes on any error.
 *   Reply:    KTR_CMD_SET_BUFFER with KTR_ATTR_BUFFER holding all three
 *     values now in effect.
 *
 * Notices: the multicast group KTR_GENL_MCGRP_NOTICES (ABI minor 4)
 * ----------------------------------------------------------------
 * After a successful state change the module sends a notice to the group
 * "notices" (resolve its id with CTRL_CMD_GETFAMILY; libnl:
 * genl_ctrl_resolve_grp()). A notice is a message of the command that
 * made the change, sequence number 0, with:
 *   KTR_CMD_ENABLE_EVENTS,      KTR_ATTR_EVENT_GLOB (as requested) and
 *   KTR_CMD_DISABLE_EVENTS      KTR_ATTR_EVENT_COUNT (as in the reply)
 *   KTR_CMD_START, KTR_CMD_STOP KTR_ATTR_TRACING_ON (only on a change)
 *   KTR_CMD_RESET               KTR_ATTR_TRACING_ON
 *   KTR_CMD_SET_BUFFER          KTR_ATTR_BUFFER (the values in effect)
 * A notice may be lost if the listener's socket buffer overflows
 * (recvmsg() then fails with ENOBUFS): re-read the state with GET_INFO
 * and LIST_EVENTS. Notices of changes made at the same time by different
 * requests may arrive in another order than the changes took effect (the
 * notice is sent after the change, outside its lock): a listener that needs
 * the final state re-reads it after a notice rather than replaying
 * notices. Where the kernel supports it (6.6 and later),
 * subscribing needs CAP_SYS_ADMIN; older kernels let anyone subscribe.
 *
 * Tracers (ABI minor 7)
 * ---------------------
 * One tracer is current at a time, like ftrace's current_tracer: "nop"
 * (the default, records nothing by itself), "function" (function entry
 * through ftrace, kmod/tracer/ktr_tracer_function.c), or one a module
 * registered (ktr_register_tracer(), kmod/include/ktr/tracer.h). A
 * tracer's events are event types of the registry, system = the tracer's
 * name, ids from KTR_EVENT_TRACER_FIRST up (ktr_event.h), listed by
 * KTR_CMD_LIST_EVENTS from the tracer's registration to its
 * unregistration; they are listed as enabled while their tracer is
 * current (the tracer is their switch: ENABLE/DISABLE_EVENTS do not
 * change them) and take filters and stacks like any event. When the module
 * of the current tracer is unloaded, the tracer is stopped and "nop"
 * becomes current (a SET_TRACER notice says so). KTR_CMD_RESET makes
 * "nop" current too.
 *
 * KTR_CMD_LIST_TRACERS (dump; ABI minor 7)
 *   Request:  no attributes.
 *   Reply:    one KTR_CMD_LIST_TRACERS message per tracer, in registration
 *     order ("nop" and "function" first):
 *     KTR_ATTR_TRACER_NAME         string
 *     KTR_ATTR_TRACER_DESC         string  one line
 *     KTR_ATTR_TRACER_CURRENT      u8      1: the current tracer
 *     KTR_ATTR_TRACER_OPTIONS      nested  one KTR_ATTR_TRACER_OPTION
 *       KTR_ATTR_TRACER_OPTION     nested  per option, in table order:
 *         KTR_ATTR_TRACER_OPT_NAME     string
 *         KTR_ATTR_TRACER_OPT_TYPE     u32     enum ktr_tracer_opt_kind
 *         KTR_ATTR_TRACER_OPT_DESC     string
 *         KTR_ATTR_TRACER_OPT_DEFAULT  string  the default, as text
 *         KTR_ATTR_TRACER_OPT_VALUE    string  the value in effect (only
 *                                              for the current tracer)
 *
 * KTR_CMD_SET_TRACER (do; GENL_ADMIN_PERM; ABI minor 7)
 *   Request:
 *     KTR_ATTR_TRACER_NAME       string  required
 *     KTR_ATTR_TRACER_SETTINGS   binary  optional: "key=value" strings,
 *                                        each NUL-terminated, back to back
 *                                        (at most KTR_TRACER_OPTS_MAX, each
 *                                        key an option of the tracer, at
 *                                        most once); options not given take
 *                                        their default
 *   The options are parsed first, then the new tracer's init runs; only
 *   then is the old tracer stopped and reset and the new one started (only
 *   made current while tracing is stopped: KTR_CMD_START starts it). Bad
 *   options or a refusing init change nothing (unless the tracer asked
 *   for is the current one: it is stopped before its init runs again, and
 *   "nop" is current if that init refuses; the message says so).
 *   Reply:    KTR_CMD_SET_TRACER with KTR_ATTR_TRACER_NAME (the current
 *     tracer now). A notice of the same content goes to "notices" for
 *     every change of the current tracer, in the order of the changes: a
 *     SET_TRACER that stopped or started a tracer (also one that failed
 *     after stopping the old one: "nop"), KTR_CMD_RESET, the current
 *     tracer's module unloaded ("nop").
 *   Errors (extack message each): -ENOENT no tracer of that name; -EINVAL
 *   an unknown option, a value of the wrong type, a malformed or repeated
 *   "key=value", or the tracer's init refusing its options (e.g. function
 *   without a filter: see its options); -ERANGE a number out of the
 *   option's range; -EBUSY the tracer's module is being unloaded.
 *
 *
 * Filters (ABI minor 4)
 * ---------------------
 * Filters decide, inside the probes, which events are recorded: an event
 * filtered out costs a few comparisons and is never written (or, for an
 * event filter, is discarded before publication: counted in the CPU's
 * "discarded", never as lost). Each kind of filter sits behind its own
 * static key: a kind that is not set costs nothing. Kinds combine with AND.
 * Markers are never filtered.
 *
 * KTR_CMD_SET_TASK_FILTER (do; GENL_ADMIN_PERM)
 *   Request: at least one of these; each one given replaces that kind of
 *   filter (the others stay), an empty one (length 0) clears it:
 *     KTR_ATTR_FILTER_PIDS   binary  __s32 process ids (tgid), 1 to
 *                                    KTR_FILTER_PIDS_MAX, each > 0: only
 *                                    events of these processes (all their
 *                                    threads). sched_switch is kept when
 *                                    prev or next is one; sched_wakeup(_new)
 *                                    when the woken task or the waker is.
 *     KTR_ATTR_FILTER_FOLLOW u8      1: with PIDS, a process forked by a
 *                                    traced one is traced from its fork on,
 *                                    and a traced process is forgotten when
 *                                    its task is freed (an RCU grace period
 *                                    after its id is: an id recycled in
 *                                    that window stays traced). 0: stop
 *                                    following (those followed so far stay
 *                                    traced). Sent alone, it changes only
 *                                    the following.
 *     KTR_ATTR_FILTER_COMMS  binary  NUL-terminated command names (shell
 *                                    globs), each < KTR_COMM_LEN bytes, 1 to
 *                                    KTR_FILTER_COMMS_MAX: only events of
 *                                    tasks whose comm matches one (sched
 *                                    events: as for PIDS).
 *     KTR_ATTR_FILTER_CPUS   binary  __u64 words, bit n of word n / 64 =
 *                                    CPU n: only events on these CPUs; a
 *                                    bit for an impossible CPU is -EINVAL.
 *   Errors (nothing changes): -EINVAL with a message saying what is wrong
 *   (malformed list, empty name, FOLLOW without PIDS...).
 *
 * KTR_CMD_SET_EVENT_FILTER (do; GENL_ADMIN_PERM)
 *   Request:
 *     KTR_ATTR_EVENT_NAME     string  required: "name" or "system:name"
 *     KTR_ATTR_FILTER_PROG    binary  struct ktr_filter_insn[], at most
 *                                     KTR_FILTER_INSNS_MAX: the event is
 *                                     recorded only when it yields true;
 *                                     length 0 removes the filter; absent:
 *                                     the filter is unchanged
 *     KTR_ATTR_FILTER_STRINGS binary  the string operands, each
 *                                     NUL-terminated, at most
 *                                     KTR_FILTER_STRINGS_MAX bytes in all
 *     KTR_ATTR_FILTER_TEXT    string  required with a program: the
 *                                     expression it was compiled from, as
 *                                     GET_FILTERS reports
 *     KTR_ATTR_EVENT_STACK    u8      1: record the kernel stack after each
 *                                     event (a KTR_EVENT_STACK event on the
 *                                     same CPU, naming the event's time);
 *                                     0: stop
 *   A program is checked before it is used (see enum ktr_filter_op): a
 *   comparison on something that is not a field of the event, a field of
 *   the wrong type, a string offset outside STRINGS, an unknown op or
 *   non-zero reserved bits, more than KTR_FILTER_GLOBS_MAX globs or a
 *   pattern of KTR_FILTER_GLOB_LEN_MAX bytes or more (a glob runs with
 *   interrupts off: its cost is bounded), or a stack that underflows or
 *   does not end with one value: -EINVAL with a message. STRINGS or TEXT
 *   without PROG: -EINVAL. Markers and stacks cannot be filtered:
 *   -EOPNOTSUPP. Unknown event: -ENOENT.
 *
 * KTR_CMD_GET_FILTERS (do)
 *   Reply: KTR_CMD_GET_FILTERS with the task filters that are set:
 *     KTR_ATTR_FILTER_PIDS, KTR_ATTR_FILTER_FOLLOW (as given),
 *     KTR_ATTR_FILTER_TRACKED u32  processes traced now (given + followed),
 *     KTR_ATTR_FILTER_COMMS, KTR_ATTR_FILTER_CPUS,
 *   and one nested KTR_ATTR_EVENT_FILTER per event with a filter or stack
 *   capture: KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_NAME, KTR_ATTR_FILTER_TEXT
 *   (when filtered), KTR_ATTR_EVENT_STACK.
 *
 * KTR_CMD_CLEAR_FILTERS (do; GENL_ADMIN_PERM)
 *   Removes every task filter, event filter and stack capture.
 *
 * Raw attach (ABI minor 4)
 * ------------------------
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
 *   is removed first; if another loaded module has a tracepoint of that
 *   name, the event moves to it at once (the first loaded); otherwise it
 *   stays listed, unavailable (recording nothing), and if a module with a
 *   tracepoint of that name is loaded again, the event is attached to it.
 *   Either way it is enabled if it was when the module went away. At most
 *   KTR_RAW_EVENTS_MAX raw events at a time.
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
 * Dynamic probes (ABI minor 5)
 * ----------------------------
 * KTR_CMD_ADD_PROBE (do; GENL_ADMIN_PERM)
 *   Defines a kprobe or kretprobe from a line of ftrace's kprobe_events
 *   grammar (Documentation/trace/kprobetrace.rst):
 *     p[:[GRP/]EVENT] [MOD:]SYMBOL[+OFFS]|ADDR [FETCHARGS]
 *     r[MAXACTIVE][:[GRP/]EVENT] [MOD:]SYMBOL[+0] [FETCHARGS]
 *   FETCHARGS: NAME=FETCHARG[:TYPE] (or FETCHARG[:TYPE], named argN, N
 *   counted from 1), FETCHARG one of %REG, @ADDR, @SYM[+|-OFFS], $stackN,
 *   $stack, $argN, $retval (return probes), $comm, \IMM, and
 *   +|-[u]OFFS(FETCHARG) (a memory read, "u": user memory), and ktr's
 *   $duration (return probes: ns since the function's entry); TYPE one of
 *   u8..u64, s8..s64, x8..x64 (default x64), string, ustring, symbol.
 *   The module parses the text itself (kmod/probes/ktr_probe_def.c, the
 *   very parser the tools use to point at a bad character) and never
 *   trusts a compiled form. The probe becomes an event type of the
 *   registry (system GRP, default "kprobes"; name EVENT, default
 *   p_SYMBOL_OFFS / r_SYMBOL_0 as ftrace names them) with id from
 *   KTR_EVENT_PROBE_FIRST up, listed by KTR_CMD_LIST_EVENTS with one field
 *   per argument (integers with their size, sign and KTR_ATTR_FIELD_DISPLAY;
 *   strings as KTR_FIELD_STRING_LOC, at most KTR_PROBE_STRING_MAX bytes
 *   each, truncated beyond), enabled at once; enable/disable/filter/stack
 *   it like any event. Memory reads never fault or sleep: a read that
 *   faults records 0 (integers) or no text (strings).
 *   Request:
 *     KTR_ATTR_PROBE_DEF         string  required, < KTR_PROBE_DEF_MAX bytes
 *   Reply: KTR_CMD_ADD_PROBE with KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_SYSTEM,
 *     KTR_ATTR_EVENT_NAME of the new event.
 *   Errors (an extack message each, naming the column of the text for a
 *   syntax error; nothing changes): -EINVAL a malformed definition (bad
 *   token, unknown register or type, $retval on an entry probe, too deep a
 *   dereference: at most KTR_PROBE_DEREF_MAX, too many arguments: at most
 *   KTR_PROBE_ARGS_MAX, a payload that could exceed
 *   KTR_PROBE_PAYLOAD_MAX); -ENOENT unknown symbol or module; -EEXIST an
 *   event of that name exists; -ENOSPC KTR_PROBES_MAX probes, or ids used
 *   up; -EOPNOTSUPP uprobes (not yet) or an address the kernel will not
 *   probe (blacklisted, not text: the kernel's reason in words).
 *
 * KTR_CMD_DEL_PROBE (do; GENL_ADMIN_PERM)
 *   Request: KTR_ATTR_PROBE_NAME (the event's "name" or "system:name") or
 *   KTR_ATTR_PROBE_ALL (1). The probe is unregistered, running handlers
 *   are waited for and the event disappears (its id is not reused).
 *   Reply: KTR_CMD_DEL_PROBE with KTR_ATTR_EVENT_COUNT (probes removed).
 *   Errors: -ENOENT no probe of that name; -EINVAL neither or both given.
 *
 * KTR_CMD_LIST_PROBES (dump)
 *   One message per probe, in id order: KTR_ATTR_EVENT_ID,
 *   KTR_ATTR_EVENT_SYSTEM, KTR_ATTR_EVENT_NAME, KTR_ATTR_EVENT_ENABLED,
 *   KTR_ATTR_PROBE_DEF (the definition as given), KTR_ATTR_PROBE_KIND,
 *   KTR_ATTR_PROBE_MECH, KTR_ATTR_PROBE_ADDR (the probed address),
 *   KTR_ATTR_PROBE_HITS (handler runs that recorded or tried to),
 *   KTR_ATTR_PROBE_MISSED (the kernel's nmissed: hits it could not hand to
 *   ktr, e.g. no free kretprobe instance), KTR_ATTR_PROBE_MAXACTIVE (return
 *   probes), KTR_ATTR_PROBE_GONE (1: the module it probed was unloaded;
 *   the event stays listed, unavailable, until deleted).
 *
 * KTR_CMD_RESET also deletes every probe, and unloading ktr does.
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
 * after close() until munmap(); also -EBUSY for the moment a
 * KTR_CMD_SET_BUFFER or KTR_CMD_RESET replaces the buffer, ABI minor 4);
 * a possible CPU may be offline. A stream reads the buffer current at its
 * open for its whole life (the buffer is never replaced under it). The device
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
 *       still unread (consumed < meta->flush_end). The writer that
 *       publishes a sealed sub-buffer wakes a waiting poller (through an
 *       irq_work, at most once per sub-buffer, and only after a poll, GET
 *       or read() found the stream not readable), as it wakes a blocked
 *       GET or read(); a flush wakes at once.
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
 *
 * Function latency histograms (ABI minor 6)
 * -----------------------------------------
 * ioctl(KTR_IOC_FUNCLAT_OPEN, struct ktr_funclat_open *) on the device
 * (open for reading: -EBADF otherwise) puts a kretprobe on each of 1 to
 * KTR_FUNCLAT_FUNCS_MAX kernel functions and returns a new file descriptor
 * (O_RDONLY | O_CLOEXEC) that owns them. Every call of a function (of the
 * process @pid only, when given) adds its duration, entry to return in ns
 * of the local clock, to a log2 histogram of its own, kept per CPU in the
 * kernel: no event goes through the trace buffer, and the trace session
 * (buffer, enabled events, RESET) is neither used nor touched.
 *   All or nothing: if any function cannot be probed, the ones done are
 *   removed, the call fails and @failed names the function (its index);
 *   errors about the request itself leave @failed at KTR_FUNCLAT_NONE
 *   (-EBADF, -EPERM and -EFAULT may come before the struct is read or
 *   written: callers set @failed to KTR_FUNCLAT_NONE themselves).
 *   Errors: -EINVAL bad flags, @nr_funcs 0 or above KTR_FUNCLAT_FUNCS_MAX,
 *   a name slot empty or without its NUL (@failed: that slot), @stat_size
 *   below KTR_FUNCLAT_STAT_SIZE_VER0 or above a page, @maxactive or
 *   @unit_ns out of range; -EPERM without CAP_PERFMON or CAP_SYS_ADMIN
 *   (checked again: the device fd may have been passed on);
 *   -ESRCH no process @pid (a process id, in the caller's pid namespace);
 *   -ENOSPC KTR_FUNCLAT_SETS_MAX histogram fds are open already (all
 *   users together: each pins kretprobes and per-CPU counters; close one);
 *   -EFAULT; -ENOMEM; and, with @failed set, what the kernel said about the
 *   function: -ENOENT no such function in the kernel or a loaded module,
 *   -EOPNOTSUPP the kernel will not probe its return (not a function entry,
 *   not text, blacklisted: NOKPROBE, kprobes' own code), -EBUSY, -EILSEQ.
 *   A function name may be "MOD:NAME". The same function given twice is
 *   probed twice (user space should not).
 * The histogram fd supports:
 *   read(fd, buf, n): a snapshot of every function, in the order given: for
 *       each, the first @stat_size bytes of its struct ktr_funclat_stat
 *       (zero-filled past what the module knows), nr_funcs * @stat_size
 *       bytes in all (a smaller n: -EINVAL). Each read() is a new snapshot
 *       from the start (no file position). Each CPU's counters are copied
 *       consistently (a sequence count per CPU); CPUs are added one after
 *       the other while calls go on.
 *   close(): the kretprobes are removed (waiting for running handlers; a
 *       call still pending on a stack is no longer counted).
 * The fd holds a reference on the module: rmmod ktr fails while one is
 * open. Why one kretprobe per function and no multi-function mechanism:
 * Debian's 6.1 kernel is built without CONFIG_FPROBE, so globs are
 * expanded by the tools into names (at most KTR_FUNCLAT_FUNCS_MAX).
 *
 * Wakeup latency (ABI minor 8)
 * ----------------------------
 * The tracers "wakeup" (every task) and "wakeup_rt" (real-time and
 * deadline tasks only: prio below 100) measure, for each wakeup, the time
 * from sched_wakeup (or sched_wakeup_new) of a task to the sched_switch
 * onto it, in ns of the local clock (kmod/tracer/ktr_tracer_wakeup.c).
 * Each measurement is written to the trace as event "latency" of system
 * "wakeup" or "wakeup_rt" (pid, comm, prio, cpu, latency_ns); the tracer
 * also keeps the maximum, a log2 histogram of every latency, and, at each
 * new maximum, a copy of the recent scheduling events (sched_wakeup and
 * sched_switch records, KTR_LAT_HISTORY at most) of the CPU the woken task
 * ran on: the worst-case trace, kept aside until a larger maximum replaces
 * it. Setting a latency tracer starts it from zero; its data stay
 * readable after it stops (another tracer set, KTR_CMD_RESET), as ftrace's
 * tracing_max_latency does, until a latency tracer is set again.
 *
 * KTR_CMD_GET_LATENCY (dump; ABI minor 8)
 *   Request:  no attributes.
 *   Reply:    a first message KTR_CMD_GET_LATENCY with
 *     KTR_ATTR_LAT_TRACER     string  "wakeup" or "wakeup_rt"
 *     KTR_ATTR_LAT_SEQ        u64     new maxima so far (changes with each)
 *     KTR_ATTR_LAT_THRESHOLD_NS u64   the tracer's threshold option
 *     KTR_ATTR_LAT_COUNT      u64     latencies measured
 *     KTR_ATTR_LAT_SUM_NS     u64     their sum
 *     KTR_ATTR_LAT_LOST       u64     wakeups not measured (their slot
 *                                     was taken by another waking task)
 *     KTR_ATTR_LAT_HIST       binary  __u64[KTR_LAT_BUCKETS]: bucket i
 *                                     counts latencies in [2^i, 2^(i+1))
 *                                     ns (bucket 0 also 0)
 *     and, once a maximum exists (KTR_ATTR_LAT_SEQ > 0):
 *     KTR_ATTR_LAT_MAX_NS     u64     the maximum
 *     KTR_ATTR_LAT_PID        u32     its task (a pid_t)
 *     KTR_ATTR_LAT_COMM       string  its command name
 *     KTR_ATTR_LAT_PRIO       u32     its prio (a signed int, kernel scale)
 *     KTR_ATTR_CPU            u32     the CPU it ran on
 *     KTR_ATTR_LAT_WAKE_TS    u64     the wakeup (local clock, ns)
 *     KTR_ATTR_LAT_SWITCH_TS  u64     the switch onto it
 *   then one message KTR_CMD_GET_LATENCY per event of the worst-case
 *   trace, oldest first:
 *     KTR_ATTR_LAT_SEQ        u64     as in the first message
 *     KTR_ATTR_CPU            u32     the CPU whose history it is
 *     KTR_ATTR_LAT_EVENT_TS   u64     local clock, ns
 *     KTR_ATTR_LAT_EVENT      binary  a payload as in the trace buffer:
 *                                     struct ktr_event_sched_switch or
 *                                     struct ktr_event_sched_wakeup
 *                                     (ktr_event.h; common.id says which)
 *   A dump that sees a new maximum after its first message fails with
 *   -EAGAIN (read again). Errors: -ENODATA no latency tracer was set since
 *   ktr was loaded ("ktr tracer set wakeup").
 *   Notice: after a new maximum above the tracer's threshold, at most one
 *   per KTR_LAT_NOTICE_MS, a KTR_CMD_GET_LATENCY message goes to
 *   "notices" with the first message's KTR_ATTR_LAT_TRACER, _SEQ, _MAX_NS,
 *   _PID, _COMM, _PRIO and KTR_ATTR_CPU (the maximum when it is sent:
 *   maxima close together give one notice).
 */
#ifndef _UAPI_LINUX_KTR_H
#define _UAPI_LINUX_KTR_H

#include <linux/ioctl.h>
#include <linux/types.h>	/* kernel and user space (linux-libc-dev) alike */

#include "ktr_ringbuf.h"

#define KTR_ABI_MAJOR		1
#define KTR_ABI_MINOR		8

#define KTR_GENL_NAME		"ktr"
#define KTR_GENL_VERSION	1
#define KTR_GENL_MCGRP_NOTICES	"notices"	/* ABI minor 4 */

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
	KTR_CMD_START,			/* ABI minor 4 */
	KTR_CMD_STOP,			/* ABI minor 4 */
	KTR_CMD_RESET,			/* ABI minor 4 */
	KTR_CMD_GET_STATS,		/* ABI minor 4 */
	KTR_CMD_WRITE_MARKER,		/* ABI minor 4 */
	KTR_CMD_SET_BUFFER,		/* ABI minor 4 */
	KTR_CMD_LIST_TRACERS,		/* ABI minor 7 */
	KTR_CMD_SET_TRACER,		/* ABI minor 7 */
	KTR_CMD_ADD_PROBE,		/* ABI minor 5 */
	KTR_CMD_DEL_PROBE,		/* ABI minor 5 */
	KTR_CMD_LIST_PROBES,		/* ABI minor 5 */
	KTR_CMD_SET_TASK_FILTER,	/* ABI minor 4 */
	KTR_CMD_SET_EVENT_FILTER,	/* ABI minor 4 */
	KTR_CMD_GET_FILTERS,		/* ABI minor 4 */
	KTR_CMD_CLEAR_FILTERS,		/* ABI minor 4 */
	/* Raw attach (ABI minor 4) */
	KTR_CMD_ATTACH_RAW,		/* ABI minor 4 */
	KTR_CMD_DETACH_RAW,		/* ABI minor 4 */
	KTR_CMD_GET_LATENCY,		/* ABI minor 8 */

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
	/* Control of tracing (ABI minor 4) */
	KTR_ATTR_TRACING_ON,			/* u8 */
	KTR_ATTR_CPU,				/* u32 */
	KTR_ATTR_CPU_ONLINE,			/* u8 */
	KTR_ATTR_STATS,				/* nested: enum ktr_stats_attr */
	KTR_ATTR_MARKER_TEXT,			/* binary */
	KTR_ATTR_BUFFER,			/* nested: enum ktr_buffer_attr */
	/* Filters (ABI minor 4) */
	KTR_ATTR_FILTER_PIDS,		/* binary: __s32[], process ids */
	KTR_ATTR_FILTER_FOLLOW,		/* u8 */
	KTR_ATTR_FILTER_COMMS,		/* binary: NUL-terminated strings */
	KTR_ATTR_FILTER_CPUS,		/* binary: __u64[] CPU bitmap */
	KTR_ATTR_FILTER_PROG,		/* binary: struct ktr_filter_insn[] */
	KTR_ATTR_FILTER_STRINGS,	/* binary: NUL-terminated strings */
	KTR_ATTR_FILTER_TEXT,		/* NUL-terminated string */
	KTR_ATTR_EVENT_STACK,		/* u8 */
	KTR_ATTR_EVENT_FILTER,		/* nested: an event's filter */
	KTR_ATTR_FILTER_TRACKED,	/* u32 */
	/* Raw attach (ABI minor 4) */
	KTR_ATTR_RAW_TRACEPOINT,		/* NUL-terminated string */
	KTR_ATTR_RAW_NARGS,			/* u32 */
	/* Dynamic probes (ABI minor 5) */
	KTR_ATTR_FIELD_DISPLAY,			/* u32, enum ktr_field_display */
	KTR_ATTR_PROBE_DEF,			/* NUL-terminated string */
	KTR_ATTR_PROBE_NAME,			/* NUL-terminated string */
	KTR_ATTR_PROBE_ALL,			/* u8 */
	KTR_ATTR_PROBE_KIND,			/* u32, enum ktr_probe_kind */
	KTR_ATTR_PROBE_MECH,			/* u32, enum ktr_probe_mech */
	KTR_ATTR_PROBE_ADDR,			/* u64 */
	KTR_ATTR_PROBE_HITS,			/* u64 */
	KTR_ATTR_PROBE_MISSED,			/* u64 */
	KTR_ATTR_PROBE_MAXACTIVE,		/* u32 */
	KTR_ATTR_PROBE_GONE,			/* u8 */
	/* Tracers (ABI minor 7) */
	KTR_ATTR_TRACER_NAME,			/* NUL-terminated string */
	KTR_ATTR_TRACER_DESC,			/* NUL-terminated string */
	KTR_ATTR_TRACER_CURRENT,		/* u8 */
	KTR_ATTR_TRACER_OPTIONS,		/* nested: KTR_ATTR_TRACER_OPTION... */
	KTR_ATTR_TRACER_OPTION,			/* nested: KTR_ATTR_TRACER_OPT_* */
	KTR_ATTR_TRACER_OPT_NAME,		/* NUL-terminated string */
	KTR_ATTR_TRACER_OPT_TYPE,		/* u32, enum ktr_tracer_opt_type */
	KTR_ATTR_TRACER_OPT_DESC,		/* NUL-terminated string */
	KTR_ATTR_TRACER_OPT_DEFAULT,		/* NUL-terminated string */
	KTR_ATTR_TRACER_OPT_VALUE,		/* NUL-terminated string */
	KTR_ATTR_TRACER_SETTINGS,		/* binary: "key=value" strings */
	/* Wakeup latency (ABI minor 8) */
	KTR_ATTR_LAT_TRACER,			/* NUL-terminated string */
	KTR_ATTR_LAT_SEQ,			/* u64 */
	KTR_ATTR_LAT_THRESHOLD_NS,		/* u64 */
	KTR_ATTR_LAT_COUNT,			/* u64 */
	KTR_ATTR_LAT_SUM_NS,			/* u64 */
	KTR_ATTR_LAT_LOST,			/* u64 */
	KTR_ATTR_LAT_HIST,			/* binary: __u64[KTR_LAT_BUCKETS] */
	KTR_ATTR_LAT_MAX_NS,			/* u64 */
	KTR_ATTR_LAT_PID,			/* u32 (pid_t) */
	KTR_ATTR_LAT_COMM,			/* NUL-terminated string */
	KTR_ATTR_LAT_PRIO,			/* u32 (signed int) */
	KTR_ATTR_LAT_WAKE_TS,			/* u64 */
	KTR_ATTR_LAT_SWITCH_TS,			/* u64 */
	KTR_ATTR_LAT_EVENT_TS,			/* u64 */
	KTR_ATTR_LAT_EVENT,			/* binary: an event payload */

	__KTR_ATTR_MAX,
};

#define KTR_ATTR_MAX (__KTR_ATTR_MAX - 1)

/* Inside KTR_ATTR_STATS (ABI minor 4). Never renumber; append only. */
enum ktr_stats_attr {
	KTR_STATS_UNSPEC,
	KTR_STATS_PAD,				/* alignment padding */
	KTR_STATS_WRITTEN,			/* u64, each as in struct */
	KTR_STATS_BYTES,			/* u64  ktr_rb_cpu_stats */
	KTR_STATS_READ,				/* u64 */
	KTR_STATS_BUFFERED,			/* u64 */
	KTR_STATS_LOST_FULL,			/* u64 */
	KTR_STATS_LOST_OVERWRITTEN,		/* u64 */
	KTR_STATS_LOST_NESTING,			/* u64 */
	KTR_STATS_LOST_DISABLED,		/* u64 */
	KTR_STATS_DISCARDED,			/* u64 */
	KTR_STATS_SUBBUFS_WRITTEN,		/* u64 */
	KTR_STATS_SUBBUFS_READ,			/* u64 */
	KTR_STATS_SUBBUFS_OVERWRITTEN,		/* u64 */

	__KTR_STATS_MAX,
};

#define KTR_STATS_MAX (__KTR_STATS_MAX - 1)

/* Inside KTR_ATTR_BUFFER (ABI minor 4). Never renumber; append only. */
enum ktr_buffer_attr {
	KTR_BUFFER_UNSPEC,
	KTR_BUFFER_SUBBUF_SIZE,			/* u32, bytes, power of two */
	KTR_BUFFER_NR_SUBBUFS,			/* u32, power of two */
	KTR_BUFFER_MODE,			/* u32, enum ktr_rb_mode */

	__KTR_BUFFER_MAX,
};

#define KTR_BUFFER_MAX (__KTR_BUFFER_MAX - 1)

/* KTR_ATTR_FIELD_TYPE: how a field of an event payload is read. */
enum ktr_field_type {
	KTR_FIELD_INT = 1,		/* integer of 1, 2, 4 or 8 bytes */
	KTR_FIELD_CHAR_ARRAY = 2,	/* fixed size, NUL-padded text */
	KTR_FIELD_REST_STRING = 3,	/* text to the end of the payload */
	KTR_FIELD_REST_U64 = 4,		/* __u64s to the payload's end */
	/*
	 * ABI minor 5: a __u32 at the field's offset locates text in the
	 * payload: bits 0-15 its offset from the payload start, bits 16-31 its
	 * length in bytes, NUL included (0: no text, e.g. the read faulted).
	 * As ftrace's __data_loc char[]. Size 4.
	 */
	KTR_FIELD_STRING_LOC = 5,
};

/* KTR_ATTR_FIELD_DISPLAY (ABI minor 5): how a tool shows an integer. */
enum ktr_field_display {
	KTR_DISPLAY_DEFAULT = 0,	/* decimal, signed as the field is */
	KTR_DISPLAY_HEX = 1,		/* 0x... (kprobe types x8..x64) */
	KTR_DISPLAY_SYMBOL = 2,		/* a kernel address: symbol+offset */
};

/* KTR_ATTR_PROBE_KIND (ABI minor 5). */
enum ktr_probe_kind {
	KTR_PROBE_KPROBE = 1,		/* p: a kernel address */
	KTR_PROBE_KRETPROBE = 2,	/* r: a kernel function's return */
	KTR_PROBE_UPROBE = 3,		/* p: an offset in an executable file */
	KTR_PROBE_URETPROBE = 4,	/* r: a user function's return */
};

/* KTR_ATTR_PROBE_MECH (ABI minor 5): how the kernel hooks a probe. */
enum ktr_probe_mech {
	KTR_MECH_BREAKPOINT = 1,	/* an int3 (may be optimized to a jump later) */
	KTR_MECH_FTRACE = 2,		/* the function's ftrace call site */
	KTR_MECH_UPROBE = 3,		/* a breakpoint in user text */
};

/* Dynamic probe limits (ABI minor 5). */
#define KTR_PROBE_DEF_MAX	1024	/* bytes of a definition, NUL included */
#define KTR_PROBE_ARGS_MAX	16	/* fetch arguments per probe */
#define KTR_PROBE_DEREF_MAX	4	/* nested +OFFS(...) per argument */
#define KTR_PROBE_STRING_MAX	256	/* bytes of one string argument, NUL incl. */
#define KTR_PROBE_PAYLOAD_MAX	2048	/* a probe event's payload at most */
#define KTR_PROBES_MAX		128	/* probes defined at a time */
#define KTR_PROBE_MAXACTIVE_MAX	4096	/* r<MAXACTIVE> */

#define KTR_EVENT_NAME_MAX	64	/* bytes, NUL included */

/* Tracers (ABI minor 7). */
#define KTR_TRACER_NAME_MAX	32	/* bytes of a tracer's name, NUL incl. */
#define KTR_TRACER_DESC_MAX	256	/* bytes of a description, NUL incl. */
#define KTR_TRACER_OPTS_MAX	16	/* options of a tracer */
#define KTR_TRACER_OPT_VALUE_MAX 256	/* bytes of an option value, NUL incl. */
#define KTR_TRACER_SETTINGS_MAX	4096	/* bytes of KTR_ATTR_TRACER_SETTINGS */
#define KTR_TRACER_EVENTS_MAX	16	/* event formats of a tracer */

/* Wakeup latency (ABI minor 8). */
#define KTR_LAT_BUCKETS		64	/* log2 buckets of KTR_ATTR_LAT_HIST */
#define KTR_LAT_HISTORY		64	/* events of the worst-case trace, at most */
#define KTR_LAT_NOTICE_MS	100	/* least time between two notices */

/* KTR_ATTR_TRACER_OPT_TYPE (ABI minor 7). */
enum ktr_tracer_opt_kind {
	KTR_TRACER_OPT_BOOL = 1,	/* 0/1, y/n, yes/no, true/false, on/off */
	KTR_TRACER_OPT_U64 = 2,		/* decimal or 0x-hex */
	KTR_TRACER_OPT_STRING = 3,	/* text */
};

/* Filter limits (ABI minor 4). */
#define KTR_FILTER_PIDS_MAX	256	/* process ids in KTR_ATTR_FILTER_PIDS */
#define KTR_FILTER_COMMS_MAX	16	/* names in KTR_ATTR_FILTER_COMMS */
#define KTR_FILTER_INSNS_MAX	64	/* instructions in a program */
#define KTR_FILTER_STRINGS_MAX	1024	/* bytes of KTR_ATTR_FILTER_STRINGS */
#define KTR_FILTER_TEXT_MAX	512	/* bytes of KTR_ATTR_FILTER_TEXT, NUL incl. */
#define KTR_FILTER_CPUS_MAX	8192	/* CPUs a KTR_ATTR_FILTER_CPUS can name */
#define KTR_FILTER_GLOBS_MAX	8	/* glob comparisons in a program */
#define KTR_FILTER_GLOB_LEN_MAX	64	/* bytes of a glob pattern, NUL incl. */

/*
 * Event filter programs (KTR_ATTR_FILTER_PROG): postfix instructions over a
 * stack of truth values, run on a recorded payload before it is published;
 * the event is kept when the program leaves true. A comparison pushes one
 * value; AND and OR pop two and push one; NOT replaces the top one. The
 * module accepts a program only if every comparison names a field of the
 * event exactly (offset and size of one of its fields, of the type the
 * operation needs), the stack never underflows, and exactly one value is
 * left at the end.
 */
enum ktr_filter_op {
	KTR_FOP_AND = 1,
	KTR_FOP_OR = 2,
	KTR_FOP_NOT = 3,
	/* An integer field against @value, signed as the field is: */
	KTR_FOP_EQ = 8,
	KTR_FOP_NE = 9,
	KTR_FOP_LT = 10,
	KTR_FOP_LE = 11,
	KTR_FOP_GT = 12,
	KTR_FOP_GE = 13,
	KTR_FOP_BAND = 14,	/* (field & value) != 0 */
	/* A text field against the string at byte @value of STRINGS: */
	KTR_FOP_STR_EQ = 16,
	KTR_FOP_STR_NE = 17,
	KTR_FOP_GLOB = 18,	/* shell glob: * ? [...] */
	KTR_FOP_NGLOB = 19,
};

/**
 * struct ktr_filter_insn - one instruction of an event filter program
 * @op: enum ktr_filter_op.
 * @flags: zero.
 * @offset: comparisons: the field's offset in the payload; else zero.
 * @size: comparisons: the field's size (0 for a REST string); else zero.
 * @reserved: zero.
 * @value: the integer operand (two's complement for negative values), or
 *	the string's offset; zero for AND, OR, NOT.
 */
struct ktr_filter_insn {
	__u16 op;
	__u16 flags;
	__u32 offset;
	__u32 size;
	__u32 reserved;
	__u64 value;
};

#define KTR_EVENT_GLOB_MAX	128	/* bytes, NUL included */

/* Raw attach (KTR_CMD_ATTACH_RAW) limits. */
#define KTR_RAW_NARGS_MAX	6	/* arguments recorded per event */
#define KTR_RAW_EVENTS_MAX	64	/* raw events attached at a time */

/* Limits on buffer geometry accepted by the module. */
#define KTR_SUBBUF_SIZE_MIN	4096u
#define KTR_SUBBUF_SIZE_MAX	(4u << 20)
#define KTR_NR_SUBBUFS_MIN	2u
#define KTR_NR_SUBBUFS_MAX	4096u
/* KTR_CMD_SET_BUFFER: sub-buffers (the spare included) x size, per CPU. */
#define KTR_BUFFER_BYTES_PER_CPU_MAX	(256u << 20)

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

/*
 * Unused: writers wake readers now. Kept so that code built against
 * older headers still compiles.
 */
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

/* --- function latency histograms (ABI minor 6) ------------------------- */

/* At most this many functions per KTR_IOC_FUNCLAT_OPEN. */
#define KTR_FUNCLAT_FUNCS_MAX		64u
/* At most this many histogram fds (sets) open at once, all users together. */
#define KTR_FUNCLAT_SETS_MAX		16u
/* Bytes of one name slot, its terminating NUL included. */
#define KTR_FUNCLAT_NAME_SLOT		128u
/* Log2 buckets of a histogram. */
#define KTR_FUNCLAT_BUCKETS		64u
/* Largest kretprobe instance count a caller may ask for. */
#define KTR_FUNCLAT_MAXACTIVE_MAX	4096u
/* Largest bucket unit: one second. */
#define KTR_FUNCLAT_UNIT_NS_MAX		1000000000u
/* ktr_funclat_open.failed when no one function is at fault. */
#define KTR_FUNCLAT_NONE		0xffffffffU

/**
 * struct ktr_funclat_open - argument of KTR_IOC_FUNCLAT_OPEN
 * @size: in: sizeof(struct ktr_funclat_open) as the caller knows it (at
 *	least KTR_FUNCLAT_OPEN_SIZE_VER0).
 * @flags: in: 0 (-EINVAL otherwise).
 * @pid: in: count only the calls made by the threads of this process (a
 *	process id in the caller's pid namespace; -ESRCH if none); 0: all.
 *	Calls made in interrupt context count for the task they interrupted.
 * @nr_funcs: in: 1..KTR_FUNCLAT_FUNCS_MAX.
 * @names: in: user address of @nr_funcs slots of KTR_FUNCLAT_NAME_SLOT
 *	bytes each, one function name per slot, NUL-terminated ("NAME" or
 *	"MOD:NAME"); bytes after the NUL are ignored.
 * @maxactive: in: kretprobe instances per function, how many calls may be
 *	pending at once before more are counted as missed; 0: the module's
 *	default (max(64, 4 x possible CPUs)); at most
 *	KTR_FUNCLAT_MAXACTIVE_MAX.
 * @unit_ns: in: the histogram's unit: a call of d ns goes to the bucket of
 *	d / @unit_ns (0 or 1: ns; 1000: us; at most KTR_FUNCLAT_UNIT_NS_MAX).
 *	sum_ns, min_ns and max_ns are always in ns.
 * @stat_size: in: bytes of struct ktr_funclat_stat the caller reads per
 *	function (at least KTR_FUNCLAT_STAT_SIZE_VER0).
 * @failed: out: the index of the function the error is about, or
 *	KTR_FUNCLAT_NONE (success, or an error about the request itself).
 */
struct ktr_funclat_open {
	__u32 size;
	__u32 flags;
	__u32 pid;
	__u32 nr_funcs;
	__u64 names;
	__u32 maxactive;
	__u32 unit_ns;
	__u32 stat_size;
	__u32 failed;
};

#define KTR_FUNCLAT_OPEN_SIZE_VER0	40

/**
 * struct ktr_funclat_stat - one function's histogram, as read()
 * @size: sizeof(struct ktr_funclat_stat) as the module knows it.
 * @index: the function's index in the open request.
 * @count: calls that returned and were counted.
 * @sum_ns: their total duration (ns).
 * @min_ns: the shortest (0 when @count is 0).
 * @max_ns: the longest.
 * @missed: calls not counted: no free kretprobe instance (raise
 *	@maxactive), a probe hit while another kprobe handler ran on the CPU,
 *	or a return inside this function's own handler on the same CPU (an
 *	interrupt). Calls filtered out by @pid are not missed.
 * @buckets: bucket i counts the calls with d / unit in [2^i, 2^(i+1));
 *	bucket 0 also counts d / unit = 0.
 */
struct ktr_funclat_stat {
	__u32 size;
	__u32 index;
	__u64 count;
	__u64 sum_ns;
	__u64 min_ns;
	__u64 max_ns;
	__u64 missed;
	__u64 buckets[KTR_FUNCLAT_BUCKETS];
};

#define KTR_FUNCLAT_STAT_SIZE_VER0	560

#define KTR_IOC_FUNCLAT_OPEN	_IOWR(KTR_IOC_MAGIC, 5, struct ktr_funclat_open)

#endif /* _UAPI_LINUX_KTR_H */
