# Module parameters change the geometry ktr info reports; 4 vCPUs are seen.
# vm-args: --smp 4 --module-args 'subbuf_size=16384 nr_subbufs=4 mode=overwrite' --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh
ktr info --json >info.json || bad "ktr info --json failed"
cat info.json
expect_eq "cpus_online" "$(json_num cpus_online info.json)" 4
expect_eq "cpus_online vs nproc" "$(json_num cpus_online info.json)" "$(nproc)"
expect_eq "subbuf_size" "$(json_num subbuf_size info.json)" 16384
expect_eq "buffer_mode" "$(json_str buffer_mode info.json)" overwrite
expect_eq "nr_subbufs" "$(json_num nr_subbufs info.json)" 4
# Take a CPU offline: the online count follows, the possible count does not.
# What it wrote before going down is still read (its stream is flushed
# from another CPU while it is offline).
taskset -c 3 ktr marker "written on cpu3 before it went offline" || bad "marker on cpu3"
echo 0 >/sys/devices/system/cpu/cpu3/online
ktr info --json >info2.json || bad "ktr info --json failed with a CPU offline"
expect_eq "cpus_online after offlining cpu3" "$(json_num cpus_online info2.json)" 3
expect_eq "cpus_possible after offlining cpu3" "$(json_num cpus_possible info2.json)" 4
ktr-read --cpus 3 -d 1s >off.txt 2>off.err || bad "ktr-read of the offline CPU failed: $(cat off.err)"
cat off.txt
grep -q '\[003\].*marker: written on cpu3 before it went offline' off.txt &&
	ok "the offline CPU's last events are read" || bad "marker of the offline CPU not read"
echo 1 >/sys/devices/system/cpu/cpu3/online
done_testing
