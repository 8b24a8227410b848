# Raw attach end to end: a core tracepoint (sys_enter: arg1 is the syscall
# number) and a module's tracepoint (ktr_test_raw of tests/modules/
# ktr_test_tp.ko, fired with known values) record their raw arguments; the
# module going away while attached leaves the event listed, unavailable,
# and coming back re-attaches it; detach removes it. Bad requests (unknown
# tracepoint, twice, nargs 7, malformed, unprivileged) change nothing.
# Events stay attached at the end: unloading ktr must detach them (the
# harness rmmods it).
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

tp=ktr_test_raw
fire=/sys/module/ktr_test_tp/parameters/fire
state() { ktr list "raw:$1" 2>/dev/null | awk -v e="raw:$1" '$1 == e { print $3 }'; }

# --- a module tracepoint --------------------------------------------------
if ktr attach $tp 2>pre.err; then
	bad "attached $tp before its module is loaded"
else
	grep -q "no tracepoint named '$tp'" pre.err && ok "before its module loads: no such tracepoint" ||
		bad "message: $(cat pre.err)"
fi
insmod /lib/ktr/tests/ktr_test_tp.ko || bad "insmod ktr_test_tp"
ktr attach $tp -n 3 >att.out 2>att.err; rc=$?
cat att.out att.err
expect_eq "ktr attach $tp exit status" "$rc" 0
expect_eq "raw:$tp state after attach" "$(state $tp)" enabled
ktr list -v "raw:$tp" >fields.txt
cat fields.txt
for f in arg0 arg1 arg2; do
	grep -qE "^ +$f +u64 " fields.txt && ok "field $f (u64)" || bad "no u64 field $f"
done
grep -q arg3 fields.txt && bad "4 fields for -n 3" || ok "3 fields for -n 3"
id=$(ktr list "raw:$tp" | awk -v e="raw:$tp" '$1 == e { print $2 }')
[ "$id" -ge 32768 ] 2>/dev/null && ok "raw id $id in the raw range" || bad "raw id: '$id'"

ktr-read -d 2s >mod.txt 2>mod.err &
rp=$!
sleep 0.5
echo 5 >$fire
echo 0x1234 >$fire
wait $rp
grep ": $tp: " mod.txt
magic=0x6b74725f74657374
expect_eq "events of $tp" "$(grep -c ": $tp: " mod.txt)" 2
grep -q ": $tp: arg0=0x5 arg1=0xfffffffffffffffa arg2=$magic\$" mod.txt &&
	ok "args of fire 5" || bad "args of fire 5 not recorded"
grep -q ": $tp: arg0=0x1234 arg1=0xffffffffffffedcb arg2=$magic\$" mod.txt &&
	ok "args of fire 0x1234" || bad "args of fire 0x1234 not recorded"

# Disabled and enabled again through the registry, like any event.
ktr disable "raw:$tp" >/dev/null || bad "ktr disable raw:$tp"
expect_eq "state after disable" "$(state $tp)" disabled
ktr-read -d 1500ms >off.txt 2>/dev/null &
rp=$!
sleep 0.5
echo 6 >$fire
wait $rp
expect_eq "events while disabled" "$(grep -c ": $tp: " off.txt)" 0
ktr enable "raw:*" >/dev/null || bad "ktr enable raw:*"
expect_eq "state after enable" "$(state $tp)" enabled

# Bad requests: a clear error each, nothing changes.
ktr attach $tp 2>twice.err; rc=$?
expect_eq "attach twice: exit status" "$rc" 1
grep -q "already attached" twice.err && ok "attach twice: says so" || bad "twice: $(cat twice.err)"
ktr attach no_such_tracepoint_xyz 2>nosuch.err; rc=$?
expect_eq "attach unknown: exit status" "$rc" 1
grep -q "no tracepoint named 'no_such_tracepoint_xyz'" nosuch.err && ok "unknown: says so" ||
	bad "unknown: $(cat nosuch.err)"
