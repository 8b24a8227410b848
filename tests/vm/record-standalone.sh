# ktr record streams in-process: with no ktr-read anywhere (removed from the
# guest), it records a command as text (-o -), as JSON Lines and into a
# capture file (ktr.ktr by default with a command, whose own output then has
# stdout to itself) that ktr report reads back with the same events, and
# prints the per-CPU statistics itself.
# kernels: 6.1 6.12
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

rm -f "$(command -v ktr-read)"
command -v ktr-read >/dev/null && bad "ktr-read still found" || ok "no ktr-read in the guest"

ktr record -e sched_process_exec -o - -- /bin/true >rec.txt 2>rec.err; rc=$?
cat rec.err
expect_eq "ktr record exit status" "$rc" 0
grep -q ': sched_process_exec: .*/bin/true' rec.txt && ok "exec of /bin/true recorded (text)" ||
	bad "text: $(cat rec.txt)"
grep -q 'exited with status 0' rec.err && ok "command status reported" || bad "status: $(cat rec.err)"
grep -q '^ktr record: per-CPU statistics' rec.err && ok "statistics printed" || bad "no statistics"
grep -qE '^ *total +[0-9]' rec.err && ok "statistics total row" || bad "no total row"

# With a command and no -o, the command's output has stdout to itself: the
# trace goes to ktr.ktr, as trace-cmd's goes to trace.dat.
rm -f ktr.ktr
ktr record -e sched_process_exec -- sh -c 'echo hello-from-cmd' >own.out 2>own.err; rc=$?
expect_eq "ktr record -- cmd exit status" "$rc" 0
expect_eq "stdout holds the command's output only" "$(cat own.out)" "hello-from-cmd"
grep -q 'the trace goes to ktr.ktr' own.err && ok "stderr says where the trace went" ||
	bad "no note: $(cat own.err)"
ktr report ktr.ktr 2>/dev/null | grep -q ': sched_process_exec: .*sh' &&
	ok "ktr.ktr holds the exec" || bad "ktr.ktr: $(ktr report ktr.ktr 2>&1 | head -3)"

ktr record -e sched_process_exec --json -- /bin/true >rec.json 2>json.err || bad "json: $(cat json.err)"
grep '"event":"sched_process_exec"' rec.json | grep -q '/bin/true"' && ok "exec recorded (JSON)" ||
	bad "json: $(cat rec.json)"

ktr record -e sched_process_exec -e sched_process_exit -o rec.ktr -- sh -c '/bin/true; /bin/ls / >/dev/null' \
	>cap.out 2>cap.err; rc=$?
expect_eq "ktr record -o exit status" "$rc" 0
expect_eq "nothing on stdout with -o" "$(wc -c <cap.out)" 0
ktr report rec.ktr >rep.txt 2>rep.err; rc=$?
cat rep.err
expect_eq "ktr report exit status" "$rc" 0
for f in true ls; do
	grep -q ": sched_process_exec: .*/bin/$f" rep.txt && ok "report: exec of $f" || bad "report: no exec of $f"
done
grep -q 'CPU [01]: [0-9]* events' rep.err && ok "report statistics" || bad "report stats: $(cat rep.err)"
# The same events as the capture as JSON.
expect_eq "report --json: as many events as text lines" \
	"$(ktr report --json rec.ktr 2>/dev/null | grep -c '"event":')" "$(grep -c ': sched_process_e' rep.txt)"

# Straight to CTF (the same pipeline, a CTF sink): the metadata names the
# event, the CPU that ran the exec has a stream of packets (CTF's magic).
ktr record -e sched_process_exec --format ctf -o rec.ctf -- /bin/true >ctf.out 2>ctf.err; rc=$?
expect_eq "ktr record --format ctf exit status" "$rc" 0
grep -q '^/\* CTF 1.8 \*/' rec.ctf/metadata && grep -q 'name = "sched_process_exec";' rec.ctf/metadata &&
	ok "CTF metadata names sched_process_exec" || bad "ctf: $(cat ctf.err; ls rec.ctf)"
s=$(ls rec.ctf/channel0_* 2>/dev/null | head -n 1)
expect_eq "CTF stream magic" "$( [ -n "$s" ] && od -An -tx4 -N4 "$s" | tr -d ' ')" c1fc1fc1
ktr record -e sched_process_exec --format ctf -- /bin/true >/dev/null 2>ctf2.err; rc=$?
expect_eq "--format ctf without -o: usage error" "$rc" 2
# And to Perfetto: a Trace whose first packet (field 1, length-delimited) is
# an ftrace bundle (field 1) of the exec.
ktr record -e sched_process_exec --format perfetto -o rec.pftrace -- /bin/true >/dev/null 2>pf.err
rc=$?
expect_eq "ktr record --format perfetto exit status" "$rc" 0
expect_eq "Perfetto trace starts with a packet" "$(od -An -tx1 -N1 rec.pftrace | tr -d ' ')" 0a
grep -q /bin/true rec.pftrace && ok "Perfetto trace holds the exec's file name" || bad "pf: $(cat pf.err)"

# Without a command: stops after -d.
ktr record -e sched_switch -d 1s >d.txt 2>d.err; rc=$?
expect_eq "ktr record -d exit status" "$rc" 0
[ "$(grep -c ': sched_switch:' d.txt)" -gt 0 ] && ok "sched_switch for 1s" || bad "-d: $(cat d.err)"
done_testing
