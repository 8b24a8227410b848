# ktr funclat end to end: a function a helper calls exactly N times
# (__x64_sys_getppid, from ktr-funclat-probe calls) is counted exactly N
# times with -P on the helper while a second helper makes noise, in text
# (histogram counts add up) and JSON (same count); without -P both count.
# ktr cannot be unloaded while funclat runs (its fd holds the module) and
# nothing stays registered after it ends or fails (kprobes/list). Bad
# input: an unknown function (named, nothing left), 65 functions (CLI and
# module), the module's own checks through raw ioctls (and the cap of
# KTR_FUNCLAT_SETS_MAX sets open at once), no capability.
# The harness unloads ktr at the end and checks for leaks.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12 debug
. ./testlib.sh

fn=__x64_sys_getppid
N=1000
NOISE=300
KL=/sys/kernel/debug/kprobes/list
[ -r $KL ] || { bad "no $KL"; done_testing; }

# probed NAME: how many kprobes the kernel lists as NAME+0xOFF (the list
# names an address by one of its symbols: an alias may be shown instead).
probed() { grep -cE " $1\+0x[0-9a-f]+( |\$)" $KL; }
# hist_sum FILE: the counts of the histogram lines of a text report.
hist_sum() { sed -nE 's/^\[[^)]*\) +([0-9]+) \|.*/\1/p' "$1" | awk '{ s += $1 } END { print s + 0 }'; }

# measure TAG [PFLAG] [FUNCLAT ARGS...]: funclat on the helper's calls. With
# PFLAG "-P", funclat takes -P on the counted helper. Leaves TAG.out,
# TAG.err and rc.
measure() {
	local tag=$1 pflag=$2 cp np fp
	shift 2
	rm -f go
	ktr-funclat-probe calls $N go &
	cp=$!
	ktr-funclat-probe calls $NOISE go &
	np=$!
	if [ "$pflag" = -P ]; then
		ktr funclat -P $cp "$@" >$tag.out 2>$tag.err &
	else
		ktr funclat "$@" >$tag.out 2>$tag.err &
	fi
	fp=$!
	wait_for $tag.err "measuring" 300 || bad "$tag: funclat did not start: $(cat $tag.err)"
	cat $KL
	# The list names the address by any symbol there: match getppid.
	expect_eq "$tag: kretprobes on getppid while running" "$(grep -c getppid $KL)" 1
	touch go
	wait $cp
	wait $np
	kill -INT $fp
	wait $fp
	rc=$?
	cat $tag.out $tag.err
}

# --- exactly N calls, text ------------------------------------------------
measure text -P $fn
expect_eq "text: exit status" "$rc" 0
grep -q "^$fn (ns):\$" text.out && ok "text: header" || bad "text: no header"
expect_eq "text: count" "$(sed -nE 's/^count ([0-9]+) .*/\1/p' text.out)" $N
expect_eq "text: histogram counts add up" "$(hist_sum text.out)" $N
grep -qE "^count $N  avg [0-9]+ ns  min [0-9]+ ns  max [0-9]+ ns  missed 0\$" text.out &&
	ok "text: summary line" || bad "text: summary: $(grep ^count text.out)"
expect_eq "text: nothing left registered" "$(grep -c getppid $KL)" 0

# --- the same in JSON, in microseconds -------------------------------------
measure json -P $fn --json --us
expect_eq "json: exit status" "$rc" 0
expect_eq "json: one line" "$(grep -c . json.out)" 1
expect_eq "json: count" "$(sed -nE "s/.*\"name\":\"$fn\",\"count\":([0-9]+),.*/\1/p" json.out)" $N
expect_eq "json: bucket counts add up" \
	"$(grep -o '"count":[0-9]*}' json.out | tr -dc '0-9\n' | awk '{ s += $1 } END { print s + 0 }')" $N
expect_eq "json: unit" "$(json_str unit json.out)" us
grep -q '"missed":0,' json.out && ok "json: missed 0" || bad "json: missed"
case "$(head -c 1 json.out)$(tail -c 2 json.out | head -c 1)" in
'{}') ok "json: one object" ;;
*) bad "json: not one object" ;;
esac

# --- without -P: both helpers count ---------------------------------------
measure all - $fn
expect_eq "all: exit status" "$rc" 0
all=$(sed -nE 's/^count ([0-9]+) .*/\1/p' all.out)
[ "${all:-0}" -ge $((N + NOISE)) ] && ok "all: $all >= $((N + NOISE)) calls" ||
	bad "all: $all calls, want >= $((N + NOISE))"

