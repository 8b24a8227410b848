# Unloading ktr while it is busy, as a careless admin would try it.
# A netlink dump half read: rmmod is refused ("in use": the netlink core
# holds the family's module until the dump ends), ktr keeps answering, the
# dump then ends with every event listed, and rmmod works once it has. A
# kprobe and a kretprobe firing and tracepoint events flowing with nobody
# reading: rmmod removes them (no ktr kprobe left registered), the probed
# code keeps running, and ktr loads again clean. The load between the
# probes' hits sleeps (TCG: code patched while another vCPU runs it in a
# tight loop can stall that vCPU). On the debug kernel KASAN, lockdep and
# kmemleak watch the dump's module reference and the probes' removal.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: none
# (on the debug kernel it runs inside lifetimes-debug.sh; "none": never alone)
. ./testlib.sh

KL=/sys/kernel/debug/kprobes/list
[ -r $KL ] || { bad "no $KL"; done_testing; }

# --- a dump half read --------------------------------------------------------
n_events=$(ktr list | awk 'NR > 1' | grep -c .)	# the header line aside
mkfifo hold
ktr-ctl-probe halfdump <hold >dump.txt 2>&1 &
dp=$!
exec 3>hold
wait_for dump.txt dumping || bad "the dump did not start: $(cat dump.txt)"
rmmod ktr 2>rm.err && bad "rmmod succeeded under a half-read dump" ||
	ok "rmmod refused under a half-read dump: $(cat rm.err)"
[ -d /sys/module/ktr ] && ok "ktr still loaded" || bad "ktr gone"
ktr info >/dev/null && ok "ktr answers meanwhile" || bad "ktr info failed during the dump"
exec 3>&-
wait $dp || bad "the dump failed: $(cat dump.txt)"
got=$(sed -n 's/^events \([0-9]*\) error 0$/\1/p' dump.txt)
[ -n "$got" ] && [ "$got" -ge "$n_events" ] && ok "the dump ended with $got messages ($n_events events listed)" ||
	bad "dump: $(cat dump.txt), ktr list has $n_events"
rmmod ktr && ok "rmmod once the dump ended" || bad "rmmod after the dump"
insmod /lib/ktr/ktr.ko || bad "insmod again"

# --- probes firing, events flowing, nobody reading ---------------------------
ktr probe add 'p:busyopen do_sys_openat2 dfd=%di:s32 path=+0(%si):ustring' >/dev/null ||
	bad "add the kprobe"
ktr probe add 'r:busyopen_ret do_sys_openat2 ret=$retval:s64' >/dev/null || bad "add the kretprobe"
for e in sched_switch sys_enter sys_exit; do ktr enable $e >/dev/null || bad "enable $e"; done
[ "$(grep -c 'do_sys_openat2' $KL)" -ge 2 ] && ok "both probes registered" || bad "kprobes: $(cat $KL)"
(while [ ! -e stop ]; do cat /proc/version >/dev/null; sleep 0.01; done) &
lp=$!
sleep 1
w=$(ktr stat 2>/dev/null | awk '$1 == "total" { gsub(",", "", $3); print $3 }')
[ "${w:-0}" -gt 0 ] && ok "events written while nobody reads ($w)" || bad "nothing written: $(ktr stat)"
rmmod ktr && ok "rmmod while the probes fire" || bad "rmmod while the probes fire"
[ -d /sys/module/ktr ] && bad "ktr still loaded" || ok "ktr gone"
grep -q 'ktr\|busyopen' $KL && bad "a ktr kprobe is left: $(cat $KL)" || ok "no ktr kprobe left"
sleep 0.3
kill -0 $lp 2>/dev/null && ok "the probed code keeps running" || bad "the load died"
touch stop
wait $lp
insmod /lib/ktr/ktr.ko || bad "insmod after the busy rmmod"
ktr probe list | grep -q busyopen && bad "the probes came back" || ok "a clean load: no probe"
ktr list | awk '$1 ~ /sched_switch$/ && $3 == "enabled"' | grep -q . && bad "sched_switch enabled after reload" ||
	ok "a clean load: events off"

done_testing
