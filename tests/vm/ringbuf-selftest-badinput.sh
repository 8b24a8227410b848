# ktr selftest with parameters the module (or the CLI) must refuse: each
# fails with one line naming what is wrong, and no self-test starts. A
# second self-test while one runs is refused with EBUSY.
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh
insmod /lib/ktr/ktr_rb_test.ko || { echo "FAIL: insmod ktr_rb_test.ko"; exit 1; }

started() { dmesg | grep -c 'ktr_rb_test: selftest: .* mode, '; }

# refused WANT_EXIT REGEX ARGS...: ktr selftest ARGS fails with exit
# WANT_EXIT, one line on stderr matching REGEX, nothing on stdout.
refused() {
	want=$1
	re=$2
	shift 2
	ktr selftest "$@" >out.txt 2>err.txt
	rc=$?
	echo "== ktr selftest $*: exit $rc: $(cat err.txt)"
	expect_eq "[$*] exit status" "$rc" "$want"
	expect_eq "[$*] stderr lines" "$(wc -l <err.txt)" 1
	grep -qE "$re" err.txt && ok "[$*] message matches /$re/" || bad "[$*] message does not match /$re/"
	[ -s out.txt ] && bad "[$*] printed to stdout" || ok "[$*] nothing on stdout"
}

before=$(started)
# Checked by the module: its extack message names the attribute.
refused 1 'power of two.*|SUBBUF_SIZE.*power of two' --subbuf-size 5000
refused 1 'NR_SUBBUFS must be a power of two' --subbufs 3
refused 1 'out of range.*KTR_ATTR_SELFTEST_SUBBUF_SIZE' --subbuf-size 2048
refused 1 'out of range.*KTR_ATTR_SELFTEST_SUBBUF_SIZE' --subbuf-size 8388608
refused 1 'out of range.*KTR_ATTR_SELFTEST_NR_SUBBUFS' --subbufs 1
refused 1 'out of range.*KTR_ATTR_SELFTEST_NR_SUBBUFS' --subbufs 8192
refused 1 'out of range.*KTR_ATTR_SELFTEST_DURATION_MS' --duration 5ms
refused 1 'out of range.*KTR_ATTR_SELFTEST_DURATION_MS' --duration 61s
refused 1 'exceeds 64 MiB per CPU' --subbuf-size 4194304 --subbufs 4096
# Checked by the CLI before anything is sent: usage errors.
refused 2 "unknown buffer mode 'sideways'" --mode sideways
refused 2 'subbuf-size' --subbuf-size 4k
refused 2 'subbufs' --subbufs -2
refused 2 'duration' --duration 2
expect_eq "no self-test started by bad input" "$(started)" "$before"

# One at a time: a second request while one runs gets EBUSY.
ktr selftest --duration 3s >first.txt 2>&1 &
first=$!
sleep 1
ktr selftest --duration 100ms >second.txt 2>&1
rc=$?
wait $first
rc_first=$?
cat second.txt
expect_eq "second self-test exit status" "$rc" 1
grep -q 'already running' second.txt && ok "second is told one is already running" ||
	bad "second: $(cat second.txt)"
grep -q 'Device or resource busy' second.txt && ok "the error is EBUSY" || bad "not EBUSY"
expect_eq "first self-test exit status" "$rc_first" 0
grep -q '^verdict: *PASS' first.txt && ok "first passed" || bad "first: $(cat first.txt)"
done_testing
