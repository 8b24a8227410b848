# demo.sh - runs inside the vm/run guest for `make demo`: what ktr does today.
# Each later capability adds its own section here, on a real workload.
section() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

section "the guest"
echo "kernel $(uname -r), $(nproc) CPUs online"

section "ktr.ko is loaded (insmod /lib/ktr/ktr.ko)"
grep '^ktr ' /proc/modules
dmesg | grep 'ktr:' | tail -n 2

section "the control plane: ktr info (generic netlink family \"ktr\")"
ktr info

section "the same, as JSON: ktr info --json"
ktr info --json

section "the data plane: /dev/ktr (0600, capability-checked)"
ls -l /dev/ktr

section "an unprivileged user is refused"
su -s /bin/sh nobody -c "ktr info" || echo "(exit status $?)"

section "unload and reload"
rmmod ktr && echo "rmmod ktr: ok"
ktr info || echo "(exit status $?)"
insmod /lib/ktr/ktr.ko subbuf_size=16384 nr_subbufs=16 && echo "insmod ktr.ko subbuf_size=16384 nr_subbufs=16: ok"
ktr info | grep -i sub

section "the ring buffer under stress: ktr selftest (a writer kthread + a nesting hrtimer per CPU, a concurrent reader, every event checked)"
echo "\$ ktr selftest   (the self-test is test code, in its own module: without it)"
ktr selftest --duration 1s || echo "(exit status $?)"
insmod /lib/ktr/ktr_rb_test.ko && echo "insmod ktr_rb_test.ko: ok"
ktr selftest --duration 1s
ktr selftest --mode overwrite --subbuf-size 4096 --subbufs 2 --duration 1s
rmmod ktr_rb_test && echo "rmmod ktr_rb_test: ok"

section "streaming: ktr-read maps each CPU's ring read-only and merges the CPUs by time"
echo "\$ ktr-read -d 4s &   (while a workload writes markers from every CPU)"
ktr-read -d 4s >/tmp/stream.txt 2>/tmp/stream.err &
reader=$!
sleep 0.5
for cpu in $(seq 0 $(($(nproc) - 1))); do
	taskset -c "$cpu" sh -c "for i in 1 2 3; do ktr marker \"step \$i of a job on CPU $cpu\"; find / -xdev >/dev/null 2>&1; done" &
done
wait $reader
cat /tmp/stream.txt /tmp/stream.err

section "the same events as JSON Lines: ktr-read --json"
ktr-read --json -c 3 >/tmp/stream.json 2>/dev/null &
reader=$!
sleep 0.5
ktr marker --count 3 --seq "json demo"
wait $reader
cat /tmp/stream.json

section "a capture file, read back later: ktr-read -o trace.ktr; ktr report trace.ktr"
ktr-read -o /tmp/trace.ktr -d 2s -q &
reader=$!
sleep 0.5
ktr marker "captured while nobody was watching"
wait $reader
ls -l /tmp/trace.ktr
ktr report /tmp/trace.ktr

section "scheduler events: ktr list; ktr enable 'sched:*'; a shell pipeline runs while ktr-read streams"
ktr list
ktr enable 'sched:*'
ktr-read -d 3s >/tmp/sched.txt 2>/tmp/sched.err &
reader=$!
sleep 0.5
sh -c 'ls -l /bin | grep -c busybox | tee /tmp/count >/dev/null'
wait $reader
ktr disable 'sched:*'
grep -E ': sched_process_(fork|exec|exit): ' /tmp/sched.txt | head -n 8
echo "..."
grep ': sched_switch: ' /tmp/sched.txt | head -n 4
echo "... $(grep -c ': sched_' /tmp/sched.txt) scheduler events in 3 s"
cat /tmp/sched.err

section "ktr record: trace a command and every process it forks (like trace-cmd record), scheduler and syscall events"
echo "\$ ktr record -e 'sched:*' -e sys_enter -f 'id == 257' -e sys_exit -f 'id == 257' -o /tmp/rec.ktr -- sh -c '...'"
echo "  (only openat, 257, among the syscalls: an ftrace-style filter, evaluated in the kernel)"
ktr record -e 'sched:*' -e sys_enter -f 'id == 257' -e sys_exit -f 'id == 257' -o /tmp/rec.ktr -- \
	sh -c 'for f in /etc/passwd /etc/group; do /bin/cat $f | /bin/wc -l; done'
ktr report /tmp/rec.ktr >/tmp/rec.txt
grep -E ': (sys_enter|sys_exit|sched_process_exec): ' /tmp/rec.txt | head -n 12
echo "..."
grep ': sched_switch: ' /tmp/rec.txt | head -n 4
echo "... $(grep -c . /tmp/rec.txt) events, all of the command's process tree"

section "per-CPU statistics: ktr stat"
ktr stat

section "a kernel stack per event: ktr filter -e sched_process_exec --stack"
ktr enable sched_process_exec >/dev/null
ktr filter -e sched_process_exec --stack
ktr-read -d 2s >/tmp/stack.txt 2>/dev/null &
reader=$!
sleep 0.5
/bin/true
wait $reader
grep -A 10 ': sched_process_exec: .*true' /tmp/stack.txt | head -n 12
ktr filter --clear >/dev/null
ktr disable sched_process_exec >/dev/null
ktr-read -q -d 0.5s >/dev/null 2>&1	# drop what is still buffered

section "raw attach: any tracepoint by name, its arguments as register words (ktr attach sys_enter -n 2: arg1 is the syscall number)"
ktr attach sys_enter -n 2
ktr list 'raw:*'
ktr-read -c 4 --json 2>/dev/null &
reader=$!
sleep 0.5
/bin/true
wait $reader
ktr detach sys_enter

section "loss is never silent: 3000 markers into a ring nobody reads (discard mode), then ktr-read"
rmmod ktr && insmod /lib/ktr/ktr.ko subbuf_size=4096 nr_subbufs=4 && echo "insmod ktr.ko subbuf_size=4096 nr_subbufs=4: ok"
taskset -c 0 ktr marker --count 3000 --seq flood
ktr-read -d 1s --cpus 0 >/tmp/flood.txt 2>/tmp/flood.err
head -n 3 /tmp/flood.txt; echo "..."; tail -n 3 /tmp/flood.txt
cat /tmp/flood.err
