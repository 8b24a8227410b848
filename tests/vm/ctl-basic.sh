# Control plane end to end (ABI minor 4): markers over netlink reach the
# stream; 'ktr stat' agrees with what ktr-read read; 'ktr stop' makes a
# workload record nothing (the refused events show as "stopped") while
# enabled events stay enabled; 'ktr start' records again; 'ktr reset'
# disables every event and zeroes the counters; 'ktr buffer' changes the
# geometry GET_INFO and new streams report, and is refused (EBUSY, nothing
# changes) while a stream is open.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

# total KEY FILE: the "total" counter KEY of a 'ktr stat --json' output
total() { sed -nE 's/.*"total":\{([^}]*)\}.*/\1/p' "$2" | sed -nE "s/(^|.*,)\"$1\":([0-9]+).*/\2/p"; }
stat_json() { ktr stat --json >"$1" 2>"$1.err" || bad "ktr stat --json: $(cat "$1.err")"; }
workload() { for i in 1 2 3 4 5; do sh -c 'ls / >/dev/null'; sleep 0.1; done; }
# switchable events enabled (the marker is always on)
enabled_events() { ktr list | awk '$3 == "enabled" && $1 !~ /^ktr:/' | wc -l; }  # markers and stacks are always on

ktr info | grep -qE '^tracing: +on$' && ok "ktr info: tracing on" || bad "ktr info: $(ktr info | grep tracing)"

# --- reset, then markers by write() and by netlink; stat agrees with ktr-read
ktr reset >reset.out 2>&1 || bad "ktr reset: $(cat reset.out)"
stat_json s0.json
expect_eq "written after reset" "$(total written s0.json)" 0
ktr-read -d 3s >r1.txt 2>r1.err &
rp=$!
ktr marker --count 20 --seq w 2>/dev/null
ktr marker --netlink nl-hello >nl.out 2>&1 || bad "ktr marker --netlink: $(cat nl.out)"
grep -qE '^marker recorded on CPU [01]$' nl.out && ok "netlink marker: $(cat nl.out)" || bad "netlink marker output: $(cat nl.out)"
wait $rp
cat r1.err
expect_eq "write() markers read" "$(grep -c ': marker: w [0-9]*$' r1.txt)" 20
expect_eq "netlink markers read" "$(grep -c ': marker: nl-hello$' r1.txt)" 1
grep ': marker: nl-hello$' r1.txt | grep -qE '^ +ktr-[0-9]+ ' && ok "netlink marker carries the sender's comm-pid" ||
	bad "netlink marker line: $(grep nl-hello r1.txt)"
stat_json s1.json
cat s1.json
expect_eq "stat: written" "$(total written s1.json)" 21
expect_eq "stat: read" "$(total read s1.json)" 21
expect_eq "stat: buffered" "$(total buffered s1.json)" 0
expect_eq "stat read = ktr-read events" "$(total read s1.json)" "$(awk '$1 == "total" { print $2 }' r1.err)"
expect_eq "stat written = ktr-read's kernel written" "$(total written s1.json)" "$(awk '$1 == "total" { print $6 }' r1.err)"
ktr stat >stat.txt 2>&1 || bad "ktr stat: $(cat stat.txt)"
cat stat.txt
awk '$1 == "total" { exit !($3 == "21" && $4 == "21") }' stat.txt && ok "ktr stat table: total written/read 21" || bad "ktr stat table total row"
expect_eq "ktr stat rows (header, 2 CPUs, total)" "$(grep -cE '^(CPU|[01] |total)' stat.txt)" 4

# --- stop: nothing recorded, events stay enabled, refusals counted
ktr enable sched_switch >/dev/null 2>&1 || bad "enable sched_switch"
ktr stop >stop.out 2>&1 || bad "ktr stop: $(cat stop.out)"
# What was recorded before the stop is still there: drain it first.
ktr-read -d 1s >/dev/null 2>&1
ktr info | grep -qE '^tracing: +off' && ok "ktr info: tracing off" || bad "ktr info after stop: $(ktr info | grep tracing)"
stat_json s2.json
ktr-read -d 2s >r2.txt 2>r2.err &
rp=$!
workload
ktr marker stopped 2>m.err && bad "write() marker accepted while stopped" || ok "write() marker refused while stopped"
ktr marker --netlink stopped-nl 2>mn.err && bad "netlink marker accepted while stopped" || ok "netlink marker refused while stopped"
grep -q 'tracing is stopped' mn.err && ok "netlink marker error: $(cat mn.err)" || bad "netlink marker error: $(cat mn.err)"
wait $rp
expect_eq "events read while stopped" "$(grep -c . r2.txt)" 0
stat_json s3.json
[ "$(total lost_disabled s3.json)" -gt "$(total lost_disabled s2.json)" ] && ok "refused events counted as stopped ($(total lost_disabled s3.json))" ||
	bad "lost_disabled did not grow: $(total lost_disabled s3.json)"
