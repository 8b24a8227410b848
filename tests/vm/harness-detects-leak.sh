# Harness self-test: memory leaked by a module is found by the harness's
# final kmemleak scan and fails the run (125). Needs the debug kernel.
# kernels: debug
# expect-exit: 125
# expect-stderr: kmemleak
insmod /lib/ktr/tests/ktr_harness_bug.ko bug=leak
exit 0
