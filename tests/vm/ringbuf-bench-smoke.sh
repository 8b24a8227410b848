# The ring buffer benchmark (ktr_rb_test.ko bench=1, scripts/bench/README.md),
# with ktr.ko loaded by the harness: a 1 s cycle per reader prints one
# well-formed report line with errors=0 and total=hit; rmmod ktr_rb_test in
# the middle of a run is clean; bad bench_* parameters are refused (EINVAL)
# with a message naming them; ktr.ko itself has no bench parameter any more.
# Timings are never asserted.
# kernels: 6.1 6.12
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh
ko=/lib/ktr/ktr_rb_test.ko
[ -e /sys/module/ktr/parameters/bench ] && bad "ktr.ko still has a bench parameter" ||
	ok "ktr.ko has no bench parameter"
num() { case $1 in '' | *[!0-9]*) return 1 ;; esac; }
# field KEY: the value of KEY= in $line
field() { echo "$line" | sed -nE "s/.* $1=([^ ]*).*/\1/p"; }
# since MARK: the kernel log after the line MARK
since() { dmesg | sed -n "/$1/,\$p"; }

for reader in 0 1 2; do
	name=$(echo none events pages | cut -d ' ' -f $((reader + 1)))
	mark="bench-smoke-$reader-$$"
	echo "$mark" >/dev/kmsg
	if ! insmod $ko bench=1 bench_reader=$reader bench_seconds=1; then
		bad "reader=$reader: insmod failed"
		continue
	fi
	line="" waited=0
	while [ $waited -lt 30 ]; do
		line=$(since "$mark" | grep -m 1 'ktr-bench: reader=.*time_us=')
		[ -n "$line" ] && break
		since "$mark" | grep -q 'ktr-bench: error' && break
		sleep 1
		waited=$((waited + 1))
	done
	since "$mark" | grep 'ktr-bench'
	if [ -z "$line" ]; then
		bad "reader=$reader: no report line"
	else
		line=" ${line#*ktr-bench: }"
		fields=ok
		for k in time_us hit missed overruns read entries total errors; do
			num "$(field $k)" || { bad "reader=$reader: $k='$(field $k)' is not a number"; fields=bad; }
		done
		[ $fields = ok ] && ok "reader=$reader: the fields parse"
		time_us=$(field time_us) hit=$(field hit) read=$(field read) total=$(field total) errors=$(field errors)
		expect_eq "reader=$reader: reader" "$(field reader)" "$name"
		expect_eq "reader=$reader: clock" "$(field clock)" local_clock
		expect_eq "reader=$reader: errors" "$errors" 0
		[ "${hit:-0}" -gt 0 ] 2>/dev/null && ok "reader=$reader: hit=$hit > 0" || bad "reader=$reader: hit='$hit'"
		expect_eq "reader=$reader: total (entries + overruns + read)" "$total" "$hit"
		[ "${time_us:-0}" -ge 1000000 ] 2>/dev/null && ok "reader=$reader: ran >= 1 s" || bad "reader=$reader: time_us='$time_us'"
		if [ $reader = 0 ]; then
			expect_eq "reader=$reader: read" "$read" 0
		else
			[ "${read:-0}" -gt 0 ] 2>/dev/null && ok "reader=$reader: read=$read > 0" || bad "reader=$reader: read='$read'"
		fi
	fi
	if rmmod ktr_rb_test; then ok "reader=$reader: rmmod"; else bad "reader=$reader: rmmod failed"; fi
done

# rmmod ktr_rb_test in the middle of a run stops both kthreads and frees the buffer.
mark="bench-smoke-stop-$$"
echo "$mark" >/dev/kmsg
if insmod $ko bench=1 bench_reader=1 bench_seconds=60; then
	sleep 1
	if rmmod ktr_rb_test; then ok "rmmod during a run"; else bad "rmmod during a run failed"; fi
	since "$mark" | grep -q 'ktr-bench: error: stopped by rmmod' && ok "the interrupted run says so" ||
		bad "no 'stopped by rmmod' line"
	since "$mark" | grep -q 'ktr-bench: reader=' && bad "an interrupted run printed a report"
else
	bad "insmod bench_seconds=60 failed"
fi

for args in bench=2 bench_reader=3 bench_write_iteration=0 bench_seconds=0 \
	bench_producer_nice=20 bench_consumer_nice=-21; do
	if err=$(insmod $ko $args 2>&1); then
		bad "insmod $args was accepted"
		rmmod ktr_rb_test
	else
		case $err in *"Invalid argument"*) ok "insmod $args refused: EINVAL" ;; *) bad "insmod $args: '$err'" ;; esac
	fi
	grep -q '^ktr_rb_test ' /proc/modules && bad "$args: module stayed loaded"
	dmesg | tail -n 3 | grep -q "ktr_rb_test: ${args%%=*}=" && ok "$args: the kernel log names it" ||
		bad "$args: no clear message in the kernel log"
done
done_testing
