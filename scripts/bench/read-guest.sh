#!/bin/sh
# read-guest.sh - the guest half of `make bench-read` (busybox sh, in a vm/run guest).
#
#   vm/run --no-load --smp N --bin "$(command -v trace-cmd)" scripts/bench/read-guest.sh KEY=VALUE...
#
# Keys: rates ("20000 50000 100000 200000 400000": events/s offered in total,
# split evenly over one writer per vCPU; "max" = as fast as the writers can),
# seconds (3 per run), rounds (1), configs ("ktr-file tc-record ktr-null tc-stream"),
# buffer_kb (1024 per CPU, both tracers), subbuf_size (65536: ktr's sub-buffer;
# nr_subbufs = buffer_kb * 1024 / subbuf_size), mode (discard | overwrite),
# size (32 bytes per event), trace_clock (local), verify (first | all | none),
# buffer_percent (ftrace's wake-up watermark for trace-cmd's recorders; empty:
# the kernel's default, 50),
# ktr_read_args (extra ktr-read arguments, split on blanks), tc_record_args
# (extra `trace-cmd record` arguments, e.g. "--compression none"), producer
# (writers | syscalls, below).
#
# Consumers (each reads every CPU's buffer while the writers flood it):
#   ktr-file   ktr-read -o FILE                  binary capture on the guest's tmpfs
#   ktr-null   ktr-read >/dev/null               text, decoded, merged, thrown away
#   tc-record  trace-cmd record -p nop -o FILE   splice of ftrace pages into per-CPU
#                                                files on tmpfs, merged into FILE at stop
#   tc-stream  trace-cmd stream -p nop >/dev/null  text, parsed and printed, thrown away
# The flood, producer=writers: ktr-bench-writer pinned to each vCPU writes
# the same SIZE-byte message once per write(), to /dev/ktr (one ktr marker
# event) or to /sys/kernel/tracing/trace_marker (one ftrace print event).
# producer=syscalls: a kernel-side flood that can outrun the consumer: a
# getppid() loop (ktr-bench-events) pinned to CPU 0 for SECONDS, traced as
# raw_syscalls:sys_enter by both (ktr enable; trace-cmd record -e), every
# process's sys_enter recorded as the peers would; the consumer and its
# children pinned to the last CPU (taskset). Rates do not apply ("max");
# attempted is what the tracer counted written (received + lost + unread),
# loop_calls the loop's own getppid() calls.
# Every run also records the consumer's CPU time (user, system: its own and
# its reaped children's, e.g. trace-cmd's recorders) from the wrapper's
# /proc/PID/stat.
#
# Order inside this one boot: round by round, rate by rate (lowest first),
# every configuration at each rate (ktr-file tc-record ktr-null tc-stream, ...).
# Each ktr run loads ktr.ko afresh (its counters start at 0) and unloads it;
# each trace-cmd run starts from a cleared ftrace buffer and keeps its
# counters after the stop (trace-cmd -k) so that they can be read.
#
# Output on stdout, one record a line, read by scripts/bench/read-report:
#   BENCH-META KEY VALUE...      facts about this guest (value may hold spaces)
#   BENCH-RESULT k=v k=v ...     one run (see scripts/bench/README.md for the keys)
#   BENCH-ERROR config=.. rate=.. round=.. why...
#   BENCH-RAW ...                raw outputs of the run (kept in the log, not shown)
# Other lines are progress for the human reader.

T=/sys/kernel/tracing
KTR_KO=/lib/ktr/ktr.ko
W=/tmp/bench

