#!/bin/sh
# tracers-guest.sh - the guest half of `make bench-tracers` (busybox sh, in a vm/run guest).
#
#   vm/run --no-load --smp N --add scripts/bench/lib/guest.sh:/work/guest.sh \
#          scripts/bench/tracers-guest.sh KEY=VALUE...
#
# Keys: rounds (8), reps (10 timed repetitions per loop, the tool reports
# their median), syscall_iters (20000 getppid() per repetition),
# switch_iters (1000 pipe ping-pong round trips per repetition), cpu (the
# CPU the loops are pinned to; default: the last one), configs ("off
# ktr-function ftrace-function ktr-wakeup ktr-profile"), symbol
# (__x64_sys_getppid: the one function both function tracers are filtered
# to, getppid()'s implementation), freq (99: the profile tracer's Hz),
# buffer_kb (1024 per CPU, both tracers), subbuf_size (65536: ktr's
# sub-buffer), trace_clock (local).
#
# Configurations, each with the loop it is measured on (ktr-bench-events
# from tests/vm/tools):
#   off              ktr.ko not loaded, ftrace idle: the baseline of both loops
#   ktr-function     syscall loop; ktr's function tracer, filter=SYMBOL
#   ftrace-function  syscall loop; ftrace's function tracer,
#                    set_ftrace_filter=SYMBOL, tracing_on 1
#   ktr-wakeup       switch loop (every round trip wakes two tasks); ktr's
#                    wakeup tracer (all tasks)
#   ktr-profile      syscall loop; ktr's profile tracer at FREQ Hz on every
#                    CPU with a kernel stack per sample (what `ktr profile`
#                    turns on)
# The pairing is that of bench-events, "recording, nobody reading": both
# buffers in overwrite mode, the same size per CPU, no consumer while the
# loop runs. Tracers are switched outside the timed loop only (patching
# ftrace call sites under TCG while the loop runs can stall a vCPU). After
# each traced loop the tracer's own counters must show what the loop made
# it record: one event per call for the function tracers (and the last
# events must name it), one per measured wakeup, at least one sample.
#
# Output: the record lines of lib/guest.sh, read by scripts/bench/tracers-report.
# shellcheck source=lib/guest.sh
. "$(dirname "$0")/guest.sh"

W=/tmp/bench
rounds=8
reps=10
syscall_iters=20000
switch_iters=1000
cpu=""
configs="off ktr-function ftrace-function ktr-wakeup ktr-profile"
symbol=__x64_sys_getppid
freq=99
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
	symbol=*) symbol=${kv#*=} ;;
	freq=*) freq=${kv#*=} ;;
	buffer_kb=*) buffer_kb=${kv#*=} ;;
	subbuf_size=*) subbuf_size=${kv#*=} ;;
	trace_clock=*) trace_clock=${kv#*=} ;;
	*) echo "tracers-guest: unknown argument '$kv'" >&2; exit 2 ;;
	esac
done

vcpus=$(nproc)
[ -n "$cpu" ] || cpu=$((vcpus - 1))
nr_subbufs=$((buffer_kb * 1024 / subbuf_size))

[ -f $T/set_ftrace_filter ] || { echo "tracers-guest: no $T/set_ftrace_filter (kernel without dynamic ftrace?)" >&2; exit 1; }
grep -qw function $T/available_tracers ||
	{ echo "tracers-guest: ftrace has no function tracer here: $(cat $T/available_tracers)" >&2; exit 1; }
for t in ktr-bench-events ktr ktr-read; do
	command -v $t >/dev/null || { echo "tracers-guest: no $t in the guest" >&2; exit 1; }
done
[ "$cpu" -lt "$vcpus" ] || { echo "tracers-guest: cpu=$cpu but the guest has $vcpus vCPUs" >&2; exit 2; }
for c in $configs; do
	case $c in off|ktr-function|ftrace-function|ktr-wakeup|ktr-profile) ;;
	*) echo "tracers-guest: unknown config '$c' (off ktr-function ftrace-function ktr-wakeup ktr-profile)" >&2; exit 2 ;;
	esac
done
grep -q " [tT] $symbol\$" /proc/kallsyms || { echo "tracers-guest: no function $symbol in /proc/kallsyms" >&2; exit 1; }
# The name ftrace knows SYMBOL's call site by: the first of its kallsyms
# aliases (same address) in available_filter_functions (on 6.1
# __x64_sys_getppid's is listed as __do_sys_getppid). Both tracers are
# filtered to that name; their events may name any alias ($aliases).
symaddr=$(grep " [tT] $symbol\$" /proc/kallsyms | head -n 1 | cut -d ' ' -f 1)
aliases=$(awk -v a="$symaddr" '$1 == a { printf "%s%s", (n++ ? "|" : ""), $3 }' /proc/kallsyms)
filter=""
for a in $symbol $(awk -v a="$symaddr" '$1 == a { print $3 }' /proc/kallsyms); do
	if grep -qx "$a" $T/available_filter_functions; then
		filter=$a
		break
	fi
