# Scheduler events end to end: the module lists its events with their
# formats, records nothing while they are disabled (no probe registered),
# records sched_switch / wakeup / fork / exec / exit of a real workload once
# enabled, decodes them from the formats it reported, and stops when they
# are disabled. Bad requests change nothing. Events are left enabled at the
# end: unloading must unregister the probes cleanly (the harness rmmods).
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

ktr list >list.txt 2>list.err; rc=$?
cat list.txt list.err
expect_eq "ktr list exit status" "$rc" 0
for ev in sched_switch sched_wakeup sched_wakeup_new sched_process_fork sched_process_exec sched_process_exit marker; do
	grep -q "$ev" list.txt && ok "listed: $ev" || bad "not listed: $ev"
done
ktr list --json >list.json 2>/dev/null || bad "ktr list --json"
grep -q '"name":"prev_comm"' list.json && ok "sched_switch format has prev_comm" || bad "no prev_comm field in the format"

# Disabled: a workload records nothing (no probe is registered).
ktr-read -d 2s >off.txt 2>off.err &
rp=$!
sleep 0.5
for i in 1 2 3; do sh -c 'ls / >/dev/null; sleep 0.1'; done
wait $rp
expect_eq "events recorded while disabled" "$(grep -c . off.txt)" 0
expect_eq "kernel counted nothing written while disabled" "$(awk '$1 == "total" { print $6 }' off.err)" 0

ktr enable sched_switch sched_wakeup 'sched:sched_process_*' sched_wakeup_new 2>en.err; rc=$?
cat en.err
expect_eq "ktr enable exit status" "$rc" 0
ktr list >list2.txt
grep sched_switch list2.txt | grep -qi enabled && ok "sched_switch shows enabled" || bad "sched_switch not shown enabled"

ktr-read -d 3s >on.txt 2>on.err &
rp=$!
sleep 0.5
sh -c 'echo child $$; sleep 0.2; /bin/true' >/dev/null
wait $rp
head -n 12 on.txt
grep -m1 ': sched_switch: ' on.txt | grep -qE '^ +(<idle>|[^ ]+)-[0-9]+ +\[00[01]\]' && ok "sched_switch line shape" ||
	bad "line: $(grep -m1 ': sched_switch: ' on.txt)"
for ev in sched_switch sched_wakeup sched_process_fork sched_process_exec sched_process_exit; do
	n=$(grep -c ": $ev: " on.txt)
	[ "$n" -gt 0 ] && ok "$ev recorded ($n)" || bad "$ev not recorded"
done
grep -m1 ': sched_switch: ' on.txt | grep -qE 'prev_comm=.*prev_pid=[0-9]+.*next_comm=.*next_pid=[0-9]+' &&
	ok "sched_switch decoded with its fields" || bad "sched_switch fields: $(grep -m1 ': sched_switch: ' on.txt)"
grep -q ': sched_process_exec: .*filename=/bin/true' on.txt && ok "exec of /bin/true with its file name" ||
	bad "exec event: $(grep -m1 sched_process_exec on.txt)"

# Bad requests: a clear error, nothing changes.
ktr enable no_such_event 2>bad.err; rc=$?
cat bad.err
expect_eq "enable of an unknown event: exit status" "$rc" 1
grep -q 'no event matches' bad.err && ok "says no event matches" || bad "message: $(cat bad.err)"
as_nobody ktr disable sched_switch 2>nobody.err && bad "nobody disabled an event" || ok "nobody cannot disable events"
grep -q 'CAP_PERFMON' nobody.err && ok "nobody is told what is needed" || bad "nobody message: $(cat nobody.err)"
as_nobody ktr list >/dev/null 2>nobody.err && bad "nobody listed events" || ok "nobody cannot list events"
ktr list | grep sched_switch | grep -qi enabled && ok "sched_switch still enabled" || bad "a bad request changed state"

ktr disable 'sched_*' 2>dis.err || bad "ktr disable 'sched_*': $(cat dis.err)"
# Read what was recorded while they were enabled, then nothing more comes.
ktr-read -d 1s >/dev/null 2>&1
ktr-read -d 2s >off2.txt 2>/dev/null &
rp=$!
sleep 0.5
sh -c 'ls / >/dev/null'
wait $rp
expect_eq "sched events after disable" "$(grep -c ': sched_' off2.txt)" 0

# Leave some enabled: rmmod (by the harness) must unregister them.
ktr enable sched_switch sched_wakeup >/dev/null 2>&1 || bad "re-enable"
done_testing
