# Every built-in tracer's lifetime on the kernels where a mistake shows
# (debug: KASAN, lockdep, kmemleak, debug objects): the function tracer
# records a read loop's calls and ktr unloads with it current; then every
# tracer in turn (function, wakeup, wakeup_rt, profile) is set, switched
# away from and back, and ktr unloads with each one current after it ran
# (profile: after cpu1 went offline and came back under it, both CPUs
# sampled again); each load is clean (nop current). Load runs only between the switches
# (TCG: ftrace and static-key patching under hot code can stall a vCPU).
# The harness reads the kernel log for reports after the script.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.12
# (on the debug kernel it runs inside tracers-debug.sh, one boot for three)
. ./testlib.sh

reload() { # reload WHAT: ktr unloads with WHAT current and loads again clean
	rmmod ktr && ok "rmmod ktr with $1 current" || bad "rmmod ktr with $1 current"
	[ -d /sys/module/ktr ] && bad "ktr still loaded after $1" || ok "ktr gone ($1)"
	insmod /lib/ktr/ktr.ko || bad "insmod after $1"
	ktr tracer | grep -qx 'current tracer: nop' && ok "nop after reload ($1)" ||
		bad "after reload ($1): $(ktr tracer)"
}

# The function tracer on a read loop, read back, then unloaded current.
ktr tracer set function --opt filter='vfs_read ksys_read' >set.txt 2>&1 ||
	bad "set function: $(cat set.txt)"
ktr-read -d 2s >rd.txt 2>read.err &
rp=$!
sleep 0.5
for _ in $(seq 50); do cat /proc/version >/dev/null; done
wait $rp || bad "ktr-read: $(cat read.err)"
grep ': function: ' rd.txt | sed -nE 's/.* ip=([a-z_0-9.]+).*/\1/p' >ips.txt
n=$(grep -c '^vfs_read$' ips.txt)
[ "$n" -ge 50 ] && ok "$n vfs_read calls recorded" || bad "only $n vfs_read calls: $(head -n 3 rd.txt)"
grep -vqxE 'vfs_read|ksys_read' ips.txt && bad "outside the filter: $(grep -vxE 'vfs_read|ksys_read' ips.txt | head -n 2)" ||
	ok "nothing outside the filter"
reload function

# Every tracer: set, a little load, away to another and back, unload.
for t in function wakeup wakeup_rt profile; do
	case $t in
	function) opt=filter=vfs_read ;;
	profile) opt=freq=1000 ;;
	*) opt=threshold=0 ;;
	esac
	ktr tracer set "$t" --opt "$opt" >set.txt 2>&1 || bad "set $t: $(cat set.txt)"
	for _ in $(seq 20); do cat /proc/version >/dev/null; sleep 0.01; done
	ktr tracer set nop >/dev/null || bad "set nop after $t"
	ktr tracer set "$t" --opt "$opt" >set.txt 2>&1 || bad "set $t again: $(cat set.txt)"
	for _ in $(seq 20); do cat /proc/version >/dev/null; sleep 0.01; done
	ktr tracer | grep -qx "current tracer: $t" && ok "$t current" || bad "current: $(ktr tracer)"
	if [ "$t" = profile ]; then
		echo 0 >/sys/devices/system/cpu/cpu1/online && ok "cpu1 offline under profile" ||
			bad "cpu1 offline"
		sleep 0.3
		echo 1 >/sys/devices/system/cpu/cpu1/online && ok "cpu1 online under profile" ||
			bad "cpu1 online"
		ktr-read -d 1s >hp.txt 2>/dev/null
		for c in 000 001; do
			[ "$(grep ': sample: ' hp.txt | grep -c "\[$c\]")" -gt 0 ] && ok "samples on CPU $c" ||
				bad "no sample on CPU $c after hotplug"
		done
	fi
	reload "$t"
done

done_testing
