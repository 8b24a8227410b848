# ktr.ko unloaded and loaded again CYCLES times on the debug kernel, where
# kmemleak, KASAN and lockdep watch every cycle, with events enabled each
# time: each load starts clean (nop current, nothing enabled), records the
# enabled events of a small workload, and unloads with them still enabled;
# every 5th cycle a kprobe is added too and a reader streams and sees the
# probe's hits and the tracepoint events. 10 cycles here (CI time: a
# cycle is ~2.5 s of guest time on the debug kernel, ~1.1 s on 6.1); the
# first argument asks for more (e.g. 100).
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: none
# (on the debug kernel it runs inside lifetimes-debug.sh; "none": never alone)
. ./testlib.sh

cycles=${1:-10}
ko=/lib/ktr/ktr.ko

clean=0 recorded=0 unloaded=0 probed=0 streamed=0
i=1
while [ $i -le $cycles ]; do
	rmmod ktr 2>rm.err || { bad "cycle $i: rmmod: $(cat rm.err)"; break; }
	unloaded=$((unloaded + 1))
	insmod $ko 2>in.err || { bad "cycle $i: insmod: $(cat in.err)"; break; }
	if ktr tracer | grep -qx 'current tracer: nop' &&
		[ "$(ktr list | awk '$3 == "enabled" && $1 !~ /^ktr:/' | wc -l)" = 0 ]; then
		clean=$((clean + 1))
	else
		bad "cycle $i: not a clean load: $(ktr tracer; ktr list | awk '$3 == "enabled"')"
	fi
	for e in sched_switch sys_enter sys_exit; do ktr enable $e >/dev/null || bad "cycle $i: enable $e"; done
	if [ $((i % 5)) = 0 ]; then
		ktr probe add "p:cyc$i do_sys_openat2 dfd=%di:s32" >/dev/null && probed=$((probed + 1)) ||
			bad "cycle $i: probe add"
		ktr-read -d 500ms >rd.txt 2>/dev/null &
		rp=$!
	fi
	cat /proc/version >/dev/null
	cat /proc/version >/dev/null
	w=$(ktr stat 2>/dev/null | awk '$1 == "total" { gsub(",", "", $3); print $3 }')
	[ "${w:-0}" -gt 0 ] && recorded=$((recorded + 1)) || bad "cycle $i: nothing written"
	if [ $((i % 5)) = 0 ]; then
		wait $rp
		grep -q ": cyc$i: " rd.txt && grep -q ': sys_enter: ' rd.txt && streamed=$((streamed + 1)) ||
			bad "cycle $i: the reader saw no probe hit or sys_enter: $(head -n 3 rd.txt)"
	fi
	i=$((i + 1))
done
expect_eq "unloaded with events enabled" "$unloaded" "$cycles"
expect_eq "clean loads" "$clean" "$cycles"
expect_eq "loads that recorded" "$recorded" "$cycles"
expect_eq "cycles with a kprobe" "$probed" $((cycles / 5))
expect_eq "cycles whose reader saw the kprobe and sys_enter" "$streamed" $((cycles / 5))

done_testing
