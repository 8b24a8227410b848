# The module-lifetime tests on the debug kernel, in one boot (CI time):
# reload-cycles.sh (unload/load cycles with events enabled),
# rmmod-busy.sh (rmmod under a half-read dump and while probes fire) and
# cycles.sh (enable/disable and filter cycles under load), ktr loaded
# afresh before each. KASAN, lockdep and kmemleak watch all three.
# vm-args: --smp 2 --timeout 600 --add tests/vm/lib/testlib.sh --add tests/vm/lib/group.sh --add tests/vm/reload-cycles.sh --add tests/vm/rmmod-busy.sh --add tests/vm/cycles.sh
# kernels: debug
# start-early: yes
. ./group.sh
run_group reload-cycles rmmod-busy cycles
