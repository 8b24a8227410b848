# The module-lifetime tests on the debug kernel, in one boot (CI time):
# reload-cycles.sh (unload/load cycles with events enabled) and
# rmmod-busy.sh (rmmod under a half-read dump and while probes fire), ktr
# loaded afresh before each. KASAN, lockdep and kmemleak watch both.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh --add tests/vm/lib/group.sh --add tests/vm/reload-cycles.sh --add tests/vm/rmmod-busy.sh
# kernels: debug
. ./group.sh
run_group reload-cycles rmmod-busy
