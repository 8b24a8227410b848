# The tracers' VM tests on the debug kernel, in one boot (CI time: each
# debug boot and its kmemleak scans cost about 40 s): tracer-wakeup.sh and
# profile.sh (each also runs alone on 6.1) and tracer-unload.sh (alone on
# 6.12), in that order, ktr loaded afresh before each one that needs it.
# KASAN, lockdep, kmemleak and the debug objects watch all three: the
# wakeup tracers' probes, snapshot and deferred notices, the profile
# tracer's pinned timers under CPU hotplug, every tracer's unload.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh --add tests/vm/tracer-wakeup.sh --add tests/vm/profile.sh --add tests/vm/tracer-unload.sh
# kernels: debug
fails=0
for t in tracer-wakeup profile tracer-unload; do
	echo "--- $t.sh"
	if [ ! -d /sys/module/ktr ] && ! insmod /lib/ktr/ktr.ko; then
		echo "FAIL: insmod before $t.sh"
		fails=$((fails + 1))
		continue
	fi
	sh "./$t.sh" || { echo "FAIL: $t.sh"; fails=$((fails + 1)); }
done
[ "$fails" = 0 ] && echo "all checks passed" && exit 0
echo "$fails script(s) failed"
exit 1