rates="20000 50000 100000 200000 400000"
seconds=3
rounds=1
configs="ktr-file tc-record ktr-null tc-stream"
buffer_kb=1024
subbuf_size=65536
mode=discard
size=32
trace_clock=local
verify=first
buffer_percent=""
ktr_read_args=""
tc_record_args=""
producer=writers
for kv in "$@"; do
	case $kv in
	rates=*) rates=${kv#*=} ;;
	seconds=*) seconds=${kv#*=} ;;
	rounds=*) rounds=${kv#*=} ;;
	configs=*) configs=${kv#*=} ;;
	buffer_kb=*) buffer_kb=${kv#*=} ;;
	subbuf_size=*) subbuf_size=${kv#*=} ;;
	mode=*) mode=${kv#*=} ;;
	size=*) size=${kv#*=} ;;
	trace_clock=*) trace_clock=${kv#*=} ;;
	verify=*) verify=${kv#*=} ;;
	buffer_percent=*) buffer_percent=${kv#*=} ;;
	ktr_read_args=*) ktr_read_args=${kv#*=} ;;
	tc_record_args=*) tc_record_args=${kv#*=} ;;
	producer=*) producer=${kv#*=} ;;
	*) echo "read-guest: unknown argument '$kv'" >&2; exit 2 ;;
	esac
done

vcpus=$(nproc)
nr_subbufs=$((buffer_kb * 1024 / subbuf_size))
failures=0
meta() { echo "BENCH-META $*"; }
say() { echo "# $*"; }
raw() { sed "s/^/BENCH-RAW $1: /" "$2" 2>/dev/null; }
uptime_cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
secs() { awk -v d="$1" 'BEGIN { printf "%.2f\n", d / 100 }'; }

[ -f $T/trace_marker ] || { echo "read-guest: no tracefs at $T" >&2; exit 1; }
command -v trace-cmd >/dev/null || { echo "read-guest: no trace-cmd in the guest (vm/run --bin)" >&2; exit 1; }
command -v ktr-bench-writer >/dev/null ||
	{ echo "read-guest: no ktr-bench-writer in the guest (build tests/vm/tools)" >&2; exit 1; }
case $producer in
writers) consumer_cpu="" ;;
syscalls)
	rates=max
	verify=none
	[ "$vcpus" -ge 2 ] || { echo "read-guest: producer=syscalls needs 2 vCPUs or more" >&2; exit 2; }
	consumer_cpu=$((vcpus - 1))
	command -v ktr-bench-events >/dev/null ||
		{ echo "read-guest: no ktr-bench-events in the guest (build tests/vm/tools)" >&2; exit 1; } ;;
*) echo "read-guest: producer must be writers or syscalls, got '$producer'" >&2; exit 2 ;;
esac
case $mode in discard) tc_overwrite=nooverwrite ;; overwrite) tc_overwrite=overwrite ;;
*) echo "read-guest: mode must be discard or overwrite, got '$mode'" >&2; exit 2 ;; esac
for c in $configs; do
	case $c in ktr-file|ktr-null|tc-record|tc-stream) ;;
	*) echo "read-guest: unknown config '$c' (ktr-file ktr-null tc-record tc-stream)" >&2; exit 2 ;;
	esac
done
if grep -q '^ktr ' /proc/modules; then
	rmmod ktr || { echo "read-guest: ktr is loaded and does not unload" >&2; exit 1; }
fi

# --- facts about this guest --------------------------------------------------
cs=/sys/devices/system/clocksource/clocksource0
meta vcpus "$vcpus"
meta kernel_release "$(uname -r)"
meta cpu_model "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
meta mem_total_kb "$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)"
meta clocksource_at_start "$(cat $cs/current_clocksource)"
meta trace_clock_default "$(sed 's/.*\[\(.*\)\].*/\1/' $T/trace_clock)"
meta trace_cmd_version "$(trace-cmd --version 2>&1 | sed -n 's/^trace-cmd version //p' | head -n 1)"
meta rates "$rates"
meta seconds "$seconds"
meta rounds "$rounds"
meta configs "$configs"
meta event_size "$size"
meta mode "$mode"
meta buffer_kb_per_cpu "$buffer_kb"
meta ktr_subbuf_size "$subbuf_size"
meta ktr_nr_subbufs "$nr_subbufs"
meta ktr_read_args "$ktr_read_args"
meta tc_record_args "$tc_record_args"
meta producer "$producer"
if [ "$producer" = syscalls ]; then
	meta writer "ktr-bench-events syscall: a getppid() loop pinned to CPU 0, raw_syscalls:sys_enter traced; consumer pinned to CPU $consumer_cpu"
