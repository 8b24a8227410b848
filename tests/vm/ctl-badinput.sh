# Control plane bad input: every command of the family (old and new,
# the tracer commands too) with missing, oversized, wrongly typed, unknown and
# invalid attributes fails with an errno and an extended-ack message and
# changes nothing; an unprivileged user gets EPERM on every command and
# changes nothing; the "notices" group reports every state change.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

# A state worth protecting: a non-default buffer with events in it, an
# event enabled (exec: nothing execs while the probe runs).
ktr reset >/dev/null 2>&1 || bad "ktr reset"
ktr buffer --subbuf-size 8K --nr-subbufs 4 --mode overwrite >/dev/null 2>&1 || bad "ktr buffer"
ktr marker --count 5 --seq x 2>/dev/null
ktr enable sched_process_exec >/dev/null 2>&1 || bad "enable sched_process_exec"

ktr-ctl-probe badinput >bad.txt 2>&1; rc=$?
grep '^not ok' bad.txt
grep -A30 '^# before' bad.txt | head -40
expect_eq "ktr-ctl-probe badinput exit status" "$rc" 0
n=$(grep -c '^ok' bad.txt)
[ "$n" -ge 150 ] && ok "$n bad-input checks passed" || bad "only $n bad-input checks ran"
grep -q '^ok - SET_BUFFER, 3 sub-buffers (not a power of two): Invalid argument "KTR_BUFFER_NR_SUBBUFS must be a power of two"' bad.txt &&
	ok "messages name the attribute" || bad "SET_BUFFER message: $(grep 'SET_BUFFER, 3 sub' bad.txt)"

# Unprivileged: EPERM everywhere, nothing changes (stats aside: su execs).
ktr-ctl-probe snapshot | grep -v '^cpu' >before.txt
as_nobody ktr-ctl-probe nobody >nobody.txt 2>&1; rc=$?
grep '^not ok' nobody.txt
expect_eq "ktr-ctl-probe nobody exit status" "$rc" 0
expect_eq "EPERM checks" "$(grep -c '^ok' nobody.txt)" 23
for c in start stop reset "buffer --nr-subbufs 2" stat "marker --netlink x"; do
	as_nobody ktr $c >/dev/null 2>err.txt && bad "nobody: ktr $c succeeded" ||
		{ grep -q 'CAP_' err.txt && ok "nobody: ktr $c refused: $(cat err.txt)" || bad "nobody: ktr $c: $(cat err.txt)"; }
done
ktr-ctl-probe snapshot | grep -v '^cpu' >after.txt
cmp -s before.txt after.txt && ok "unprivileged requests changed nothing" || bad "state changed: $(diff before.txt after.txt)"

# Notices.
ktr disable '*' >/dev/null 2>&1
ktr-ctl-probe notices >notices.txt 2>&1; rc=$?
cat notices.txt
expect_eq "ktr-ctl-probe notices exit status" "$rc" 0
ktr reset >/dev/null 2>&1
ktr buffer --subbuf-size 64K --nr-subbufs 8 --mode discard >/dev/null 2>&1
done_testing
