# Loaded but disabled costs nothing and touches nothing: with ktr.ko loaded
# and no event enabled, (1) no ftrace event enable file changed (ktr never
# goes through tracefs), (2) ktr's buffers count nothing written across a
# workload of syscalls, context switches, forks and execs, and (3) no ktr
# probe function runs at all: ftrace's function tracer, filtered on
# ktr_probe_*, records no call. That last signal is independent of ktr's own
# counters and adds nothing to ktr's hot path; a registered probe would be
# called on every hit of its tracepoint. Positive controls: with every ktr
# event enabled the same workload is recorded and the function tracer does
# see the probes run. After `ktr enable '*'; ktr disable '*'` all of it holds
# again (the probes were really unregistered), and ftrace's own sched_switch
# works normally while ktr is loaded, without ktr recording anything.
# kernels: 6.1 6.12
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

T=/sys/kernel/tracing

# Every event's enable file, "path:value", in one grep.
snapshot() { grep . $T/events/*/*/enable | sort; }

workload() {
	ktr-bench-events switch --cpu 0 --iterations 300 --reps 1 >/dev/null || bad "ping-pong workload"
	ktr-bench-events syscall --cpu 1 --iterations 20000 --reps 1 >/dev/null || bad "syscall workload"
	for i in 1 2 3; do sh -c 'ls / >/dev/null'; done
}

# ktr's "written" total, counted by the kernel since the load (ktr-read's
# exit statistics; the read drains the buffers too).
written() {
	ktr-read -d 300ms >/dev/null 2>w.err || { bad "ktr-read: $(cat w.err)"; echo x; return; }
	awk '$1 == "total" && $5 == "|" { print $6 }' w.err
}

# probe_calls: how many calls of ktr_probe_* ftrace's function tracer sees
# during the workload.
probe_calls() {
	echo 0 >$T/tracing_on
	echo nop >$T/current_tracer
	echo 'ktr_probe_*' >$T/set_ftrace_filter
	echo function >$T/current_tracer
	echo >$T/trace
	echo 1 >$T/tracing_on
	workload
	echo 0 >$T/tracing_on
	grep -c ' ktr_probe_' $T/trace
	echo nop >$T/current_tracer
	echo >$T/set_ftrace_filter
}

# The signal exists here: the function tracer and ktr's probes in its filter list.
grep -q function $T/available_tracers && ok "function tracer available" || bad "no function tracer in this kernel"
nprobes=$(grep -c '^ktr_probe_' $T/available_filter_functions)
[ "$nprobes" -gt 0 ] && ok "function tracer can see $nprobes ktr probe functions" ||
	bad "no ktr_probe_* in available_filter_functions"

before=$(snapshot)
nfiles=$(echo "$before" | grep -c .)
[ "$nfiles" -gt 100 ] && ok "$nfiles ftrace event enable files" || bad "only $nfiles enable files found"
expect_eq "ftrace event enable files not 0 at the start" "$(echo "$before" | grep -vc ':0$')" 0
ktr list >list.txt 2>&1 || bad "ktr list: $(cat list.txt)"
expect_eq "ktr events enabled at load" "$(grep -c ' enabled$' list.txt)" 0

# --- loaded, nothing enabled ----------------------------------------------------
w0=$(written)
expect_eq "ktr written at load" "$w0" 0
ktr-read -d 3s >off.txt 2>off.err &
rp=$!
sleep 0.5
workload
wait $rp
expect_eq "events read while disabled" "$(grep -c . off.txt)" 0
expect_eq "ktr written across a workload while disabled" "$(awk '$1 == "total" && $5 == "|" { print $6 }' off.err)" 0
expect_eq "ktr probe calls seen by the function tracer while disabled" "$(probe_calls)" 0
expect_eq "ftrace enable files after the disabled phase" "$(snapshot)" "$before"

# --- every ktr event enabled: recorded, and the probes run ----------------------
ktr enable '*' >en.out 2>&1 || bad "ktr enable '*': $(cat en.out)"
nen=$(ktr list | grep -c ' enabled$')
[ "$nen" -ge 6 ] && ok "$nen ktr events enabled" || bad "only $nen ktr events enabled"
expect_eq "ftrace enable files while ktr events are enabled" "$(snapshot)" "$before"
n=$(probe_calls)
[ "$n" -gt 0 ] && ok "function tracer sees ktr probes run while enabled ($n calls)" ||
	bad "function tracer saw no ktr probe call while enabled: the signal is not trustworthy"
w1=$(written)
[ "$w1" -gt 0 ] 2>/dev/null && ok "ktr recorded $w1 events while enabled" || bad "ktr recorded nothing while enabled ($w1)"

# --- enable + disable: back to nothing -----------------------------------------
ktr disable '*' >dis.out 2>&1 || bad "ktr disable '*': $(cat dis.out)"
expect_eq "ktr events enabled after disable '*'" "$(ktr list | grep -c ' enabled$')" 0
w2=$(written)	# drains what was recorded before the disable
expect_eq "ktr probe calls seen by the function tracer after disable" "$(probe_calls)" 0
expect_eq "ktr written across a workload after disable" "$(written)" "$w2"
expect_eq "ftrace enable files after ktr enable + disable" "$(snapshot)" "$before"

# --- ftrace's own sched_switch while ktr is loaded -----------------------------
echo >$T/trace
echo 1 >$T/events/sched/sched_switch/enable
echo 1 >$T/tracing_on
workload
echo 0 >$T/tracing_on
echo 0 >$T/events/sched/sched_switch/enable
n=$(grep -c ': sched_switch: prev_comm=' $T/trace)
[ "$n" -ge 600 ] && ok "ftrace recorded $n sched_switch events with ktr loaded" ||
	bad "ftrace recorded only $n sched_switch events (want >= 600: 300 ping-pong round trips)"
expect_eq "ktr written while only ftrace's sched_switch was on" "$(written)" "$w2"
expect_eq "ftrace enable files at the end" "$(snapshot)" "$before"
echo 1 >$T/tracing_on
done_testing
