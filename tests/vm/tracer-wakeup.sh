# The wakeup latency tracers: without one, `ktr latency` says to set one.
# wakeup_rt, with a SCHED_FIFO sleeper and a normal one (both timer-woken,
# pinned to CPU 0 so no wakeup migrates): a notice of a new maximum reaches
# a `ktr latency --watch` subscribed first; the FIFO task's wakeups are
# measured (latency events in the trace, each in (0, 1 s)) and the normal
# task's are not, no event is of a non-RT task; the maximum is of an RT task,
# in (0, 1 s), and its worst-case trace holds that task's wakeup and ends
# with the switch onto it; the histogram counts what was measured. wakeup:
# the normal sleeper is measured; switching to nop keeps the data readable;
# ktr unloads cleanly with wakeup current.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1
# (on the debug kernel it runs inside tracers-debug.sh, one boot for three)
. ./testlib.sh

# wait_for FILE TEXT: up to 30 s for TEXT to appear in FILE.
wait_for() {
	local i=0
	while ! grep -q "$2" "$1" 2>/dev/null; do
		i=$((i + 1))
		[ $i -gt 300 ] && return 1
		sleep 0.1
	done
}

ktr latency >nodata.txt 2>&1 && bad "ktr latency without a latency tracer succeeded" ||
	ok "no data yet: $(cat nodata.txt)"
grep -q "ktr tracer set wakeup" nodata.txt && ok "the refusal says what to do" ||
	bad "message: $(cat nodata.txt)"

# --- wakeup_rt ----------------------------------------------------------------
ktr latency --watch --count 1 --timeout 60s >watch.txt 2>watch.err &
wpid=$!
wait_for watch.err watching || bad "the watch did not subscribe: $(cat watch.err)"
ktr tracer set wakeup_rt >set.txt 2>&1 || bad "set wakeup_rt: $(cat set.txt)"
taskset 1 ktr-lat-sleeper -f 50 100 1000 >rt.out 2>rt.err &
rtp=$!
taskset 1 ktr-lat-sleeper 100 1000 >other.out 2>other.err &
otp=$!
wait $rtp || bad "FIFO sleeper: $(cat rt.err)"
wait $otp || bad "normal sleeper: $(cat other.err)"
rtpid=$(head -n 1 rt.out)
otherpid=$(head -n 1 other.out)
ktr latency >rt.txt 2>rt.lerr || bad "ktr latency: $(cat rt.lerr)"
ktr latency --json >rt.json 2>>rt.lerr || bad "ktr latency --json: $(cat rt.lerr)"
wait $wpid && ok "the watch saw a new maximum: $(cat watch.txt)" ||
	bad "the watch: $(cat watch.err) $(cat watch.txt)"
grep -qE '^new maximum: [0-9]+ ns .* \(wakeup_rt, #[0-9]+\)$' watch.txt &&
	ok "the notice names the tracer" || bad "notice: $(cat watch.txt)"
head -n 30 rt.txt

ktr stop >/dev/null
ktr-read -d 1s -q >trace.txt 2>read.err || bad "ktr-read: $(cat read.err)"
ktr start >/dev/null
grep ': latency: ' trace.txt >lat.txt
grep -E " pid=$rtpid " lat.txt >lat_rt.txt
[ -s lat_rt.txt ] && ok "$(wc -l <lat_rt.txt) wakeups of the FIFO task measured" ||
	bad "no latency event of the FIFO task ($(wc -l <lat.txt) in all)"
grep -qE " pid=$otherpid " lat.txt && bad "wakeup_rt measured the normal task" ||
	ok "the normal task is not measured"
awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^prio=/) { split($i, a, "="); if (a[2] >= 100) print } }' \
	lat.txt >nonrt.txt
[ -s nonrt.txt ] && bad "non-RT latency events: $(head -n 2 nonrt.txt)" || ok "every latency event is of an RT task"
sed -nE 's/.* latency_ns=([0-9]+) .*/\1/p' lat_rt.txt >ns.txt
awk '$1 <= 0 || $1 >= 1000000000 { print }' ns.txt >insane.txt
[ -s ns.txt ] && [ ! -s insane.txt ] && ok "FIFO latencies in (0, 1 s): $(sort -n ns.txt | tail -n 1) ns at most" ||
	bad "latencies: $(head -n 3 insane.txt)"

maxline=$(grep '^max latency: ' rt.txt)
max=$(echo "$maxline" | sed -nE 's/^max latency: ([0-9]+) ns .*/\1/p')
maxpid=$(echo "$maxline" | sed -nE 's/.*-([0-9]+) prio (-?[0-9]+) CPU .*/\1/p')
maxprio=$(echo "$maxline" | sed -nE 's/.* prio (-?[0-9]+) CPU .*/\1/p')
[ -n "$max" ] && [ "$max" -gt 0 ] && [ "$max" -lt 1000000000 ] && ok "max $max ns in (0, 1 s)" ||
	bad "max: $maxline"
[ -n "$maxprio" ] && [ "$maxprio" -lt 100 ] && ok "the maximum is of an RT task (pid $maxpid)" ||
	bad "max task: $maxline"
sed -n '/^worst-case trace/,$p' rt.txt | tail -n +2 >worst.txt
grep -qE "sched_wakeup: .* pid=$maxpid " worst.txt && ok "the worst-case trace has the wakeup of $maxpid" ||
	bad "no wakeup of $maxpid in: $(cat worst.txt)"