else
	meta writer "ktr-bench-writer: one process per vCPU, pinned, one write() of $size bytes per event"
fi

echo 0 >$T/tracing_on
echo nop >$T/current_tracer
if ! echo "$trace_clock" >$T/trace_clock; then
	echo "read-guest: cannot set trace_clock to '$trace_clock' (have: $(cat $T/trace_clock))" >&2
	exit 1
fi
meta trace_clock "$(sed 's/.*\[\(.*\)\].*/\1/' $T/trace_clock)"
meta ftrace_buffer_percent_default "$(cat $T/buffer_percent)"
if [ -n "$buffer_percent" ] && ! echo "$buffer_percent" >$T/buffer_percent; then
	echo "read-guest: cannot set buffer_percent to '$buffer_percent'" >&2
	exit 1
fi
meta ftrace_buffer_percent "$(cat $T/buffer_percent)"
meta ktr_clock "local_clock (ktr.ko)"

# --- helpers -----------------------------------------------------------------
# Run the reader "$@" in the background under a shell that, once the reader
# has exited, saves its own /proc/PID/io: that holds the reader's I/O
# counters (a reaped child's, and those of the children it reaped, are
# added to its parent's), taken after everything the reader did, its final
# drain and merge included. Sets rpid (the reader) and wpid (the wrapper).
start_reader() {
	[ -z "$consumer_cpu" ] || set -- taskset -c "$consumer_cpu" "$@"
	sh -c 'io=$1; shift; "$@" & echo $! >"$io.pid"; wait $!; rc=$?; cat /proc/$$/io >"$io"
		cat /proc/$$/stat >"$io.stat"; exit $rc' \
		sh "$W/io" "$@" &
	wpid=$!
	rpid=""
	n=0
	while [ $n -lt 50 ] && [ -z "$rpid" ]; do
		rpid=$(cat "$W/io.pid" 2>/dev/null)
		[ -n "$rpid" ] || sleep 0.1
		n=$((n + 1))
	done
}

# ready TRACER: wait (at most 20 s) until the reader reads every CPU.
ready() {
	t0=$(uptime_cs)
	n=0
	while [ $n -lt 200 ]; do
		kill -0 "$rpid" 2>/dev/null || return 1
		case $1 in
		ktr)	# one mapping per CPU stream
			[ "$(grep -c 'ktr_stream' /proc/"$rpid"/maps 2>/dev/null)" -ge "$vcpus" ] && break ;;
		tc)	# trace-cmd and its per-CPU recorders, tracing on
			[ "$(grep -l '^trace-cmd$' /proc/[0-9]*/comm 2>/dev/null | wc -l)" -ge $((vcpus + 1)) ] &&
				[ "$(cat $T/tracing_on)" = 1 ] && break ;;
		esac
		sleep 0.1
		n=$((n + 1))
	done
	[ $n -lt 200 ] || return 1
	ready_s=$(secs $(($(uptime_cs) - t0)))
	sleep 0.5
}

# stop: SIGINT to the reader, wait for it to exit (3 s); then a second
# SIGINT, 30 s more; then SIGKILL to it and every trace-cmd process, and the
# run fails. trace-cmd stream (3.1.6) blocks for good in poll() after its
# first SIGINT when its pipes are empty, as they are once it has drained the
# buffer (at a terminal: Ctrl-C twice): the second signal interrupts the
# poll() and it stops normally. A second SIGINT does no harm to ktr-read or
# trace-cmd record still finishing their output. Sets reader_rc, stop_s,
# stop_signals.
stop_reader() {
	t0=$(uptime_cs)
	stop_signals=0
	limit=30
	while [ $stop_signals -lt 2 ]; do
		kill -INT "$rpid" 2>/dev/null
		stop_signals=$((stop_signals + 1))
		n=0
		while kill -0 "$wpid" 2>/dev/null && [ $n -lt $limit ]; do
			sleep 0.1
			n=$((n + 1))
		done
		kill -0 "$wpid" 2>/dev/null || break
		limit=300
	done
	if kill -0 "$wpid" 2>/dev/null; then
		# shellcheck disable=SC2046 # one pid a word
		kill -KILL "$rpid" $(grep -l '^trace-cmd$' /proc/[0-9]*/comm 2>/dev/null |
			sed 's|^/proc/\([0-9]*\)/comm$|\1|') 2>/dev/null
		wait "$wpid"
		reader_rc=timeout
	else
		wait "$wpid"
		reader_rc=$?
	fi
	stop_s=$(secs $(($(uptime_cs) - t0)))
}