# --- -d ends it; a glob; rmmod refused while it runs ------------------------
ktr funclat -d 3s 'vfs_rea*' >glob.out 2>glob.err &
fp=$!
wait_for glob.err measuring 300 || bad "glob: did not start: $(cat glob.err)"
[ "$(probed vfs_read)" = 1 ] && ok "glob: vfs_read probed" || bad "glob: vfs_read not probed"
rmmod ktr 2>rmmod.err && bad "rmmod ktr succeeded while funclat runs" ||
	ok "rmmod ktr refused while funclat runs: $(cat rmmod.err)"
[ -d /sys/module/ktr ] && ok "ktr still loaded" || bad "ktr is gone"
cat /proc/version /proc/version >/dev/null
wait $fp
expect_eq "glob: exit status after -d" "$?" 0
grep -q "^vfs_read (ns):\$" glob.out && ok "glob: vfs_read reported" || bad "glob: $(cat glob.out)"
expect_eq "glob: nothing left registered" "$(probed vfs_read)" 0
ktr funclat -d 1s '*' 2>wide.err
expect_eq "glob of every function: usage error" "$?" 2
grep -q "matches .* functions; funclat measures at most 64" wide.err && ok "too wide a glob: says so" ||
	bad "wide: $(cat wide.err)"

# --- bad input: nothing changes --------------------------------------------
ktr funclat -d 1s vfs_read ktr_no_such_fn_xyz 2>unknown.err
expect_eq "unknown function: exit status" "$?" 1
grep -q "cannot measure ktr_no_such_fn_xyz: no such function" unknown.err &&
	ok "unknown function: named" || bad "unknown: $(cat unknown.err)"
expect_eq "unknown function: vfs_read not left probed" "$(probed vfs_read)" 0
set -- funclat -d 1s
i=0
while [ $i -lt 65 ]; do set -- "$@" fn$i; i=$((i + 1)); done
ktr "$@" 2>many.err
expect_eq "65 functions: usage error" "$?" 2
grep -q "65 functions; funclat measures at most 64" many.err && ok "65: says so" || bad "65: $(cat many.err)"
ktr funclat -P 999999 -d 1s $fn 2>nopid.err
expect_eq "-P of no process: exit status" "$?" 1
grep -q "no process 999999" nopid.err && ok "-P of no process: says so" || bad "nopid: $(cat nopid.err)"
as_nobody ktr funclat -d 1s $fn 2>nobody.err && bad "nobody measured" || ok "nobody cannot measure"
grep -q CAP_PERFMON nobody.err && ok "nobody: told what is needed" || bad "nobody: $(cat nobody.err)"

# The module's own checks, below libktr.
raw() { r=$(ktr-funclat-probe raw "$1" | head -n 1); expect_eq "raw $1" "$r" "$2"; }
raw nr65 "errno=22 failed=none"
raw nr0 "errno=22 failed=none"
raw flags "errno=22 failed=none"
raw unterminated "errno=22 failed=1"
raw empty "errno=22 failed=2"
raw unknown "errno=2 failed=2"
raw notentry "errno=95 failed=1"
raw pid "errno=3 failed=none"
raw stat0 "errno=22 failed=none"
raw unit "errno=22 failed=none"
raw maxactive "errno=22 failed=none"
raw wronly "errno=9 failed=12345"	# refused before the struct is read
raw cap "opened=16 next_errno=28 after_close_errno=0"	# KTR_FUNCLAT_SETS_MAX, all users
ktr-funclat-probe raw read >read.txt
cat read.txt
expect_eq "raw read: result" "$(sed -n 1p read.txt)" "errno=0 failed=none"
expect_eq "raw read: short buffer" "$(sed -n 2p read.txt)" "short read: -1 errno=22"
expect_eq "raw read: one record" "$(sed -n 3p read.txt)" "read: 560 size=560 index=0 tail_zero=1"
ktr-funclat-probe raw bigstat >big.txt
expect_eq "raw read of a larger record: zero-filled" "$(sed -n 3p big.txt)" \
	"read: 1024 size=560 index=0 tail_zero=1"
expect_eq "after the raw requests: nothing probed" "$(grep -c getppid $KL)" 0
expect_eq "after the raw requests: vfs_read not probed" "$(probed vfs_read)" 0
done_testing
