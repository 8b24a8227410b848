#!/bin/sh
# ringbuf-guest.sh - the guest half of `make bench-ringbuf` (busybox sh, in a vm/run guest).
#
#   vm/run --no-load --smp N --add .../ring_buffer_benchmark.ko:/work/ring_buffer_benchmark.ko \
#          [--add .../ktr.ko:/work/ktr-bench.ko] \
#          [--add .../ktr_rb_test.ko:/work/ktr_rb_test-bench.ko] \
#          scripts/bench/ringbuf-guest.sh KEY=VALUE...
#
# Keys: rounds (3), configs ("off pages"), write_iteration (50), producer_nice (19),
# consumer_nice (19), trace_clock (local), ktr (module: the benchmark is in the
# test module ktr_rb_test.ko, loaded on top of ktr.ko; legacy: an older ktr.ko
# that has the bench parameters itself; 0: no ktr benchmark).
#
# Configurations, interleaved inside this one boot as
#   round 1: off/ftrace off/ktr pages/ftrace pages/ktr, round 2: the same, ...
#   off     producer only (ftrace disable_reader=1, ktr bench_reader=0)
#   events  producer + consumer reading event by event (ftrace's first report
#           after insmod; ktr bench_reader=1)
#   pages   producer + consumer reading whole pages / sub-buffers (ftrace's
#           consumer alternates: its SECOND report reads by pages, so this
#           configuration waits for it and also records the first report as an
#           "events" sample; ktr: bench_reader=1 then bench_reader=2)
#
# Output on stdout, one record a line, read by scripts/bench/ringbuf-report:
#   BENCH-META KEY VALUE...            facts about this guest (value may hold spaces)
#   BENCH-RESULT k=v k=v ...           one measurement: tracer, config, round, vcpus,
#                                      time_us, hit, missed, overruns, read, entries, total, ...
#   BENCH-ERROR tracer=.. config=.. round=.. why...
#   BENCH-SKIP why...
# Other lines are progress for the human reader.
#
# ftrace's benchmark (kernel/trace/ring_buffer_benchmark.c, 6.1): at insmod it
# starts rb_producer (and rb_consumer unless disable_reader=1), hammers its own
# 1 MB-per-CPU overwrite-mode ring buffer for 10 s, ktime_get() once per
# write_iteration reserve+commit of 10 bytes, wakes the consumer every 100
# batches, then writes its report with trace_printk into the global trace
# buffer ("Time:", "Overruns:", "Read:", "Entries:", "Total:", "Missed:",
# "Hit:", "Entries per millisec:", "N ns per entry") followed by
# "Sleeping for 10 secs", and starts over after the sleep.
#
# ktr's benchmark (the contract in scripts/bench/README.md): insmod ktr.ko,
# then insmod ktr_rb_test.ko bench=1 bench_reader=R bench_write_iteration=W
# bench_seconds=10 bench_producer_nice=P bench_consumer_nice=C runs ONE cycle
# of the same methodology and prints one kernel-log line
#   ktr-bench: reader=none|events|pages time_us=.. hit=.. missed=.. overruns=.. read=.. entries=.. total=.. errors=..
# which this script passes on as a BENCH-RESULT.

T=/sys/kernel/tracing
RBB=/work/ring_buffer_benchmark.ko
KTR_KO=/work/ktr-bench.ko
[ -f "$KTR_KO" ] || KTR_KO=/lib/ktr/ktr.ko
TEST_KO=/work/ktr_rb_test-bench.ko
[ -f "$TEST_KO" ] || TEST_KO=/lib/ktr/ktr_rb_test.ko
RUN_TIME=10 # ftrace's RUN_TIME; ktr's bench_seconds follows it

rounds=3
configs="off pages"
write_iteration=50
producer_nice=19
consumer_nice=19
trace_clock=local
ktr=0
for kv in "$@"; do
	case $kv in
	rounds=*) rounds=${kv#*=} ;;
	configs=*) configs=${kv#*=} ;;
	write_iteration=*) write_iteration=${kv#*=} ;;
	producer_nice=*) producer_nice=${kv#*=} ;;
	consumer_nice=*) consumer_nice=${kv#*=} ;;
	trace_clock=*) trace_clock=${kv#*=} ;;
	ktr=*) ktr=${kv#*=} ;;
	*) echo "ringbuf-guest: unknown argument '$kv'" >&2; exit 2 ;;
	esac
