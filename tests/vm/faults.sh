# Faults a lab machine really sees, while events flow (issue 14):
# A. a CPU taken offline and back while ktr-read streams: every event the
#    offlined CPU buffered is delivered, nothing is lost without being
#    counted, the CPU is traced again once back online;
# B. a reader killed with SIGKILL while it holds a sub-buffer, and while it
#    is blocked in GET: the stream is released, a new reader starts, and
#    the accounting stays exact (held + read afterwards = written);
# Each part starts with ktr.ko freshly loaded, so its counters start at zero.
# Memory pressure is tests/vm/faults-memory.sh.
# kernels: 6.1 debug
# (debug: hotplug and killed readers are lifetimes KASAN and lockdep can see into)
# vm-args: --mttcg --smp 2 --module-args 'subbuf_size=4096 nr_subbufs=64' --add tests/vm/lib/testlib.sh
. ./testlib.sh
ARGS="subbuf_size=4096 nr_subbufs=64"
reload() { rmmod ktr && insmod /lib/ktr/ktr.ko $ARGS || bad "reload ktr.ko"; }
# row FILE CPU: the "events lost written" of ktr-read's statistics row for CPU.
row() { awk -v c="$2" '$1 == c { print $2, $4, $6 }' "$1"; }

# --- A. CPU hotplug while streaming -------------------------------------------
ON=/sys/devices/system/cpu/cpu1/online
if [ ! -w $ON ]; then
	bad "no $ON: this kernel cannot take CPU 1 offline"
else
	ktr-read --flush-interval 50ms >a.txt 2>a.err &
	rp=$!
	sleep 1
	taskset -c 1 ktr marker --count 500 --seq before 2>/dev/null || bad "markers on CPU 1"
	echo 0 >$ON && ok "CPU 1 offline while streaming" || bad "cannot offline CPU 1"
	expect_eq "CPU 1 is offline" "$(cat $ON)" 0
	# What CPU 1 buffered is delivered while it is offline (flushed from CPU 0).
	i=0
	while [ $i -lt 50 ] && [ "$(grep -c 'marker: before ' a.txt)" != 500 ]; do sleep 0.1; i=$((i + 1)); done
	expect_eq "markers of the offlined CPU read while it is offline" "$(grep -c 'marker: before ' a.txt)" 500
	taskset -c 0 ktr marker --count 200 --seq during 2>/dev/null || bad "markers on CPU 0"
	# The offline CPU must not hold the others back: CPU 0's markers come live.
	i=0
	while [ $i -lt 50 ] && [ "$(grep -c 'marker: during ' a.txt)" != 200 ]; do sleep 0.1; i=$((i + 1)); done
	expect_eq "CPU 0's markers read live while CPU 1 is offline" "$(grep -c 'marker: during ' a.txt)" 200
	echo 1 >$ON && ok "CPU 1 back online" || bad "cannot online CPU 1"
	sleep 0.5
	taskset -c 1 ktr marker --count 300 --seq after 2>/dev/null || bad "markers on CPU 1 after online"
	sleep 0.5
	kill -INT $rp
	wait $rp
	expect_eq "ktr-read across the hotplug exits cleanly" "$?" 0
	cat a.err
	expect_eq "markers written while CPU 1 was offline" "$(grep -c 'marker: during ' a.txt)" 200
	expect_eq "CPU 1 traced again once online" "$(grep 'marker: after ' a.txt | grep -c '\[001\]')" 300
	grep -o 'marker: before [0-9]*' a.txt | awk '{ print $3 }' >seq.txt
	sort -n -c seq.txt 2>/dev/null && [ "$(sort -u seq.txt | wc -l)" = 500 ] &&
		ok "the offlined CPU's markers are distinct and in order" || bad "duplicates or disorder"
	expect_eq "CPU 0: read, lost, written" "$(row a.err 0)" "200 0 200"
	expect_eq "CPU 1: read, lost, written" "$(row a.err 1)" "800 0 800"
fi

# --- B. readers killed with SIGKILL -------------------------------------------
reload
# B1: holding a sub-buffer.
ktr-stream-probe getwait 1 kill9mark >gw1.txt 2>&1 &
gp=$!
wait_for gw1.txt '^waiting' || bad "getwait did not start: $(cat gw1.txt)"
taskset -c 1 ktr marker --count 300 --seq kill9mark 2>/dev/null || bad "markers for B1"
wait_for gw1.txt '^held ' || bad "no sub-buffer held: $(cat gw1.txt)"
held=$(sed -nE 's/^held seq=[0-9]+ count=([0-9]+)$/\1/p' gw1.txt)
[ "${held:-0}" -gt 0 ] && ok "the reader holds a sub-buffer of $held markers" || bad "held: $(cat gw1.txt)"
kill -9 $gp
wait $gp 2>/dev/null
[ -d /proc/$gp ] && bad "the killed reader is still there" || ok "the reader holding a sub-buffer is gone"
ktr-read -d 1s >b1.txt 2>b1.err
expect_eq "a new reader starts after the kill" "$?" 0
got=$(grep -c 'marker: kill9mark ' b1.txt)
expect_eq "held + read by the new reader = written" "$((got + ${held:-0}))" 300
# The killed reader's sub-buffer was put back at close: counted as read.
expect_eq "CPU 1: read by the new reader, lost, written" "$(row b1.err 1)" "$got 0 300"

# B2: blocked in GET (nothing to read on CPU 0).
ktr-stream-probe getwait 0 nothing >gw0.txt 2>&1 &
gp=$!
wait_for gw0.txt '^waiting' || bad "getwait on CPU 0 did not start: $(cat gw0.txt)"
sleep 0.3
grep -q '^held' gw0.txt && bad "GET returned with nothing written: $(cat gw0.txt)"
kill -9 $gp
wait $gp 2>/dev/null
[ -d /proc/$gp ] && bad "the reader blocked in GET is still there" || ok "the reader blocked in GET is gone"
taskset -c 0 ktr marker after-the-kill 2>/dev/null || bad "marker after B2"
ktr-read -d 1s >b2.txt 2>b2.err
expect_eq "a new reader of CPU 0 starts" "$?" 0
grep -q 'marker: after-the-kill' b2.txt && ok "the new reader gets what follows" || bad "marker after the kill not read"

done_testing
