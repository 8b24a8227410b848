# Live streaming end to end: ktr-read streams while markers are written on
# both CPUs (taskset). Every marker arrives exactly once, in per-CPU order,
# with the writer's pid and comm; text, JSON Lines and a capture file read
# back with 'ktr report' agree; the statistics match the kernel's counters.
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
# (on the debug kernel it runs inside streams-debug.sh, one boot for two)
. ./testlib.sh
N=300

# markers_of CPU FILE: the sequence numbers of "mark-CPU <n>" lines, in order
markers_of() { sed -nE "s/.*\[00$1\].*: marker: mark-$1 ([0-9]+)\$/\1/p" "$2"; }

ktr-read -d 6s >live.txt 2>live.err &
rp=$!
sleep 1
taskset -c 0 ktr marker --count $N --seq mark-0 2>w0.err &
w0=$!
taskset -c 1 ktr marker --count $N --seq mark-1 2>w1.err &
w1=$!
wait $w0; wait $w1
wait $rp; rc=$?
cat live.err w0.err w1.err
expect_eq "ktr-read exit status" "$rc" 0
for cpu in 0 1; do
	markers_of $cpu live.txt >got$cpu.txt
	seq 0 $((N - 1)) >want.txt
	if cmp -s got$cpu.txt want.txt; then ok "CPU $cpu: all $N markers, once each, in order"
	else bad "CPU $cpu: markers differ: $(wc -l <got$cpu.txt) lines, first diff: $(diff want.txt got$cpu.txt | head -3 | tr '\n' ' ')"; fi
done
# comm-pid [cpu] seconds.micros: marker: text
line=$(grep -m1 'mark-0 0$' live.txt)
echo "$line" | grep -qE '^ +ktr-[0-9]+ +\[000\] +[0-9]+\.[0-9]{6}: marker: mark-0 0$' &&
	ok "text line format: $line" || bad "text line format: '$line'"
# Merged by time: timestamps never go backwards in the output.
awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+\.[0-9]+:$/) { t = substr($i, 1, length($i) - 1); if (t + 0 < last) bad++; last = t + 0 } } END { exit bad > 0 }' live.txt &&
	ok "output is in timestamp order" || bad "output goes back in time"
# Statistics: read == written by the kernel, nothing lost.
row() { awk -v c="$1" '$1 == c { print $2, $4, $6, $7, $8 }' live.err; }
expect_eq "stats total (events lost written lost_full overwritten)" "$(row total)" "$((2 * N)) 0 $((2 * N)) 0 0"

# JSON Lines, stopped by a count.
ktr-read --json -c 50 >live.json 2>json.err &
rp=$!
sleep 1
taskset -c 1 ktr marker --count 80 --seq json 2>/dev/null
wait $rp; rc=$?
expect_eq "ktr-read --json -c 50 exit status" "$rc" 0
expect_eq "JSON lines" "$(wc -l <live.json)" 50
expect_eq "JSON: first marker" "$(head -1 live.json | sed -nE 's/.*"cpu":([0-9]+).*"event":"marker".*"text":"([^"]*)".*/\1 \2/p')" "1 json 0"
grep -c '"comm":"ktr"' live.json | grep -qx 50 && ok "JSON: comm of the writer" || bad "JSON comm missing"

# A capture file, then ktr report: the same events as live text.
ktr-read -o cap.ktr -d 4s 2>cap.err &
rp=$!
sleep 1
taskset -c 0 ktr marker --count 40 --seq cap-0 2>/dev/null
taskset -c 1 ktr marker --count 40 --seq cap-1 2>/dev/null
wait $rp; rc=$?
cat cap.err
expect_eq "ktr-read -o exit status" "$rc" 0
ktr report cap.ktr >report.txt 2>report.err; rc=$?
cat report.err
expect_eq "ktr report exit status" "$rc" 0
expect_eq "report: cap-0 markers" "$(grep -c 'marker: cap-0 ' report.txt)" 40
expect_eq "report: cap-1 markers" "$(grep -c 'marker: cap-1 ' report.txt)" 40
ktr report --json cap.ktr 2>/dev/null | grep -c '"event":"marker"' | grep -qx 80 &&
	ok "report --json: 80 events" || bad "report --json count"
done_testing
