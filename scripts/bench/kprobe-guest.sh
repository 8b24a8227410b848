#!/bin/sh
# kprobe-guest.sh - the guest half of `make bench-kprobe` (busybox sh, in a vm/run guest).
#
#   vm/run --no-load --smp N scripts/bench/kprobe-guest.sh KEY=VALUE...
#
# Keys: rounds (8), reps (10 timed repetitions per loop, the tool reports
# their median), iters (20000 getppid() per repetition), cpu (the CPU the
# loop is pinned to; default: the last one), configs ("off ktr-entry
# ftrace-entry ktr-mid ftrace-mid"), buffer_kb (1024 per CPU, both
# tracers), subbuf_size (65536: ktr's sub-buffer), trace_clock (local),
# symbol (__x64_sys_getppid: the probed function, getppid()'s
# implementation), args (the fetch arguments, "a=%di:x64 b=+120(%di):x64"),
# mid_offset (empty: the first offset past the function's ftrace call site
# that ftrace's kprobe_events accepts, found at the start), opt_wait (10:
# seconds to wait for the kernel to optimize an int3 probe into a jump).
#
# The probe: one definition text, sent as is to both tracers,
#   p:ktrbench_entry SYMBOL ARGS          (+0: the ftrace call site)
#   p:ktrbench_mid   SYMBOL+OFFSET ARGS   (an instruction past it: int3,
#                                          optimized to a jump when the
#                                          kernel can)
# ftrace: appended to /sys/kernel/tracing/kprobe_events, enabled through
# events/kprobes/NAME/enable, tracing_on 1; ktr: KTR_CMD_ADD_PROBE
# (ktr-raw-request probe-add; the probe is enabled at once) on a freshly
# loaded ktr.ko. With the default args, a = %di (the struct pt_regs * the
# syscall stub gets) and b = that pt_regs' orig_ax (the syscall number,
# 110 = 0x6e for getppid): two fetches, one of them a memory read, valid
# at both probe points (nothing writes %di before them). Only one probe
# exists at any time (two at one address would be aggregated by the
# kernel and each would pay for the other).
#
# Configurations (ktr-bench-events syscall from tests/vm/tools):
#   off           no probe anywhere, ktr.ko not loaded: the baseline
#   ktr-entry     ktr's probe at SYMBOL+0
#   ftrace-entry  ftrace's kprobe_events probe at SYMBOL+0
#   ktr-mid       ktr's probe at SYMBOL+OFFSET
#   ftrace-mid    ftrace's probe at SYMBOL+OFFSET
#   (funclat: see "FUNCLAT" below: where its configuration goes)
# The pairing is that of bench-events, "recording, nobody reading": both
# buffers in overwrite mode, the same size per CPU, no consumer while the
# loop runs. Probes are added, enabled, disabled and deleted outside the
# timed loop only (switching probes under TCG can stall RCU). After each
# traced loop the tracer's own counters must show at least one event per
# call, and (default args) the last events must hold b = 0x6e.
#
# What the kernel made of each probe is read from
# /sys/kernel/debug/kprobes/list while it is armed (ftrace's and ktr's
# probes alike): mech=ftrace ([FTRACE]), optimized ([OPTIMIZED]) or int3.
#
# A failed round: anything failing (a write to tracefs, a refused probe, a
# short count) or the kernel reporting an RCU stall or soft lockup while a
# configuration ran prints BENCH-ERROR with its round; the report leaves
# that whole round out of the figures and says so.
#
# Order inside this one boot: round by round; inside a round every
# configuration once, the starting configuration rotating from round to
# round.
#
# Output: the record lines of lib/guest.sh (a BENCH-RESULT per configuration
# in one round), read by scripts/bench/kprobe-report.
# shellcheck source=lib/guest.sh
. "$(dirname "$0")/guest.sh"

KPLIST=/sys/kernel/debug/kprobes/list
W=/tmp/bench

