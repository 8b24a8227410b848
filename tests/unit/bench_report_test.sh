#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench_report_test.sh ROOT - the benchmark reports (scripts/bench/*-report
# over scripts/bench/lib/report.awk) on made-up guest logs
# (tests/data/bench/): the figures they print and write as JSON, the rounds
# a BENCH-ERROR names left out, unavailable configurations never a number,
# and bad command lines refused.
set -u
root=$(realpath "$1")
data=$root/tests/data/bench
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# expect NAME FILE REGEX: a line of FILE matches the extended REGEX.
expect() {
	if grep -qE -- "$3" "$2"; then
		echo "ok   $1"
	else
		echo "FAIL $1: no line matches '$3' in:"
		sed 's/^/     /' "$2"
		fails=$((fails + 1))
	fi
}
# reject NAME FILE REGEX: no line of FILE matches.
reject() {
	if grep -qE -- "$3" "$2"; then
		echo "FAIL $1: a line matches '$3':"
		grep -E -- "$3" "$2" | sed 's/^/     /'
		fails=$((fails + 1))
	else
		echo "ok   $1"
	fi
}
# run NAME REPORT LOG: the table into $tmp/NAME.txt, the JSON into $tmp/NAME.json.
run() {
	if ! "$root/scripts/bench/$2" --json "$tmp/$1.json" "$data/$3" >"$tmp/$1.txt" 2>"$tmp/$1.err"; then
		echo "FAIL $1: $2 exited with $?: $(cat "$tmp/$1.err")"
		fails=$((fails + 1))
	fi
	# python3 comes with `make deps`: its JSON parser is the strict one.
	python3 -m json.tool "$tmp/$1.json" >/dev/null 2>"$tmp/$1.jerr" ||
		{ echo "FAIL $1: the JSON does not parse: $(cat "$tmp/$1.jerr")"; fails=$((fails + 1)); }
}

# --- tracers: rounds 1-2 kept, round 3 left out --------------------------------
run tracers tracers-report tracers.log
t=$tmp/tracers.txt j=$tmp/tracers.json
expect "tracers: round 3 is left out" "$t" '^rounds left out .*: 3$'
# off: samples 990 1000 1010 1100 (round 3's 1000 left out): median 1005.
expect "tracers: off's median over the kept samples" "$t" '^  off +1005\.0 +990\.0\.\.1100\.0 '
# ktr-function minus off per round: 400, 500 -> 450; round 3's 9999 never counts.
expect "tracers: ktr-function added, paired by round" "$t" '^  ktr-function +1405\.0 +1390\.0\.\.1600\.0 +\+450\.0 +\+400\.0\.\.\+500\.0 +\+400\.0 +\+44\.8 +200000 +0$'
expect "tracers: ftrace-function added" "$t" '^  ftrace-function +1910\.0 .* \+900\.0 +\+900\.0\.\.\+900\.0 +\+890\.0 '
expect "tracers: the function ratio and the aim" "$t" 'ktr added / ftrace added: 0\.50 \(ktr \+450\.0 ns, ftrace \+900\.0 ns\); best: 0\.45 .*within the aim'
expect "tracers: a missing tracer is unavailable" "$t" '^  ktr-wakeup +unavailable'
reject "tracers: no figure from the left-out round" "$t" '9999'
expect "tracers: the filter name in the header" "$t" 'filtered to __do_sys_getppid; profile at 99 Hz'
expect "tracers: the JSON ratio" "$j" '"ktr_added_over_ftrace_added": 0\.50, "best_ktr_added_over_ftrace_added": 0\.45'
expect "tracers: the JSON marks round 3 excluded" "$j" '"round": 3, .*"excluded": true'
expect "tracers: the JSON keeps wakeup unavailable" "$j" '"ktr-wakeup": \{"status": "unavailable"\}'
expect "tracers: the JSON lists the rounds left out" "$j" '"rounds_left_out": \[3\]'

# --- read: the kernel-side flood, consumer CPU time per million events ----------
run read read-report read.log
t=$tmp/read.txt j=$tmp/read.json
# ktr: 0.3 s / 3M and 0.2 s / 2M -> 100 ms per M; trace-cmd: 0.6 / 2.9976M, 0.4 / 2M -> 200.1.
expect "read: CPU per million events and the ratio" "$t" '^ +max +ktr-file +100\.0 ms \[ 10\.0\] +tc-record +200\.1 ms \[ 20\.0\] +file ktr/trace-cmd 0\.50$'
expect "read: the lossy trace-cmd run counts" "$t" '^ +2 +max \| +1000000 +0 \| +999600 +2400$'
expect "read: the producer said" "$t" 'producer: a getppid\(\) loop on CPU 0'
expect "read: the JSON ratio" "$j" '"cpu_per_million_events_at_highest_step": 0\.50'
expect "read: the JSON per run" "$j" '"cpu_ms_per_million_events": 100\.0, "cpu_percent": 10\.0'

# --- kprobe: round 2 left out ---------------------------------------------------
run kprobe kprobe-report kprobe.log
t=$tmp/kprobe.txt j=$tmp/kprobe.json
expect "kprobe: round 2 is left out" "$t" '^rounds left out .*: 2$'
expect "kprobe: entry ratio" "$t" 'entry: ktr added / ftrace added: 0\.44 \(ktr \+400\.0 ns, ftrace \+900\.0 ns\)'
expect "kprobe: mid without ftrace has no ratio" "$t" 'mid: ktr added / ftrace added: no ratio \(no result for ftrace-mid\)'
expect "kprobe: ktr's own view under the table" "$t" 'ktr-entry as ktr lists it .*mechanism ftrace, hits per loop 5'
expect "kprobe: the JSON marks round 2 excluded" "$j" '"round": 2, .*"excluded": true'

# --- events: round 2 left out, ktr's switch events unavailable ------------------
run events events-report events.log
t=$tmp/events.txt j=$tmp/events.json
expect "events: round 2 is left out" "$t" '^rounds left out .*: 2$'
expect "events: off's median without round 2" "$t" '^  off +1000\.0 +990\.0\.\.1010\.0 '
expect "events: the ktr/ftrace ratio" "$t" 'ktr added / ftrace added: 0\.44 \(ktr 400\.0 ns, ftrace 900\.0 ns\)'
expect "events: above the floor" "$t" 'above the floor .*ktr \+200\.0 ns, ftrace \+700\.0 ns, ratio 0\.29'
expect "events: unavailable switch events" "$t" '^  ktr +unavailable'
expect "events: the JSON marks round 2 excluded" "$j" '"round": 2, .*"excluded": true'

# --- bad command lines ------------------------------------------------------------
for r in tracers-report kprobe-report events-report; do
	if "$root/scripts/bench/$r" >"$tmp/usage.out" 2>&1; then
		echo "FAIL $r with no log: exit 0"
		fails=$((fails + 1))
	else
		expect "$r with no log says how to call it" "$tmp/usage.out" "^usage: $r "
	fi
	if "$root/scripts/bench/$r" --bogus "$data/tracers.log" >"$tmp/usage.out" 2>&1; then
		echo "FAIL $r --bogus: exit 0"
		fails=$((fails + 1))
	else
		expect "$r refuses an unknown option" "$tmp/usage.out" "unknown option '--bogus'"
	fi
done

[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" = 0 ]
