# Every command that looks at the event registry, run while raw events
# (which come and go at run time) are attached. The registry's walks assert
# its lock (lockdep_assert_held), so on the debug kernel any caller that
# walks it unlocked is a lockdep WARN, and vm/run fails with 125: this
# test proves no such caller is left (GET_FILTERS and SET_EVENT_FILTER
# used to walk raw events unlocked while DETACH_RAW freed them). Then a
# short race loop as a smoke test: attach/detach against the lookups.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

insmod /lib/ktr/tests/ktr_test_tp.ko || bad "insmod ktr_test_tp"
ktr attach ktr_test_raw -n 2 >/dev/null || bad "attach ktr_test_raw"
ktr attach sys_exit -n 1 >/dev/null || bad "attach sys_exit"

for c in "ktr list" "ktr list -v raw:*" "ktr enable raw:*" "ktr disable sched_*" \
	"ktr filter -e sched_switch prev_pid>0" "ktr filter -e sched_process_exec --stack" \
	"ktr filter" "ktr stat" "ktr info" "ktr buffer"; do
	# shellcheck disable=SC2086
	$c >out.txt 2>err.txt; rc=$?
	expect_eq "$c: exit status" "$rc" 0
done
# Names that are looked up past the raw events, and a raw event by name.
for c in "ktr filter -e no_such_event --stack" "ktr filter -e raw:ktr_test_raw --stack" \
	"ktr filter -e ktr_test_raw --stack"; do
	# shellcheck disable=SC2086
	$c >out.txt 2>err.txt; rc=$?
	[ "$rc" != 0 ] && ok "$c: refused: $(cat err.txt)" || bad "$c succeeded"
done
# Every command of the family, with bad input (they change nothing). Nothing
# may record meanwhile: the probe compares the statistics before and after.
ktr disable '*' >/dev/null || bad "ktr disable '*'"
ktr-ctl-probe badinput >bad.txt 2>&1 || bad "ktr-ctl-probe badinput: $(grep '^not ok' bad.txt)"
ktr filter --clear >/dev/null || bad "ktr filter --clear"
expect_eq "raw events still listed" "$(ktr list 'raw:*' | grep -c '^raw:')" 2
ktr reset >/dev/null || bad "ktr reset"

# The race loop: attach/detach against GET_FILTERS and SET_EVENT_FILTER.
end=$(($(date +%s) + 8))
(while [ "$(date +%s)" -lt "$end" ]; do
	ktr detach ktr_test_raw >/dev/null 2>&1
	ktr attach ktr_test_raw -n 1 >/dev/null 2>&1
done) &
a=$!
(while [ "$(date +%s)" -lt "$end" ]; do ktr filter >/dev/null 2>&1; done) &
b=$!
n=0
while [ "$(date +%s)" -lt "$end" ]; do
	ktr filter -e sched_switch --stack >/dev/null 2>&1
	ktr filter -e no_such_event --stack >/dev/null 2>&1
	ktr list >/dev/null 2>&1
	n=$((n + 1))
done
wait $a $b
ok "race loop: $n rounds of lookups against attach/detach"
ktr detach sys_exit >/dev/null || bad "detach sys_exit"
done_testing
