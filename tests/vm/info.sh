# ktr info (text and --json) reports the guest's real CPU counts, kernel
# release, ABI and the default buffer geometry.
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh
ktr info >info.txt 2>info.err; rc=$?
expect_eq "ktr info exit status" "$rc" 0
cat info.txt
ktr info --json >info.json 2>info.err; rc=$?
expect_eq "ktr info --json exit status" "$rc" 0
cat info.json

nproc_online=$(nproc)
cpuinfo=$(grep -c '^processor' /proc/cpuinfo)
possible=$(cat /sys/devices/system/cpu/possible)   # e.g. 0-1
possible_n=$(( ${possible##*-} + 1 ))
expect_eq "cpus_online vs nproc" "$(json_num cpus_online info.json)" "$nproc_online"
expect_eq "cpus_online vs /proc/cpuinfo" "$(json_num cpus_online info.json)" "$cpuinfo"
expect_eq "cpus_possible vs /sys/devices/system/cpu/possible" "$(json_num cpus_possible info.json)" "$possible_n"
expect_eq "kernel_release" "$(json_str kernel_release info.json)" "$(uname -r)"
expect_eq "abi_major" "$(json_num abi_major info.json)" 1
expect_eq "abi_minor" "$(json_num abi_minor info.json)" 8
expect_eq "module_version" "$(json_str module_version info.json)" "$(cat /sys/module/ktr/version)"
expect_eq "subbuf_size default" "$(json_num subbuf_size info.json)" 65536
expect_eq "nr_subbufs default" "$(json_num nr_subbufs info.json)" 8
expect_eq "buffer_mode default" "$(json_str buffer_mode info.json)" discard
# The clock pair was sampled at load: CLOCK_MONOTONIC then was in the past
# (uptime is CLOCK_BOOTTIME, equal here: the guest never suspends), and
# local_clock() and CLOCK_MONOTONIC both count from about boot.
mono=$(json_num clock_mono_ns info.json)
local=$(json_num clock_local_ns info.json)
# (busybox awk prints integers in 32 bits: build the digits instead)
up_ns=$(awk '{ split($1, t, "."); print t[1] substr(t[2] "000000000", 1, 9) }' /proc/uptime)
[ -n "$mono" ] && [ "$mono" -gt 0 ] && [ "$mono" -le "$up_ns" ] &&
	ok "clock_mono_ns $mono is before now ($up_ns)" || bad "clock_mono_ns '$mono' vs uptime $up_ns ns"
d=$((mono - local)); [ $d -lt 0 ] && d=$((-d))
[ -n "$local" ] && [ $d -lt 5000000000 ] && ok "local and monotonic clocks within 5 s ($d ns)" ||
	bad "clock_local_ns '$local' far from clock_mono_ns $mono"

# The text form carries the same facts.
grep -q "$(uname -r)" info.txt && ok "text names the kernel release" || bad "text lacks the kernel release"
grep -qi "online.*$nproc_online" info.txt && ok "text gives online CPUs" || bad "text lacks online CPUs"
done_testing
