# Harness self-test: a use-after-free is caught by KASAN and fails the run
# (125). Needs the debug kernel.
# kernels: debug
# expect-exit: 125
# expect-stderr: KASAN
insmod /lib/ktr/tests/ktr_harness_bug.ko bug=uaf
exit 0
