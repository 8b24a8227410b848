# Dynamic probes end to end: a kprobe on do_sys_openat2 with typed fetch
# arguments (a register, a nested dereference, a user string) sees exactly
# the paths a program opens, in order; a kretprobe's return values match
# what the program got (a fd, and -ENOENT); $duration is recorded; a probe
# survives disable/enable; definitions the kernel refuses change nothing;
# MODULE:SYMBOL and bare addresses in a module work and are marked gone when
# it unloads; probes are removed by del, by reset and (left active) by
# unloading ktr.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh --add tests/data/probe_defs_bad.txt
# kernels: 6.1 6.12
# start-early: yes
. ./testlib.sh

req() { ktr-raw-request "$@"; }

ktr probe add 'p:myopen do_sys_openat2 dfd=%di:s32 path=+0(%si):ustring how=+0(%dx):x64' >add.txt 2>&1 ||
	bad "add kprobe: $(cat add.txt)"
grep -qE '^added kprobes:myopen \(id 1638[4-9]\)$' add.txt && ok "added, id in the probe range" || bad "add said: $(cat add.txt)"
ktr probe add 'r:myopen_ret do_sys_openat2 ret=$retval:s64 took=$duration' >/dev/null || bad "add kretprobe"
ktr list 'kprobes:*' >list.txt 2>&1
cat list.txt
grep -qE '^kprobes:myopen +[0-9]+ +enabled' list.txt && ok "myopen listed, enabled" || bad "myopen not listed enabled"
grep -qE '^kprobes:myopen_ret +[0-9]+ +enabled' list.txt && ok "myopen_ret listed, enabled" || bad "myopen_ret not listed enabled"
ktr list -v 'kprobes:myopen' >fields.txt
cat fields.txt
grep -qE '^ +dfd +s32 ' fields.txt && ok "field dfd s32" || bad "no s32 field dfd"
grep -qE '^ +path +string ' fields.txt && ok "field path string" || bad "no string field path"
grep -qE '^ +how +x64 ' fields.txt && ok "field how x64" || bad "no x64 field how"
ktr probe list >plist.txt
cat plist.txt
grep -E '^kprobes:myopen ' plist.txt | grep -qE 'kprobe .*(ftrace|int3|optimized)' && ok "probe list: kind and mechanism" ||
	bad "probe list line: $(grep myopen plist.txt)"
grep -E '^kprobes:myopen_ret ' plist.txt | grep -q 'kretprobe' && ok "probe list: kretprobe" || bad "no kretprobe line"

ktr-read -d 3s >open.txt 2>read.err &
rp=$!
sleep 0.7
sh -c 'echo $$ >pid.txt; exec cat /proc/version /no/such/file /etc/passwd' >/dev/null 2>&1
wait $rp
pid=$(cat pid.txt)
grep -E -- "-$pid +\[" open.txt >mine.txt
cat mine.txt
grep ': myopen: ' mine.txt | sed -nE 's/.* path="?([^" ]*)"?.*/\1/p' | grep -v '^/lib\|^/etc/ld\|^/usr/lib\|^pid.txt$' >paths.txt
expect_eq "paths opened, in order" "$(tr '\n' ' ' <paths.txt)" "/proc/version /no/such/file /etc/passwd "
grep ': myopen_ret: ' mine.txt | sed -nE 's/.* ret=(-?[0-9]+).*/\1/p' >rets.txt
grep -q -- '^-2$' rets.txt && ok "kretprobe saw -ENOENT" || bad "no -2 return: $(tr '\n' ' ' <rets.txt)"
grep -qE '^[3-9]$' rets.txt && ok "kretprobe saw a fd" || bad "no fd return: $(tr '\n' ' ' <rets.txt)"
grep ': myopen_ret: ' mine.txt | grep -qE ' took=(0x[0-9a-f]*[1-9a-f][0-9a-f]*|[1-9][0-9]*)' && ok "duration recorded" || bad "no duration"

# @SYM: a kernel variable read at each hit (jiffies moves, never 0 here).
ktr probe add 'p:symread do_sys_openat2 j=@jiffies:u64 j4=+0(@jiffies):u32' >sym.txt 2>&1 ||
	bad "add @SYM probe: $(cat sym.txt)"
ktr-read -d 1500ms >symev.txt 2>/dev/null &
rp=$!
sleep 0.5
sh -c 'echo $$ >pid.txt; exec cat /proc/version' >/dev/null
wait $rp
grep -E -- "-$(cat pid.txt) +\[" symev.txt | grep ': symread: ' | head -n 2
grep -E -- "-$(cat pid.txt) +\[" symev.txt | grep -qE ': symread: j=[1-9][0-9]* ' &&
	ok "@jiffies read at the probe" || bad "no @jiffies value"
