# soak.sh - the bounded soak of `make soak` (scripts/soak runs it with vm/run;
# never part of `make check`: it lives outside tests/vm/).
#
#   soak.sh [minutes=10] [epoch=60] [reader=8]
#
# A mixed workload (fork/exec, pipes, file I/O, UDP and TCP floods on lo) runs
# for MINUTES with every curated event enabled, cut into epochs of EPOCH
# seconds. Within an epoch readers follow one another (ktr-read, text or JSON,
# READER seconds each, stopped with SIGTERM or SIGKILL, 1 s without a reader
# in between), event filters change under load (expressions replaced; a
# filter on block_rq_issue, which never fires here, keeps the filter key on)
# and, half-way, the buffer is replaced under load (the other mode). Between
# epochs, in a calm window (the workload paused, then every event disabled,
# so no writer is in flight): the buffer is drained, checked, replaced (mode
# and geometry changed), the task filters and stack capture of the next
# epoch set, and the events enabled again before the workload resumes
# (static keys flip only while calm: see the TCG note in vm/run).
#
# Checked, exactly:
#  - every reader stopped with SIGTERM (and every drain) read, per CPU, what
#    the kernel's read counter moved by while it ran (one stream reader at a
#    time, so the counter moves with that reader only);
#  - at each buffer replacement, per CPU, the kernel's read counter equals
#    what the readers of that buffer read (SIGKILLed readers: what the kernel
#    counted for them, the sub-buffer they held included, as they cannot
#    report);
#  - at each calm end, per CPU: buffered == 0 and
#    written == read + lost_full + lost_overwritten + lost_nesting + lost_disabled;
#  - ktr.ko unloads at the end. The harness (vm/run) then reports any KASAN,
#    lockdep or kmemleak finding (exit 125).
# Prints one SOAK-SUMMARY block: per CPU written/read/lost, readers, filter
# changes, buffer switches, epochs, workload iterations.
. ./testlib.sh

minutes=10
epoch_s=60
reader_s=8
for a in "$@"; do
	case $a in
	minutes=*) minutes=${a#*=} ;;
	epoch=*) epoch_s=${a#*=} ;;
	reader=*) reader_s=${a#*=} ;;
	*) echo "soak.sh: unknown argument '$a'"; exit 2 ;;
	esac
done

W=/tmp/soak
mkdir -p $W
rm -f $W/*

# --- kernel counters (ktr stat --json) ------------------------------------------
stat_json() { ktr stat --json >"$1" 2>$W/stat.err || bad "ktr stat --json: $(cat $W/stat.err)"; }
# jget FILE CPU KEY: one CPU's counter in a `ktr stat --json` document
jget() {
	tr '{' '\n' <"$1" | grep -E "\"cpu\": *$2[,} ]" | sed -nE "s/.*\"$3\": *([0-9]+).*/\1/p" | head -n 1
}
stat_json $W/boot.json
cpus=$(tr '{' '\n' <$W/boot.json | sed -nE 's/.*"cpu": *([0-9]+).*/\1/p' | tr '\n' ' ')
[ -n "$cpus" ] || { bad "no CPU in ktr stat --json: $(cat $W/boot.json)"; done_testing; }
echo "soak: $minutes min, epochs of $epoch_s s, readers of $reader_s s, CPUs: $cpus"

# Per-CPU sums: v NAME CPU reads, add NAME CPU N adds.
v() { eval "echo \${$1_$2:-0}"; }
add() { eval "$1_$2=\$(( \${$1_$2:-0} + $3 ))"; }
for c in $cpus; do
	for k in tw tr tb tlf tlo tln tld seg rl kr; do eval "${k}_$c=0"; done
done

readers=0 n_term=0 n_kill=0 n_drain=0 filter_changes=0 switches=0 hot_switches=0
epochs=0 calm_checks=0 reader_checks=0

