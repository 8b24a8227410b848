# The profile tracer and `ktr profile`: listed with its options, bad
# frequencies refused (nothing changes); profiling a command (ktr-prof-spin,
# a CPU burner in a known call chain built with frame pointers) gives folded
# stacks where its comm holds the samples and its user stack unwinds, and a
# flame graph SVG that is well-formed XML whose frames add up to the sample
# count (ktr-svg-check: no XML parser in the guest; the host unit test also
# runs xmllint); system-wide, the burner is the busiest task and idle CPUs
# show symbolized kernel stacks; --input folds a capture to the same count
# of samples as it holds; CPU hotplug while profile runs (cpu1 off and on:
# its timer is cancelled on the way down and armed again on the way up);
# switching to nop under a running `ktr profile`, and unloading ktr while
# profile's timers fire, are clean.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1
# (on the debug kernel it runs inside tracers-debug.sh, one boot for three)
. ./testlib.sh

# Folded lines are "frame;frame;... count": the samples of those matching $1.
samples() { awk -v re="$1" '$0 ~ re { n += $NF } END { print n + 0 }' "$2"; }

ktr tracer list >list.txt 2>&1 || bad "ktr tracer list: $(cat list.txt)"
grep -qE '^  profile ' list.txt && grep -qE -- '--opt freq=<u64> \(default .99.\)' list.txt &&
	grep -qE -- '--opt user_stack=' list.txt && ok "profile listed with freq and user_stack" ||
	bad "list: $(cat list.txt)"
ktr list -v 'profile:sample' | grep -qE '^ +ustack ' && ok "profile:sample has a ustack field" ||
	bad "format: $(ktr list -v 'profile:sample')"
for f in 0 10001 x; do
	ktr tracer set profile --opt freq=$f >bad.txt 2>&1 && bad "freq=$f accepted" ||
		ok "freq=$f refused: $(cat bad.txt)"
done
ktr tracer | grep -qx 'current tracer: nop' && ok "nothing changed" || bad "tracer now: $(ktr tracer)"

# A command: only it is sampled (record's pid filter follows it).
ktr profile -F 199 -o fold.txt --svg fg.svg -- ktr-prof-spin 2 2>prof.err ||
	bad "ktr profile: $(cat prof.err)"
cat prof.err
head -n 3 fold.txt
total=$(samples . fold.txt)
spin=$(samples '^ktr-prof-spin;' fold.txt)
[ "$total" -ge 10 ] && ok "$total samples" || bad "only $total samples"
[ $((spin * 100)) -ge $((total * 90)) ] && ok "the command holds $spin of $total" ||
	bad "the command holds $spin of $total: $(sort -t' ' -k2 -rn fold.txt | head -n 5)"
grep -q "ktr profile: $total samples" prof.err && ok "the summary counts them all" ||
	bad "summary: $(cat prof.err)"
awk '$0 !~ /^[^;]+(;[^;]+)* [0-9]+$/ { bad = 1 } END { exit bad }' fold.txt &&
	ok "every line is folded (frames;... count)" || bad "malformed: $(grep -vE ' [0-9]+$' fold.txt | head -n 3)"
# main -> spin_outer -> spin_middle -> spin_inner: the user stack walks up
# through the chain (comm, ip, two callers and main at least).
deep=$(awk -F';' '/^ktr-prof-spin;/ && NF >= 5 { n++ } END { print n + 0 }' fold.txt)
[ "$deep" -gt 0 ] && ok "$deep stacks with 4+ user frames" || bad "user stacks do not unwind"
grep -q 'spin_middle;spin_inner' fold.txt && ok "user frames named" ||
	bad "no spin_middle;spin_inner: $(sort -t' ' -k2 -rn fold.txt | head -n 3)"
ktr-svg-check fg.svg "$total" >svg.txt 2>&1 && ok "SVG: $(cat svg.txt)" || bad "SVG: $(cat svg.txt)"
ktr tracer | grep -qx 'current tracer: nop' && ok "profile put nop back" || bad "after: $(ktr tracer)"

