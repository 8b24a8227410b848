# Bad requests on the data plane fail with a clear errno and change nothing:
# stream open arguments, mmap (write, exec, private, offsets, sizes),
# get/put misuse, markers too long or from bad memory; ktr-read's own
# errors (no such CPU, a second reader, an unprivileged user) are one line.
# vm-args: --mttcg --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
# (on the debug kernel it runs inside streams-debug.sh, one boot for two)
. ./testlib.sh

for cpu in 0 1; do
	ktr-stream-probe badinput $cpu >probe$cpu.txt; rc=$?
	cat probe$cpu.txt
	expect_eq "CPU $cpu: raw bad-input probe" "$rc" 0
	grep -q '^not ok' probe$cpu.txt && bad "CPU $cpu: a probe check failed"
done

# poll() and blocking GET wake when they should, and only then.
ktr-stream-probe poll 1 >poll.txt; rc=$?
cat poll.txt
expect_eq "poll/GET wakeups (probe exit)" "$rc" 0

ktr-read --cpus 7 -d 1s >out.txt 2>err.txt; rc=$?
cat err.txt
expect_eq "ktr-read --cpus 7: exit status" "$rc" 1
grep -q 'CPU 7 does not exist' err.txt && ok "names the missing CPU" || bad "message: $(cat err.txt)"

ktr-read -d 3s >/dev/null 2>first.err &
rp=$!
sleep 1
ktr-read -d 1s >/dev/null 2>second.err; rc=$?
cat second.err
expect_eq "a second reader: exit status" "$rc" 1
grep -q 'already being streamed by another reader' second.err && ok "second reader told why" || bad "second reader message"
wait $rp; expect_eq "first reader unaffected" "$?" 0

as_nobody ktr-read -d 1s >out.txt 2>err.txt; rc=$?
cat err.txt
expect_eq "unprivileged ktr-read: exit status" "$rc" 1
grep -q 'CAP_PERFMON' err.txt && ok "unprivileged: says what is needed" || bad "unprivileged message"
as_nobody ktr marker hi 2>err.txt && bad "nobody wrote a marker" || ok "nobody cannot write a marker"

ktr-read --json -o x.ktr 2>err.txt; expect_eq "--json with -o: usage error" "$?" 2
ktr-read --watermark 0 2>err.txt; expect_eq "--watermark 0: usage error" "$?" 2
ktr-read -d 1x 2>err.txt; expect_eq "-d 1x: usage error" "$?" 2
done_testing