done

vcpus=$(nproc)
failures=0
meta() { echo "BENCH-META $*"; }
say() { echo "# $*"; }

[ -d $T ] && [ -f $T/trace ] || { echo "ringbuf-guest: no tracefs at $T" >&2; exit 1; }
[ -f $RBB ] || { echo "ringbuf-guest: no $RBB (pass it with --add)" >&2; exit 1; }

# --- facts about this guest --------------------------------------------------
cs=/sys/devices/system/clocksource/clocksource0
meta vcpus "$vcpus"
meta kernel_release "$(uname -r)"
meta cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
meta clocksource_at_start "$(cat $cs/current_clocksource)"
# shellcheck disable=SC2046 # word splitting trims the trailing blank
meta available_clocksources $(cat $cs/available_clocksource)
meta trace_clock_default "$(sed 's/.*\[\(.*\)\].*/\1/' $T/trace_clock)"
if ! echo "$trace_clock" >$T/trace_clock; then
	echo "ringbuf-guest: cannot set trace_clock to '$trace_clock' (have: $(cat $T/trace_clock))" >&2
	exit 1
fi
meta trace_clock "$(sed 's/.*\[\(.*\)\].*/\1/' $T/trace_clock)"
# ftrace's benchmark allocates its own ring buffer, whose clock is always
# trace_clock_local() (sched_clock()): the trace_clock file only stamps the
# trace_printk report lines. ktr names its clock in its report (clock=).
meta ftrace_bench_buffer_clock "trace_clock_local (sched_clock), independent of trace_clock"
[ -r /sys/kernel/debug/sched/preempt ] &&
	meta preempt "$(sed 's/.*(\(.*\)).*/\1/' /sys/kernel/debug/sched/preempt)"
meta rounds "$rounds"
meta configs "$configs"
meta write_iteration "$write_iteration"
meta producer_nice "$producer_nice"
meta consumer_nice "$consumer_nice"
meta run_time_s "$RUN_TIME"

# --- ftrace ------------------------------------------------------------------
# Print the reports found in the trace buffer as BENCH-RESULT lines.
# $1 config label of report 1, $2 of report 2 (or empty), $3 round.
ftrace_results() {
	awk -v c1="$1" -v c2="$2" -v round="$3" -v vcpus="$vcpus" -v wi="$write_iteration" '
	function after(s, key,   i, t) {
		i = index(s, key)
		if (!i) return ""
		t = substr(s, i + length(key))
		sub(/^[ \t]+/, "", t)
		if (!match(t, /^-?[0-9]+/)) return ""
		return substr(t, 1, RLENGTH)
	}
	/Starting ring buffer hammer/ { k++; nspe_n[k] = 0; next }
	k == 0 { next }
	/ Time: / { time[k] = after($0, "Time:"); next }
	/ Overruns: / { ovr[k] = after($0, "Overruns:"); next }
	/ Read: +\(reader disabled\)/ { rd[k] = 0; by[k] = "none"; next }
	/ Read: / {
		rd[k] = after($0, "Read:")
		by[k] = ($0 ~ /by pages/) ? "pages" : "events"
		next
	}
	/ Entries per millisec: / { epm[k] = after($0, "Entries per millisec:"); next }
	/ Entries: / { ent[k] = after($0, "Entries:"); next }
	/ Total iterations per millisec: / { ipm[k] = after($0, "millisec:"); next }
	/ Total: / { tot[k] = after($0, "Total:"); next }
	/ Missed: / { mis[k] = after($0, "Missed:"); next }
	/ Hit: / { hit[k] = after($0, "Hit:"); next }
	/ ns per entry/ {
		t = $0
		sub(/ ns per entry.*/, "", t)
		sub(/.*[^0-9]/, "", t)
		if (nspe_n[k]++ == 0) nspe[k] = t; else nspi[k] = t
		next
	}
	/Running Producer at nice: / { pn[k] = after($0, "nice:"); next }
	/Running Consumer at nice: / { cn[k] = after($0, "nice:"); next }
	/ERROR!/ { err[k] = 1; next }
	/Sleeping for 10 secs/ { done[k] = 1; next }
	END {
		for (i = 1; i <= k && i <= 2; i++) {
			c = (i == 1) ? c1 : c2
			if (c == "" || !done[i]) continue
			printf "BENCH-RESULT tracer=ftrace config=%s round=%d vcpus=%d", c, round, vcpus
			printf " reader=%s write_iteration=%s time_us=%s hit=%s missed=%s", by[i], wi, time[i], hit[i], mis[i]
			printf " overruns=%s read=%s entries=%s total=%s", ovr[i], rd[i], ent[i], tot[i]
			printf " entries_per_ms_reported=%s ns_per_entry_reported=%s", epm[i], nspe[i]
			if (nspi[i] != "") printf " iterations_per_ms_reported=%s ns_per_iteration_reported=%s", ipm[i], nspi[i]
			printf " producer_nice=%s", pn[i]
			if (cn[i] != "") printf " consumer_nice=%s", cn[i]
			if (c2 != "") printf " source=%s-load", c2
			printf " errors=%d\n", err[i] ? 1 : 0
		}
	}' $T/trace
}