# drain_stream: after the flood, let trace-cmd stream empty the ftrace
# buffer before it is stopped: its stop deadlocks (the parent waits for its
# recorders while they block writing into full pipes) when the recorders
# still hold more than a pipe's worth of data. Its recorders block until
# buffer_percent of the buffer is full, so without writers the rest would
# only trickle out: buffer_percent goes to 0 for the drain (the flood is
# over; nothing measured changes). Waits until the per-CPU "entries" stop
# falling for 1.5 s (a partly written page stays), at most 30 s. ktr-read
# and trace-cmd record need no such wait (they drain everything at their
# stop); the events counted are the same either way. Sets drain_s.
ftrace_entries() { cat $T/per_cpu/cpu*/stats | awk '/^entries:/ { n += $2 } END { print n + 0 }'; }
drain_stream() {
	t0=$(uptime_cs)
	percent=$(cat $T/buffer_percent)
	echo 0 >$T/buffer_percent
	last=$(ftrace_entries) still=0 n=0
	while [ "$last" -gt 0 ] && [ $n -lt 300 ] && [ $still -lt 15 ]; do
		sleep 0.1
		now=$(ftrace_entries)
		if [ "$now" -lt "$last" ]; then still=0; else still=$((still + 1)); fi
		last=$now
		n=$((n + 1))
	done
	echo "$percent" >$T/buffer_percent
	drain_s=$(secs $(($(uptime_cs) - t0)))
}

# syscall_flood: the getppid() loop on CPU 0 for $seconds, in chunks;
# sets the w_* variables as flood does (one "writer").
syscall_flood() {
	t0=$(uptime_cs)
	calls=0 ns=0 wrc=0
	while [ $(($(uptime_cs) - t0)) -lt $((seconds * 100)) ]; do
		ktr-bench-events syscall --cpu 0 --iterations 200000 --reps 1 >"$W/writers.out" 2>&1 ||
			{ wrc=1; break; }
		calls=$((calls + 200000))
	done
	w_n=1 w_attempted=$calls w_written=$calls w_refused=0 w_late_ns=0 w_errors=none
	w_elapsed_ns=$(($(uptime_cs) - t0))0000000
	[ "$wrc" = 0 ]
}

# flood PATH RATE: one writer per vCPU; sums their lines into w_* variables.
flood() {
	[ "$producer" = writers ] || { syscall_flood; return; }
	per=0
	[ "$2" = max ] || per=$(($2 / vcpus))
	pids=""
	c=0
	while [ $c -lt "$vcpus" ]; do
		ktr-bench-writer "$1" --cpu $c --rate $per --seconds "$seconds" --size "$size" \
			>"$W/writer$c.out" 2>&1 &
		pids="$pids $!"
		c=$((c + 1))
	done
	wrc=0
	for p in $pids; do wait "$p" || wrc=$?; done
	cat "$W"/writer*.out >"$W/writers.out"
	w_n=0 w_attempted=0 w_written=0 w_refused=0 w_elapsed_ns=0 w_late_ns=0 w_errors=none
	eval "$(awk '
		/^ktr-bench-writer / {
			for (i = 2; i <= NF; i++) { p = index($i, "="); v[substr($i, 1, p - 1)] = substr($i, p + 1) }
			att += v["attempted"]; wr += v["written"]; ref += v["refused"]; n++
			if (v["elapsed_ns"] + 0 > el) el = v["elapsed_ns"] + 0
			if (v["late_ns"] + 0 > late) late = v["late_ns"] + 0
			if (v["errors"] != "none") errs = errs (errs == "" ? "" : ",") "cpu" v["cpu"] ":" v["errors"]
		}
		END {
			printf "w_n=%d w_attempted=%.0f w_written=%.0f w_refused=%.0f w_elapsed_ns=%.0f w_late_ns=%.0f w_errors=%s\n", \
				n, att, wr, ref, el, late, (errs == "" ? "none" : errs)
		}' "$W/writers.out")"
	rm -f "$W"/writer*.out
	[ "$wrc" = 0 ] && [ "$w_n" = "$vcpus" ]
}