tail -n 1 worst.txt | grep -qE "sched_switch: .* next_pid=$maxpid( |$)" &&
	ok "the worst-case trace ends with the switch onto $maxpid" || bad "last: $(tail -n 1 worst.txt)"
# The text's summary line (json_num would find the last bucket's "count").
count=$(sed -nE 's/^count ([0-9]+)  avg .*/\1/p' rt.txt)
[ -n "$count" ] && [ "$count" -ge "$(wc -l <lat_rt.txt)" ] && ok "histogram count $count" ||
	bad "count '$count' < $(wc -l <lat_rt.txt) measured"
grep -q '"max":{"latency_ns":'"$max"',"pid":'"$maxpid"',' rt.json && ok "--json: the same maximum" ||
	bad "json: $(head -c 300 rt.json)"
grep -qE '^\[[0-9KMG]+, [0-9KMG]+\) +[0-9]+ \|@*' rt.txt && ok "histogram lines" || bad "no histogram"

# --- wakeup, switched away and unloaded while it runs ---------------------------
ktr tracer set wakeup --opt threshold=0 >set.txt 2>&1 || bad "set wakeup: $(cat set.txt)"
ktr-lat-sleeper 100 1000 >n.out || bad "sleeper under wakeup"
npid=$(head -n 1 n.out)
ktr latency >all.txt 2>all.err || bad "ktr latency: $(cat all.err)"
grep -q '^tracer: wakeup ' all.txt && ok "tracer wakeup" || bad "$(head -n 2 all.txt)"
count=$(sed -nE 's/^count ([0-9]+)  avg .*/\1/p' all.txt)
[ -n "$count" ] && [ "$count" -ge 100 ] && ok "wakeup measured $count wakeups" || bad "count: '$count'"
# STOP stops the tracer with tracing (ftrace's tracing_on does the same):
# no probe of ktr is left on the scheduler's tracepoints, read from the
# kernel's own tracepoint structures; START registers them again.
ktr-tp-probes sched_switch sched_wakeup >tp.txt 2>&1 || bad "ktr-tp-probes: $(cat tp.txt)"
expect_eq "ktr probes on sched_switch and sched_wakeup while wakeup runs" "$(grep -c ' ktr=1 ' tp.txt)" 2
# count_now: the wakeups measured so far (ktr latency's summary)
count_now() { ktr latency 2>&1 | sed -nE 's/^count ([0-9]+)  avg .*/\1/p'; }
ktr stop >/dev/null
c_stop=$(count_now)
ktr-tp-probes sched_switch sched_wakeup >tp.txt 2>&1 || bad "ktr-tp-probes: $(cat tp.txt)"
expect_eq "ktr probes on them after ktr stop" "$(grep -c ' ktr=0 ' tp.txt)" 2
ktr-read -d 1s -q 2>/dev/null | grep ': latency: ' | grep -cE " pid=$npid " >n.cnt
ktr-lat-sleeper 20 1000 >/dev/null || bad "sleeper while stopped"
expect_eq "wakeups measured while stopped (a sleeper ran)" "$(count_now)" "$c_stop"
ktr start >/dev/null
ktr-tp-probes sched_switch sched_wakeup >tp.txt 2>&1 || bad "ktr-tp-probes: $(cat tp.txt)"
expect_eq "ktr probes on them after ktr start" "$(grep -c ' ktr=1 ' tp.txt)" 2
ktr-lat-sleeper 20 1000 >/dev/null || bad "sleeper after ktr start"
c2=$(count_now)
[ -n "$c2" ] && [ -n "$c_stop" ] && [ "$c2" -ge $((c_stop + 20)) ] &&
	ok "measured again after ktr start ($c_stop -> $c2)" || bad "count after ktr start: '$c2' (stopped at '$c_stop')"
# The restart forgot the wakeups pending at the stop: no maximum from them
# (the sleepers wait 1 ms; nothing here waits seconds to run).
mx=$(ktr latency 2>&1 | sed -nE 's/^max latency: ([0-9]+) ns .*/\1/p')
[ -n "$mx" ] && [ "$mx" -lt 1000000000 ] && ok "max latency after the restart: $mx ns" ||
	bad "max latency after the restart: '$mx' ns"
[ "$(cat n.cnt)" -ge 100 ] && ok "the normal sleeper's $(cat n.cnt) wakeups measured" ||
	bad "normal sleeper: $(cat n.cnt) latency events"
# No load runs meanwhile: under TCG, the probes' unregistration patches
# __schedule's tracepoint while the other vCPU may run it, and a vCPU hot in
# that code can hang in the emulator (on the int3 of the kernel's own
# text_poke_bp). The probes still fire: the system keeps switching.
ktr tracer set nop >/dev/null || bad "set nop while wakeup runs"
ktr latency >after.txt 2>&1 && grep -q '^tracer: wakeup ' after.txt &&
	ok "the data stay readable after the tracer stops" || bad "after nop: $(cat after.txt)"
ktr tracer set wakeup >/dev/null || bad "set wakeup again"
rmmod ktr && ok "rmmod ktr with wakeup current" || bad "rmmod ktr"
[ -d /sys/module/ktr ] && bad "ktr still loaded" || ok "ktr unloaded"

done_testing
