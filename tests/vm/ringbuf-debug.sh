# The ring buffer's in-kernel self-tests on the debug kernel, in one boot
# (CI time): ringbuf-selftest.sh (`ktr selftest`) and
# ringbuf-selftest-module.sh (ktr_rb_test.ko on top of ktr.ko), each alone
# on 6.1 and 6.12; ktr loaded afresh before each. KASAN, lockdep and
# kmemleak watch the ring buffer under the self-test's writers and readers.
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh --add tests/vm/lib/group.sh --add tests/vm/ringbuf-selftest.sh --add tests/vm/ringbuf-selftest-module.sh
# kernels: debug
. ./group.sh
run_group ringbuf-selftest ringbuf-selftest-module
