# ktr.ko loads, unloads and reloads cleanly, twice; bad parameters are refused
# with a clear message and leave nothing behind.
# vm-args: --no-load --add tests/vm/lib/testlib.sh
. ./testlib.sh
ko=/lib/ktr/ktr.ko

for round in 1 2; do
	if insmod $ko; then ok "round $round: insmod"; else bad "round $round: insmod failed"; fi
	grep -q '^ktr ' /proc/modules && ok "round $round: listed in /proc/modules" || bad "round $round: not in /proc/modules"
	mode=$(stat -c %A /dev/ktr 2>/dev/null)
	expect_eq "round $round: /dev/ktr mode" "$mode" "crw-------"
	ktr info >/dev/null && ok "round $round: ktr info answers" || bad "round $round: ktr info failed"
	if rmmod ktr; then ok "round $round: rmmod"; else bad "round $round: rmmod failed"; fi
	[ -e /dev/ktr ] && bad "round $round: /dev/ktr still exists after rmmod" || ok "round $round: /dev/ktr removed"
	if ktr info 2>/dev/null; then bad "round $round: ktr info works after rmmod"; else ok "round $round: ktr info fails after rmmod"; fi
done

for args in subbuf_size=1000 subbuf_size=2048 subbuf_size=8388608 nr_subbufs=3 nr_subbufs=1 nr_subbufs=8192 mode=bogus; do
	if insmod $ko $args 2>/dev/null; then
		bad "insmod $args was accepted"
		rmmod ktr
	else
		ok "insmod $args refused"
	fi
	grep -q '^ktr ' /proc/modules && bad "$args: module stayed loaded"
	[ -e /dev/ktr ] && bad "$args: /dev/ktr left behind"
	dmesg | tail -n 3 | grep -q "ktr: ${args%%=*}=" && ok "$args: the kernel log names the bad parameter" ||
		bad "$args: no clear message in the kernel log"
done

# The module still loads after all those refusals.
insmod $ko && ok "insmod after refusals" || bad "insmod after refusals failed"
done_testing