# Wait until the trace holds N finished reports; $2 = limit in seconds.
ftrace_wait() {
	fw_n=$1 fw_limit=$2 fw_waited=0
	while :; do
		fw_got=$(grep -c 'Sleeping for 10 secs' $T/trace)
		[ "$fw_got" -ge "$fw_n" ] && return 0
		grep -q 'ERROR!' $T/trace && return 1
		[ $fw_waited -ge "$fw_limit" ] && return 1
		sleep 1
		fw_waited=$((fw_waited + 1))
	done
}

# ftrace_run CONFIG ROUND
ftrace_run() {
	config=$1 round=$2
	case $config in
	off) args="disable_reader=1" n=1 l1=off l2="" ;;
	events) args="disable_reader=0" n=1 l1=events l2="" ;;
	pages) args="disable_reader=0" n=2 l1=events l2=pages ;;
	esac
	echo >$T/trace
	say "round $round: ftrace $config (insmod ring_buffer_benchmark.ko $args)"
	# shellcheck disable=SC2086 # args are split on purpose
	if ! err=$(insmod $RBB $args write_iteration="$write_iteration" \
		producer_nice="$producer_nice" consumer_nice="$consumer_nice" 2>&1); then
		echo "BENCH-ERROR tracer=ftrace config=$config round=$round insmod failed: $err"
		failures=$((failures + 1))
		return
	fi
	# The producer runs RUN_TIME s per report, then sleeps 10 s: do not poll
	# (and disturb it) before the first report can be there.
	# Likewise between the first report and the second (10 s sleep + RUN_TIME).
	sleep $((RUN_TIME - 1))
	ok=1
	ftrace_wait 1 25 || ok=0
	if [ $ok = 1 ] && [ "$n" = 2 ]; then
		sleep $((10 + RUN_TIME - 1))
		ftrace_wait 2 25 || ok=0
	fi
	if [ $ok = 1 ]; then
		ftrace_results "$l1" "$l2" "$round"
	else
		echo "BENCH-ERROR tracer=ftrace config=$config round=$round report $n did not come in time (10 s run + 25 s)"
		failures=$((failures + 1))
		# Keep what is there, for the post-mortem.
		sed 's/^/# trace: /' $T/trace | grep -v '^# trace: #' | tail -n 30
	fi
	if ! err=$(rmmod ring_buffer_benchmark 2>&1); then
		echo "BENCH-ERROR tracer=ftrace config=$config round=$round rmmod failed: $err"
		failures=$((failures + 1))
	fi
	echo >$T/trace
}

# --- ktr ---------------------------------------------------------------------
# The module that carries the benchmark, and what rmmod names.
if [ "$ktr" = legacy ]; then
	bench_ko=$KTR_KO bench_mod=ktr
else
	bench_ko=$TEST_KO bench_mod=ktr_rb_test
fi