# io_fields: the reader's /proc/PID/io as k=v, and its CPU time (the
# wrapper's cutime and cstime: fields 16 and 17 of /proc/PID/stat, in
# USER_HZ = 100 ticks on x86).
io_fields() {
	awk '/^(rchar|wchar|syscr|syscw|read_bytes|write_bytes):/ { sub(/:$/, "", $1); printf " io_%s=%s", $1, $2 }' "$W/io"
	awk '{ sub(/^.*\) /, ""); printf " cpu_user_s=%.2f cpu_sys_s=%.2f", $14 / 100, $15 / 100 }' "$W/io.stat"
}

# syscalls_attempted STATS: with producer=syscalls, attempted is what the
# tracer counted (received + lost + unread), the loop's calls loop_calls.
syscalls_attempted() {
	[ "$producer" = syscalls ] || return 0
	w_calls=$w_attempted
	w_attempted=$(echo "$1" | awk '{ for (i = 1; i <= NF; i++) { p = index($i, "=")
		v[substr($i, 1, p - 1)] = substr($i, p + 1) } printf "%.0f", v["received"] + v["lost"] + v["unread"] }')
	loop_calls=" loop_calls=$w_calls"
}

fail() {
	echo "BENCH-ERROR config=$config rate=$rate round=$round $*"
	failures=$((failures + 1))
}

should_verify() {
	case $verify in all) return 0 ;; first) [ "$first_rate" = 1 ] ;; *) return 1 ;; esac
}