# --- the workload ---------------------------------------------------------------
ip link set lo up || bad "ip link set lo up"
tcp_once() {
	timeout 20 nc -l -p 7777 >/dev/null 2>&1 &
	local s=$!
	sleep 0.2
	dd if=/dev/zero bs=16384 count=64 2>/dev/null | timeout 20 nc 127.0.0.1 7777 >/dev/null 2>&1
	wait $s
}
forkexec_once() { sh -c '/bin/true; echo x | cat >/dev/null; ls / >/dev/null'; }
pipe_once() { dd if=/dev/zero bs=4096 count=128 2>/dev/null | md5sum >/dev/null; }
file_once() {
	dd if=/dev/zero of=$W/data bs=65536 count=16 2>/dev/null && cat $W/data | wc -c >/dev/null
	rm -f $W/data
}
udp_once() { timeout 30 ktr-event-load udp 200 >/dev/null; }
# load_loop NAME: NAME_once until $W/stop; while $W/pause exists it says
# so ($W/paused.NAME) and waits.
load_loop() {
	local n=0
	while [ ! -e $W/stop ]; do
		if [ -e $W/pause ]; then
			: >$W/paused.$1
			while [ -e $W/pause ] && [ ! -e $W/stop ]; do sleep 0.2; done
			continue
		fi
		"$1_once" >/dev/null 2>&1
		n=$((n + 1))
	done
	echo $n >$W/iter.$1
}
loads="forkexec pipe file udp tcp"
nloads=$(echo $loads | wc -w)
load_pids=""
# The loops run at nice 19: they take what the readers and ktr's control
# commands leave (under TCG on the debug kernel, at nice 0 they starve them).
load_start() {
	for l in $loads; do
		load_loop $l &
		load_pids="$load_pids $!"
		renice -n 19 -p $! >/dev/null || bad "renice the $l loop"
	done
}
# Pause the workload: every loop between two iterations (bounded wait).
load_pause() {
	rm -f $W/paused.*
	: >$W/pause
	local i=0
	while [ "$(ls $W/paused.* 2>/dev/null | wc -l)" -lt "$nloads" ]; do
		i=$((i + 1))
		[ $i -gt 600 ] && { bad "the workload did not pause in 120 s: $(ls $W)"; return 1; }
		sleep 0.2
	done
	return 0
}
load_resume() { rm -f $W/pause; }

# --- events and filters -------------------------------------------------------------
enable_all() {
	ktr enable '*' >$W/en.out 2>&1 || bad "ktr enable '*': $(cat $W/en.out)"
	ktr list >$W/list.txt 2>&1 || bad "ktr list: $(cat $W/list.txt)"
	# Every curated event (the module's own systems) is enabled.
	awk '$3 == "disabled" && $1 ~ /^(sched|raw_syscalls|irq|block|net|kmem|exceptions):/' \
		$W/list.txt >$W/off.txt
	[ -s $W/off.txt ] && bad "curated events still disabled after ktr enable '*': $(cat $W/off.txt)"
	n_enabled=$(awk '$3 == "enabled" && $1 !~ /^ktr:/' $W/list.txt | wc -l)
	[ "$n_enabled" -gt 0 ] || bad "no event enabled after ktr enable '*': $(cat $W/list.txt)"
}
disable_all() { ktr disable '*' >$W/dis.out 2>&1 || bad "ktr disable '*': $(cat $W/dis.out)"; }
filter() { # filter ARGS...: one change of the filters
	if ktr filter "$@" >$W/f.out 2>&1; then
		filter_changes=$((filter_changes + 1))
	else
		bad "ktr filter $*: $(cat $W/f.out)"
	fi
}
# Under load: expressions replaced (the event filter key stays on).
hot_filters_sched='prev_pid!=0
prev_state & 2 && next_comm ~ "k*"
prev_prio < 120 && next_pid > 1
--none'
hot_filters_sys='id != 0
id == 257 || id == 0
--none
id < 1000'
hot_i=0
hot_filter() {
	hot_i=$((hot_i + 1))
	local n1 n2 e1 e2
	n1=$(echo "$hot_filters_sched" | wc -l)
	n2=$(echo "$hot_filters_sys" | wc -l)
	e1=$(echo "$hot_filters_sched" | sed -n "$((hot_i % n1 + 1))p")
	e2=$(echo "$hot_filters_sys" | sed -n "$((hot_i % n2 + 1))p")
	if [ "$e1" = --none ]; then filter -e sched_switch --none; else filter -e sched_switch "$e1"; fi
	if [ "$e2" = --none ]; then filter -e sys_enter --none; else filter -e sys_enter "$e2"; fi
	[ $((hot_i % 3)) = 0 ] && filter -e kmalloc "bytes_alloc >= $((16 << (hot_i % 5)))"
	[ $((hot_i % 3)) = 1 ] && filter -e kmalloc --none
}
# While calm: the task filters and stack capture of the next epoch.
calm_filters() { # EPOCH
	filter --no-pids --no-comms --all-cpus
	filter -e sched_process_exec --no-stack
	case $(($1 % 4)) in
	0) ;;
	1) filter -e sched_process_exec --stack ;;
	2) filter -c 'sh' -c 'dd' -c 'md5sum' -c 'nc' -c 'ktr-*' -c 'k*' ;;
	3) filter --cpus 0 ;;
	esac
}

