# Raw attach to a module loaded before ktr (the tracepoint module notifier
# replays it when ktr registers), and ktr unloaded while attached to a
# module's tracepoint (the replayed GOING detaches it: the module can fire
# and go away afterwards, and the kernel's checks of tracepoints left with
# probes stay quiet). Also: the limit of 64 raw events, and listings
# racing attach/detach (KASAN on the debug kernel watches for freed memory).
# vm-args: --no-load --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
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
ktr detach $tp >/dev/null || bad "detach the unavailable event"

# The limit: 64 raw events at a time (tracepoints taken from tracefs; names
# that are ftrace-only events, not tracepoints, are refused and skipped).
n=0
for name in $(sed 's/.*://' /sys/kernel/tracing/available_events | sort -u); do
	[ $n -ge 64 ] && break
	ktr attach "$name" -n 0 >/dev/null 2>&1 && n=$((n + 1)) && echo "$name" >>attached.txt
done
expect_eq "raw events attached" "$n" 64
expect_eq "raw events listed" "$(ktr list 'raw:*' | grep -c '^raw:')" 64
ktr attach sched_switch -n 1 2>full.err; rc=$?
expect_eq "65th attach: exit status" "$rc" 1
grep -q "too many raw events" full.err && ok "65th attach: says so" || bad "65th: $(cat full.err)"
while read -r name; do ktr detach "$name" >/dev/null || bad "detach $name"; done <attached.txt
expect_eq "raw events after detaching all" "$(ktr list 'raw:*' 2>/dev/null | grep -c '^raw:')" 0

# Listings racing attach/detach: never a crash, never a bad listing.
(for i in $(seq 30); do ktr attach sched_switch -n 1 >/dev/null; ktr detach sched_switch >/dev/null; done) &
churn=$!
lists=0
while kill -0 $churn 2>/dev/null; do
	ktr list -v >race.txt 2>race.err || bad "ktr list during attach/detach: $(cat race.err)"
	lists=$((lists + 1))
done
wait $churn
[ "$lists" -gt 0 ] && ok "$lists listings during attach/detach" || bad "no listing ran"
rmmod ktr && ok "rmmod ktr after all that" || bad "rmmod ktr"
done_testing
