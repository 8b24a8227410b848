# raw_syscalls:sys_enter / sys_exit against an oracle: ktr and ftrace
# (tracefs) record at the same time while ktr-syscall-seq makes a known
# sequence of system calls. ktr's events of that process hold exactly the
# expected sequence (numbers, names, arguments, return values), and equal
# ftrace's events of the process, event for event. Disabling ktr's events
# stops them (ftrace's own keep working), and unloading with them enabled
# is clean (the harness rmmods).
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T
[ -d $T/events/raw_syscalls ] || { bad "no raw_syscalls events in tracefs"; done_testing; }

ktr list >list.txt || bad "ktr list"
for ev in sys_enter sys_exit; do
	grep -qE "raw_syscalls:$ev|$ev" list.txt && ok "listed: $ev" || bad "not listed: $ev"
done
printf '%0100d' 0 >/tmp/seq-data	# 100 bytes for the tool to read

# pid_events FILE PID: the sys_* events of PID in a trace-cmd-like text
# file, as "sys_enter: NR ..." lines (what follows the timestamp).
pid_events() {
	sed -nE "s/^ *.*-$2 +\[[0-9]{3}\].*: (sys_(enter|exit): .*)$/\1/p" "$1"
}

echo 0 >$T/tracing_on
echo >$T/trace
echo 4096 >$T/buffer_size_kb
echo 1 >$T/events/raw_syscalls/enable || bad "enable ftrace's raw_syscalls"
ktr enable sys_enter sys_exit 2>en.err || bad "ktr enable: $(cat en.err)"

ktr-read -d 4s >ktr.txt 2>ktr.err &
rp=$!
echo 1 >$T/tracing_on
sleep 0.5
ktr-syscall-seq /tmp/seq-data >seq.txt; rc=$?
sleep 0.5
echo 0 >$T/tracing_on
wait $rp
cat ktr.err
expect_eq "ktr-syscall-seq exit status" "$rc" 0
pid=$(sed -n 's/^pid //p' seq.txt)
[ -n "$pid" ] || bad "no pid from ktr-syscall-seq"
grep -q LOST ktr.txt && bad "ktr lost events: $(grep LOST ktr.txt | head -n 3)"
cat $T/trace >ftrace.txt
grep -q 'LOST' ftrace.txt && bad "ftrace lost events"

pid_events ktr.txt "$pid" >ktr.ev
pid_events ftrace.txt "$pid" >ftrace.ev
echo "events of pid $pid: ktr $(wc -l <ktr.ev), ftrace $(wc -l <ftrace.ev)"
[ "$(wc -l <ktr.ev)" -gt 24 ] && ok "ktr recorded the tool's syscalls" || bad "ktr recorded $(wc -l <ktr.ev) events of pid $pid"

# The known sequence: from the close(123456) to the close(654321).
awk '/^sys_enter: NR 3 close \(1e240,/ { on = 1 } on { print } on && end && /^sys_exit/ { exit }
	/^sys_enter: NR 3 close \(9fbf1,/ { end = 1 }' ktr.ev >got.seq
grep -v '^pid ' seq.txt >want.seq
if cmp -s got.seq want.seq; then
	ok "ktr holds exactly the expected sequence ($(wc -l <want.seq) events)"
else
	bad "ktr's sequence differs from the expected one"
	diff want.seq got.seq | head -n 20
fi
grep -q '^sys_exit: NR 257 openat = -2$' got.seq && ok "failing openat returns -ENOENT" || bad "no openat = -2"

# The oracle: ftrace prints no names ("NR 257 (" / "NR 257 = ").
sed -E 's/^(sys_(enter|exit): NR -?[0-9]+) [a-z0-9_]+ /\1 /' ktr.ev >ktr.noname
if cmp -s ktr.noname ftrace.ev; then
	ok "ktr's events of pid $pid equal ftrace's, event for event ($(wc -l <ftrace.ev))"
else
	bad "ktr and ftrace differ for pid $pid"
	diff ftrace.ev ktr.noname | head -n 20
fi

# Disable: no more sys_* events from ktr; ftrace's probe stays registered.
ktr disable 'raw_syscalls:*' 2>dis.err || bad "ktr disable: $(cat dis.err)"
ktr list | grep sys_enter | grep -qi enabled && bad "sys_enter still shown enabled"
# Read what was recorded while they were enabled, then nothing more comes.
ktr-read -d 1s >/dev/null 2>&1
echo >$T/trace
echo 1 >$T/tracing_on
ktr-read -d 2s >off.txt 2>/dev/null &
rp=$!
sleep 0.3
ktr-syscall-seq /tmp/seq-data >seq2.txt
wait $rp
echo 0 >$T/tracing_on
expect_eq "ktr sys_* events after disable" "$(grep -c ': sys_e' off.txt)" 0
pid2=$(sed -n 's/^pid //p' seq2.txt)
[ "$(pid_events $T/trace "$pid2" | grep -c .)" -gt 24 ] && ok "ftrace still records after ktr's disable" ||
	bad "ftrace lost its raw_syscalls probe when ktr disabled its own"
echo 0 >$T/events/raw_syscalls/enable

# ktr alone again, then left enabled for the harness's rmmod.
ktr enable 'raw_syscalls:*' >/dev/null 2>&1 || bad "re-enable"
ktr-read -d 1s >again.txt 2>/dev/null &
rp=$!
sleep 0.3
ktr-syscall-seq /tmp/seq-data >seq3.txt
wait $rp
pid3=$(sed -n 's/^pid //p' seq3.txt)
[ "$(pid_events again.txt "$pid3" | grep -c .)" -gt 24 ] && ok "re-enabled without ftrace: recorded" ||
	bad "re-enabled: nothing recorded for pid $pid3"
done_testing
