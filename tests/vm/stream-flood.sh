# Loss is exact in discard mode: a flood that overflows a small buffer is
# reported with lost counts that match the kernel's counters and what the
# writer was refused; the stream says where ("CPU:0 [LOST n EVENTS]").
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# vm-args: --mttcg --smp 2 --module-args 'subbuf_size=4096 nr_subbufs=4' --add tests/vm/lib/testlib.sh
. ./testlib.sh
N=2000

# No reader while flooding: the ring fills, the rest is refused.
taskset -c 0 ktr marker --count $N --seq flood 2>w.err
cat w.err
written=$(sed -nE 's/^ktr: ([0-9]+) markers written, ([0-9]+) lost.*/\1/p' w.err)
refused=$(sed -nE 's/^ktr: ([0-9]+) markers written, ([0-9]+) lost.*/\2/p' w.err)
[ "${refused:-0}" -gt 0 ] && ok "the flood overflowed the ring ($refused refused)" || bad "no marker was refused"
expect_eq "written + refused" "$((written + refused))" $N

ktr-read -d 2s >out.txt 2>err.txt; rc=$?
cat err.txt
expect_eq "ktr-read exit status" "$rc" 0
expect_eq "events read" "$(grep -c 'marker: flood ' out.txt)" "$written"
# The events kept are the first ones (discard mode drops new events).
expect_eq "first marker kept" "$(grep -m1 -o 'marker: flood [0-9]*' out.txt)" "marker: flood 0"
expect_eq "last marker kept" "$(grep 'marker: flood ' out.txt | tail -1 | grep -o 'flood [0-9]*')" "flood $((written - 1))"
lost_lines=$(sed -nE 's/^CPU:0 \[LOST ([0-9]+) EVENTS\]$/\1/p' out.txt | awk '{ s += $1 } END { print s + 0 }')
expect_eq "LOST markers in the stream add up to the refusals" "$lost_lines" "$refused"
row=$(awk '$1 == "0" { print $2, $4, $7 }' err.txt)
expect_eq "CPU 0 stats: events lost kernel_lost_full" "$row" "$written $refused $refused"

# Flood again with the reader running: events + lost == sent, lost exact.
ktr-read -d 5s --flush-interval 50ms >out2.txt 2>err2.txt &
rp=$!
sleep 1
taskset -c 1 ktr marker --count $N --seq again 2>w2.err
wait $rp
cat w2.err err2.txt
refused2=$(sed -nE 's/^ktr: [0-9]+ markers written, ([0-9]+) lost.*/\1/p' w2.err)
got2=$(grep -c 'marker: again ' out2.txt)
lost2=$(sed -nE 's/^CPU:1 \[LOST ([0-9]+) EVENTS\]$/\1/p' out2.txt | awk '{ s += $1 } END { print s + 0 }')
expect_eq "live flood: events + lost" "$((got2 + lost2))" $N
expect_eq "live flood: lost == refused by the kernel" "$lost2" "$refused2"
# Every marker read is distinct and in order.
grep -o 'marker: again [0-9]*' out2.txt | awk '{ print $3 }' >seq.txt
sort -n -c seq.txt 2>/dev/null && [ "$(sort -u seq.txt | wc -l)" = "$got2" ] &&
	ok "live flood: markers distinct and in order" || bad "live flood: duplicates or disorder"
done_testing
