# Raw attach to a module loaded before ktr (the tracepoint module notifier
# replays it when ktr registers), and ktr unloaded while attached to a
# module's tracepoint (the replayed GOING detaches it: the module can fire
# and go away afterwards, and the kernel's checks of tracepoints left with
# probes stay quiet).
# vm-args: --no-load --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

tp=ktr_test_raw
fire=/sys/module/ktr_test_tp/parameters/fire

insmod /lib/ktr/tests/ktr_test_tp.ko || bad "insmod ktr_test_tp"
insmod /lib/ktr/ktr.ko || bad "insmod ktr"
ktr attach $tp -n 2 >/dev/null 2>att.err && ok "attached to a module loaded before ktr" ||
	bad "attach: $(cat att.err)"
ktr-read -d 1500ms >rec.txt 2>/dev/null &
rp=$!
sleep 0.5
echo 77 >$fire
wait $rp
grep -q ": $tp: arg0=0x4d arg1=0xffffffffffffffb2\$" rec.txt && ok "recorded its arguments" ||
	bad "recorded: $(grep ": $tp: " rec.txt)"

rmmod ktr && ok "rmmod ktr while attached" || bad "rmmod ktr"
echo 78 >$fire && ok "the module fires after ktr is gone"
rmmod ktr_test_tp && ok "rmmod ktr_test_tp" || bad "rmmod ktr_test_tp"

# Again, the other way round: the module goes first, then ktr.
insmod /lib/ktr/tests/ktr_test_tp.ko || bad "insmod ktr_test_tp again"
insmod /lib/ktr/ktr.ko || bad "insmod ktr again"
ktr attach $tp >/dev/null 2>&1 || bad "attach again"
rmmod ktr_test_tp && ok "rmmod ktr_test_tp while attached" || bad "rmmod ktr_test_tp"
ktr list 'raw:*' | grep -q "raw:$tp .*unavailable" && ok "listed unavailable" || bad "list: $(ktr list 'raw:*')"
rmmod ktr && ok "rmmod ktr with an unavailable raw event" || bad "rmmod ktr"
done_testing
