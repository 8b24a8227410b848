# Memory pressure while tracing (issue 14): a hog leaves ~40 MiB available;
# the write path never allocates, so a flood read live loses nothing beyond
# what the counters say, a bigger buffer is refused cleanly (no OOM kill)
# with the old one left working, and tracing goes on.
# kernels: 6.1
# (not on debug: taking the memory under KASAN costs a minute and adds no
# lifetime to watch; the refusal itself runs on 6.1 and in security-findings)
# vm-args: --smp 2 --module-args 'subbuf_size=4096 nr_subbufs=64' --add tests/vm/lib/testlib.sh
. ./testlib.sh

ktr buffer >buf-before.txt 2>&1
ktr-memhog 40 >hog.txt 2>&1 &
hp=$!
wait_for hog.txt '^holding' 300 || bad "the hog did not settle: $(cat hog.txt)"
cat hog.txt
ktr-read -d 4s --flush-interval 50ms >c.txt 2>c.err &
rp=$!
sleep 1
taskset -c 1 ktr marker --count 3000 --seq press 2>c.w
wait $rp
expect_eq "ktr-read under memory pressure exits cleanly" "$?" 0
cat c.w c.err
refused=$(sed -nE 's/^ktr: [0-9]+ markers written, ([0-9]+) lost.*/\1/p' c.w)
got=$(grep -c 'marker: press ' c.txt)
lost=$(sed -nE 's/^CPU:1 \[LOST ([0-9]+) EVENTS\]$/\1/p' c.txt | awk '{ s += $1 } END { print s + 0 }')
expect_eq "under pressure: events + lost = sent" "$((got + lost))" 3000
expect_eq "under pressure: lost = refused by the kernel" "$lost" "${refused:-0}"
ktr buffer --subbuf-size 1M --nr-subbufs 64 >big.out 2>big.err
[ $? != 0 ] && ok "a 64 MiB-per-CPU buffer is refused under pressure" || bad "the big buffer was allocated"
cat big.err
grep -qi 'memory' big.err && ok "the refusal says why" || bad "refusal message: $(cat big.err)"
expect_eq "the buffer is unchanged" "$(ktr buffer 2>&1)" "$(cat buf-before.txt)"
taskset -c 0 ktr marker still-tracing 2>/dev/null || bad "marker after the refusal"
ktr-read -d 1s >c2.txt 2>/dev/null
grep -q 'marker: still-tracing' c2.txt && ok "tracing goes on after the refusal" || bad "marker after the refusal not read"
kill $hp
wait $hp 2>/dev/null
dmesg | grep -qiE 'invoked oom-killer|Out of memory' && bad "the OOM killer ran: $(dmesg | grep -iE 'oom' | head -n 3)" ||
	ok "no OOM kill"
done_testing