rounds=8
reps=10
iters=20000
cpu=""
configs="off ktr-entry ftrace-entry ktr-mid ftrace-mid"
buffer_kb=1024
subbuf_size=65536
trace_clock=local
symbol=__x64_sys_getppid
default_args='a=%di:x64 b=+120(%di):x64'
args=$default_args
mid_offset=""
opt_wait=10
for kv in "$@"; do
	case $kv in
	rounds=*) rounds=${kv#*=} ;;
	reps=*) reps=${kv#*=} ;;
	iters=*) iters=${kv#*=} ;;
	cpu=*) cpu=${kv#*=} ;;
	configs=*) configs=${kv#*=} ;;
	buffer_kb=*) buffer_kb=${kv#*=} ;;
	subbuf_size=*) subbuf_size=${kv#*=} ;;
	trace_clock=*) trace_clock=${kv#*=} ;;
	symbol=*) symbol=${kv#*=} ;;
	args=*) args=${kv#*=} ;;
	mid_offset=*) mid_offset=${kv#*=} ;;
	opt_wait=*) opt_wait=${kv#*=} ;;
	*) echo "kprobe-guest: unknown argument '$kv'" >&2; exit 2 ;;
	esac
done

vcpus=$(nproc)
[ -n "$cpu" ] || cpu=$((vcpus - 1))
nr_subbufs=$((buffer_kb * 1024 / subbuf_size))

[ -f $T/kprobe_events ] || { echo "kprobe-guest: no $T/kprobe_events (kernel without CONFIG_KPROBE_EVENTS?)" >&2; exit 1; }
[ -f $KPLIST ] || { echo "kprobe-guest: no $KPLIST (debugfs not mounted?)" >&2; exit 1; }
for t in ktr-bench-events ktr-raw-request; do
	command -v $t >/dev/null ||
		{ echo "kprobe-guest: no $t in the guest (build tests/vm/tools)" >&2; exit 1; }
done
[ "$cpu" -lt "$vcpus" ] || { echo "kprobe-guest: cpu=$cpu but the guest has $vcpus vCPUs" >&2; exit 2; }
for c in $configs; do
	case $c in off|ktr-entry|ftrace-entry|ktr-mid|ftrace-mid) ;;
	# FUNCLAT: add its configuration names here (e.g. funclat|ktr-pair).
	*) echo "kprobe-guest: unknown config '$c' (off ktr-entry ftrace-entry ktr-mid ftrace-mid)" >&2; exit 2 ;;
	esac
done
grep -q " [tT] $symbol\$" /proc/kallsyms ||
	{ echo "kprobe-guest: no function $symbol in /proc/kallsyms" >&2; exit 1; }
mkdir -p $W

# ftrace: idle, our clock, our buffer size, overwrite, nothing enabled, no probe.
ftrace_idle "$trace_clock" "$buffer_kb" || exit 1
echo >$T/kprobe_events


# The kprobes the kernel has on SYMBOL: their lines of kprobes/list, which
# names an address by the first of its aliases kallsyms finds (on 6.1
# __x64_sys_getppid is listed as __do_sys_getppid+0x0): any name at
# SYMBOL's address.
symaddr=$(grep " [tT] $symbol\$" /proc/kallsyms | head -n 1 | cut -d ' ' -f 1)
aliases=$(awk -v a="$symaddr" '$1 == a { printf "%s%s", (n++ ? "|" : ""), $3 }' /proc/kallsyms)
kp_lines() { grep -E " ($aliases)\+0x" $KPLIST; }
# mech: the mechanism of the one probe on SYMBOL (ftrace, optimized, int3),
# or "none" / "several".
mech() {
	n=$(kp_lines | wc -l)
	[ "$n" = 1 ] || { [ "$n" = 0 ] && echo none || echo several; return; }
	case $(kp_lines) in
	*'[FTRACE]'*) echo ftrace ;;
	*'[OPTIMIZED]'*) echo optimized ;;
	*) echo int3 ;;
	esac
}
# After arming: wait (up to opt_wait s) until an int3 probe is optimized;
# sets m_mech. The optimizer runs a few ticks after the arming and then
# waits for an RCU-tasks grace period, slow under TCG.
settle() {
	waited=0
	m_mech=$(mech)
	while [ "$m_mech" = int3 ] && [ "$waited" -lt "$opt_wait" ]; do
		sleep 1
		waited=$((waited + 1))
		m_mech=$(mech)
	done
	kp_lines >$W/kplist.txt
	raw kprobes-list $W/kplist.txt
}