ktr attach sys_exit -n 7 2>n7.err; rc=$?
expect_eq "ktr attach -n 7: usage error" "$rc" 2
ktr detach no_such_tracepoint_xyz 2>det.err; rc=$?
expect_eq "detach unknown: exit status" "$rc" 1
grep -q "not attached raw" det.err && ok "detach unknown: says so" || bad "detach: $(cat det.err)"
# Below the CLI: the module's own checks.
req() { r=$(ktr-raw-request "$@"); echo "$* -> $r"; }
req attach name=sys_exit nargs=7
case $r in errno=34\ msg=*) ok "nargs 7: ERANGE with a message" ;; *) bad "nargs 7: $r" ;; esac
req attach nargs=2
case $r in errno=22\ msg=?*) ok "no name: EINVAL with a message" ;; *) bad "no name: $r" ;; esac
req attach name=
case $r in errno=22\ msg=?*) ok "empty name: EINVAL with a message" ;; *) bad "empty name: $r" ;; esac
req attach name=$(printf 'x%.0s' $(seq 64))
case $r in errno=0*) bad "64-byte name accepted" ;; errno=*\ msg=?*) ok "64-byte name refused with a message" ;; *) bad "long name: $r" ;; esac
req attach name=sys_exit nargs8=2
case $r in errno=0*) bad "u8 nargs accepted" ;; errno=*\ msg=?*) ok "u8 nargs refused with a message" ;; *) bad "u8 nargs: $r" ;; esac
req attach name=$tp
case $r in errno=17\ msg=?*) ok "twice: EEXIST with a message" ;; *) bad "twice: $r" ;; esac
req detach name=$tp nargs=1
case $r in errno=22\ msg=?*) ok "detach with nargs: EINVAL with a message" ;; *) bad "detach nargs: $r" ;; esac
as_nobody ktr attach sys_exit 2>nobody.err && bad "nobody attached" || ok "nobody cannot attach"
grep -q 'CAP_PERFMON' nobody.err && ok "nobody is told what is needed" || bad "nobody: $(cat nobody.err)"
as_nobody ktr detach $tp 2>/dev/null && bad "nobody detached" || ok "nobody cannot detach"
as_nobody ktr-raw-request attach name=sys_exit >nobody.txt
grep -q '^errno=1 ' nobody.txt && ok "nobody: EPERM from the module" || bad "nobody: $(cat nobody.txt)"
ktr list 'raw:*' >after-bad.txt
cat after-bad.txt
expect_eq "raw events after bad requests" "$(grep -c '^raw:' after-bad.txt)" 1
expect_eq "state after bad requests" "$(state $tp)" enabled

# The module goes away while attached, then comes back.
rmmod ktr_test_tp && ok "rmmod ktr_test_tp while attached" || bad "rmmod ktr_test_tp"
expect_eq "state without the module" "$(state $tp)" unavailable
ktr enable "raw:$tp" 2>/dev/null && bad "enabled an unavailable raw event" || ok "cannot enable while unavailable"
insmod /lib/ktr/tests/ktr_test_tp.ko || bad "insmod ktr_test_tp again"
expect_eq "state with the module back" "$(state $tp)" enabled
ktr-read -d 1500ms >back.txt 2>/dev/null &
rp=$!
sleep 0.5
echo 9 >$fire
wait $rp
grep -q ": $tp: arg0=0x9 arg1=0xfffffffffffffff6 arg2=$magic\$" back.txt &&
	ok "recorded again after the module came back" || bad "back: $(grep ": $tp: " back.txt)"

ktr detach "raw:$tp" >/dev/null 2>det2.err && ok "detach raw:$tp" || bad "detach: $(cat det2.err)"
expect_eq "listed after detach" "$(ktr list 'raw:*' | grep -c "raw:$tp")" 0
ktr detach $tp 2>/dev/null && bad "detached twice" || ok "second detach fails"
# A new attach gets a new id.
ktr attach $tp -n 1 >/dev/null || bad "attach again"
id2=$(ktr list "raw:$tp" | awk -v e="raw:$tp" '$1 == e { print $2 }')
[ "$id2" -gt "$id" ] 2>/dev/null && ok "new id $id2 > $id" || bad "ids: $id then $id2"

# --- a core tracepoint: sys_enter(regs, id) -------------------------------
ktr attach sys_enter -n 2 >/dev/null 2>se.err || bad "attach sys_enter: $(cat se.err)"
ktr-read -d 2s >sys.txt 2>/dev/null &
rp=$!
sleep 0.5
sh -c 'echo $$ >pid.txt; exec cat /proc/version' >/dev/null
wait $rp
pid=$(cat pid.txt)
grep -E -- "-$pid +\[[0-9]+\] .*: sys_enter: " sys.txt >mine.txt
head -n 5 mine.txt
n=$(grep -c . mine.txt)
[ "$n" -gt 3 ] && ok "sys_enter events of pid $pid ($n)" || bad "sys_enter events of pid $pid: $n"
for nr in 0x3b 0x101 0x3 0xe7; do	# execve, openat, close, exit_group
	grep -q "arg1=$nr\$" mine.txt && ok "syscall $nr seen as arg1" || bad "syscall $nr not seen"
done
expect_eq "arg0 (struct pt_regs *) is a kernel address" \
	"$(grep -vc ' arg0=0xffff[0-9a-f]\{12\} ' mine.txt)" 0
expect_eq "arg1 out of the syscall range" \
	"$(grep -vcE ' arg1=0x([0-9a-f]|[0-9a-f][0-9a-f]|1[0-9a-f][0-9a-f])$' mine.txt)" 0

# Leave both attached (and the test module loaded): unloading ktr must
# detach everything.
ktr list 'raw:*'
done_testing
