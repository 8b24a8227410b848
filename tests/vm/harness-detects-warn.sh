# Harness self-test: a WARN() in the guest fails the run (125).
# expect-exit: 125
# expect-stderr: WARNING:.*ktr_harness_bug|deliberate WARN
insmod /lib/ktr/tests/ktr_harness_bug.ko bug=warn
exit 0
