# shellcheck shell=bash
# host.sh - what the host halves of the benchmarks share (sourced by
# scripts/bench-*; bash). The caller sets root (the checkout) and bench (the
# benchmark's name, e.g. "tracers": messages, build/bench/<bench>-<date>.json)
# and sources scripts/lib/kernels.sh first.

# bench_posint NAME VALUE: VALUE is a positive decimal number.
bench_posint() {
	case $2 in ''|*[!0-9]*|0) ktr_die "bench-$bench: $1 wants a positive number, got '$2'" ;; esac
}

# bench_buffer BUFFER_KB SUBBUF_SIZE: both tracers get BUFFER_KB per CPU,
# ktr as BUFFER_KB*1024/SUBBUF_SIZE sub-buffers (a power of two in
# 2..4096); sets nr_subbufs.
bench_buffer() {
	bench_posint BUFFER_KB "$1"
	bench_posint SUBBUF_SIZE "$2"
	if [ $(($2 & ($2 - 1))) != 0 ] || [ "$2" -lt 4096 ] || [ "$2" -gt $((4 << 20)) ]; then
		ktr_die "bench-$bench: SUBBUF_SIZE must be a power of two in 4096..4194304, got $2"
	fi
	nr_subbufs=$(($1 * 1024 / $2))
	if [ $((nr_subbufs * $2)) != $(($1 * 1024)) ] || [ "$nr_subbufs" -lt 2 ] ||
		[ "$nr_subbufs" -gt 4096 ] || [ $((nr_subbufs & (nr_subbufs - 1))) != 0 ]; then
		ktr_die "bench-$bench: BUFFER_KB*1024/SUBBUF_SIZE must be a power of two in 2..4096 (ktr's sub-buffer count), got $1 KiB / $2 B"
	fi
}

# bench_cpu CPU SMP_LIST: CPU is empty or a CPU every VM has.
bench_cpu() {
	local n
	case $1 in ''|[0-9]|[0-9][0-9]) ;; *) ktr_die "bench-$bench: CPU wants a CPU number, got '$1'" ;; esac
	for n in $2; do
		bench_posint SMP "$n"
		[ -z "$1" ] || [ "$1" -lt "$n" ] || ktr_die "bench-$bench: CPU=$1 but SMP has $n vCPUs"
	done
}

# bench_build KERNEL TOOL...: ktr.ko for KERNEL (sets KTR_KVER), the user
# space, and the test tools the guest half runs.
bench_build() {
	local kernel=$1 t
	shift
	ktr_resolve_kernel "$kernel"
	"$root/scripts/build-kmod" "$kernel" >/dev/null ||
		ktr_die "bench-$bench: ktr.ko did not build for $KTR_KVER (see above)"
	make -s -C "$root" user >&2 ||
		ktr_die "bench-$bench: the user-space tools did not build (vm/run needs them)"
	for t in "$@"; do
		[ -x "$root/build/user/tests/vm/tools/$t" ] ||
			ktr_die "bench-$bench: no build/user/tests/vm/tools/$t (tests/vm/tools did not build)"
	done
}

# bench_outdir: sets stamp and outdir (build/bench/runs/<bench>-<date>).
bench_outdir() {
	stamp=$(date +%Y%m%d-%H%M%S)
	outdir=$root/build/bench/runs/$bench-$stamp
	mkdir -p "$outdir"
}

# bench_vm LOG KERNEL VCPUS TIMEOUT GUEST_SCRIPT ARG...: one guest run (the
# guest half gets lib/guest.sh next to it), its stdout into LOG (progress
# lines shown on stderr), then the host's facts as BENCH-HOST lines.
# Returns 1 when the run failed or measured nothing (said on stderr).
bench_vm() {
	local log=$1 kernel=$2 n=$3 timeout=$4 script=$5 load_start t0 rc=0
	shift 5
	load_start=$(cut -d ' ' -f 1-3 /proc/loadavg)
	t0=$SECONDS
	"$root/vm/run" --mttcg --kernel "$kernel" --no-load --smp "$n" --timeout "$timeout" \
		--add "$root/scripts/bench/lib/guest.sh:/work/guest.sh" "$script" "$@" |
		tee "$log" | { grep -v -e '^BENCH-META' -e '^BENCH-RAW' >&2 || true; } || rc=$? # pipefail: vm/run's status
	{
		echo "BENCH-HOST vcpus_requested $n"
		echo "BENCH-HOST exit_status $rc"
		echo "BENCH-HOST duration_s $((SECONDS - t0))"
		echo "BENCH-HOST kernel $kernel"
		echo "BENCH-HOST kernel_release $KTR_KVER"
		echo "BENCH-HOST host_loadavg_start $load_start"
		echo "BENCH-HOST host_loadavg_end $(cut -d ' ' -f 1-3 /proc/loadavg)"
		echo "BENCH-HOST host_cpus $(nproc)"
		echo "BENCH-HOST date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
	} >>"$log"
	case $rc in
	0) ;;
	125)
		echo "bench-$bench: the $n-vCPU guest's kernel reported a problem (vm/run exit 125: a stall, WARN, oops...), see $log and build/vm/logs/" >&2 ;;
	*)
		echo "bench-$bench: the $n-vCPU run failed (vm/run exit $rc), see $log" >&2 ;;
	esac
	if ! grep -q '^BENCH-RESULT ' "$log"; then
		echo "bench-$bench: the $n-vCPU run produced no measurement, see $log" >&2
		rc=1
	fi
	[ "$rc" = 0 ]
}

# bench_report REPORT TITLE LOG...: the table on stdout, the JSON into
# build/bench/<bench>-<stamp>.json (linked as <bench>-latest.json).
# Returns 1 when the report failed or a guest reported an error.
bench_report() {
	local report=$1 title=$2 json rc=0
	shift 2
	json=$root/build/bench/$bench-$stamp.json
	echo
	echo "$title"
	"$report" --json "$json" "$@" || rc=1
	ln -sfn "$(basename "$json")" "$root/build/bench/$bench-latest.json"
	echo "JSON: $json (also build/bench/$bench-latest.json); guest logs: $outdir"
	bench_plot "$json" || rc=1
	! grep -q '^BENCH-ERROR' "$@" || rc=1
	return $rc
}

# bench_plot JSON: the SVG charts of a report's JSON, next to it.
bench_plot() {
	local svgs
	svgs=$("$root/scripts/bench/plot" "$1") || return 1
	echo "charts: $(echo "$svgs" | tr '\n' ' ')"
}

# The accelerator vm/run found (tcg when it never looked).
bench_accel() { cat "$KTR_CACHE"/accel-* 2>/dev/null | head -n 1 || echo tcg; }
