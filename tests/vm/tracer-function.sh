# The function tracer against ftrace's own: with ftrace's function tracer
# on the same functions in the same VM, `ktr record -p function -l GLOB
# -n GLOB -- dd ...` sees, for its pid, exactly ftrace's
# sequence of (function, caller) pairs minus the notrace ones, printed as
# symbols; nothing outside the filter is recorded. Unfiltered tracing
# (every function) is refused unless all=1 is given, with the cost said;
# a glob matching nothing is refused; both change nothing. The tracers are
# set before the load starts (TCG: ftrace patching under hot code); the
# command runs on one CPU, so both tracers' time orders agree. `-o -`: the
# text on stdout (with a command, record writes ktr.ktr by default).
# vm-args: --smp 2 --add tests/vm/lib/testlib.sh
# kernels: 6.1 6.12
. ./testlib.sh

T=/sys/kernel/tracing

ktr tracer set function >unf.txt 2>&1 && bad "unfiltered function tracer accepted" ||
	ok "unfiltered refused: $(cat unf.txt)"
grep -q 'all=1' unf.txt && grep -q 'millions of events' unf.txt && ok "the refusal says the cost and the way out" ||
	bad "message: $(cat unf.txt)"
ktr tracer set function --opt 'filter=no_such_function_ktr*' >nm.txt 2>&1 && bad "a glob matching nothing accepted" ||
	ok "glob matching nothing refused: $(cat nm.txt)"
ktr tracer | grep -qx 'current tracer: nop' && ok "nothing changed" || bad "tracer now: $(ktr tracer)"

ktr tracer set function --opt 'filter=vfs_read,vfs_write' --opt notrace=vfs_write >set.txt 2>&1 ||
	bad "set function: $(cat set.txt)"
ktr tracer >cur.txt
grep -qx '  filter=vfs_read,vfs_write' cur.txt && grep -qx '  notrace=vfs_write' cur.txt &&
	ok "ktr tracer shows the options" || bad "ktr tracer: $(cat cur.txt)"
ktr list -v 'function:function' >fmt.txt
grep -qE '^ +ip +' fmt.txt && grep -qE '^ +parent_ip +' fmt.txt && ok "function event format listed" ||
	bad "format: $(cat fmt.txt)"
ktr tracer set nop >/dev/null || bad "back to nop"

# The oracle: ftrace's function tracer on the same functions.
echo 'vfs_read*' >$T/set_ftrace_filter || bad "ftrace filter"
echo >$T/trace
echo function >$T/current_tracer || bad "ftrace function tracer"

ktr record -p function -l 'vfs_read*' -n vfs_readlink -o - \
	-- taskset 1 dd if=/proc/version of=/dev/null bs=16 count=3 \
	>rec.txt 2>rec.err || bad "ktr record: $(cat rec.err)"
# Switching ftrace's tracer empties its buffer: keep it first.
echo 0 >$T/tracing_on
cat $T/trace >ftrace.txt
echo nop >$T/current_tracer
echo 1 >$T/tracing_on
cat rec.err
head -n 5 rec.txt
ktr tracer | grep -qx 'current tracer: nop' && ok "record put nop back" || bad "after record: $(ktr tracer)"

grep ': function: ' rec.txt >fn.txt
[ -s fn.txt ] && ok "$(wc -l <fn.txt) function events" || bad "no function event"
# Only the command's tasks (record follows its pid and children).
sed -nE 's/^ *[^ ]*-([0-9]+) +\[.*/\1/p' fn.txt | sort -u >pids.txt
pairs() { sed -nE 's/.* ip=([a-z_0-9.]+)(\+0x[0-9a-f]+)? parent_ip=([a-z_0-9.]+)(\+0x[0-9a-f]+)?.*/\1 \3/p'; }
pairs <fn.txt >ktr_pairs.txt
expect_eq "every event decoded with symbols" "$(wc -l <ktr_pairs.txt)" "$(wc -l <fn.txt)"
grep -vE '^vfs_read[a-z_0-9.]* ' ktr_pairs.txt >outside.txt
[ -s outside.txt ] && bad "outside the filter: $(head -n 3 outside.txt)" || ok "nothing outside the filter"
# dd's three read(2)s, each vfs_read from ksys_read, and nothing else.
expect_eq "dd's calls" "$(tr '\n' ';' <ktr_pairs.txt)" "vfs_read ksys_read;vfs_read ksys_read;vfs_read ksys_read;"
grep -qE '^vfs_readlink ' ktr_pairs.txt && bad "notrace vfs_readlink recorded" || ok "notrace respected"

: >ftrace_pairs.txt
: >ktr_bypid.txt
while read -r pid; do
	grep -E -- "-$pid +\[" fn.txt | pairs | sed "s/^/$pid /" >>ktr_bypid.txt
	grep -E -- "-$pid +\[" ftrace.txt | sed -nE 's/.*: ([a-z_0-9.]+) <-([a-z_0-9.]+).*/\1 \2/p' |
		grep -vE '^vfs_readlink ' | sed "s/^/$pid /" >>ftrace_pairs.txt
done <pids.txt
# ktr record holds the command in a read(2) of a pipe until everything is
# set: that vfs_read began before ktr's tracer was on (ftrace's already
# was), so ftrace has it first and ktr has not.
first=$(head -n 1 pids.txt)
expect_eq "ftrace's first call: the held read" "$(head -n 1 ftrace_pairs.txt)" "$first vfs_read ksys_read"
sed -i '1d' ftrace_pairs.txt
[ -s ftrace_pairs.txt ] && ok "ftrace saw $(wc -l <ftrace_pairs.txt) calls" ||
	bad "ftrace saw nothing ($(grep -vc '^#' ftrace.txt) lines: $(grep -v '^#' ftrace.txt | head -n 3))"
if cmp -s ktr_bypid.txt ftrace_pairs.txt; then
	ok "ktr's (function, caller) sequence per pid = ftrace's"
else
	bad "sequences differ"
	diff ktr_bypid.txt ftrace_pairs.txt | head -n 20
fi
echo >$T/set_ftrace_filter

done_testing
