# A raw event whose module goes away stays re-armed only while nobody turns
# it off: disabled (or reset) while its module is unloaded, it must stay off
# when the module comes back (it used to re-enable itself and record).
# Positive control: left alone, it is re-attached and records again.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

tp=ktr_test_raw
ko=/lib/ktr/tests/ktr_test_tp.ko
fire=/sys/module/ktr_test_tp/parameters/fire
state() { ktr list "raw:$tp" 2>/dev/null | awk -v e="raw:$tp" '$1 == e { print $3 }'; }
# fired WHAT: fire the tracepoint twice while ktr-read runs; print how many
# events of it were recorded.
fired() {
	ktr-read -d 1500ms >"$1.txt" 2>"$1.err" &
	rp=$!
	sleep 0.5
	echo 7 >$fire
	echo 8 >$fire
	wait $rp
	grep -c ": $tp: " "$1.txt"
}

insmod $ko || bad "insmod ktr_test_tp"
ktr attach $tp -n 1 >/dev/null || bad "attach $tp"
expect_eq "events while attached" "$(fired attached)" 2

# 1. Left alone: re-armed when the module comes back (the control).
rmmod ktr_test_tp || bad "rmmod ktr_test_tp"
expect_eq "state without the module" "$(state)" unavailable
insmod $ko || bad "insmod again"
expect_eq "state back, untouched" "$(state)" enabled
expect_eq "events back, untouched" "$(fired untouched)" 2

# 2. Disabled while its module is away: stays off.
rmmod ktr_test_tp || bad "rmmod ktr_test_tp"
ktr disable "raw:$tp" >/dev/null 2>dis.err
cat dis.err
insmod $ko || bad "insmod after disable"
expect_eq "state back after disable" "$(state)" disabled
expect_eq "events back after disable" "$(fired disabled)" 0
ktr enable "raw:$tp" >/dev/null || bad "enable again"
expect_eq "events enabled by hand" "$(fired enabled)" 2

# 3. Reset while its module is away: stays off.
rmmod ktr_test_tp || bad "rmmod ktr_test_tp"
ktr reset >/dev/null || bad "ktr reset"
insmod $ko || bad "insmod after reset"
expect_eq "state back after reset" "$(state)" disabled
expect_eq "events back after reset" "$(fired reset)" 0

# 4. A glob that matches it disables it too ('*', as ktr record's cleanup).
ktr enable "raw:$tp" >/dev/null || bad "enable again"
rmmod ktr_test_tp || bad "rmmod ktr_test_tp"
ktr disable '*' >/dev/null 2>&1
insmod $ko || bad "insmod after disable '*'"
expect_eq "state back after disable '*'" "$(state)" disabled
expect_eq "events back after disable '*'" "$(fired glob)" 0

ktr detach $tp >/dev/null || bad "detach"
rmmod ktr_test_tp || bad "rmmod at the end"
done_testing
