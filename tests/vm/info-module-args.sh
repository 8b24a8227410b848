# Module parameters change the geometry ktr info reports; 4 vCPUs are seen.
# vm-args: --smp 4 --module-args 'subbuf_size=16384 nr_subbufs=4' --add tests/vm/lib/testlib.sh
. ./testlib.sh
ktr info --json >info.json || bad "ktr info --json failed"
cat info.json
expect_eq "cpus_online" "$(json_num cpus_online info.json)" 4
expect_eq "cpus_online vs nproc" "$(json_num cpus_online info.json)" "$(nproc)"
expect_eq "subbuf_size" "$(json_num subbuf_size info.json)" 16384
expect_eq "nr_subbufs" "$(json_num nr_subbufs info.json)" 4
# Take a CPU offline: the online count follows, the possible count does not.
echo 0 >/sys/devices/system/cpu/cpu3/online
ktr info --json >info2.json || bad "ktr info --json failed with a CPU offline"
expect_eq "cpus_online after offlining cpu3" "$(json_num cpus_online info2.json)" 3
expect_eq "cpus_possible after offlining cpu3" "$(json_num cpus_possible info2.json)" 4
echo 1 >/sys/devices/system/cpu/cpu3/online
done_testing
