# Loaded but disabled costs nothing and touches nothing: with ktr.ko loaded
# and no event enabled, (1) no ftrace event enable file changed (ktr never
# goes through tracefs), (2) ktr's buffers count nothing written across a
# workload of syscalls, context switches, forks and execs, and (3) no ktr
# probe is registered on any kernel tracepoint and every tracepoint's static
# key is off: ktr-tp-probes reads each struct tracepoint (its key and funcs
# array) from the kernel's memory through /proc/kcore. That signal is
# independent of ktr's own counters and costs ktr's hot path nothing.
# Positive control: with every ktr event enabled, each has exactly its one
# probe registered and the workload is recorded. After `ktr enable '*';
# ktr disable '*'` all of it holds again (the probes were really
# unregistered), and ftrace's own sched_switch works normally while ktr is
# loaded (its probes on the tracepoint, none of ktr's), ktr recording nothing.
# kernels: 6.1 6.12
# vm-args: --smp 2 --timeout 300 --add tests/vm/lib/testlib.sh
. ./testlib.sh

T=/sys/kernel/tracing

# Every event's enable file, "path:value", in one grep.
snapshot() { grep . $T/events/*/*/enable | sort; }

workload() {
	ktr-bench-events switch --cpu 0 --iterations 300 --reps 1 >/dev/null || bad "ping-pong workload"
	ktr-bench-events syscall --cpu 1 --iterations 20000 --reps 1 >/dev/null || bad "syscall workload"
	for _ in 1 2 3; do sh -c 'ls / >/dev/null'; done
}

# ktr's "written" total, counted by the kernel since the load (ktr-read's
# exit statistics; the read drains the buffers too).
written() {
	ktr-read -d 300ms >/dev/null 2>w.err || { bad "ktr-read: $(cat w.err)"; echo x; return; }
	awk '$1 == "total" && $5 == "|" { print $6 }' w.err
}

# tp_field KEY: KEY=value of the summary line of `ktr-tp-probes --all`: what
# the kernel's own tracepoint structures hold (through /proc/kcore).
tp_all() { ktr-tp-probes --all >tp.txt 2>tp.err || bad "ktr-tp-probes --all: $(cat tp.err)"; cat tp.txt; }
tp_field() { grep '^ktr-tp-probes all ' tp.txt | tr ' ' '\n' | sed -n "s/^$1=//p"; }

before=$(snapshot)
echo "$before" >before.txt
nfiles=$(grep -c . before.txt)
# same_files WHEN: every enable file as at the start (a diff otherwise)
same_files() {
	snapshot >now.txt
	if cmp -s before.txt now.txt; then ok "ftrace event enable files unchanged $1"
	else bad "ftrace event enable files changed $1:"; diff before.txt now.txt | head -n 20; fi
}
[ "$nfiles" -gt 100 ] && ok "$nfiles ftrace event enable files" || bad "only $nfiles enable files found"
expect_eq "ftrace event enable files not 0 at the start" "$(grep -vc ':0$' before.txt)" 0
ktr list >list.txt 2>&1 || bad "ktr list: $(cat list.txt)"
# (the marker, written by write() on /dev/ktr, is always on)
expect_eq "ktr events enabled at load" "$(grep ' enabled$' list.txt | grep -vcE '^ktr:(marker|stack) ')" 0

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
tp_all
n=$(tp_field tracepoints)
[ "${n:-0}" -gt 100 ] && ok "ktr-tp-probes read $n tracepoints" || bad "ktr-tp-probes read ${n:-no} tracepoints"
expect_eq "tracepoints with a ktr probe while disabled" "$(tp_field with_ktr)" 0
expect_eq "tracepoints whose static key is on while nothing is enabled" "$(tp_field enabled)" 0
same_files "after the disabled phase"

# --- every ktr event enabled: recorded, and the probes run ----------------------
ktr enable '*' >en.out 2>&1 || bad "ktr enable '*': $(cat en.out)"
nen=$(ktr list | grep ' enabled$' | grep -vcE '^ktr:(marker|stack) ')
[ "$nen" -ge 6 ] && ok "$nen ktr events enabled" || bad "only $nen ktr events enabled"
same_files "while ktr events are enabled"
workload
tp_all
n=$(tp_field with_ktr)
[ "${n:-0}" -gt 0 ] && ok "$n tracepoints with a ktr probe while all ktr events are enabled" || bad "no tracepoint has a ktr probe while all are enabled"
expect_eq "ktr probes registered while all ktr events are enabled" "$(tp_field ktr_probes)" "$nen"
w1=$(written)
[ "$w1" -gt 0 ] 2>/dev/null && ok "ktr recorded $w1 events while enabled" || bad "ktr recorded nothing while enabled ($w1)"

# --- enable + disable: back to nothing -----------------------------------------
ktr disable '*' >dis.out 2>&1 || bad "ktr disable '*': $(cat dis.out)"
expect_eq "ktr events enabled after disable '*'" "$(ktr list | grep ' enabled$' | grep -vcE '^ktr:(marker|stack) ')" 0
w2=$(written)	# drains what was recorded before the disable
tp_all
expect_eq "tracepoints with a ktr probe after disable" "$(tp_field with_ktr)" 0
expect_eq "tracepoints whose static key is on after disable" "$(tp_field enabled)" 0
workload
expect_eq "ktr written across a workload after disable" "$(written)" "$w2"
same_files "after ktr enable + disable"

# --- ftrace's own sched_switch while ktr is loaded -----------------------------
echo >$T/trace
echo 1 >$T/events/sched/sched_switch/enable
echo 1 >$T/tracing_on
ktr-tp-probes sched_switch >tp1.txt 2>&1 || bad "ktr-tp-probes sched_switch: $(cat tp1.txt)"
cat tp1.txt
grep -q ' key=1 .* ktr=0 ' tp1.txt && ok "ftrace's sched_switch on: static key on, no ktr probe" ||
	bad "sched_switch with ftrace's event on: $(cat tp1.txt)"
workload
echo 0 >$T/tracing_on
echo 0 >$T/events/sched/sched_switch/enable
n=$(grep -c ': sched_switch: prev_comm=' $T/trace)
[ "$n" -ge 600 ] && ok "ftrace recorded $n sched_switch events with ktr loaded" ||
	bad "ftrace recorded only $n sched_switch events (want >= 600: 300 ping-pong round trips)"
expect_eq "ktr written while only ftrace's sched_switch was on" "$(written)" "$w2"
same_files "at the end"
echo 1 >$T/tracing_on
done_testing