expect_eq "nothing committed while stopped (bytes)" "$(total bytes s3.json)" "$(total bytes s2.json)"
expect_eq "enabled events while stopped" "$(enabled_events)" 1

# --- start: records again
ktr start >start.out 2>&1 || bad "ktr start: $(cat start.out)"
ktr info | grep -qE '^tracing: +on$' && ok "ktr info: tracing on again" || bad "ktr info after start"
ktr-read -d 2s >r3.txt 2>r3.err &
rp=$!
workload
wait $rp
n=$(grep -c ': sched_switch: ' r3.txt)
[ "$n" -gt 0 ] && ok "sched_switch recorded after start ($n)" || bad "nothing recorded after start"

# --- reset: every event off, counters zero, tracing on
ktr stop >/dev/null 2>&1
ktr reset >reset.out 2>&1 || bad "ktr reset: $(cat reset.out)"
expect_eq "enabled events after reset" "$(enabled_events)" 0
ktr info | grep -qE '^tracing: +on$' && ok "tracing on after reset" || bad "tracing state after reset"
stat_json s4.json
for k in written read buffered bytes lost_disabled subbufs_written; do
	expect_eq "after reset: $k" "$(total $k s4.json)" 0
done

# --- buffer reconfiguration
ktr buffer --subbuf-size 8K --nr-subbufs 4 --mode overwrite >buf.out 2>&1 || bad "ktr buffer: $(cat buf.out)"
cat buf.out
ktr info >info.txt
grep -qE '^sub-buffer size: +8 KiB$' info.txt && ok "GET_INFO: 8 KiB sub-buffers" || bad "info: $(grep sub-buffer info.txt)"
grep -qE '^sub-buffers per CPU: +4$' info.txt && ok "GET_INFO: 4 sub-buffers" || bad "info: $(grep 'per CPU' info.txt)"
grep -qE '^buffer mode: +overwrite$' info.txt && ok "GET_INFO: overwrite" || bad "info: $(grep mode info.txt)"
expect_eq "stream meta page geometry (CPU 1)" "$(ktr-ctl-probe geometry 1)" "8192 4 1"
ktr buffer --size-per-cpu 64K >buf2.out 2>&1 || bad "ktr buffer --size-per-cpu: $(cat buf2.out)"
expect_eq "--size-per-cpu 64K with 8 KiB sub-buffers" "$(ktr-ctl-probe geometry 0)" "8192 8 1"
ktr buffer >show.out 2>&1 || bad "ktr buffer (show)"
grep -qE '^mode: +overwrite$' show.out && grep -qE '^buffer per CPU: +64 KiB$' show.out && ok "ktr buffer shows the configuration" ||
	bad "ktr buffer output: $(cat show.out)"
ktr-read -d 2s >r4.txt 2>r4.err &
rp=$!
ktr marker --count 10 --seq geo 2>/dev/null
wait $rp
expect_eq "markers read from the new buffer" "$(grep -c ': marker: geo [0-9]*$' r4.txt)" 10

# --- EBUSY while a stream is open: nothing changes
mkfifo hold.fifo
ktr-ctl-probe hold 0 <hold.fifo >hold.out &
hp=$!
exec 3>hold.fifo
while ! grep -q open hold.out; do sleep 0.1; done
ktr-ctl-probe snapshot >busy-before.txt
ktr buffer --nr-subbufs 16 >busy.out 2>&1; rc=$?
cat busy.out
expect_eq "ktr buffer while a stream is open: exit status" "$rc" 1
grep -q 'stream of the trace buffer is open' busy.out && ok "EBUSY message says why" || bad "EBUSY message: $(cat busy.out)"
ktr reset >busy2.out 2>&1; rc=$?
expect_eq "ktr reset while a stream is open: exit status" "$rc" 1
ktr-ctl-probe snapshot >busy-after.txt
cmp -s busy-before.txt busy-after.txt && ok "nothing changed while busy" || bad "state changed: $(diff busy-before.txt busy-after.txt)"
exec 3>&-
wait $hp
ktr buffer --subbuf-size 64K --nr-subbufs 8 --mode discard >/dev/null 2>&1 && ok "reconfigured once the stream closed" || bad "buffer after close"
expect_eq "geometry back to default" "$(ktr-ctl-probe geometry 0)" "65536 8 0"
done_testing
