# ktr info (text and --json) reports the guest's real CPU counts, kernel
# release, ABI and the default buffer geometry.
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
expect_eq "abi_minor" "$(json_num abi_minor info.json)" 1
expect_eq "module_version" "$(json_str module_version info.json)" "$(cat /sys/module/ktr/version)"
expect_eq "subbuf_size default" "$(json_num subbuf_size info.json)" 65536
expect_eq "nr_subbufs default" "$(json_num nr_subbufs info.json)" 8

# The text form carries the same facts.
grep -q "$(uname -r)" info.txt && ok "text names the kernel release" || bad "text lacks the kernel release"
grep -qi "online.*$nproc_online" info.txt && ok "text gives online CPUs" || bad "text lacks online CPUs"
done_testing
