# The tracer registry with the sample tracer module
# (samples/ktr_sample_tracer, built against ktr's installed SDK only):
# nop is current at load; the module registers "sample", which `ktr tracer
# list` shows with its options and `ktr list` with its event format; rmmod
# ktr is refused while the module is loaded; set with options (bad options
# change nothing), its ticks (from writes to its fire parameter, and from
# its timer) are decoded by ktr-read with no change to the tools; RESET
# makes nop current; unloading the module while it is current (its timer
# running) stops it and nop is current again (both changes announced on
# the notices group, as SET_TRACER is); loaded again and unloaded
# while not current. The harness then unloads ktr (nothing left behind;
# kmemleak on the debug kernel).
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 debug
. ./testlib.sh

ko=/lib/ktr/tests/ktr_sample_tracer.ko
fire=/sys/module/ktr_sample_tracer/parameters/fire

ktr tracer >cur.txt 2>&1 || bad "ktr tracer: $(cat cur.txt)"
grep -qx 'current tracer: nop' cur.txt && ok "nop is current at load" || bad "at load: $(cat cur.txt)"
ktr tracer list >list.txt 2>&1 || bad "ktr tracer list: $(cat list.txt)"
cat list.txt
grep -qE '^\* nop ' list.txt && ok "list marks nop current" || bad "nop not marked current"
grep -qE '^  function ' list.txt && ok "function listed" || bad "function not listed"
grep -qE '^  sample ' list.txt && bad "sample listed before its module is loaded" || ok "no sample yet"

insmod "$ko" || bad "insmod the sample tracer module"
ktr tracer list >list.txt 2>&1
grep -qE '^  sample ' list.txt && ok "sample listed" || bad "sample not listed: $(cat list.txt)"
grep -qE -- '--opt tag=<u64> \(default .0.\)' list.txt && ok "option tag listed" || bad "no tag option"
grep -qE -- '--opt period_ms=<u64>' list.txt && ok "option period_ms listed" || bad "no period_ms option"
ktr tracer list --json >list.json
grep '"name":"sample"' list.json | grep -q '"current":false' && ok "json: sample, not current" ||
	bad "json: $(cat list.json)"
ktr list 'sample:*' >evl.txt 2>&1
cat evl.txt
grep -qE '^sample:tick +[0-9]+ +disabled' evl.txt && ok "sample:tick is an event format, off" || bad "no sample:tick"
ktr list -v 'sample:tick' | grep -qE '^ +seq +u64 ' && ok "tick's fields listed" || bad "no seq field"

# ktr.ko is in use by the tracer module.
rmmod ktr 2>rm.err && bad "rmmod ktr succeeded with a tracer module loaded" ||
	ok "rmmod ktr refused while the tracer module is loaded ($(cat rm.err))"
[ -d /sys/module/ktr ] && ok "ktr still loaded" || bad "ktr gone"

ktr tracer set sample --opt tag=42 >set.txt 2>&1 || bad "set sample: $(cat set.txt)"
grep -qx 'current tracer: sample' set.txt && ok "sample set" || bad "set said: $(cat set.txt)"
ktr list 'sample:*' | grep -qE '^sample:tick +[0-9]+ +enabled' && ok "sample:tick enabled while current" ||
	bad "sample:tick: $(ktr list 'sample:*')"
ktr tracer >cur.txt
grep -qx 'current tracer: sample' cur.txt && grep -qx '  tag=42' cur.txt && ok "shows sample, tag=42" ||
	bad "ktr tracer: $(cat cur.txt)"
for opt in tag=x period_ms=5000 nosuch=1 tag; do
	ktr tracer set sample --opt "$opt" >bad.txt 2>&1 && bad "--opt $opt accepted" ||
		ok "--opt $opt refused: $(cat bad.txt)"
	[ "$(wc -l <bad.txt)" = 1 ] && grep -q '^ktr: ' bad.txt || bad "--opt $opt: not one error line"
	ktr tracer | grep -qx '  tag=42' || bad "--opt $opt changed the tracer: $(ktr tracer)"
