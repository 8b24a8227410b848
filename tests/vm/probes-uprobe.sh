# Uprobes end to end: a probe on a function of a test program, named
# PATH:SYMBOL (ktr resolves the symbol to a file offset), sees each call
# with its arguments (a register, a user string); a return probe sees each
# return value; a field filter keeps only the calls asked for; a program
# started before the probe is probed too; a probe on a missing file or
# symbol is refused with nothing changed; unloading ktr removes the probes.
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

bin=/usr/bin/ktr-uprobe-target
ktr probe add "p:ucall $bin:ktr_uprobe_target_fn n=%di:s32 text=+0(%si):ustring" >add.out 2>&1 ||
	bad "add uprobe: $(cat add.out)"
ktr probe add "r:uret $bin:ktr_uprobe_target_fn ret=\$retval:s32" >>add.out 2>&1 ||
	bad "add uretprobe: $(cat add.out)"
cat add.out
ktr probe list >plist.txt 2>&1
cat plist.txt
grep -q 'ucall' plist.txt && ok "ucall listed" || bad "ucall not listed"
grep -q 'uretprobe' plist.txt && ok "uret listed as a uretprobe" || bad "no uretprobe kind listed"

ktr-read -d 3s >u.txt 2>u.err &
rp=$!
sleep 0.7
$bin 5 >pid.txt
wait $rp
pid=$(cat pid.txt)
grep -E -- "-$pid +\[" u.txt >mine.txt
cat mine.txt
expect_eq "calls seen" "$(grep -c ': ucall: ' mine.txt)" 5
expect_eq "returns seen" "$(grep -c ': uret: ' mine.txt)" 5
i=1
while [ $i -le 5 ]; do
	grep -qE ": ucall: n=$i text=\"?call-$i\"?\$" mine.txt && ok "call $i with its arguments" ||
		bad "call $i: n=$i text=call-$i not seen"
	grep -qE ": uret: ret=$((i * 3))\$" mine.txt && ok "return $((i * 3))" || bad "return value $((i * 3)) not seen"
	i=$((i + 1))
done

# A field filter on a probe's argument.
ktr filter -e ucall 'n > 3 && text ~ "call-*"' >f.out 2>&1 || bad "filter: $(cat f.out)"
ktr-read -d 2500ms >uf.txt 2>/dev/null &
rp=$!
sleep 0.7
$bin 6 >pid.txt
wait $rp
pid=$(cat pid.txt)
expect_eq "filtered calls (n > 3 of 6)" "$(grep -E -- "-$pid +\[" uf.txt | grep -c ': ucall: ')" 3
ktr filter -e ucall --none >/dev/null || bad "remove the filter"

# A process that was running before the probe was added.
ktr probe del ucall >/dev/null || bad "del ucall"
mkfifo go
( $bin 2 -w <go >pid2.txt ) &
bp=$!
exec 3>go
sleep 0.3
ktr probe add "p:ucall2 $bin:ktr_uprobe_target_fn n=%di:s32" >/dev/null || bad "add ucall2"
ktr-read -d 2s >u2.txt 2>/dev/null &
rp=$!
sleep 0.5
echo go >&3
exec 3>&-
wait $bp
wait $rp
pid2=$(cat pid2.txt)
expect_eq "calls of a process started before the probe" \
	"$(grep -E -- "-$pid2 +\[" u2.txt | grep -c ': ucall2: ')" 2

# Refused, nothing changed.
n0=$(ktr probe list --json | grep -c '"name"')
ktr probe add "p:bad1 /no/such/file:0x10" >b1.txt 2>&1 && bad "missing file accepted" || ok "missing file refused: $(cat b1.txt)"
ktr probe add "p:bad2 $bin:no_such_function_ktr" >b2.txt 2>&1 && bad "missing symbol accepted" ||
	{ grep -q 'no function no_such_function_ktr' b2.txt && ok "missing symbol refused by name" || bad "message: $(cat b2.txt)"; }
ktr probe add "p:bad3 $bin:0x7fffffff" >b3.txt 2>&1 && bad "offset past the end accepted" || ok "offset past the end refused: $(cat b3.txt)"
expect_eq "probes after refusals" "$(ktr probe list --json | grep -c '"name"')" "$n0"

# Leave uret and ucall2 defined: unloading ktr removes them.
done_testing
