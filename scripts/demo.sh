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
ktr selftest --duration 1s
ktr selftest --mode overwrite --subbuf-size 4096 --subbufs 2 --duration 1s

section "coming next: streaming with ktr-read"
ktr-read --help | head -n 12