done
[ -n "$filter" ] ||
	{ echo "tracers-guest: neither $symbol nor an alias of it is in available_filter_functions" >&2; exit 1; }
mkdir -p $W
ftrace_idle "$trace_clock" "$buffer_kb" || exit 1
echo >$T/set_ftrace_filter

# The tracers this ktr.ko has (loaded for the check).
load || exit 1
ktr tracer list >$W/tracers.txt 2>&1
raw ktr-tracer-list $W/tracers.txt
unload || exit 1
has_tracer() { grep -qE "^\\*? *$1( |\$)" $W/tracers.txt; }

meta_guest
meta rounds "$rounds"
meta reps "$reps"
meta syscall_iters "$syscall_iters"
meta switch_iters "$switch_iters"
meta pinned_cpu "$cpu"
meta configs "$configs"
meta symbol "$symbol"
meta function_filter "$filter"
meta profile_freq "$freq"
meta buffer_kb_per_cpu "$buffer_kb"
meta ktr_subbuf_size "$subbuf_size"
meta ktr_nr_subbufs "$nr_subbufs"
meta ktr_mode overwrite
meta ftrace_overwrite 1
meta ftrace_trace_clock "$trace_clock"
meta ftrace_buffer_size_kb "$(cat $T/buffer_size_kb)"
meta reader none

# ktr_tracer LOOP ITERS NEED NAME OPTION...: LOOP timed with ktr's tracer
# NAME current (set with the options), then nop; at least NEED events
# written.
ktr_tracer() {
	t_loop=$1 t_iters=$2 t_need=$3 t_name=$4
	shift 4
	loop=$t_loop
	if ! has_tracer "$t_name"; then
		result "status=unavailable tracer=$t_name"
		return
	fi
	load || return
	if ! ktr tracer set "$t_name" "$@" >$W/set.err 2>&1; then
		fail "ktr tracer set $t_name $*: $(tr '\n' ' ' <$W/set.err)"
		unload
		return
	fi
	if [ "$t_name" = profile ] && ! ktr filter -e profile:sample --stack >$W/set.err 2>&1; then
		fail "ktr filter -e profile:sample --stack: $(tr '\n' ' ' <$W/set.err)"
		unload
		return
	fi
	ok=0
	measure "$t_loop" "$t_iters" && ok=1
	ktr tracer set nop >$W/set.err 2>&1 || { fail "ktr tracer set nop: $(tr '\n' ' ' <$W/set.err)"; ok=0; }
	counters=$(ktr_counters)
	raw ktr-read $W/stats.err
	tail -n 20 $W/ktr.txt >$W/last.txt
	raw ktr-events $W/last.txt
	if [ "$t_name" = function ] && ! grep -qE "$aliases" $W/last.txt; then
		fail "no recorded event names $filter: $(sed -n 1,3p $W/last.txt | tr '\n' ' ')"
		ok=0
	fi
	unload || ok=0
	[ $ok = 1 ] && check_written "$counters" "$t_need" &&
		result "$m_fields tracer=$t_name $counters status=ok"
}

ftrace_function() {
	loop=syscall
	echo >$T/trace
	if ! echo "$filter" >$T/set_ftrace_filter; then
		fail "ftrace's set_ftrace_filter refused $filter"
		return
	fi
	echo function >$T/current_tracer || { fail "cannot make ftrace's function tracer current"; return; }
	echo 1 >$T/tracing_on
	ok=0
	measure syscall "$syscall_iters" && ok=1
	echo 0 >$T/tracing_on
	# Read before nop: switching current_tracer empties ftrace's buffer.
	counters=$(ftrace_counters)
	raw ftrace-stats $W/ftrace.stats
	head -n 40 $T/trace | grep -v '^#' | tail -n 20 >$W/last.txt
	echo nop >$T/current_tracer
	raw ftrace-events $W/last.txt
	grep -qE "$aliases" $W/last.txt || { fail "no recorded event names $filter"; ok=0; }
	echo >$T/set_ftrace_filter
	echo >$T/trace
	[ $ok = 1 ] && check_written "$counters" $((reps * syscall_iters)) &&
		result "$m_fields tracer=function $counters status=ok"
}

run_config() {
	loop=""
	say "round $round: $config"
	case $config in
	off)
		unload || return
		loop=syscall
		measure syscall "$syscall_iters" && result "$m_fields status=ok"
		loop=switch
		measure switch "$switch_iters" && result "$m_fields status=ok" ;;
	ktr-function)
		ktr_tracer syscall "$syscall_iters" $((reps * syscall_iters)) function --opt "filter=$filter" ;;
	ftrace-function) ftrace_function ;;
	ktr-wakeup)
		ktr_tracer switch "$switch_iters" $((reps * switch_iters)) wakeup ;;
	ktr-profile)
		ktr_tracer syscall "$syscall_iters" 1 profile --opt "freq=$freq" ;;
	esac
}

# shellcheck disable=SC2086 # one configuration a word
bench_rounds "$rounds" $configs
unload
meta failures "$failures"
[ "$failures" = 0 ]
