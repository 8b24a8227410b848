# Harness self-test: a guest that never finishes is stopped at --timeout with
# a clear message and status 124.
# kernels: 6.1
# vm-args: --timeout 20
# expect-exit: 124
# expect-stderr: did not finish within 20 s
sleep 1000
