# shellcheck shell=sh
# guest.sh - what the guest halves of the benchmarks share (busybox sh, sourced
# by scripts/bench/*-guest.sh inside a vm/run guest; vm/run --add puts it next
# to the script: `. "$(dirname "$0")/guest.sh"`).
#
# The record lines every guest half prints, read by the *-report scripts:
#   BENCH-META KEY VALUE...      facts about this guest       (meta)
#   BENCH-RESULT k=v k=v ...     one measurement             (result)
#   BENCH-ERROR config=.. [loop=..] round=.. why...          (fail)
#   BENCH-RAW ...                raw outputs, kept in the log (raw)
# Other lines are progress for the human reader (say).
#
# The caller sets before using them: W (a scratch directory), cpu, reps,
# subbuf_size and nr_subbufs (load), config, round and, where a
# configuration runs several loops, loop. It defines run_config (one
# configuration, $config, in one round) for bench_rounds.

T=/sys/kernel/tracing
KTR_KO=/lib/ktr/ktr.ko
failures=0
config="" loop="" round=""

meta() { echo "BENCH-META $*"; }
say() { echo "# $*"; }
raw() { sed "s/^/BENCH-RAW $1: /" "$2" 2>/dev/null; }
fail() {
	echo "BENCH-ERROR config=$config${loop:+ loop=$loop} round=$round $*"
	failures=$((failures + 1))
}

# Stall and lockup reports in the kernel log, counted: result refuses a
# measurement during which the count grew (bench_rounds takes the count
# before each configuration).
stalls() { dmesg | grep -cE 'detected stalls?|self-detected stall|soft lockup|hung_task|blocked for more than'; }
stalls_before=0
result() {
	s1=$(stalls)
	if [ "$s1" != "$stalls_before" ]; then
		dmesg | grep -E 'detected stalls?|self-detected stall|soft lockup|hung_task|blocked for more than' |
			tail -n 3 >"$W/stall.txt"
		fail "the kernel reported a stall or lockup while this configuration ran: $(tr '\n' ' ' <"$W/stall.txt")"
		return 1
	fi
	echo "BENCH-RESULT config=$config${loop:+ loop=$loop} round=$round vcpus=$(nproc) $*"
}

unload() {
	if grep -q '^ktr ' /proc/modules; then
		rmmod ktr || { fail "rmmod ktr failed"; return 1; }
	fi
}
# A fresh ktr.ko: overwrite mode, nr_subbufs x subbuf_size per CPU.
load() {
	unload || return 1
	if ! err=$(insmod $KTR_KO subbuf_size="$subbuf_size" nr_subbufs="$nr_subbufs" mode=overwrite 2>&1); then
		fail "insmod ktr.ko failed: $err"
		return 1
	fi
}

# measure LOOP ITERS: ktr-bench-events LOOP (syscall: getppid() calls;
# switch: pipe ping-pong round trips) pinned to $cpu, $reps timed
# repetitions; sets m_fields (the tool's k=v) or returns 1.
measure() {
	if ! ktr-bench-events "$1" --cpu "$cpu" --iterations "$2" --reps "$reps" >"$W/tool.out" 2>&1; then
		fail "ktr-bench-events $1 failed: $(tr '\n' ' ' <"$W/tool.out")"
		return 1
	fi
	raw tool "$W/tool.out"
	m_fields=$(sed -n 's/^ktr-bench-events //p' "$W/tool.out")
	[ -n "$m_fields" ] || { fail "no result line from ktr-bench-events"; return 1; }
}

# ktr's counters since the load: ktr-read's exit statistics (it drains the
# buffer into $W/ktr.txt first: after the measurement, outside it).
ktr_counters() {
	ktr-read -d 200ms >"$W/ktr.txt" 2>"$W/stats.err"
	awk '$1 == "total" && $5 == "|" {
		printf "written=%s lost=%.0f lost_overwritten=%s", $6, $7 + $9 + $10, $8 }' "$W/stats.err"
}

# ftrace's: entries + overrun over the CPUs (nothing read them).
ftrace_counters() {
	cat $T/per_cpu/cpu*/stats >"$W/ftrace.stats"
	awk '/^entries:/ { e += $2 } /^overrun:/ { o += $2 } /^commit overrun:/ { c += $3 } /^dropped events:/ { d += $3 }
		END { printf "written=%.0f lost=%.0f lost_overwritten=%.0f", e + o, c + d, o }' "$W/ftrace.stats"
}

# check_written COUNTERS NEED: a traced loop recorded at least NEED events.
check_written() {
	w=$(echo "$1" | sed -n 's/^written=\([0-9]*\) .*/\1/p')
	if [ -z "$w" ] || [ "$w" -lt "$2" ]; then
		fail "the tracer counted ${w:-no} events written, expected at least $2: $1"
		return 1
	fi
}

# ftrace_idle CLOCK BUFFER_KB: ftrace recording nothing, with this clock and
# buffer size per CPU, in overwrite mode, empty.
ftrace_idle() {
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	echo 0 >$T/events/enable
	echo "$1" >$T/trace_clock ||
		{ echo "cannot set ftrace's trace_clock '$1' (have: $(cat $T/trace_clock))" >&2; return 1; }
	echo "$2" >$T/buffer_size_kb || { echo "cannot set ftrace's buffer_size_kb" >&2; return 1; }
	echo 1 >$T/options/overwrite
	echo >$T/trace
}

# The facts every benchmark records about its guest.
meta_guest() {
	meta vcpus "$(nproc)"
	meta kernel_release "$(uname -r)"
	meta cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	meta clocksource "$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
}

# bench_rounds ROUNDS CONFIG...: round by round, every configuration once
# (run_config with $config and $round set), the starting configuration
# rotating from round to round so no configuration always runs first.
bench_rounds() {
	n_rounds=$1
	shift
	nconf=$#
	round=1
	while [ "$round" -le "$n_rounds" ]; do
		i=0
		while [ $i -lt "$nconf" ]; do
			k=$(((i + round - 1) % nconf + 1))
			eval "config=\${$k}"
			stalls_before=$(stalls)
			run_config
			i=$((i + 1))
		done
		round=$((round + 1))
	done
}
