#!/bin/sh
# events-guest.sh - the guest half of `make bench-events` (busybox sh, in a vm/run guest).
#
#   vm/run --no-load --smp N scripts/bench/events-guest.sh KEY=VALUE...
#
# Keys: rounds (8), reps (10 timed repetitions per loop, the tool reports
# their median), syscall_iters (20000 getppid() per repetition),
# switch_iters (1000 ping-pong round trips per repetition), cpu (the CPU the
# loops are pinned to; default: the last one), configs ("off loaded ktr
# ftrace"), buffer_kb (1024 per CPU, both tracers), subbuf_size (65536: ktr's
# sub-buffer; nr_subbufs = buffer_kb * 1024 / subbuf_size), trace_clock
# (local: ftrace's clock; ktr stamps with local_clock()).
#
# Configurations (both loops run in each; ktr-bench-events from tests/vm/tools):
#   off      ktr.ko not loaded (rmmod'ed), ftrace idle: the baseline
#   loaded   ktr.ko freshly loaded, nothing enabled
#   ktr      ktr.ko freshly loaded for each loop, its sys_enter + sys_exit
#            (syscall loop) or sched_switch (switch loop) enabled
#   ftrace   ftrace's raw_syscalls:sys_enter + sys_exit or sched:sched_switch
#            enabled through tracefs, tracing_on=1
#   floor    the same ftrace events enabled with tracing_on=0: the tracepoint
#            fires (for syscalls: through the syscall-work slow path, which
#            any probe on raw_syscalls switches on), ftrace's probe finds its
#            buffer off and returns; nothing is recorded. The added cost no
#            tracer's write path can remove (an upper bound of it: ftrace's
#            probe still runs its first checks)
# The pairing ktr vs ftrace is "recording, nobody reading": both buffers in
# overwrite mode (ktr mode=overwrite, ftrace options/overwrite=1, its
# default), the same size per CPU, no consumer running, so each tracer pays
# exactly its write path (probe, reserve, fill, commit) and nothing else.
# After each loop the events written (and overwritten) are read from the
# tracer's own counters: a traced loop that recorded nothing is an error.
#
# Order inside this one boot: round by round; inside a round every
# configuration once, the starting configuration rotating from round to
# round (round 1: off loaded ktr ftrace floor, round 2: loaded ktr ftrace floor off, ...),
# each running the syscall loop then the switch loop.
#
# Output: the record lines of lib/guest.sh (a BENCH-RESULT per loop of one
# configuration in one round), read by scripts/bench/events-report.
# shellcheck source=lib/guest.sh
. "$(dirname "$0")/guest.sh"

W=/tmp/bench

rounds=8
reps=10
syscall_iters=20000
switch_iters=1000
cpu=""
configs="off loaded ktr ftrace floor"
buffer_kb=1024
subbuf_size=65536
trace_clock=local
for kv in "$@"; do
	case $kv in
	rounds=*) rounds=${kv#*=} ;;
	reps=*) reps=${kv#*=} ;;
	syscall_iters=*) syscall_iters=${kv#*=} ;;
	switch_iters=*) switch_iters=${kv#*=} ;;
	cpu=*) cpu=${kv#*=} ;;
	configs=*) configs=${kv#*=} ;;
	buffer_kb=*) buffer_kb=${kv#*=} ;;
	subbuf_size=*) subbuf_size=${kv#*=} ;;
	trace_clock=*) trace_clock=${kv#*=} ;;
	*) echo "events-guest: unknown argument '$kv'" >&2; exit 2 ;;
	esac
done

vcpus=$(nproc)
[ -n "$cpu" ] || cpu=$((vcpus - 1))
nr_subbufs=$((buffer_kb * 1024 / subbuf_size))

[ -f $T/buffer_size_kb ] || { echo "events-guest: no tracefs at $T" >&2; exit 1; }
command -v ktr-bench-events >/dev/null ||
	{ echo "events-guest: no ktr-bench-events in the guest (build tests/vm/tools)" >&2; exit 1; }
[ "$cpu" -lt "$vcpus" ] || { echo "events-guest: cpu=$cpu but the guest has $vcpus vCPUs" >&2; exit 2; }
for c in $configs; do
	case $c in off|loaded|ktr|ftrace|floor) ;;
	*) echo "events-guest: unknown config '$c' (off loaded ktr ftrace floor)" >&2; exit 2 ;;
	esac
done
for ev in raw_syscalls/sys_enter raw_syscalls/sys_exit sched/sched_switch; do
	[ -f $T/events/$ev/enable ] || { echo "events-guest: this kernel has no ftrace event $ev" >&2; exit 1; }
done
mkdir -p $W


