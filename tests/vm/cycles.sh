# Enable/disable and filter cycles while events flow (issue 14): every
# curated event switched on and off at once ('*'), one event alone
# (sys_enter, its tracepoint hot on both CPUs) and a filter with stack
# capture set and cleared on sched_wakeup, many times each through libktr
# (ktr-cycles), while a workload runs on both CPUs, the scheduler's events
# flow and one ktr-read streams. Then nothing
# is enabled, no ktr probe is left on any tracepoint (read from the
# kernel's own structures through /proc/kcore), and per CPU the accounting
# is exact: nothing buffered, written = read + every lost counter, and the
# reader got what the kernel counted as read. The harness then checks the
# kernel log (debug: KASAN, lockdep, kmemleak) and unloads ktr.
# The first argument multiplies the counts (5 '*' cycles, 50 of one event,
# 100 of a filter); 10^4 cycles of one event under load take about 25
# minutes on 6.1 under TCG:
#   vm/run --timeout 3600 --add tests/vm/lib/testlib.sh tests/vm/cycles.sh 200
# kernels: 6.1
# start-early: yes
# vm-args: --smp 2 --timeout 400 --add tests/vm/lib/testlib.sh
# (on the debug kernel it runs inside lifetimes-debug.sh)
. ./testlib.sh

x=${1:-1}
# Positive control: what a cycle switches.
ktr-cycles events 1 '*' >c0.txt 2>&1 || bad "one cycle of '*': $(cat c0.txt)"
nall=$(sed -nE 's/.* changed=([0-9]+) .*/\1/p' c0.txt)
[ "${nall:-0}" -ge 6 ] && ok "one cycle switches $nall events" || bad "one cycle: $(cat c0.txt)"

# ... and that an enable really puts ktr's probe on the tracepoint.
ktr enable sys_enter >/dev/null || bad "enable sys_enter"
ktr-tp-probes sys_enter >tp1.txt 2>&1 || bad "ktr-tp-probes sys_enter: $(cat tp1.txt)"
grep -q ' ktr=1 ' tp1.txt && ok "enabled: ktr's probe on sys_enter" || bad "enabled sys_enter: $(cat tp1.txt)"
ktr disable sys_enter >/dev/null || bad "disable sys_enter"

# The workload, one loop per CPU, and the reader (its sys_enter events
# counted on the way: the cycled event recorded while on).
for c in 0 1; do
	taskset -c $c sh -c 'while :; do cat /proc/version >/dev/null; sh -c :; done' &
	eval "load$c=\$!"
done
mkfifo ev.fifo
grep -c ': sys_enter: ' <ev.fifo >se.cnt &
gp=$!
ktr-read >ev.fifo 2>r.err &
rp=$!
sleep 0.5

# cycle ARGS...: one ktr-cycles run, under load
cycle() {
	if ktr-cycles "$@" >c.txt 2>&1; then ok "$(cat c.txt) under load"; else bad "ktr-cycles $*: $(cat c.txt)"; fi
}
# Every event at once (they are the flow while on), ending all off.
cycle events $((5 * x)) '*'
expect_eq "events enabled after the '*' cycles" "$(ktr list | grep -c ' enabled$' | tr -d ' ')" \
	"$(ktr list | grep -cE '^ktr:(marker|stack) .* enabled$')"
# One event whose tracepoint is hot on both CPUs, and a filter with stack
# capture, while the scheduler's events flow.
ktr enable 'sched:*' >/dev/null || bad "enable sched:* for the flow"
cycle events $((50 * x)) sys_enter
cycle filters $((100 * x)) sched_wakeup 'pid >= 0'
ktr list | grep -qE '^raw_syscalls:sys_enter .* enabled$' && bad "sys_enter left enabled by its cycles" ||
	ok "sys_enter off after its cycles"
ktr list | grep -qE '^sched:sched_wakeup .* enabled$' && ok "sched_wakeup still enabled after its filter cycles" ||
	bad "sched_wakeup not enabled after its filter cycles"
kill "$load0" "$load1"
wait "$load0" "$load1" 2>/dev/null
ktr disable '*' >/dev/null || bad "disable '*'"
kill -TERM $rp
wait $rp || bad "ktr-read: $(tail -n 3 r.err)"
wait $gp
[ "$(cat se.cnt)" -gt 0 ] && ok "$(cat se.cnt) sys_enter events recorded during its cycles" ||
	bad "no sys_enter event recorded during its cycles"

# Nothing left on any tracepoint.
ktr-tp-probes --all >tp.txt 2>tp.err || bad "ktr-tp-probes --all: $(cat tp.err)"
expect_eq "tracepoints with a ktr probe after the cycles" \
	"$(sed -nE 's/^ktr-tp-probes all .* with_ktr=([0-9]+).*/\1/p' tp.txt)" 0
ktr filter >flt.txt 2>&1 || bad "ktr filter: $(cat flt.txt)"
grep -q 'sched_wakeup' flt.txt && bad "a filter left on sched_wakeup: $(cat flt.txt)" || ok "no filter left"

# Exact accounting per CPU (the reader has read everything; nothing flows).
ktr-read -d 1s >/dev/null 2>d.err || bad "drain: $(cat d.err)"
ktr stat --json >st.json 2>&1 || bad "ktr stat --json: $(cat st.json)"
jget() { tr '{' '\n' <st.json | grep -E "\"cpu\": *$1[,} ]" | sed -nE "s/.*\"$2\": *([0-9]+).*/\1/p" | head -n 1; }
# events read by the two readers for CPU $1 (their statistics rows)
rread() { awk -v c="$1" '$1 == c { n += $2 } END { print n + 0 }' r.err d.err; }
for c in 0 1; do
	w=$(jget $c written)
	r=$(jget $c read)
	lost=$(($(jget $c lost_full) + $(jget $c lost_overwritten) + $(jget $c lost_nesting) + $(jget $c lost_disabled)))
	[ "${w:-0}" -gt 0 ] && ok "CPU $c: $w written" || bad "CPU $c: nothing written"
	expect_eq "CPU $c: buffered" "$(jget $c buffered)" 0
	expect_eq "CPU $c: read + lost" "$((r + lost))" "$w"
	expect_eq "CPU $c: the readers read" "$(rread $c)" "$r"
done

done_testing