# Every CPU: the burner is the busiest task; idle CPUs' kernel stacks.
# The burner outlives the window (the profiler's start takes seconds on the
# debug kernel); the profiler's own samples are not the workload's: the
# busiest task is looked for among the others (ktr's share is shown).
ktr-prof-spin 60 &
sp=$!
ktr profile -d 1500ms -o all.txt 2>all.err || bad "system-wide: $(cat all.err)"
kill $sp 2>/dev/null
wait $sp 2>/dev/null
awk '{ split($0, f, ";"); c[f[1]] += $NF } END { for (k in c) print c[k], k }' all.txt |
	sort -rn >comms.txt
head -n 4 comms.txt
top=$(grep -vE ' (swapper/[0-9]+|ktr)$' comms.txt | head -n 1 | cut -d' ' -f2)
expect_eq "busiest task (the profiler aside)" "$top" ktr-prof-spin
echo "info: the profiler's own share: $(awk '$2 == "ktr" { print $1 }' comms.txt) of $(samples . all.txt) samples"
grep -qE '^swapper/[0-9]+;.*do_idle' all.txt && ok "idle kernel stacks symbolized" ||
	bad "no swapper ...do_idle: $(grep '^swapper' all.txt | head -n 2)"
# The tick runs in __hrtimer_run_queues with interrupts off: no sample
# was interrupted there, so a stack ending in it kept the tick's frames.
grep -qE ';(__hrtimer_run_queues|hrtimer_interrupt) [0-9]+$' all.txt fold.txt &&
	bad "the timer interrupt's own frames were kept" || ok "timer interrupt frames cut off"

# A capture file folded afterwards.
ktr record -p profile --opt freq=99 -o cap.ktr -d 1s 2>rec.err || bad "record: $(cat rec.err)"
n=$(ktr report cap.ktr 2>/dev/null | grep -c ': sample: ')
ktr profile --input cap.ktr --kallsyms /proc/kallsyms -o in.txt 2>in.err || bad "--input: $(cat in.err)"
[ "$n" -gt 0 ] && expect_eq "--input folds every sample" "$(samples . in.txt)" "$n" ||
	bad "no sample in the capture"

# CPU hotplug under a running profile tracer.
ktr tracer set profile --opt freq=500 --opt user_stack=0 >/dev/null || bad "set profile"
echo 0 >/sys/devices/system/cpu/cpu1/online && ok "cpu1 offline" || bad "cpu1 offline"
sleep 0.3
echo 1 >/sys/devices/system/cpu/cpu1/online && ok "cpu1 online" || bad "cpu1 online"
ktr-read -d 1s >hp.txt 2>/dev/null
for c in 000 001; do
	[ "$(grep ': sample: ' hp.txt | grep -c "\[$c\]")" -gt 0 ] && ok "samples on CPU $c" ||
		bad "no sample on CPU $c after hotplug"
done

# Switching to nop under a running ktr profile.
ktr profile -d 1500ms -o sw.txt 2>sw.err &
pp=$!
sleep 0.7
ktr tracer set nop >/dev/null && ok "nop while ktr profile runs" || bad "set nop"
wait $pp && ok "ktr profile ended normally ($(samples . sw.txt) samples)" || bad "ktr profile: $(cat sw.err)"

# Unloading ktr while profile's timers fire on both CPUs.
ktr tracer set profile --opt freq=2000 >/dev/null || bad "set profile"
ktr-prof-spin 1 &
sp=$!
sleep 0.3
rmmod ktr && ok "rmmod with profile current" || bad "rmmod"
[ -d /sys/module/ktr ] && bad "ktr still loaded" || ok "ktr gone"
wait $sp 2>/dev/null
insmod /lib/ktr/ktr.ko && ok "insmod again" || bad "insmod again"
ktr tracer | grep -qx 'current tracer: nop' && ok "nop after reload" || bad "after reload: $(ktr tracer)"

done_testing
