# sched_switch against an oracle: ftrace's own sched:sched_switch sits on the
# same tracepoint call as ktr's probe, so while both are enabled they must see
# the same switches in the same order on every CPU. ftrace is enabled first
# and disabled last, so on each CPU ktr's sequence of (prev_comm, prev_pid,
# next_comm, next_pid) must be one contiguous run of ftrace's, event for
# event, over a workload with thousands of switches on both CPUs, with
# neither tracer losing anything (ktr-read's and ktr.ko's lost counters,
# ftrace's per-CPU overrun / dropped events / commit overrun).
# kernels: 6.1 6.12
# vm-args: --smp 2 --timeout 300 --add tests/vm/lib/testlib.sh
. ./testlib.sh

T=/sys/kernel/tracing
MIN_EVENTS=1000	# per CPU, in ktr's sequence

# ftrace: a big buffer (nothing may be overwritten), sched_switch only.
echo 0 >$T/tracing_on
echo nop >$T/current_tracer
echo 0 >$T/events/enable
echo 8192 >$T/buffer_size_kb
echo 0 >$T/options/overwrite	# a full buffer would count "dropped events", not overwrite silently
echo >$T/trace
echo 1 >$T/events/sched/sched_switch/enable
echo 1 >$T/tracing_on

ktr-read --json >ktr.jsonl 2>ktr.err &
rp=$!
sleep 0.5
ktr enable sched_switch 2>en.err || bad "ktr enable sched_switch: $(cat en.err)"

# The workload: a pipe ping-pong pinned to each CPU (two switches per round
# trip), plus short-lived processes.
ktr-bench-events switch --cpu 0 --iterations 2000 --reps 1 >pp0.txt 2>&1 &
p0=$!
ktr-bench-events switch --cpu 1 --iterations 2000 --reps 1 >pp1.txt 2>&1 &
p1=$!
for _ in 1 2 3 4 5; do sh -c 'ls / >/dev/null'; done
wait $p0 || bad "ping-pong on CPU 0: $(cat pp0.txt)"
wait $p1 || bad "ping-pong on CPU 1: $(cat pp1.txt)"

ktr disable sched_switch 2>dis.err || bad "ktr disable sched_switch: $(cat dis.err)"
sleep 0.5
kill -INT $rp
wait $rp || bad "ktr-read exit status: $(cat ktr.err)"
echo 0 >$T/tracing_on
echo 0 >$T/events/sched/sched_switch/enable
cat ktr.err

# --- losses: none on either side ------------------------------------------------
awk '$1 == "total" && $5 == "|" { print "ktr-read lost", $4; print "kernel lost_full", $7;
	print "kernel overwritten", $8; print "kernel nesting", $9; print "kernel disabled", $10 }' ktr.err >ktr.lost
expect_eq "ktr-read statistics found" "$(grep -c . ktr.lost)" 5
while read -r who what n; do expect_eq "$who $what" "$n" 0; done <ktr.lost
expect_eq "lost markers in ktr's stream" "$(grep -c '"lost":' ktr.jsonl)" 0
for c in 0 1; do
	s=$T/per_cpu/cpu$c/stats
	cat $s
	for k in overrun 'commit overrun' 'dropped events'; do
		expect_eq "ftrace cpu$c $k" "$(sed -n "s/^$k: //p" $s)" 0
	done
done

# --- the sequences, one line per switch: prev_comm|prev_pid|next_comm|next_pid --
awk -v dir=. '
function jget(k,   i, rest) {
	i = index($0, "\"" k "\":")
	if (!i) return ""
	rest = substr($0, i + length(k) + 3)
	if (substr(rest, 1, 1) == "\"") { rest = substr(rest, 2); return substr(rest, 1, index(rest, "\"") - 1) }
	match(rest, /^-?[0-9]+/)
	return substr(rest, 1, RLENGTH)
}
/"event":"sched_switch"/ {
	print jget("prev_comm") "|" jget("prev_pid") "|" jget("next_comm") "|" jget("next_pid") >(dir "/ktr.cpu" jget("cpu"))
}' ktr.jsonl
for c in 0 1; do
	: >>ktr.cpu$c
	awk '/: sched_switch: / {
		a = index($0, "prev_comm="); b = index($0, " prev_pid="); x = index($0, " next_comm="); y = index($0, " next_pid=")
		pc = substr($0, a + 10, b - a - 10)
		pp = substr($0, b + 10); sub(/ .*/, "", pp)
		nc = substr($0, x + 11, y - x - 11)
		np = substr($0, y + 10); sub(/ .*/, "", np)
		print pc "|" pp "|" nc "|" np
	}' $T/per_cpu/cpu$c/trace >ftrace.cpu$c
	nk=$(grep -c . ktr.cpu$c)
	nf=$(grep -c . ftrace.cpu$c)
	echo "cpu$c: ktr $nk switches, ftrace $nf"
	[ "$nk" -ge $MIN_EVENTS ] && ok "cpu$c: ktr recorded $nk switches (>= $MIN_EVENTS)" ||
		bad "cpu$c: ktr recorded only $nk switches (want >= $MIN_EVENTS)"
	[ "$nf" -ge "$nk" ] && ok "cpu$c: ftrace saw at least as many ($nf)" || bad "cpu$c: ftrace saw $nf < ktr's $nk"
	# Where in ftrace's sequence does ktr's start, so that every event matches?
	# Prints the 1-based offset, or "none BEST_START BEST_LEN" (the longest match).
	res=$(awk 'NR == FNR { k[++nk] = $0; next } { f[++nf] = $0 }
		END {
			if (nk == 0) { print "none 0 0"; exit }
			best = 0; bs = 0
			for (s = 1; s + nk - 1 <= nf; s++) {
				if (f[s] != k[1]) continue
				for (i = 1; i <= nk && f[s + i - 1] == k[i]; i++) ;
				if (i > nk) { print s; exit }
				if (i - 1 > best) { best = i - 1; bs = s }
			}
			print "none", bs, best
		}' ktr.cpu$c ftrace.cpu$c)
	case $res in
	none*)
		set -- $res
		bad "cpu$c: ktr's $nk switches are not a contiguous run of ftrace's $nf (longest match: $3 events from ftrace #$2)"
		if [ "$2" -gt 0 ]; then
			echo "first difference, ktr #$(($3 + 1)) against ftrace #$(($2 + $3)) (prev_comm|prev_pid|next_comm|next_pid):"
			echo "--- ktr"
			sed -n "$(($3 > 2 ? $3 - 2 : 1)),$(($3 + 4))p" ktr.cpu$c
			echo "--- ftrace"
			sed -n "$(($2 + $3 > 3 ? $2 + $3 - 3 : 1)),$(($2 + $3 + 3))p" ftrace.cpu$c
		else
			echo "ktr's first switch, found nowhere in ftrace's: $(head -n 1 ktr.cpu$c)"
			echo "ftrace's first three:"; head -n 3 ftrace.cpu$c
		fi
		;;
	*)
		ok "cpu$c: ktr's $nk switches = ftrace's #$res..#$((res + nk - 1)) of $nf, event for event" ;;
	esac
done

echo 1 >$T/options/overwrite
done_testing
