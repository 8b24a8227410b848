# Harness self-test: a WARN() in the guest fails the run (125).
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# expect-exit: 125
# expect-stderr: WARNING:.*ktr_harness_bug|deliberate WARN
insmod /lib/ktr/tests/ktr_harness_bug.ko bug=warn
exit 0