done
ktr tracer set no_such >bad.txt 2>&1 && bad "unknown tracer accepted" ||
	grep -q "no tracer" bad.txt && ok "unknown tracer refused: $(cat bad.txt)" || bad "said: $(cat bad.txt)"

# Ticks from the writer, decoded by ktr-read.
ktr-read -d 2s >ev.txt 2>read.err &
rp=$!
sleep 0.7
echo 5 >"$fire" || bad "write fire"
wait $rp
grep ': tick: ' ev.txt >ticks.txt
cat ticks.txt
expect_eq "ticks from fire" "$(grep -c ' tag=42 source=0 ' ticks.txt)" 5
expect_eq "their sequence" "$(sed -nE 's/.* seq=([0-9]+) .*/\1/p' ticks.txt | tr '\n' ' ')" "1 2 3 4 5 "

# Ticks from its timer, with other options.
ktr tracer set sample --opt tag=7 --opt period_ms=10 >/dev/null || bad "set sample with a timer"
ktr-read -d 1500ms >tev.txt 2>/dev/null
n=$(grep ': tick: ' tev.txt | grep -c ' tag=7 source=1 ')
[ "$n" -gt 0 ] && ok "timer ticks recorded ($n)" || bad "no timer tick"

# STOP stops the current tracer and START starts it again; set while
# stopped, a tracer is current but not started until START.
run=/sys/module/ktr_sample_tracer/parameters/running
expect_eq "sample started while current" "$(cat $run)" Y
ktr stop >/dev/null || bad "ktr stop"
expect_eq "sample stopped by ktr stop" "$(cat $run)" N
ktr tracer set sample --opt tag=9 >/dev/null || bad "set sample while stopped"
ktr tracer | grep -qx 'current tracer: sample' && ok "set while stopped: current" || bad "after set: $(ktr tracer)"
expect_eq "set while stopped: not started" "$(cat $run)" N
ktr start >/dev/null || bad "ktr start"
expect_eq "sample started by ktr start" "$(cat $run)" Y
ktr-read -d 1500ms >sev.txt 2>/dev/null &
rp=$!
sleep 0.7
echo 2 >"$fire" || bad "write fire after start"
wait $rp
expect_eq "ticks after ktr start" "$(grep ': tick: ' sev.txt | grep -c ' tag=9 source=0 ')" 2

# notice_after WHAT CMD...: run CMD while ktr-ctl-probe listens on the
# notices group; the SET_TRACER notice it got must name nop.
notice_after() {
	local what=$1
	shift
	ktr-ctl-probe tracer-notice 5 >notice.txt 2>&1 &
	local np=$!
	wait_for notice.txt listening || bad "the notice listener did not start"
	"$@" >cmd.out 2>&1 || bad "$what: $* ($(cat cmd.out))"
	wait $np
	expect_eq "notice after $what" "$(tail -n 1 notice.txt)" "tracer nop"
}

# RESET: nop is current (the timer stopped), and a notice says so.
notice_after "reset" ktr reset
ktr tracer | grep -qx 'current tracer: nop' && ok "reset makes nop current" || bad "after reset: $(ktr tracer)"

# Unloaded while current, its timer running.
ktr tracer set sample --opt period_ms=1 >/dev/null || bad "set sample again"
sleep 0.3
notice_after "rmmod while current" rmmod ktr_sample_tracer
ktr tracer | grep -qx 'current tracer: nop' && ok "nop current after unload" || bad "after unload: $(ktr tracer)"
ktr tracer list | grep -qE '^  sample ' && bad "sample still listed" || ok "sample gone from the list"
ktr list 'sample:*' >/dev/null 2>&1 && bad "sample:tick still listed" || ok "sample:tick gone"

# Loaded again (new event id), unloaded while not current.
insmod "$ko" || bad "insmod again"
ktr list 'sample:*' | grep -qE '^sample:tick ' && ok "sample:tick back" || bad "no sample:tick after reload"
rmmod ktr_sample_tracer || bad "rmmod while not current"

done_testing
