# Overwrite mode (flight recorder): the newest events are kept, the loss of
# the oldest is counted exactly, and a sub-buffer the reader holds is never
# overwritten while writers wrap the ring.
# kernels: 6.1 6.12
# (not on debug: the ring buffer's overwrite path runs there in ringbuf-selftest, module references in module-load-unload; CI time is short)
# vm-args: --mttcg --smp 2 --module-args 'mode=overwrite subbuf_size=4096 nr_subbufs=4' --add tests/vm/lib/testlib.sh
. ./testlib.sh
N=3000

ktr info | grep -q . || bad "ktr info"
taskset -c 1 ktr marker --count $N --seq ring 2>w.err
cat w.err
grep -q "$N markers written, 0 lost" w.err && ok "overwrite mode refuses nothing" || bad "markers refused in overwrite mode"

ktr-read -d 2s --cpus 1 >out.txt 2>err.txt; rc=$?
cat err.txt
expect_eq "ktr-read exit status" "$rc" 0
got=$(grep -c 'marker: ring ' out.txt)
[ "$got" -gt 0 ] && [ "$got" -lt $N ] && ok "kept $got of $N" || bad "kept $got of $N"
# The newest ones, contiguous up to the last.
expect_eq "last marker kept" "$(grep 'marker: ring ' out.txt | tail -1 | grep -o 'ring [0-9]*')" "ring $((N - 1))"
first=$(grep -m1 -o 'marker: ring [0-9]*' out.txt | awk '{ print $3 }')
expect_eq "kept markers are the newest, contiguous" "$got" "$((N - first))"
lost=$(sed -nE 's/^CPU:1 \[LOST ([0-9]+) EVENTS\]$/\1/p' out.txt | awk '{ s += $1 } END { print s + 0 }')
expect_eq "LOST markers count the overwritten ones" "$lost" "$first"
expect_eq "CPU 1 stats: events lost kernel_overwritten" "$(awk '$1 == "1" { print $2, $4, $8 }' err.txt)" "$got $first $first"

ktr-stream-probe hold 0; rc=$?
expect_eq "held sub-buffer survives wrapping (probe exit)" "$rc" 0
done_testing
