# Harness self-test, the control for the detects-* tests: the same test module
# without a bug loads and unloads and the run passes (0).
insmod /lib/ktr/tests/ktr_harness_bug.ko bug=none || exit 1
rmmod ktr_harness_bug || exit 1
