# Harness self-test: a lockdep report (no panic, lockdep only prints and turns
# itself off) fails the run (125). Needs the debug kernel's PROVE_LOCKING.
# kernels: debug
# expect-exit: 125
# expect-stderr: circular locking dependency|debug_locks=0
insmod /lib/ktr/tests/ktr_harness_bug.ko bug=lockdep
exit 0
