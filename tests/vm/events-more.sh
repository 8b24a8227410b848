# The other curated events (irq, softirq, block, net, kmem, exceptions):
# each is listed and available on this kernel, records something real when
# a workload triggers it, with plausible values, and stops when disabled.
# block is only listed and switched on and off: the guest has no block
# device. irq and kmem stay enabled: the harness's rmmod must unregister
# them cleanly.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

events="irq_handler_entry irq_handler_exit softirq_entry softirq_exit block_rq_issue
	block_rq_complete net_dev_xmit netif_receive_skb kmalloc kfree page_fault_user
	page_fault_kernel"
ktr list >list.txt 2>list.err || bad "ktr list: $(cat list.err)"
for ev in $events; do
	line=$(grep -E "(^|[ :])$ev( |$)" list.txt)
	[ -n "$line" ] || { bad "not listed: $ev"; continue; }
	echo "$line" | grep -qi unavailable && bad "unavailable on this kernel: $ev" || ok "listed, available: $ev"
done

# record [GLOB...] -- CMD...: enable GLOBs, read for 2 s around CMD, disable
# them, drain; the text goes to rec.txt.
record() {
	local globs=""
	while [ "$1" != -- ]; do globs="$globs $1"; shift; done
	shift
	[ -z "$globs" ] || ktr enable $globs >/dev/null 2>en.err || bad "ktr enable$globs: $(cat en.err)"
	ktr-read -d 2s >rec.txt 2>rec.err &
	local rp=$!
	sleep 0.3
	"$@"
	wait $rp
}
count() { grep -c ": $1: " rec.txt; }
# hex16 VALUE: 0x-less hex, zero-padded to 16 digits (compares as a string)
hexcmp='function h(v) { sub(/^0x/, "", v); while (length(v) < 16) v = "0" v; return v }'
field() { sed -nE "s/.*: $1: .*$2=([^ ]*).*/\1/p" rec.txt; }

# irq / softirq: serial output and timer ticks.
cat /proc/interrupts | head -n 12
record 'irq:*' -- sh -c 'for i in 1 2 3 4 5; do echo tick $i; sleep 0.1; done'
ktr disable 'irq:*' >/dev/null 2>&1 || bad "ktr disable irq:*"
for ev in irq_handler_entry irq_handler_exit softirq_entry softirq_exit; do
	n=$(count $ev)
	[ "$n" -gt 0 ] && ok "$ev recorded ($n)" || bad "$ev not recorded"
done
grep -m2 ': irq_handler_entry: \|: softirq_entry: ' rec.txt
expect_eq "irq_handler_entry events with an empty name" "$(grep ': irq_handler_entry: ' rec.txt | grep -c 'name=$')" 0
grep ': irq_handler_entry: ' rec.txt | grep -qE 'irq=[0-9]+ name=.' && ok "irq_handler_entry has irq and name" ||
	bad "irq_handler_entry: $(grep -m1 ': irq_handler_entry: ' rec.txt)"
grep ': irq_handler_exit: ' rec.txt | grep -qE 'irq=[0-9]+ ret=(handled|unhandled)$' && ok "irq_handler_exit has irq and ret" ||
	bad "irq_handler_exit: $(grep -m1 ': irq_handler_exit: ' rec.txt)"
expect_eq "softirq events with an unknown vector" "$(grep ': softirq_e' rec.txt | grep -vcE 'vec=[0-9] \[action=[A-Z_]+\]$')" 0
grep -q ': softirq_entry: vec=1 \[action=TIMER\]' rec.txt && ok "TIMER softirq seen" || bad "no TIMER softirq"

# kmem: any workload allocates.
record kmalloc kfree -- sh -c 'ls -lR /sys/kernel >/dev/null 2>&1; cat /proc/self/status >/dev/null'
ktr disable 'kmem:*' >/dev/null 2>&1 || bad "ktr disable kmem:*"
for ev in kmalloc kfree; do
	n=$(count $ev)
	[ "$n" -gt 0 ] && ok "$ev recorded ($n)" || bad "$ev not recorded"
done
grep -m1 ': kmalloc: ' rec.txt
expect_eq "kmalloc events with bytes_alloc < bytes_req" "$(grep ': kmalloc: ' rec.txt |
	sed -E 's/.*bytes_req=([0-9]+) bytes_alloc=([0-9]+).*/\1 \2/' | awk '$2 < $1' | grep -c .)" 0
expect_eq "kmalloc events without bytes_req" "$(grep ': kmalloc: ' rec.txt | grep -vc 'bytes_req=[0-9]')" 0
grep ': kmalloc: ' rec.txt | grep -q 'call_site=0xffff' && ok "kmalloc call_site is a kernel address" ||
	bad "kmalloc call_site: $(grep -m1 ': kmalloc: ' rec.txt)"

