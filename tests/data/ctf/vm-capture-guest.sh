# Guest side of tests/data/ctf/record-vm-capture.sh (run by vm/run): record
# scheduler, syscall and interrupt events and markers of a small workload,
# then print the capture in base64 between two marker lines.
set -e
ktr record -e 'sched:*' -e 'raw_syscalls:*' -e 'irq:*' -o /tmp/vm.ktr -- sh -c '
	for i in 1 2 3; do
		echo "workload round $i" >/dev/ktr
		ls / >/dev/null
		cat /proc/version >/dev/null
		sh -c "exit 3" || true
	done' >/dev/null 2>/tmp/rec.err || { cat /tmp/rec.err; exit 1; }
ktr report /tmp/vm.ktr 2>&1 >/dev/null | tail -n 3
echo "BEGIN KTR CAPTURE"
base64 /tmp/vm.ktr
echo "END KTR CAPTURE"