ktr probe del symread >/dev/null || bad "del symread"

# Disable, then enable again: the probe stays defined.
# (Checks look at the events of one workload process: the shell's own
# redirections open files too, and a reader may find older events.)
# mine FILE PIDFILE EVENT: the EVENT lines of the process in PIDFILE
mine() { grep -E -- "-$(cat "$2") +\[" "$1" | grep ": $3: "; }
ktr disable myopen >/dev/null || bad "disable myopen"
ktr-read -d 1500ms >off.txt 2>/dev/null &
rp=$!
sleep 0.5
sh -c 'echo $$ >pid.txt; exec cat /proc/version' >/dev/null
wait $rp
expect_eq "events while disabled" "$(mine off.txt pid.txt myopen | grep -c .)" 0
# (pid.txt and /proc/version: two opens)
expect_eq "the return probe still records" "$(mine off.txt pid.txt myopen_ret | grep -c .)" 2
ktr enable myopen >/dev/null || bad "enable myopen"
ktr-read -d 1500ms >on.txt 2>/dev/null &
rp=$!
sleep 0.5
sh -c 'echo $$ >pid.txt; exec cat /proc/version' >/dev/null
wait $rp
mine on.txt pid.txt myopen | grep -q '/proc/version' && ok "recorded again after enable" || bad "nothing after enable"

# A field filter on a probe argument, and stack capture.
ktr filter -e myopen 'path ~ "/etc/*" && dfd < 0' >/dev/null || bad "filter on probe fields"
ktr filter -e myopen_ret --stack >/dev/null || bad "stack capture on a probe event"
ktr-read -d 2s >filt.txt 2>/dev/null &
rp=$!
sleep 0.5
sh -c 'echo $$ >pid.txt; exec cat /proc/version /etc/passwd /etc/group' >/dev/null 2>&1
wait $rp
mine filt.txt pid.txt myopen | sed -nE 's/.* path="?([^" ]*)"?.*/\1/p' | grep -v '^/lib\|^/etc/ld\|^/usr/lib\|^pid.txt$' >fpaths.txt
expect_eq "filtered paths (/etc/* only)" "$(tr '\n' ' ' <fpaths.txt)" "/etc/passwd /etc/group "
# The next event on the probe event's CPU is its stack.
cpu=$(grep -m1 ': myopen_ret: ' filt.txt | sed -nE 's/.*(\[[0-9]+\]).*/\1/p')
grep -F " $cpu " filt.txt | grep -A1 ': myopen_ret: ' | grep -q ': stack: ' &&
	ok "stack recorded after a probe event" || bad "no stack after myopen_ret on $cpu"
ktr filter -e myopen --none >/dev/null || bad "remove the filter"
ktr filter -e myopen_ret --no-stack >/dev/null || bad "stop the stacks"

# Every malformed definition of the parser's table, refused by the CLI
# before anything is sent and, sent raw, by the kernel's own parse.
n0=$(ktr probe list --json | grep -c .)
nbad=0
while IFS='	' read -r def want; do
	case "$def" in '#'*) continue ;; esac
	nbad=$((nbad + 1))
	ktr probe add -- "$def" >cli.out 2>&1; rc=$?
	case "$want" in
	*"user space resolves"*)	# the CLI does: it says what it could not
		[ "$rc" != 0 ] || bad "CLI took '$def'" ;;
	*)
		if [ "$rc" = 2 ] && grep -qF -- "$want" cli.out; then :; else
			bad "CLI: '$def': rc $rc, $(tail -n 1 cli.out) (want '$want')"
		fi ;;
	esac
	out=$(req probe-add "def=$def")
	if [ ${#def} -ge 1023 ]; then
		case "$out" in errno=0*) bad "kernel took a definition of ${#def} bytes" ;; esac
		continue
	fi
	case "$out" in
	"errno=22 msg="*"$want"*) ;;
	*) bad "kernel: '$def': got '$out', want errno=22 and '$want'" ;;
	esac
done <probe_defs_bad.txt
[ "$nbad" -ge 100 ] && ok "$nbad malformed definitions refused by the CLI and by the kernel" || bad "only $nbad definitions"
expect_eq "probes after malformed definitions" "$(ktr probe list --json | grep -c .)" "$n0"

# Refused in the kernel for what only the kernel knows, each changing nothing.
while IFS='|' read -r def want; do
	out=$(req probe-add "def=$def")
	case "$out" in
	*"$want"*) ok "refused: $def ($want)" ;;
	*) bad "definition '$def': got '$out', want '$want'" ;;
	esac