# Page faults: ktr-event-load touches N fresh pages (user faults) and has
# the kernel copy into N more (kernel faults).
pages=64
record 'exceptions:*' -- sh -c "ktr-event-load faults $pages >faults.txt"
ktr disable 'exceptions:*' >/dev/null 2>&1 || bad "ktr disable exceptions:*"
cat faults.txt
pid=$(sed -n 's/^pid //p' faults.txt)
set -- $(sed -n 's/^user //p' faults.txt) $(sed -n 's/^kernel //p' faults.txt)
[ $# = 4 ] || bad "ktr-event-load faults printed: $(cat faults.txt)"
for ev in page_fault_user page_fault_kernel; do
	n=$(count $ev)
	[ "$n" -gt 0 ] && ok "$ev recorded ($n)" || bad "$ev not recorded"
done
grep -m1 ": page_fault_user: " rec.txt
in_range() {	# EVENT FIRST LAST: events of $pid whose address lies in [FIRST, LAST]
	grep -E -- "-$pid +\[[0-9]{3}\].*: $1: " rec.txt | sed -nE 's/.*address=(0x[0-9a-f]+) .*/\1/p' |
		awk -v lo="$2" -v hi="$3" "$hexcmp"' { a = h($1) } a >= h(lo) && a <= h(hi)' | grep -c .
}
n=$(in_range page_fault_user "$1" "$2")
[ "$n" -ge $pages ] && ok "page_fault_user on each of the $pages touched pages ($n)" ||
	bad "page_fault_user in the touched range: $n, want >= $pages"
n=$(in_range page_fault_kernel "$3" "$4")
[ "$n" -ge $pages ] && ok "page_fault_kernel on each of the $pages pages read() filled ($n)" ||
	bad "page_fault_kernel in the read() range: $n, want >= $pages"
expect_eq "page_fault_user events with a kernel address" "$(field page_fault_user address |
	awk "$hexcmp"' h($1) > "00007fffffffffff"' | grep -c .)" 0
expect_eq "page_fault_kernel events with a user-mode ip" "$(field page_fault_kernel ip |
	awk "$hexcmp"' h($1) < "ffff800000000000"' | grep -c .)" 0
expect_eq "page_fault_user events without the user bit" "$(field page_fault_user error_code |
	grep -vcE '^0x[0-9a-f]*[4-7c-f]$')" 0

# net: loopback UDP.
ip link set lo up || bad "ip link set lo up"
record 'net:*' -- sh -c 'ktr-event-load udp 5 >udp.txt'
ktr disable 'net:*' >/dev/null 2>&1 || bad "ktr disable net:*"
cat udp.txt
grep -m2 ': net_dev_xmit: \|: netif_receive_skb: ' rec.txt
n=$(grep ': net_dev_xmit: dev=lo ' rec.txt | grep -cE 'len=[1-9][0-9]* rc=0$')
[ "$n" -ge 5 ] && ok "net_dev_xmit on lo, len > 0, rc 0 ($n)" || bad "net_dev_xmit on lo: $n, want >= 5"
n=$(grep -cE ': netif_receive_skb: dev=lo skbaddr=0xffff[0-9a-f]+ len=[1-9][0-9]*$' rec.txt)
[ "$n" -ge 5 ] && ok "netif_receive_skb on lo, len > 0 ($n)" || bad "netif_receive_skb on lo: $n, want >= 5"

# block: switched on and off (no block device in the guest to record).
ktr enable 'block:*' 2>blk.err; rc=$?
cat blk.err
expect_eq "ktr enable block:* exit status" "$rc" 0
ktr list | grep block_rq_issue | grep -qi enabled && ok "block_rq_issue shows enabled" || bad "block_rq_issue not enabled"
ktr disable 'block:*' >/dev/null 2>&1 || bad "ktr disable block:*"

# All off: nothing of these is recorded any more.
ktr list >list2.txt
for ev in $events; do
	grep -E "(^|[ :])$ev( |$)" list2.txt | grep -qiw enabled && bad "$ev still enabled"
done
ktr-read -d 1s >/dev/null 2>&1
record -- sh -c "ktr-event-load faults 8 >/dev/null; ktr-event-load udp 2 >/dev/null"
expect_eq "events recorded with everything disabled" "$(grep -c . rec.txt)" 0

# Left enabled for the harness's rmmod.
ktr enable 'irq:*' kmalloc kfree >/dev/null 2>&1 || bad "re-enable irq and kmem"
done_testing
