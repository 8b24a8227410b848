# The tracers' VM tests on the debug kernel, in one boot (CI time: each
# debug boot and its kmemleak scans cost about 40 s): tracer-wakeup.sh and
# profile.sh (each also runs alone on 6.1) and tracer-unload.sh (alone on
# 6.12), in that order, ktr loaded afresh before each (lib/group.sh).
# KASAN, lockdep, kmemleak and the debug objects watch all three: the
# wakeup tracers' probes, snapshot and deferred notices, the profile
# tracer's pinned timers under CPU hotplug, every tracer's unload.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh --add tests/vm/lib/group.sh --add tests/vm/tracer-wakeup.sh --add tests/vm/profile.sh --add tests/vm/tracer-unload.sh
# kernels: debug
# start-early: yes
. ./group.sh
run_group tracer-wakeup profile tracer-unload
