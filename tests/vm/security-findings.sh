# Issue 14's four findings, one boot:
# 1. a socket opened by an unprivileged process and handed to root (a
#    confused deputy) gets EPERM for every command, read-only ones too;
# 2. records an event filter refuses leave no byte of their payload in the
#    mapped sub-buffers (positive control: accepted, the bytes are there);
# 3. a raw event whose module goes away moves to another loaded module with
#    the same tracepoint, and records there;
# 4. a buffer that does not fit in memory is refused with a clear message,
#    without the OOM killer; the old buffer and what it holds stay, and ktr
#    still works.
# kernels: 6.1
# (not on debug: its KASAN kernel does not boot in a guest small enough for
# check 4, 384 MiB; not on 6.12: nothing here differs but the wording of
# the refusal)
# vm-args: --smp 3 --mem 384 --add tests/vm/lib/testlib.sh
. ./testlib.sh

# --- 1. confused deputy on the netlink socket ---------------------------------
ktr-ctl-probe deputy >deputy.txt 2>&1; rc=$?
cat deputy.txt
[ "$rc" = 0 ] && ok "commands on a socket nobody opened are refused" ||
	bad "ktr-ctl-probe deputy: exit $rc"

# --- 2. what a filter refuses is zeroed ---------------------------------------
canary=Zq7Kx9LeakCanary3Vw
mkdir -p "/tmp/$canary"
ln -s /bin/busybox "/tmp/$canary/true"
ktr reset >/dev/null || bad "ktr reset"
ktr enable sched_process_exec >/dev/null || bad "enable sched_process_exec"
ktr filter -e sched_process_exec 'filename ~ "/bin/*"' >f.txt 2>&1 || bad "filter: $(cat f.txt)"
execs() { for i in 1 2 3 4 5 6 7 8 9 10; do "/tmp/$canary/true"; done; }
# found: how many times the canary is in the mapped sub-buffers of all CPUs
found() {
	local n=0 c m
	for c in $(seq 0 $(($(nproc) - 1))); do
		m=$(ktr-stream-probe scan "$c" "$canary" | sed -nE 's/.*: ([0-9]+) times$/\1/p')
		n=$((n + ${m:-1000000}))
	done
	echo $n
}
execs
ktr stat --json >stat.json || bad "ktr stat --json"
discarded=$(sed -nE 's/.*"total":\{([^}]*)\}.*/\1/p' stat.json | sed -nE 's/(^|.*,)"discarded":([0-9]+).*/\2/p')
[ "${discarded:-0}" -ge 10 ] && ok "the filter refused the execs ($discarded discarded)" ||
	bad "discarded records: '$discarded' (want >= 10): $(cat stat.json)"
expect_eq "canary bytes left by refused records" "$(found)" 0
# Positive control: accepted, the same records carry the canary.
ktr filter --clear >/dev/null || bad "filter --clear"
ktr enable sched_process_exec >/dev/null
execs
n=$(found)
[ "$n" -ge 10 ] && ok "accepted records carry the canary ($n)" || bad "accepted records: canary found $n times"
ktr reset >/dev/null || bad "ktr reset"

# --- 3. a raw event moves to another module with its tracepoint ---------------
tp=ktr_test_raw
state() { ktr list "raw:$tp" 2>/dev/null | awk -v e="raw:$tp" '$1 == e { print $3 }'; }
# fired MODULE: fire MODULE's tracepoint twice while ktr-read runs; print how
# many events of it were recorded.
fired() {
	ktr-read -d 1500ms >"$1.txt" 2>"$1.err" &
	rp=$!
	sleep 0.5
	echo 7 >"/sys/module/$1/parameters/fire"
	echo 8 >"/sys/module/$1/parameters/fire"
	wait $rp
	grep -c ": $tp: " "$1.txt"
}
insmod /lib/ktr/tests/ktr_test_tp.ko || bad "insmod ktr_test_tp"
insmod /lib/ktr/tests/ktr_test_tp2.ko || bad "insmod ktr_test_tp2"
ktr attach $tp -n 1 >/dev/null || bad "attach $tp"
expect_eq "events of the first module" "$(fired ktr_test_tp)" 2
rmmod ktr_test_tp || bad "rmmod ktr_test_tp"
expect_eq "state once the first module is gone" "$(state)" enabled
expect_eq "events of the second module" "$(fired ktr_test_tp2)" 2
rmmod ktr_test_tp2 || bad "rmmod ktr_test_tp2"
expect_eq "state with neither module" "$(state)" unavailable
ktr detach $tp >/dev/null || bad "detach"

# --- 4. a buffer that does not fit in memory ----------------------------------
ktr buffer --subbuf-size 64K --nr-subbufs 8 >/dev/null || bad "small buffer"
before=$(ktr buffer 2>&1)
ktr marker "kept-across-the-refusal" >/dev/null || bad "marker"
avail=$(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo)
echo "MemAvailable ${avail} MiB, $(nproc) CPUs online"
# 132 MiB per CPU, the most a buffer may have: 3 CPUs need more than the
# guest's 384 MiB.
ktr buffer --subbuf-size 4M --nr-subbufs 32 >big.out 2>big.err; rc=$?
cat big.err
[ "$rc" != 0 ] && ok "the big buffer is refused (exit $rc)" || bad "the big buffer was allocated"
grep -q 'not enough memory' big.err && ok "the message says not enough memory" ||
	bad "message: $(cat big.err)"
dmesg | grep -E 'needs [0-9]+ MiB \([0-9]+ possible CPUs\), [0-9]+ MiB available' >need.txt
cat need.txt
grep -q 'needs [0-9]* MiB' big.err need.txt && ok "how much it needs is said" ||
	bad "the numbers are neither in the message nor in the kernel log"
if dmesg | grep -qiE 'invoked oom-killer|out of memory'; then
	bad "the OOM killer ran: $(dmesg | grep -iE 'oom-killer|out of memory' | head -3)"
else
	ok "no OOM killer"
fi
expect_eq "the buffer after the refusal" "$(ktr buffer 2>&1)" "$before"
ktr-read -d 500ms >kept.txt 2>&1
grep -q 'kept-across-the-refusal' kept.txt && ok "what the old buffer held is still there" ||
	bad "the marker is gone: $(head -5 kept.txt)"
# Still works: a buffer that fits, and events in it.
ktr buffer --subbuf-size 64K --nr-subbufs 16 >/dev/null || bad "a buffer that fits is refused"
ktr marker "after-the-refusal" >/dev/null || bad "marker after"
ktr-read -d 500ms >after.txt 2>&1
grep -q 'after-the-refusal' after.txt && ok "ktr records after the refusal" ||
	bad "nothing recorded after the refusal: $(head -5 after.txt)"
done_testing
