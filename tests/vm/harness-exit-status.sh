# Harness self-test: the script's exit status is vm/run's exit status.
# kernels: 6.1
# expect-exit: 7
exit 7