# --- one run -------------------------------------------------------------------
# run_ktr CONFIG RATE ROUND
run_ktr() {
	config=$1 rate=$2 round=$3
	rm -rf $W && mkdir -p $W
	if ! err=$(insmod $KTR_KO subbuf_size="$subbuf_size" nr_subbufs="$nr_subbufs" mode="$mode" 2>&1); then
		fail "insmod ktr.ko failed: $err"
		return
	fi
	if [ "$producer" = syscalls ] && ! err=$(ktr enable raw_syscalls:sys_enter 2>&1); then
		fail "ktr enable raw_syscalls:sys_enter: $err"
		rmmod ktr
		return
	fi
	say "round $round, $rate ev/s: $config"
	# shellcheck disable=SC2086 # extra arguments are split on purpose
	case $config in
	ktr-file) start_reader ktr-read -o $W/out.ktr $ktr_read_args >$W/reader.out 2>$W/reader.err ;;
	ktr-null) start_reader ktr-read $ktr_read_args >/dev/null 2>$W/reader.err ;;
	esac
	if [ -z "$rpid" ] || ! ready ktr; then
		fail "ktr-read did not start streaming within 20 s"
		raw reader "$W/reader.err"
		[ -n "$rpid" ] && kill -KILL "$rpid" 2>/dev/null
		wait "$wpid"
		rmmod ktr 2>/dev/null
		return
	fi
	wok=1
	flood /dev/ktr "$rate" || wok=0
	sleep 0.5
	stop_reader
	raw writers "$W/writers.out"
	raw reader "$W/reader.err"
	raw io "$W/io"
	# ktr-read's statistics: the "total" row (read by ktr-read | kernel counters).
	# unread: written by the kernel, neither read nor lost (0: ktr-read
	# drains every CPU at its stop).
	stats=$(awk '$1 == "total" && $5 == "|" {
		printf "received=%s record_bytes=%s read_lost=%s written=%s lost_full=%s lost_overwritten=%s lost_nesting=%s lost_disabled=%s lost=%.0f unread=%.0f", \
			$2, $3, $4, $6, $7, $8, $9, $10, $7 + $8 + $9 + $10, $6 - $2 - ($7 + $8 + $9 + $10) }' "$W/reader.err")
	loop_calls=""
	syscalls_attempted "$stats"
	out_bytes=0
	[ -f $W/out.ktr ] && out_bytes=$(wc -c <$W/out.ktr)
	extra=""
	if [ "$config" = ktr-file ] && should_verify; then
		extra=" file_events=$(ktr report $W/out.ktr 2>/dev/null | grep -c 'ktr-bench cpu')"
	fi
	if [ $wok = 0 ]; then
		fail "a writer failed: $(tr '\n' ' ' <"$W/writers.out" 2>/dev/null)"
	elif [ "$reader_rc" != 0 ]; then
		fail "ktr-read exited with status $reader_rc: $(tail -n 3 $W/reader.err | tr '\n' ' ')"
	elif [ -z "$stats" ] || [ ! -s $W/io ]; then
		fail "no statistics from ktr-read or no /proc/PID/io: $(tail -n 3 $W/reader.err | tr '\n' ' ')"
	else
		echo "BENCH-RESULT tracer=ktr config=$config rate=$rate round=$round vcpus=$vcpus seconds=$seconds" \
			"writers=$w_n attempted=$w_attempted writes_ok=$w_written refused=$w_refused" \
			"writer_errors=$w_errors elapsed_ns=$w_elapsed_ns late_ns=$w_late_ns $stats" \
			"output_bytes=$out_bytes$(io_fields) ready_s=$ready_s stop_s=$stop_s" \
			"stop_signals=$stop_signals$extra$loop_calls"
	fi
	if ! err=$(rmmod ktr 2>&1); then
		fail "rmmod ktr failed: $err"
	fi
	rm -rf $W
}