# --- the mid-function offset -------------------------------------------------
# The first offset past the ftrace call site that ftrace's kprobe_events
# accepts (an instruction boundary: the kernel decodes the function and
# refuses anything else) and does not put on ftrace.
try_offset() {
	echo "p:ktrbench_try $symbol+$1" >>$T/kprobe_events 2>/dev/null || return 1
	m=$(mech)
	echo "-:ktrbench_try" >>$T/kprobe_events
	[ "$m" = int3 ] || [ "$m" = optimized ]
}
if [ -z "$mid_offset" ]; then
	o=1
	while [ $o -le 64 ]; do
		if try_offset $o; then
			mid_offset=$o
			break
		fi
		o=$((o + 1))
	done
	[ -n "$mid_offset" ] ||
		{ echo "kprobe-guest: no offset in $symbol+1..64 that ftrace's kprobe_events accepts off its ftrace call site" >&2; exit 1; }
	offset_source=searched
else
	try_offset "$mid_offset" ||
		{ echo "kprobe-guest: ftrace's kprobe_events refuses $symbol+$mid_offset, or puts it on ftrace (pick another mid_offset)" >&2; exit 1; }
	offset_source=given
fi
[ "$(mech)" = none ] || { echo "kprobe-guest: a kprobe on $symbol exists already: $(kp_lines)" >&2; exit 1; }

def_entry="p:ktrbench_entry $symbol $args"
def_mid="p:ktrbench_mid $symbol+$mid_offset $args"

# --- facts about this guest --------------------------------------------------
meta_guest
meta rounds "$rounds"
meta reps "$reps"
meta iters "$iters"
meta pinned_cpu "$cpu"
meta configs "$configs"
meta symbol "$symbol"
meta symbol_addr "$symaddr"
meta symbol_aliases "$aliases"
meta mid_offset "$mid_offset"
meta mid_offset_source "$offset_source"
meta def_entry "$def_entry"
meta def_mid "$def_mid"
meta kprobes_optimization "$(cat /proc/sys/debug/kprobes-optimization 2>/dev/null || echo unknown)"
meta buffer_kb_per_cpu "$buffer_kb"
meta ktr_subbuf_size "$subbuf_size"
meta ktr_nr_subbufs "$nr_subbufs"
meta ktr_mode overwrite
meta ftrace_overwrite 1
meta ftrace_trace_clock "$trace_clock"
meta ftrace_buffer_size_kb "$(cat $T/buffer_size_kb)"
meta reader none

# --- one configuration -------------------------------------------------------
# With the default args, the recorded b must be getppid's number (0x6e):
# both tracers fetched the same thing. $1: a file of text lines.
# Sets vc (ok, skipped or bad).
check_value() {
	vc=skipped
	[ "$args" = "$default_args" ] || return 0
	vc=ok
	grep -qE "ktrbench_(entry|mid).* b=(0x6e|110)( |\$)" "$1" && return 0
	vc=bad
	sed -n '1,3p' "$1" >$W/bad.txt
	fail "no event with b=0x6e (getppid's syscall number) among the recorded events: $(tr '\n' ' ' <$W/bad.txt)"
	return 1
}


