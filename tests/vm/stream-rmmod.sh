# Unloading while streaming: documented behaviour is that ktr.ko cannot be
# unloaded while a stream (or /dev/ktr, or a mapping of a stream) is open;
# rmmod fails with "in use", nothing crashes, the reader goes on, and once it
# is gone rmmod works.
# kernels: 6.1 6.12
# (not on debug: the ring buffer's overwrite path runs there in ringbuf-selftest, module references in module-load-unload; CI time is short)
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

ktr-read -d 20s >out.txt 2>err.txt &
rp=$!
sleep 1
rmmod ktr 2>rm.err && bad "rmmod succeeded under a live reader" || ok "rmmod refused while streaming"
cat rm.err
grep -qiE 'in use|temporarily unavailable' rm.err && ok "rmmod says the module is busy" || bad "rmmod message: $(cat rm.err)"
taskset -c 0 ktr marker still-works 2>/dev/null && ok "markers still work" || bad "marker after failed rmmod"
kill -INT $rp
wait $rp; rc=$?
expect_eq "ktr-read stops cleanly on SIGINT" "$rc" 0
grep -q 'marker: still-works' out.txt && ok "event written after the failed rmmod was read" || bad "marker lost"
grep -q '^total' err.txt && ok "statistics printed on SIGINT" || bad "no statistics"
rmmod ktr && ok "rmmod once the reader is gone" || bad "rmmod failed after the reader left"

# A mapping alone (its fd closed) pins the module too.
insmod /lib/ktr/ktr.ko || bad "insmod again"
ktr-stream-probe map 0 >map.txt &
mp=$!
for i in 1 2 3 4 5 6 7 8 9 10; do grep -q mapped map.txt && break; sleep 0.3; done
grep -q mapped map.txt && ok "stream mapped, fd closed" || bad "probe did not map"
rmmod ktr 2>/dev/null && bad "rmmod succeeded while a stream is mapped" || ok "rmmod refused while mapped"
kill $mp; wait $mp 2>/dev/null
rmmod ktr && ok "rmmod after the mapping is gone" || bad "rmmod failed after unmap"
# Leave it loaded for the harness, which unloads it at the end.
insmod /lib/ktr/ktr.ko || bad "final insmod"
done_testing