# ktr_once CONFIG READER ROUND: one insmod / report / rmmod cycle.
ktr_once() {
	config=$1 reader=$2 round=$3
	# Only what the kernel logs after this mark belongs to this cycle.
	mark="ringbuf-guest: mark $round-$config-$reader-$$-$(date +%s)"
	echo "$mark" >/dev/kmsg
	if [ "$ktr" = module ] && ! err=$(insmod $KTR_KO 2>&1); then
		echo "BENCH-ERROR tracer=ktr config=$config round=$round insmod ktr.ko failed: $err"
		failures=$((failures + 1))
		return
	fi
	say "round $round: ktr $config (insmod $(basename "$bench_ko") bench=1 bench_reader=$reader)"
	if ! err=$(insmod "$bench_ko" bench=1 bench_reader="$reader" \
		bench_write_iteration="$write_iteration" bench_seconds=$RUN_TIME \
		bench_producer_nice="$producer_nice" bench_consumer_nice="$consumer_nice" 2>&1); then
		echo "BENCH-ERROR tracer=ktr config=$config round=$round insmod failed: $err"
		failures=$((failures + 1))
		[ "$ktr" = module ] && rmmod ktr
		return
	fi
	sleep $((RUN_TIME - 1))
	waited=0 line=""
	while [ $waited -le 25 ]; do
		log=$(dmesg | sed -n "/$mark/,\$p")
		line=$(echo "$log" | grep -m 1 'ktr-bench: .*time_us=')
		[ -n "$line" ] && break
		echo "$log" | grep -q 'ktr-bench: error' && break
		sleep 1
		waited=$((waited + 1))
	done
	if [ -n "$line" ]; then
		echo "BENCH-RESULT tracer=ktr config=$config round=$round vcpus=$vcpus write_iteration=$write_iteration ${line#*ktr-bench: }"
	else
		echo "BENCH-ERROR tracer=ktr config=$config round=$round no 'ktr-bench: ... time_us=' line in the kernel log"
		dmesg | sed -n "/$mark/,\$p" | tail -n 10 | sed 's/^/# dmesg: /'
		failures=$((failures + 1))
	fi
	if ! err=$(rmmod $bench_mod 2>&1); then
		echo "BENCH-ERROR tracer=ktr config=$config round=$round rmmod $bench_mod failed: $err"
		failures=$((failures + 1))
	fi
	if [ "$ktr" = module ] && ! err=$(rmmod ktr 2>&1); then
		echo "BENCH-ERROR tracer=ktr config=$config round=$round rmmod ktr failed: $err"
		failures=$((failures + 1))
	fi
}

ktr_run() {
	case $1 in
	off) ktr_once off 0 "$2" ;;
	events) ktr_once events 1 "$2" ;;
	pages) ktr_once events 1 "$2"; ktr_once pages 2 "$2" ;;
	esac
}

for m in ktr_rb_test ktr; do
	if grep -q "^$m " /proc/modules; then
		rmmod $m || { echo "ringbuf-guest: $m is loaded and does not unload" >&2; exit 1; }
	fi
done
case $ktr in
module) meta ktr_bench "available (ktr_rb_test.ko)" ;;
legacy) meta ktr_bench "available (built into this ktr.ko)" ;;
0)
	meta ktr_bench unavailable
	echo "BENCH-SKIP ktr benchmark: not available (no ktr_rb_test.ko with a 'bench' module parameter)"
	;;
*) echo "ringbuf-guest: ktr=$ktr: must be module, legacy or 0" >&2; exit 2 ;;
esac

for c in $configs; do
	case $c in off|events|pages) ;; *) echo "ringbuf-guest: unknown config '$c' (off, events, pages)" >&2; exit 2 ;; esac
done

r=1
while [ $r -le "$rounds" ]; do
	for c in $configs; do
		ftrace_run "$c" $r
		[ "$ktr" != 0 ] && ktr_run "$c" $r
	done
	r=$((r + 1))
done

meta clocksource_at_end "$(cat $cs/current_clocksource)"
meta tsc "$(dmesg | grep -i -m 1 -E 'tsc.*unstable|unstable.*tsc' | sed 's/^\[[^]]*\] //' || true)"
sc=$(dmesg | grep -i -m 1 'sched_clock: Marking' | sed 's/^\[[^]]*\] //')
meta sched_clock "${sc:-no 'sched_clock: Marking' message in the kernel log}"
[ $failures = 0 ] || { echo "ringbuf-guest: $failures measurement(s) failed" >&2; exit 1; }
exit 0
