# The ring buffer's in-kernel self-test (ktr selftest, KTR_CMD_SELFTEST): a
# writer kthread and a nesting hrtimer per CPU, a concurrent reader, every
# event checked. Both modes, default geometry and tiny buffers (2 x 4 KiB:
# the ring wraps all the time). 0 errors is the only pass; the counters must
# add up, and the tiny runs must have taken the loss paths they exist for.
# Durations are short: the debug kernel (KASAN) runs this too. The self-test
# is test code in its own module, ktr_rb_test.ko, loaded here on top of ktr.
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
# (on the debug kernel it runs inside ringbuf-debug.sh, one boot for two)
. ./testlib.sh
insmod /lib/ktr/ktr_rb_test.ko || { echo "FAIL: insmod ktr_rb_test.ko"; exit 1; }

# run NAME ARGS...: one self-test; leaves its JSON in $NAME.json
run() {
	name=$1
	shift
	ktr selftest --json --duration 500ms "$@" >"$name.json" 2>"$name.err"
	rc=$?
	echo "== $name: ktr selftest $*"
	cat "$name.json" "$name.err"
	expect_eq "$name: exit status" "$rc" 0
	expect_eq "$name: errors" "$(json_num errors "$name.json")" 0
	expect_eq "$name: verdict" "$(json_str verdict "$name.json")" pass
	w=$(json_num written "$name.json")
	r=$(json_num read "$name.json")
	l=$(json_num lost "$name.json")
	expect_eq "$name: written == read + lost" "$w" "$((r + l))"
	expect_eq "$name: buffered at the end" "$(json_num buffered "$name.json")" 0
	expect_eq "$name: cpus" "$(json_num cpus "$name.json")" "$(nproc)"
	[ "${r:-0}" -gt 0 ] && ok "$name: events were read ($r)" || bad "$name: nothing read"
	[ "$(json_num hardirq_written "$name.json")" -gt 0 ] &&
		ok "$name: the hrtimers wrote" || bad "$name: no hrtimer event"
	[ "$(json_num nested "$name.json")" -gt 0 ] &&
		ok "$name: hrtimer events nested in a kthread write" || bad "$name: no nesting seen"
}

run discard --mode discard
expect_eq "discard: mode" "$(json_str mode discard.json)" discard
expect_eq "discard: default sub-buffer size" "$(json_num subbuf_size discard.json)" 65536
expect_eq "discard: nothing overwritten" "$(json_num lost_overwritten discard.json)" 0

run overwrite --mode overwrite
expect_eq "overwrite: mode" "$(json_str mode overwrite.json)" overwrite

run tiny-discard --mode discard --subbuf-size 4096 --subbufs 2
expect_eq "tiny-discard: geometry" \
	"$(json_num nr_subbufs tiny-discard.json)x$(json_num subbuf_size tiny-discard.json)" 2x4096
[ "$(json_num lost_full tiny-discard.json)" -gt 0 ] &&
	ok "tiny-discard: events were dropped (lost_full > 0)" || bad "tiny-discard: no event lost"
expect_eq "tiny-discard: nothing overwritten" "$(json_num lost_overwritten tiny-discard.json)" 0

run tiny-overwrite --mode overwrite --subbuf-size 4096 --subbufs 2
[ "$(json_num lost_overwritten tiny-overwrite.json)" -gt 0 ] &&
	ok "tiny-overwrite: sub-buffers were overwritten (lost_overwritten > 0)" ||
	bad "tiny-overwrite: nothing overwritten"
[ "$(json_num subbufs_overwritten tiny-overwrite.json)" -gt 0 ] &&
	ok "tiny-overwrite: subbufs_overwritten > 0" || bad "tiny-overwrite: subbufs_overwritten is 0"

# The text form gives the verdict too.
ktr selftest --duration 100ms --subbuf-size 4096 --subbufs 2 >text.txt 2>&1
rc=$?
cat text.txt
expect_eq "text run: exit status" "$rc" 0
grep -q '^verdict: *PASS' text.txt && ok "text says PASS" || bad "text lacks the verdict"
done_testing