done <<'DEFS'
p:x no_such_function_ktr|errno=2 
p:myopen do_sys_openat2|errno=17 
p:y do_sys_openat2+1|errno=95 
p:z ktr_kprobe_record|errno=95 
p:w do_sys_openat2 a=%zz|unknown register
r:v do_sys_openat2+8|errno=22 
p:u do_sys_openat2 x=@no_such_symbol_ktr|errno=2 
p:t /no/such/file:0x10|errno=2 
DEFS
expect_eq "probes after refused definitions" "$(ktr probe list --json | grep -c .)" "$n0"

ktr probe del myopen >del.txt 2>&1 || bad "delete myopen: $(cat del.txt)"
ktr list 'kprobes:myopen' 2>/dev/null | grep -q '^kprobes:myopen ' && bad "myopen still listed" || ok "myopen gone"
ktr probe list | grep -q '^kprobes:myopen ' && bad "myopen still a probe" || ok "myopen not in probe list"
out=$(req probe-del name=myopen)
case "$out" in errno=2*) ok "second delete: ENOENT" ;; *) bad "second delete: $out" ;; esac
out=$(req probe-del name=myopen all=1)
case "$out" in errno=22*) ok "name and all: EINVAL" ;; *) bad "name and all: $out" ;; esac

# MODULE:SYMBOL on a loaded module, and a bare address inside it. When the
# module goes, both stay listed as gone (the bare address names no module:
# only the kernel's kprobes know it is gone), cannot be enabled, stay gone
# when the module comes back, and are deleted cleanly.
tko=/lib/ktr/tests/ktr_test_tp.ko
tfire=/sys/module/ktr_test_tp/parameters/fire
insmod $tko || bad "insmod ktr_test_tp"
ktr probe add 'p:modfire ktr_test_tp:ktr_test_fire val=+0(%di):string' >mod.txt 2>&1 ||
	bad "add MODULE:SYMBOL: $(cat mod.txt)"
taddr=$(awk '$3 == "ktr_test_fire" && $4 == "[ktr_test_tp]" { print $1 }' /proc/kallsyms)
ktr probe add "p:modaddr 0x$taddr" >mod.txt 2>&1 || bad "add a bare address in a module: $(cat mod.txt)"
ktr-read -d 1500ms >modev.txt 2>/dev/null &
rp=$!
sleep 0.5
printf 4242 >$tfire
wait $rp
grep -qE ': modfire: .*val="?4242' modev.txt && ok "MODULE:SYMBOL probe fires with its argument" ||
	bad "no modfire event: $(grep modfire modev.txt)"
grep -qE ': modaddr:( |$)' modev.txt && ok "bare-address probe in a module fires" || bad "no modaddr event"
rmmod ktr_test_tp || bad "rmmod ktr_test_tp under probes"
ktr probe list >modlist.txt
cat modlist.txt
grep -E '^kprobes:modfire ' modlist.txt | grep -qw gone && ok "MODULE:SYMBOL probe gone with its module" ||
	bad "modfire not gone: $(grep modfire modlist.txt)"
grep -E '^kprobes:modaddr ' modlist.txt | grep -qw gone && ok "bare-address probe gone with its module" ||
	bad "modaddr not gone: $(grep modaddr modlist.txt)"
ktr list 'kprobes:mod*' | grep -E '^kprobes:mod' | grep -qw enabled && bad "a gone probe still enabled" ||
	ok "gone probes are not enabled"
if ktr enable 'kprobes:mod*' >en.txt 2>&1; then
	bad "enabled gone probes: $(cat en.txt)"
else
	grep -q 'probed code is gone' en.txt && ok "enabling a gone probe: refused, said why" ||
		bad "enable gone said: $(cat en.txt)"
fi
insmod $tko || bad "insmod ktr_test_tp again"
ktr probe list | grep -E '^kprobes:mod' | grep -c gone >n.txt
expect_eq "probes stay gone when the module is back" "$(cat n.txt)" 2
ktr probe del modfire >/dev/null || bad "del modfire"
ktr probe del modaddr >/dev/null || bad "del modaddr"
rmmod ktr_test_tp || bad "rmmod ktr_test_tp at the end"

# Reset removes probes.
ktr probe add 'p:tmp_probe vfs_read' >/dev/null || bad "add tmp_probe"
ktr reset >/dev/null || bad "reset"
expect_eq "probes after reset" "$(ktr probe list --json | grep -c .)" 0

# Leave probes active (one firing all the time): unloading ktr removes them.
req probe-add 'def=p:left_active vfs_read n=%dx:u64' >/dev/null
req probe-add 'def=r:left_ret vfs_read r=$retval:s64' >/dev/null
expect_eq "probes left for unload" "$(ktr list 'kprobes:*' | grep -c '^kprobes:left')" 2
done_testing
