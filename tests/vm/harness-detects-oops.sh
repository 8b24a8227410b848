# Harness self-test: a kernel oops/panic in the guest fails the run (125) and
# vm/run prints the console log tail, even though this script would exit 0.
# expect-exit: 125
# expect-stderr: sysrq|Kernel panic
echo c >/proc/sysrq-trigger
exit 0