ktr_config() { # $1: definition
	load || return
	ktr-raw-request probe-add "def=$1" >$W/add.out 2>&1
	if ! grep -q '^errno=0 ' $W/add.out; then
		fail "ktr refused the probe '$1': $(tr '\n' ' ' <$W/add.out)"
		unload
		return
	fi
	settle
	ok=0
	measure syscall "$iters" && ok=1
	# ktr's own view of its probe (KTR_CMD_LIST_PROBES): hits, missed,
	# mechanism; a cross-check of kprobes/list and of the count.
	ktr probe list --json >$W/plist.json 2>&1
	raw ktr-probe-list $W/plist.json
	kview=$(tr '\n' ' ' <$W/plist.json | sed -n 's/.*"mechanism": *"\([a-z0-9]*\)".*"hits": *\([0-9]*\).*"missed": *\([0-9]*\).*/ktr_mech=\1 hits=\2 missed=\3/p')
	[ -n "$kview" ] || kview="ktr_mech=unknown"
	counters=$(ktr_counters)
	raw ktr-read $W/stats.err
	tail -n 20 $W/ktr.txt >$W/last.txt
	raw ktr-events $W/last.txt
	check_value $W/last.txt || ok=0
	ktr-raw-request probe-del all=1 >$W/del.out 2>&1
	grep -q '^errno=0 ' $W/del.out || { fail "ktr probe-del all=1: $(tr '\n' ' ' <$W/del.out)"; ok=0; }
	unload || ok=0
	[ "$(mech)" = none ] || { fail "a kprobe on $symbol is left after the ktr probe's deletion"; ok=0; }
	[ $ok = 1 ] && check_written "$counters" $((reps * iters)) &&
		result "$m_fields mech=$m_mech $counters $kview value_check=$vc status=ok"
}

ftrace_config() { # $1: definition, $2: event name
	echo >$T/trace
	if ! echo "$1" >>$T/kprobe_events; then
		fail "ftrace's kprobe_events refused '$1'"
		return
	fi
	if ! echo 1 >"$T/events/kprobes/$2/enable"; then
		fail "cannot enable ftrace's kprobes/$2"
		echo "-:$2" >>$T/kprobe_events
		return
	fi
	settle
	echo 1 >$T/tracing_on
	ok=0
	measure syscall "$iters" && ok=1
	echo 0 >$T/tracing_on
	counters=$(ftrace_counters)
	raw ftrace-stats $W/ftrace.stats
	head -n 40 $T/trace | grep -v '^#' >$W/last.txt
	raw ftrace-events $W/last.txt
	check_value $W/last.txt || ok=0
	echo 0 >"$T/events/kprobes/$2/enable" || { fail "cannot disable ftrace's kprobes/$2"; ok=0; }
	echo "-:$2" >>$T/kprobe_events || { fail "cannot delete ftrace's probe $2"; ok=0; }
	echo >$T/trace
	[ "$(mech)" = none ] || { fail "a kprobe on $symbol is left after ftrace's probe's deletion"; ok=0; }
	[ $ok = 1 ] && check_written "$counters" $((reps * iters)) &&
		result "$m_fields mech=$m_mech $counters value_check=$vc status=ok"
}


run_config() {
	say "round $round: $config"
	case $config in
	off)
		unload || return
		[ "$(mech)" = none ] || { fail "a kprobe on $symbol exists in the baseline: $(kp_lines)"; return; }
		measure syscall "$iters" && result "$m_fields mech=none status=ok" ;;
	ktr-entry) ktr_config "$def_entry" ;;
	ktr-mid) ktr_config "$def_mid" ;;
	ftrace-entry) ftrace_config "$def_entry" ktrbench_entry ;;
	ftrace-mid) ftrace_config "$def_mid" ktrbench_mid ;;
	# FUNCLAT: its configuration goes here, e.g.
	#   funclat)  load; ktr funclat SYMBOL ...; measure; read its histogram
	#             count (check_written); stop; unload; result ... ;;
	#   ktr-pair) ktr_config twice: "p:ktrbench_fentry SYMBOL" and
	#             "r:ktrbench_fret SYMBOL \$duration" (written: 2 per call) ;;
	# plus its name in the config check above and in kprobe-report's lists.
	esac
}

# --- the rounds --------------------------------------------------------------
# shellcheck disable=SC2086 # one configuration a word
bench_rounds "$rounds" $configs
unload

meta failures "$failures"
[ "$failures" = 0 ]