# Which ktr events this ktr.ko records (it is loaded for the check).
unload || exit 1
load || exit 1
ktr list >$W/list.txt 2>&1
raw ktr-list $W/list.txt
ktr_has() { awk -v e="$1" '$0 ~ "(^|[ :])" e "( |$)" && !/unavailable/ { f = 1 } END { exit !f }' $W/list.txt; }
ktr_syscall=unavailable
ktr_has sys_enter && ktr_has sys_exit && ktr_syscall=available
ktr_switch=unavailable
ktr_has sched_switch && ktr_switch=available
unload || exit 1

# --- facts about this guest --------------------------------------------------
meta_guest
meta rounds "$rounds"
meta reps "$reps"
meta syscall_iters "$syscall_iters"
meta switch_iters "$switch_iters"
meta pinned_cpu "$cpu"
meta configs "$configs"
meta buffer_kb_per_cpu "$buffer_kb"
meta ktr_subbuf_size "$subbuf_size"
meta ktr_nr_subbufs "$nr_subbufs"
meta ktr_mode overwrite
meta ktr_syscall_events "$ktr_syscall"
meta ktr_switch_events "$ktr_switch"
meta ftrace_overwrite 1
meta ftrace_trace_clock "$trace_clock"

# ftrace: idle, our clock, our buffer size, overwrite, nothing enabled.
ftrace_idle "$trace_clock" "$buffer_kb" || exit 1
meta ftrace_buffer_size_kb "$(cat $T/buffer_size_kb)"

# --- one loop ----------------------------------------------------------------
# run_loop LOOP: $config on LOOP (syscall or switch). A traced loop must
# have recorded at least one event per op it timed: enter + exit per call,
# two switches per round trip.
run_loop() {
	loop=$1
	case $loop in
	syscall) kevents="sys_enter sys_exit" fevents="raw_syscalls/sys_enter raw_syscalls/sys_exit" avail=$ktr_syscall iters=$syscall_iters ;;
	switch) kevents="sched_switch" fevents="sched/sched_switch" avail=$ktr_switch iters=$switch_iters ;;
	esac
	need=$((2 * reps * iters))
	case $config in
	off)
		unload || return
		measure "$loop" "$iters" && result "$m_fields status=ok" ;;
	loaded)
		load || return
		measure "$loop" "$iters" && result "$m_fields status=ok"
		unload ;;
	ktr)
		if [ "$avail" != available ]; then
			result "status=unavailable events=$(echo "$kevents" | tr ' ' ,)"
			return
		fi
		load || return
		# shellcheck disable=SC2086 # one event a word
		if ! ktr enable $kevents >$W/enable.err 2>&1; then
			fail "ktr enable $kevents: $(tr '\n' ' ' <$W/enable.err)"
			unload
			return
		fi
		ok=0
		measure "$loop" "$iters" && ok=1
		# shellcheck disable=SC2086
		ktr disable $kevents >$W/enable.err 2>&1 || fail "ktr disable $kevents: $(tr '\n' ' ' <$W/enable.err)"
		counters=$(ktr_counters)
		raw ktr-read $W/stats.err
		unload
		[ $ok = 1 ] && check_written "$counters" "$need" &&
			result "$m_fields events=$(echo "$kevents" | tr ' ' ,) $counters status=ok" ;;
	ftrace)
		echo >$T/trace
		for e in $fevents; do echo 1 >"$T/events/$e/enable"; done
		echo 1 >$T/tracing_on
		ok=0
		measure "$loop" "$iters" && ok=1
		echo 0 >$T/tracing_on
		for e in $fevents; do echo 0 >"$T/events/$e/enable"; done
		counters=$(ftrace_counters)
		raw ftrace-stats $W/ftrace.stats
		echo >$T/trace
		[ $ok = 1 ] && check_written "$counters" "$need" &&
			result "$m_fields events=$(echo "$fevents" | tr ' ' ,) $counters status=ok" ;;
	floor)
		echo 0 >$T/tracing_on
		echo >$T/trace
		for e in $fevents; do echo 1 >"$T/events/$e/enable"; done
		ok=0
		measure "$loop" "$iters" && ok=1
		for e in $fevents; do echo 0 >"$T/events/$e/enable"; done
		counters=$(ftrace_counters)
		raw ftrace-stats $W/ftrace.stats
		case $counters in written=0\ *) ;; *) fail "ftrace recorded events with tracing_on 0: $counters"; ok=0 ;; esac
		[ $ok = 1 ] && result "$m_fields events=$(echo "$fevents" | tr ' ' ,) $counters status=ok" ;;
	esac
}

# --- the rounds --------------------------------------------------------------
run_config() {
	for l in syscall switch; do
		say "round $round: $config, $l"
		run_loop $l
	done
}
# shellcheck disable=SC2086 # one configuration a word
bench_rounds "$rounds" $configs
unload

meta failures "$failures"
[ "$failures" = 0 ]
