# ktr hist and ktr report --stat on a syscall capture recorded in the guest:
# their counts agree with the events `ktr report --json` prints of the same
# file (per event, per CPU, in all; every sys_exit pairs or is unmatched,
# every sys_enter pairs, is followed by another or stays open), no
# progress line reaches a stderr that is not a terminal, and ktr hist reads
# the live stream too.
# kernels: 6.1
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
. ./testlib.sh

ktr record -e sys_enter -e sys_exit -o sys.ktr -- \
	sh -c 'i=0; while [ $i -lt 40 ]; do cat /proc/version >/dev/null; i=$((i + 1)); done' \
	>rec.out 2>rec.err; rc=$?
cat rec.err
expect_eq "ktr record exit status" "$rc" 0
grep -q "$(printf '\033')" rec.err && bad "escape sequences on a stderr that is no terminal" ||
	ok "no progress line on a file"

ktr report --json sys.ktr >all.json 2>/dev/null || bad "report --json failed"
enters=$(grep -c '"event":"sys_enter"' all.json)
exits=$(grep -c '"event":"sys_exit"' all.json)
events=$(grep -c '"event":' all.json)
lost=$(sed -nE 's/.*"lost":([0-9]+).*/\1/p' all.json | awk '{ s += $1 } END { print s + 0 }')
[ "$enters" -gt 100 ] && ok "$enters sys_enter recorded" || bad "only $enters sys_enter"

ktr report --stat sys.ktr >stat.txt 2>stat.err; rc=$?
cat stat.txt
expect_eq "report --stat exit status" "$rc" 0
expect_eq "--stat: events in all" "$(sed -nE 's/^events: ([0-9]+) .*/\1/p' stat.txt)" "$events"
expect_eq "--stat: lost" "$(sed -nE 's/^events: .*, ([0-9]+) lost$/\1/p' stat.txt)" "$lost"
expect_eq "--stat: sys_enter" "$(awk '$2 == "raw_syscalls:sys_enter" { print $1 }' stat.txt)" "$enters"
expect_eq "--stat: sys_exit" "$(awk '$2 == "raw_syscalls:sys_exit" { print $1 }' stat.txt)" "$exits"
for cpu in 0 1; do
	expect_eq "--stat: CPU $cpu" \
		"$(sed -n '/^by CPU:/,/^$/p' stat.txt | awk -v c=$cpu '$1 == c { print $2 }')" \
		"$(grep '"event":' all.json | grep -c "\"cpu\":$cpu,")"
done

ktr hist -i sys.ktr --pair sys_enter:sys_exit --key pid,id >pair.txt 2>pair.err; rc=$?
tail -n 1 pair.txt
expect_eq "hist --pair exit status" "$rc" 0
summary=$(tail -n 1 pair.txt)
pairs=$(echo "$summary" | sed -nE 's/^([0-9]+) pairs; .*/\1/p')
ends=$(echo "$summary" | sed -nE 's/.*unmatched: ([0-9]+) sys_exit without.*/\1/p')
again=$(echo "$summary" | sed -nE 's/.* ([0-9]+) sys_enter followed by another.*/\1/p')
open=$(echo "$summary" | sed -nE 's/.* ([0-9]+) still open at the end.*/\1/p')
[ "$pairs" -gt 100 ] && ok "$pairs pairs" || bad "pairs: $summary"
expect_eq "every sys_exit pairs or is unmatched" "$((pairs + ends))" "$exits"
expect_eq "every sys_enter pairs, restarts or stays open" "$((pairs + again + open))" "$enters"
expect_eq "histogram counts add up to the pairs" \
	"$(awk '/^count / { s += $2 } END { print s + 0 }' pair.txt)" "$pairs"
# busybox cat copies with sendfile(), the shell closes and waits: syscalls by name.
grep -qE '^@sys_enter:sys_exit\[pid=[0-9]+, id=[0-9]+ [a-z0-9_]+\] \(ns\):$' pair.txt &&
	ok "a syscall's latency per pid" || bad "no named histogram: $(head -n 3 pair.txt)"
ktr hist -i sys.ktr --pair sys_enter:sys_exit --key pid,id --by id >byid.txt 2>&1 ||
	bad "hist --pair --by id: $(cat byid.txt)"
expect_eq "--by id: the same pairs" "$(awk '/^count / { s += $2 } END { print s + 0 }' byid.txt)" "$pairs"
expect_eq "--by id: the same summary" "$(tail -n 1 byid.txt)" "$summary"

ktr hist -i sys.ktr sys_exit ret --by id -f 'ret >= 0' >ret.txt 2>ret.err; rc=$?
expect_eq "hist sys_exit ret exit status" "$rc" 0
expect_eq "hist: sys_exit events" \
	"$(sed -nE 's/^sys_exit: ([0-9]+) events, ([0-9]+) kept by the filter.*/\1/p' ret.txt)" "$exits"
expect_eq "hist: kept = counted" \
	"$(sed -nE 's/^sys_exit: ([0-9]+) events, ([0-9]+) kept by the filter.*/\2/p' ret.txt)" \
	"$(awk '/^count / { s += $2 } END { print s + 0 }' ret.txt)"

# The live stream: events enabled first, then read for a second (ktr hist's
# own polls are syscalls too).
ktr enable sys_enter sys_exit >/dev/null
ktr hist sys_exit ret -d 1s >live.txt 2>live.err; rc=$?
ktr disable sys_enter sys_exit >/dev/null
expect_eq "live hist exit status" "$rc" 0
n=$(sed -nE 's/^sys_exit: ([0-9]+) events.*/\1/p' live.txt)
[ "${n:-0}" -gt 0 ] && ok "live: $n sys_exit in the histogram" || bad "live: $(cat live.txt live.err)"
done_testing
