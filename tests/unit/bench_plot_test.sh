#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# bench_plot_test.sh ROOT - the benchmark charts (scripts/bench/plot, gnuplot)
# from the reports' JSON of the made-up guest logs in tests/data/bench/ and
# from made-up read/ringbuf summaries: the SVGs expected are written, name
# every configuration with a result, are drawn by headless Chromium into a
# picture that is not blank (svg_render.sh), and bad input is refused.
set -u
root=$(realpath "$1")
data=$root/tests/data/bench
here=$(cd "$(dirname "$0")" && pwd)
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bad() { echo "FAIL $*"; fails=$((fails + 1)); }

for b in tracers kprobe events; do
	"$root/scripts/bench/$b-report" --json "$tmp/$b.json" "$data/$b.log" >/dev/null ||
		bad "$b-report on $b.log"
done
cp "$data/read.json" "$data/ringbuf.json" "$tmp/"
if ! "$root/scripts/bench/plot" -o "$tmp/svg" "$tmp"/{tracers,kprobe,events,read,ringbuf}.json >"$tmp/list" 2>"$tmp/err"; then
	bad "plot: $(cat "$tmp/err")"
fi
expected="tracers-smp2-syscall tracers-smp2-switch tracers-ratios kprobe-smp2 kprobe-ratios
events-smp2-syscall events-smp2-switch events-ratios read-smp2 read-smp2-max ringbuf-smp2"
for e in $expected; do
	grep -qx "$tmp/svg/$e.svg" "$tmp/list" || bad "plot did not list $e.svg: $(tr '\n' ' ' <"$tmp/list")"
	[ -s "$tmp/svg/$e.svg" ] || bad "no $e.svg"
done
[ "$(wc -l <"$tmp/list")" = "$(echo $expected | wc -w)" ] || bad "plot wrote other charts: $(tr '\n' ' ' <"$tmp/list")"

# has SVG TEXT: a text of the chart (gnuplot writes labels as <text> content).
has() { grep -qF -- "$2" "$tmp/svg/$1.svg" || bad "$1.svg lacks '$2'"; }
lacks() { ! grep -qF -- "$2" "$tmp/svg/$1.svg" || bad "$1.svg has '$2'"; }
has tracers-smp2-syscall "tracers, 2 vCPUs, syscall: median, min..max"
for c in off ktr-function ftrace-function ktr-profile; do has tracers-smp2-syscall ">$c<"; done
lacks tracers-smp2-switch ">ktr-wakeup<"       # unavailable: never a bar
has tracers-ratios "function (2 vCPUs)"
has tracers-ratios "aim (0.5)"
has read-smp2 "trace-cmd record"
has ringbuf-smp2 ">off ktr<"
lacks ringbuf-smp2 ">pages ktr<"               # no figure: no bar
[ "$fails" = 0 ] && echo "ok   plot wrote the expected charts"

# A flood (RATES=max only): no offered rate for an axis, one bar per consumer.
printf '%s' '{"benchmark": "read", "summary": [
 {"vcpus": 2, "consumer": "ktr-read -o FILE", "rates": [{"rate": "max", "received_per_s_median": 90147, "lost_max": 2364332}]},
 {"vcpus": 2, "consumer": "trace-cmd record -o FILE", "rates": [{"rate": "max", "received_per_s_median": 567832, "lost_max": 179342}]}]}' >"$tmp/flood.json"
if ! "$root/scripts/bench/plot" -o "$tmp/svg" "$tmp/flood.json" >"$tmp/list" 2>"$tmp/err"; then
	bad "plot of a flood: $(cat "$tmp/err")"
elif [ "$(cat "$tmp/list")" != "$tmp/svg/flood-smp2-max.svg" ]; then
	bad "plot of a flood wrote: $(tr '\n' ' ' <"$tmp/list")"
else
	has flood-smp2-max "events/s received under a flood"
	has flood-smp2-max ">ktr-read -o FILE<"
	has flood-smp2-max ">trace-cmd record -o FILE<"
fi

bash "$here/svg_render.sh" "$tmp"/svg/*.svg || fails=$((fails + 1))

# Bad input: a clear message, exit 1, nothing written.
printf '{"benchmark": "nope"}' >"$tmp/unknown.json"
printf '{"benchmark": "events", "summary": []}' >"$tmp/empty.json"
printf '{"benchmark": ' >"$tmp/broken.json"
printf '{"benchmark": "read", "summary": [{"vcpus": 2, "rates": [{"rate": "x1", "received_per_s_median": 5}]}]}' >"$tmp/malformed.json"
for f in unknown empty broken missing malformed; do
	if "$root/scripts/bench/plot" -o "$tmp/bad" "$tmp/$f.json" >"$tmp/out" 2>&1; then
		bad "plot accepted $f.json"
	elif ! grep -q "^plot: " "$tmp/out"; then
		bad "plot on $f.json said: $(cat "$tmp/out")"
	elif [ -n "$(ls -A "$tmp/bad" 2>/dev/null)" ]; then
		bad "plot on $f.json wrote $(ls "$tmp/bad")"
	else
		echo "ok   plot refuses $f.json: $(head -n 1 "$tmp/out")"
	fi
done
"$root/scripts/bench/plot" --bogus >"$tmp/out" 2>&1 && bad "plot accepted --bogus"
grep -q "unknown option '--bogus'" "$tmp/out" || bad "plot --bogus said: $(cat "$tmp/out")"

[ "$fails" = 0 ] && echo "all passed" || echo "$fails failed"
[ "$fails" = 0 ]
