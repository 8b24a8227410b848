# The data-plane tests on the debug kernel, in one boot (CI time):
# stream-badinput.sh (bad requests, wakeups, streams closed under load) and
# stream-markers.sh (markers through streams and capture files), each alone
# on 6.1 and 6.12; ktr loaded afresh before each. KASAN, lockdep and
# kmemleak watch mmap, get/put, the wakeup hook and release.
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh --add tests/vm/lib/group.sh --add tests/vm/stream-badinput.sh --add tests/vm/stream-markers.sh
# kernels: debug
. ./group.sh
run_group stream-badinput stream-markers
