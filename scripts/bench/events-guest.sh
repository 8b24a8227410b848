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
# Output on stdout, one record a line, read by scripts/bench/events-report:
#   BENCH-META KEY VALUE...      facts about this guest
#   BENCH-RESULT k=v k=v ...     one loop of one configuration in one round
#   BENCH-ERROR config=.. loop=.. round=.. why...
#   BENCH-RAW ...                raw outputs (kept in the log, not shown)
# Other lines are progress for the human reader.

T=/sys/kernel/tracing
KTR_KO=/lib/ktr/ktr.ko
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
failures=0
config="" loop="" round=""
meta() { echo "BENCH-META $*"; }
say() { echo "# $*"; }
raw() { sed "s/^/BENCH-RAW $1: /" "$2" 2>/dev/null; }

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

unload() {
	if grep -q '^ktr ' /proc/modules; then
		rmmod ktr || { echo "BENCH-ERROR rmmod ktr failed"; failures=$((failures + 1)); return 1; }
	fi
}
load() {
	unload || return 1
	if ! err=$(insmod $KTR_KO subbuf_size="$subbuf_size" nr_subbufs="$nr_subbufs" mode=overwrite 2>&1); then
		echo "BENCH-ERROR insmod ktr.ko failed: $err"
		failures=$((failures + 1))
		return 1
	fi
}

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
cs=/sys/devices/system/clocksource/clocksource0
meta vcpus "$vcpus"
meta kernel_release "$(uname -r)"
meta cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
meta clocksource "$(cat $cs/current_clocksource)"
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
echo 0 >$T/tracing_on
echo nop >$T/current_tracer
echo 0 >$T/events/enable
echo "$trace_clock" >$T/trace_clock ||
	{ echo "events-guest: cannot set trace_clock '$trace_clock' (have: $(cat $T/trace_clock))" >&2; exit 1; }
echo "$buffer_kb" >$T/buffer_size_kb || { echo "events-guest: cannot set buffer_size_kb" >&2; exit 1; }
echo 1 >$T/options/overwrite
echo >$T/trace
meta ftrace_buffer_size_kb "$(cat $T/buffer_size_kb)"

# --- one loop ----------------------------------------------------------------
# measure LOOP: run the tool; sets m_fields (its k=v) or returns 1.
measure() {
	iters=$syscall_iters
	[ "$1" = switch ] && iters=$switch_iters
	if ! ktr-bench-events "$1" --cpu "$cpu" --iterations "$iters" --reps "$reps" >$W/tool.out 2>&1; then
		fail "ktr-bench-events $1 failed: $(tr '\n' ' ' <$W/tool.out)"
		return 1
	fi
	raw tool $W/tool.out
	m_fields=$(sed -n 's/^ktr-bench-events //p' $W/tool.out)
	[ -n "$m_fields" ] || { fail "no result line from ktr-bench-events"; return 1; }
}

fail() {
	echo "BENCH-ERROR config=$config loop=$loop round=$round $*"
	failures=$((failures + 1))
}

result() { echo "BENCH-RESULT config=$config loop=$loop round=$round vcpus=$vcpus $*"; }

# ktr's own counters since the load: ktr-read's exit statistics (it drains
# the buffer into /dev/null first: after the measurement, outside it).
ktr_counters() {
	ktr-read -d 200ms >/dev/null 2>$W/stats.err
	awk '$1 == "total" && $5 == "|" {
		printf "written=%s lost=%.0f lost_overwritten=%s", $6, $7 + $9 + $10, $8 }' $W/stats.err
}

# ftrace's: entries + overrun over the CPUs (nothing read them).
ftrace_counters() {
	cat $T/per_cpu/cpu*/stats >$W/ftrace.stats
	awk '/^entries:/ { e += $2 } /^overrun:/ { o += $2 } /^commit overrun:/ { c += $3 } /^dropped events:/ { d += $3 }
		END { printf "written=%.0f lost=%.0f lost_overwritten=%.0f", e + o, c + d, o }' $W/ftrace.stats
}

run_loop() {
	loop=$1
	case $loop in
	syscall) kevents="sys_enter sys_exit" fevents="raw_syscalls/sys_enter raw_syscalls/sys_exit" avail=$ktr_syscall ;;
	switch) kevents="sched_switch" fevents="sched/sched_switch" avail=$ktr_switch ;;
	esac
	case $config in
	off)
		unload || return
		measure "$loop" && result "$m_fields status=ok" ;;
	loaded)
		load || return
		measure "$loop" && result "$m_fields status=ok"
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
		measure "$loop" && ok=1
		# shellcheck disable=SC2086
		ktr disable $kevents >$W/enable.err 2>&1 || fail "ktr disable $kevents: $(tr '\n' ' ' <$W/enable.err)"
		counters=$(ktr_counters)
		raw ktr-read $W/stats.err
		unload
		[ $ok = 1 ] && check_written "$counters" &&
			result "$m_fields events=$(echo "$kevents" | tr ' ' ,) $counters status=ok" ;;
	ftrace)
		echo >$T/trace
		for e in $fevents; do echo 1 >"$T/events/$e/enable"; done
		echo 1 >$T/tracing_on
		ok=0
		measure "$loop" && ok=1
		echo 0 >$T/tracing_on
		for e in $fevents; do echo 0 >"$T/events/$e/enable"; done
		counters=$(ftrace_counters)
		raw ftrace-stats $W/ftrace.stats
		echo >$T/trace
		[ $ok = 1 ] && check_written "$counters" &&
			result "$m_fields events=$(echo "$fevents" | tr ' ' ,) $counters status=ok" ;;
	floor)
		echo 0 >$T/tracing_on
		echo >$T/trace
		for e in $fevents; do echo 1 >"$T/events/$e/enable"; done
		ok=0
		measure "$loop" && ok=1
		for e in $fevents; do echo 0 >"$T/events/$e/enable"; done
		counters=$(ftrace_counters)
		raw ftrace-stats $W/ftrace.stats
		case $counters in written=0\ *) ;; *) fail "ftrace recorded events with tracing_on 0: $counters"; ok=0 ;; esac
		[ $ok = 1 ] && result "$m_fields events=$(echo "$fevents" | tr ' ' ,) $counters status=ok" ;;
	esac
}

# A traced loop must have recorded at least one event per op it timed.
check_written() {
	w=$(echo "$1" | sed -n 's/^written=\([0-9]*\) .*/\1/p')
	need=$((2 * reps * iters)) # enter + exit per call; two switches per round trip
	if [ -z "$w" ] || [ "$w" -lt "$need" ]; then
		fail "the tracer counted ${w:-no} events written, expected at least $need: $1"
		return 1
	fi
}

# --- the rounds --------------------------------------------------------------
# shellcheck disable=SC2086 # one configuration a word
set -- $configs
nconf=$#
round=1
while [ "$round" -le "$rounds" ]; do
	i=0
	while [ $i -lt "$nconf" ]; do
		k=$(((i + round - 1) % nconf + 1))
		eval "config=\${$k}"
		for l in syscall switch; do
			say "round $round: $config, $l"
			run_loop $l
		done
		i=$((i + 1))
	done
	round=$((round + 1))
done
unload

meta failures "$failures"
[ "$failures" = 0 ]
