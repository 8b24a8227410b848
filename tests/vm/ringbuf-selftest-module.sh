# The ring buffer's self-test is test code in its own module, ktr_rb_test.ko,
# plugged into ktr.ko through ktr_selftest_register(). Without it `ktr
# selftest` fails with one clear line saying what to load, and nothing
# starts; with it the self-test passes; rmmod ktr_rb_test is refused while a
# self-test runs (ktr.ko holds a module reference), and afterwards `ktr
# selftest` says it is not loaded again; rmmod ktr is refused while
# ktr_rb_test is loaded (it uses ktr.ko's symbols).
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
# (on the debug kernel it runs inside ringbuf-debug.sh, one boot for two)
. ./testlib.sh
test_ko=/lib/ktr/ktr_rb_test.ko

started() { dmesg | grep -c 'ktr_rb_test: selftest: .* mode, '; }
loaded() { grep -q "^$1 " /proc/modules; }
refcnt() { cat "/sys/module/$1/refcnt" 2>/dev/null; }

# not_loaded WHEN: ktr selftest fails (the module answers EOPNOTSUPP) with the
# module's message naming the module to load, starts nothing and leaves the
# modules as they were.
not_loaded() {
	before=$(started)
	mods_before=$(cut -d ' ' -f 1-3 /proc/modules)
	ktr selftest --duration 100ms >out.txt 2>err.txt
	rc=$?
	echo "== $1: ktr selftest: exit $rc: $(cat err.txt)"
	expect_eq "$1: exit status" "$rc" 1
	expect_eq "$1: stderr lines" "$(wc -l <err.txt)" 1
	grep -q 'KTR_CMD_SELFTEST refused: the ring buffer self-test is not loaded: insmod ktr_rb_test.ko' err.txt &&
		ok "$1: the message says to load ktr_rb_test.ko" || bad "$1: message: $(cat err.txt)"
	grep -q 'module older' err.txt && bad "$1: blames the module's age"
	[ -s out.txt ] && bad "$1: printed to stdout: $(cat out.txt)" || ok "$1: nothing on stdout"
	expect_eq "$1: no self-test started" "$(started)" "$before"
	expect_eq "$1: modules unchanged" "$(cut -d ' ' -f 1-3 /proc/modules)" "$mods_before"
	ktr info >/dev/null && ok "$1: ktr still answers" || bad "$1: ktr info failed"
}

# passes WHAT ARGS...: ktr selftest ARGS passes.
passes() {
	what=$1
	shift
	ktr selftest "$@" >pass.txt 2>&1
	rc=$?
	cat pass.txt
	expect_eq "$what: exit status" "$rc" 0
	grep -q '^verdict: *PASS' pass.txt && ok "$what: PASS" || bad "$what: no PASS verdict"
}

loaded ktr && ok "ktr is loaded" || bad "ktr is not loaded"
loaded ktr_rb_test && bad "ktr_rb_test is loaded before the test"
[ -e /sys/module/ktr/parameters/bench ] && bad "ktr.ko has a bench parameter" ||
	ok "ktr.ko has no bench parameter"
not_loaded "without ktr_rb_test"

if insmod $test_ko; then ok "insmod ktr_rb_test.ko"; else bad "insmod ktr_rb_test.ko failed"; fi
[ -e /sys/module/ktr/holders/ktr_rb_test ] && ok "ktr_rb_test holds ktr" ||
	bad "ktr_rb_test is not a holder of ktr"
passes "with ktr_rb_test" --duration 200ms

# rmmod ktr while ktr_rb_test is loaded: refused, both stay.
if err=$(rmmod ktr 2>&1); then
	bad "rmmod ktr succeeded while ktr_rb_test is loaded"
else
	ok "rmmod ktr refused while ktr_rb_test is loaded: $err"
fi
loaded ktr && ok "ktr still loaded" || bad "ktr is gone"
loaded ktr_rb_test && ok "ktr_rb_test still loaded" || bad "ktr_rb_test is gone"
passes "after the refused rmmod ktr" --duration 100ms

# rmmod ktr_rb_test while a self-test runs: refused, the self-test finishes.
expect_eq "ktr_rb_test refcnt when idle" "$(refcnt ktr_rb_test)" 0
ktr selftest --duration 3s >long.txt 2>&1 &
long=$!
waited=0
while [ "$(refcnt ktr_rb_test)" != 1 ] && [ $waited -lt 20 ]; do
	sleep 0.1
	waited=$((waited + 1))
done
expect_eq "ktr_rb_test refcnt while a self-test runs" "$(refcnt ktr_rb_test)" 1
if err=$(rmmod ktr_rb_test 2>&1); then
	bad "rmmod ktr_rb_test succeeded under a running self-test"
else
	ok "rmmod ktr_rb_test refused while a self-test runs: $err"
fi
wait $long
rc=$?
cat long.txt
expect_eq "the running self-test: exit status" "$rc" 0
grep -q '^verdict: *PASS' long.txt && ok "the running self-test passed" || bad "the running self-test did not pass"
expect_eq "ktr_rb_test refcnt after the self-test" "$(refcnt ktr_rb_test)" 0

if rmmod ktr_rb_test; then ok "rmmod ktr_rb_test"; else bad "rmmod ktr_rb_test failed"; fi
loaded ktr_rb_test && bad "ktr_rb_test still loaded"
not_loaded "after rmmod ktr_rb_test"

# Loaded again, it registers again; ktr unloads once it is gone.
if insmod $test_ko; then ok "insmod ktr_rb_test.ko again"; else bad "second insmod failed"; fi
passes "reloaded" --duration 100ms
if rmmod ktr_rb_test; then ok "rmmod ktr_rb_test again"; else bad "second rmmod ktr_rb_test failed"; fi
if rmmod ktr; then ok "rmmod ktr once ktr_rb_test is gone"; else bad "rmmod ktr failed"; fi
done_testing