# --- buffers --------------------------------------------------------------------------
geometries="--subbuf-size 4K --nr-subbufs 64
--subbuf-size 16K --nr-subbufs 16
--subbuf-size 64K --nr-subbufs 8
--subbuf-size 8K --nr-subbufs 4"
mode=discard
set_buffer() { # GEOMETRY_INDEX MODE
	local g
	g=$(echo "$geometries" | sed -n "$(($1 % 4 + 1))p")
	# shellcheck disable=SC2086 # the geometry's words
	if ktr buffer $g --mode "$2" >$W/buf.out 2>&1; then
		switches=$((switches + 1))
		mode=$2
		for c in $cpus; do eval "seg_$c=0"; done
		echo "soak: buffer $g --mode $2"
	else
		bad "ktr buffer $g --mode $2: $(cat $W/buf.out)"
	fi
}
other_mode() { [ "$mode" = discard ] && echo overwrite || echo discard; }

# --- readers ----------------------------------------------------------------------------
rpid=""
reader_start() { # KIND: text | json
	stat_json $W/r.before
	readers=$((readers + 1))
	if [ "$1" = json ]; then
		ktr-read --json >/dev/null 2>$W/r.err &
	else
		ktr-read >/dev/null 2>$W/r.err &
	fi
	rpid=$!
	r_kind=$1
	r_t0=$(date +%s)
}
# reader_check HOW: per CPU, the reader's count against the kernel's read
# counter's move (TERM, DRAIN); KILL: only what the kernel counted.
reader_check() {
	local c before after got lost
	stat_json $W/r.after
	for c in $cpus; do
		before=$(jget $W/r.before $c read)
		after=$(jget $W/r.after $c read)
		if [ "$1" = KILL ]; then
			add seg $c $((after - before))
			add kr $c $((after - before))
			continue
		fi
		got=$(awk -v c=$c '$1 == c { print $2 }' $W/r.err)
		lost=$(awk -v c=$c '$1 == c { print $4 }' $W/r.err)
		if [ "${got:-x}" = $((after - before)) ]; then
			reader_checks=$((reader_checks + 1))
		else
			bad "reader $readers ($1), CPU $c: read ${got:-nothing}, the kernel's read counter moved by $((after - before))"
			cat $W/r.err
		fi
		add seg $c $((after - before))
		add rl $c ${lost:-0}
	done
}
reader_stop() { # TERM | KILL
	[ -n "$rpid" ] || return 0
	kill -$1 $rpid
	wait $rpid
	local rc=$?
	rpid=""
	if [ "$1" = TERM ]; then
		n_term=$((n_term + 1))
		[ $rc = 0 ] || { bad "reader $readers: exit status $rc after SIGTERM"; cat $W/r.err; }
	else
		n_kill=$((n_kill + 1))
		[ $rc = 137 ] || bad "reader $readers: exit status $rc after SIGKILL, want 137"
	fi
	reader_check $1
	echo "soak: reader $readers ($r_kind, SIG$1) ran $(($(date +%s) - r_t0)) s, buffer $switches ($mode)"
}
drain() {
	stat_json $W/r.before
	ktr-read -d 2s >/dev/null 2>$W/r.err || bad "drain reader failed: $(cat $W/r.err)"
	n_drain=$((n_drain + 1))
	reader_check DRAIN
}

# seg_end CALM|HOT: the buffer is about to be replaced (no reader open): the
# kernel's read counter equals what this buffer's readers read; while calm,
# written == read + lost exactly and nothing is left.
seg_end() {
	local c w r b lf lo ln ld
	stat_json $W/seg.json
	for c in $cpus; do
		w=$(jget $W/seg.json $c written)
		r=$(jget $W/seg.json $c read)
		b=$(jget $W/seg.json $c buffered)
		lf=$(jget $W/seg.json $c lost_full)
		lo=$(jget $W/seg.json $c lost_overwritten)
		ln=$(jget $W/seg.json $c lost_nesting)
		ld=$(jget $W/seg.json $c lost_disabled)
		[ "$r" = "$(v seg $c)" ] ||
			bad "$1 end of buffer $switches, CPU $c: kernel read $r, its readers read $(v seg $c)"
		if [ "$1" = CALM ]; then
			[ "$b" = 0 ] || bad "calm end of buffer $switches, CPU $c: $b events still buffered after the drain"
			if [ "$w" = $((r + lf + lo + ln + ld)) ]; then
				calm_checks=$((calm_checks + 1))
			else
				bad "calm end of buffer $switches, CPU $c: written $w != read $r + lost $lf+$lo+$ln+$ld"
			fi
		fi
		add tw $c "$w"
		add tr $c "$r"
		add tb $c "$b"
		add tlf $c "$lf"
		add tlo $c "$lo"
		add tln $c "$ln"
		add tld $c "$ld"
		echo "soak: $1 end of buffer $switches ($mode), CPU $c: written $w read $r buffered $b lost_full $lf overwritten $lo nesting $ln disabled $ld"
	done
}

