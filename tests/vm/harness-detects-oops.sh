# Harness self-test: a kernel oops/panic in the guest fails the run (125) and
# vm/run prints the console log tail, even though this script would exit 0.
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# expect-exit: 125
# expect-stderr: sysrq|Kernel panic
echo c >/proc/sysrq-trigger
exit 0