# run_tc CONFIG RATE ROUND
run_tc() {
	config=$1 rate=$2 round=$3
	rm -rf $W && mkdir -p $W
	echo 0 >$T/tracing_on
	echo >$T/trace
	say "round $round, $rate ev/s: $config"
	# -k: keep the buffer (and its counters) after the stop, to read them.
	# shellcheck disable=SC2086 # extra arguments are split on purpose
	what="-p nop"
	[ "$producer" = syscalls ] && what="-e raw_syscalls:sys_enter"
	case $config in
	tc-record) start_reader trace-cmd record -k -b "$buffer_kb" -C "$trace_clock" $what \
		-O "$tc_overwrite" -o $W/trace.dat $tc_record_args >$W/reader.err 2>&1 ;;
	tc-stream) start_reader trace-cmd stream -k -b "$buffer_kb" -C "$trace_clock" $what \
		-O "$tc_overwrite" >/dev/null 2>$W/reader.err ;;
	esac
	if [ -z "$rpid" ] || ! ready tc; then
		fail "trace-cmd did not start recording within 20 s"
		raw reader "$W/reader.err"
		[ -n "$rpid" ] && kill -INT "$rpid" 2>/dev/null
		sleep 2
		kill -KILL "$rpid" 2>/dev/null
		wait "$wpid"
		echo 0 >$T/tracing_on
		return
	fi
	# What trace-cmd set up, as the kernel sees it.
	tc_state="buffer_size_kb=$(cat $T/buffer_size_kb) overwrite=$(cat $T/options/overwrite)"
	tc_state="$tc_state trace_clock=$(sed 's/.*\[\(.*\)\].*/\1/' $T/trace_clock)"
	wok=1
	flood $T/trace_marker "$rate" || wok=0
	sleep 0.5
	drain_s=0
	[ "$config" = tc-stream ] && drain_stream
	stop_reader
	raw writers "$W/writers.out"
	raw reader "$W/reader.err"
	raw io "$W/io"
	c=0
	: >$W/stats
	while [ $c -lt "$vcpus" ]; do
		sed "s/^/cpu$c /" $T/per_cpu/cpu$c/stats >>$W/stats
		c=$((c + 1))
	done
	raw stats "$W/stats"
	# Per-CPU ftrace counters (kept by -k): read events = consumed by trace-cmd;
	# dropped events (buffer full, no overwrite), overrun (overwritten),
	# commit overrun: lost; entries: left in the buffer, never read (unread:
	# trace-cmd may leave its last, partly written page behind).
	stats=$(awk '
		/ read events:/ { rd += $NF } / dropped events:/ { dr += $NF }
		/ commit overrun:/ { co += $NF; next } / overrun:/ { ov += $NF }
		/ entries:/ { en += $NF }
		END { printf "received=%.0f lost_dropped=%.0f lost_overrun=%.0f lost_commit_overrun=%.0f lost=%.0f unread=%.0f", \
			rd, dr, ov, co, dr + ov + co, en }' $W/stats)
	loop_calls=""
	syscalls_attempted "$stats"
	out_bytes=0
	[ -f $W/trace.dat ] && out_bytes=$(wc -c <$W/trace.dat)
	# trace-cmd record prints per CPU "N bytes in size (M uncompressed)":
	# M is what it spliced out of the ring buffer into its per-CPU file.
	spliced=""
	[ "$config" = tc-record ] && spliced=" spliced_bytes=$(awk '/bytes in size/ {
		if (match($0, /\([0-9]+ uncompressed\)/)) s += substr($0, RSTART + 1, RLENGTH - 15) + 0
		else s += $1 } END { printf "%.0f", s }' $W/reader.err)"
	extra=""
	if [ "$config" = tc-record ] && should_verify; then
		extra=" file_events=$(trace-cmd report $W/trace.dat 2>/dev/null | grep -c 'ktr-bench cpu')"
	fi
	if [ $wok = 0 ]; then
		fail "a writer failed: $(tr '\n' ' ' <"$W/writers.out" 2>/dev/null)"
	elif [ "$reader_rc" != 0 ]; then
		fail "trace-cmd exited with status $reader_rc: $(tail -n 3 $W/reader.err | tr '\n' ' ')"
	elif ! grep -q 'read events:' $W/stats || [ ! -s $W/io ]; then
		fail "no ftrace per-CPU statistics or no /proc/PID/io"
	else
		echo "BENCH-RESULT tracer=trace-cmd config=$config rate=$rate round=$round vcpus=$vcpus seconds=$seconds" \
			"writers=$w_n attempted=$w_attempted writes_ok=$w_written refused=$w_refused" \
			"writer_errors=$w_errors elapsed_ns=$w_elapsed_ns late_ns=$w_late_ns $stats" \
			"output_bytes=$out_bytes$spliced$(io_fields) ready_s=$ready_s drain_s=$drain_s" \
			"stop_s=$stop_s stop_signals=$stop_signals" \
			"$tc_state$extra$loop_calls"
	fi
	echo 0 >$T/tracing_on
	echo >$T/trace
	rm -rf $W
}

# --- the runs ------------------------------------------------------------------
r=1
while [ $r -le "$rounds" ]; do
	first_rate=$([ $r = 1 ] && echo 1 || echo 0)
	for rate in $rates; do
		case $rate in max) ;; ''|*[!0-9]*) echo "read-guest: bad rate '$rate'" >&2; exit 2 ;; esac
		for c in $configs; do
			case $c in
			ktr-*) run_ktr "$c" "$rate" $r ;;
			tc-*) run_tc "$c" "$rate" $r ;;
			esac
		done
		first_rate=0
	done
	r=$((r + 1))
done

meta clocksource_at_end "$(cat $cs/current_clocksource)"
meta tsc "$(dmesg | grep -i -m 1 -E 'tsc.*unstable|unstable.*tsc' | sed 's/^\[[^]]*\] //' || true)"
[ $failures = 0 ] || { echo "read-guest: $failures run(s) failed" >&2; exit 1; }
exit 0