# --- the run ----------------------------------------------------------------------------
t_start=$(date +%s)
t_end=$((t_start + minutes * 60))
filter -e block_rq_issue 'sector >= 0'
calm_filters 0
set_buffer 0 discard
enable_all
echo "soak: $n_enabled events enabled"
load_start

kinds="text json text"
sigs="TERM KILL TERM TERM KILL"
ri=0
epoch=0
while [ "$(date +%s)" -lt $t_end ]; do
	epoch=$((epoch + 1))
	e_end=$(($(date +%s) + epoch_s))
	[ $e_end -gt $t_end ] && e_end=$t_end
	hot_done=0
	while [ "$(date +%s)" -lt $e_end ]; do
		ri=$((ri + 1))
		kind=$(echo $kinds | cut -d ' ' -f $((ri % 3 + 1)))
		sig=$(echo $sigs | cut -d ' ' -f $((ri % 5 + 1)))
		reader_start $kind
		sleep $((reader_s / 2))
		hot_filter
		sleep $((reader_s - reader_s / 2))
		reader_stop $sig
		# Half-way through the epoch, between readers: the buffer replaced under load.
		if [ $hot_done = 0 ] && [ $(($(date +%s) + epoch_s / 2)) -ge $e_end ] &&
			[ "$(date +%s)" -lt $e_end ]; then
			seg_end HOT
			set_buffer $((epoch + 2)) "$(other_mode)"
			hot_switches=$((hot_switches + 1))
			hot_done=1
		fi
		sleep 1
	done
	# Calm window: workload paused, events off, drain, check, new buffer.
	c_t0=$(date +%s)
	load_pause
	sleep 1
	disable_all
	drain
	seg_end CALM
	if [ "$(date +%s)" -lt $t_end ]; then
		calm_filters $epoch
		set_buffer $epoch "$(other_mode)"
		enable_all
		load_resume
	fi
	echo "soak: epoch $epoch done, its calm window took $(($(date +%s) - c_t0)) s"
done
epochs=$epoch
t_run=$(($(date +%s) - t_start))
: >$W/stop
load_resume
for p in $load_pids; do wait $p; done
filter --clear

# --- the summary --------------------------------------------------------------------------
echo "SOAK-SUMMARY: $t_run s, $epochs epochs, $n_enabled events enabled, mode at the end $mode"
echo "SOAK-SUMMARY: readers $readers (SIGTERM $n_term, SIGKILL $n_kill) + $n_drain drains;" \
	"exact reader checks $reader_checks, exact calm checks $calm_checks"
echo "SOAK-SUMMARY: filter changes $filter_changes, buffer replacements $switches ($hot_switches under load)"
it=""
for l in $loads; do it="$it $l=$(cat $W/iter.$l 2>/dev/null || echo ?)"; done
echo "SOAK-SUMMARY: workload iterations:$it"
# Per CPU, summed over every buffer: lost = lost_full + overwritten + nesting
# + disabled; freed = left in a buffer replaced under load (freed with it,
# by design; those snapshots are taken while writers run, so written there
# may be a few events ahead); reader_lost = the losses the SIGTERM readers
# saw in sub-buffer headers; read_by_killed = what the kernel counted as
# read by the SIGKILLed readers.
printf 'SOAK-SUMMARY: %4s %12s %12s %12s %10s %12s %8s %9s %8s %12s %14s\n' cpu written read lost \
	lost_full overwritten nesting disabled freed reader_lost read_by_killed
for c in $cpus; do
	printf 'SOAK-SUMMARY: %4s %12s %12s %12s %10s %12s %8s %9s %8s %12s %14s\n' "$c" "$(v tw $c)" \
		"$(v tr $c)" "$(($(v tlf $c) + $(v tlo $c) + $(v tln $c) + $(v tld $c)))" "$(v tlf $c)" \
		"$(v tlo $c)" "$(v tln $c)" "$(v tld $c)" "$(v tb $c)" "$(v rl $c)" "$(v kr $c)"
done

# --- the module unloads ---------------------------------------------------------------------
if rmmod ktr 2>$W/rm.err; then
	grep -q '^ktr ' /proc/modules && bad "ktr still in /proc/modules after rmmod" || ok "ktr.ko unloaded"
else
	bad "rmmod ktr: $(cat $W/rm.err)"
fi
done_testing
