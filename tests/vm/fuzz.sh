# Fuzzing for a bounded time (issue 14), on the debug kernel where KASAN,
# lockdep and kmemleak judge what the kernel did (the harness fails the
# test on any report, and on a module that does not unload at the end):
# typed, policy-aware netlink requests to every command as root, the same
# unprivileged (every answer an error), then /dev/ktr and stream fds from
# two threads and forked children. Seeds are printed: a failure reruns with
# `ktr-fuzz MODE SECONDS SEED`. ktr must still answer afterwards.
# kernels: debug
# (one vCPU: the fuzzer flips static keys, and under TCG a key flipped while
# another vCPU runs the patched code can stall that vCPU: an emulator fault)
# vm-args: --smp 1 --add tests/vm/lib/testlib.sh
. ./testlib.sh
seed=$(date +%s)
echo "seed $seed"
ktr-fuzz netlink 15 "$seed" && ok "netlink fuzzing as root" || bad "netlink fuzzing as root"
as_nobody ktr-fuzz nobody 4 "$((seed + 1))" && ok "netlink fuzzing unprivileged: nothing succeeded" ||
	bad "netlink fuzzing unprivileged"
ktr reset >/dev/null 2>&1 || bad "ktr reset after the netlink fuzzing"
ktr-fuzz device 15 "$((seed + 2))" && ok "device and stream fuzzing" || bad "device and stream fuzzing"
ktr info >info.txt 2>&1 && ok "ktr still answers" || bad "ktr info after fuzzing: $(cat info.txt)"
ktr marker after-fuzz 2>/dev/null || bad "marker after fuzzing"
ktr-read -d 1s >out.txt 2>/dev/null
grep -q 'marker: after-fuzz' out.txt && ok "events still flow after fuzzing" || bad "no marker read after fuzzing"
done_testing
