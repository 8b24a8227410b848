# report.awk - what the benchmark reports share (plain awk: mawk). Loaded
# first (awk -f lib/report.awk -f the-report's-program), so its rules run
# before the report's own on each line.
#
# Input: the logs of guest runs (one file per VM: lib/guest.sh's record
# lines, then the host's BENCH-HOST lines). After reading, for run R
# (1..R, one per file): file[R], meta[R, KEY] and host[R, KEY] (their keys
# in order: mkey[R, 1..nmeta[R]], hkey[R, 1..nhost[R]]), err[R,
# 1..nerr[R]], bad[R, ROUND] for each round a BENCH-ERROR names; for each
# result n (1..N): rrun[n] (its run), rv[n, KEY] and its keys in order
# rk[n, 1..rn[n]].

function jstr(s) {
	gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s)
	return "\"" s "\""
}
function jval(s) {
	if (s ~ /^-?(0|[1-9][0-9]*)(\.[0-9]+)?$/) return s
	return jstr(s)
}
function jnum(x) { return (x == "") ? "null" : x }
# median of the space-separated list L; sets S_n, S_min, S_max
function median(l,   a, n, i, j, t) {
	n = split(l, a, " ")
	for (i = 2; i <= n; i++) {
		t = a[i] + 0
		for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]
		a[j + 1] = t
	}
	S_n = n
	if (n == 0) { S_min = ""; S_max = ""; return "" }
	S_min = a[1] + 0; S_max = a[n] + 0
	return (n % 2) ? a[(n + 1) / 2] + 0 : (a[n / 2] + a[n / 2 + 1]) / 2
}
# median over the rounds 1..maxround of (gr[GA, round] - gr[GB, round]), the
# round medians of two groups paired round by round; sets P_min, P_max
function paired(ga, gb,   r, l) {
	l = ""
	for (r = 1; r <= maxround; r++)
		if ((ga, r) in gr && (gb, r) in gr) l = l " " (gr[ga, r] - gr[gb, r])
	l = median(l); P_min = S_min; P_max = S_max
	return l
}
function f0(x) { return (x == "") ? "" : sprintf("%.0f", x) }
function f1(x) { return (x == "") ? "" : sprintf("%.1f", x) }
function f2(x) { return (x == "") ? "" : sprintf("%.2f", x) }
function sgn(x) { return (x == "") ? "" : sprintf("%+.1f", x) }
function dash(s) { return (s == "") ? "-" : s }

# "vm_runs": [...] of the JSON: each run's log, meta, host facts, errors and
# the rounds left out.
function json_vm_runs(json,   r, i, k, l) {
	printf "  \"vm_runs\": [" > json
	for (r = 1; r <= R; r++) {
		printf "%s\n    {\"log\": %s, \"meta\": {", (r > 1 ? "," : ""), jstr(file[r]) > json
		for (i = 1; i <= nmeta[r]; i++) printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(mkey[r, i]), jval(meta[r, mkey[r, i]]) > json
		printf "}, \"host\": {" > json
		for (i = 1; i <= nhost[r]; i++) printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(hkey[r, i]), jval(host[r, hkey[r, i]]) > json
		printf "}, \"errors\": [" > json
		for (i = 1; i <= nerr[r]; i++) printf "%s%s", (i > 1 ? ", " : ""), jstr(err[r, i]) > json
		printf "], \"rounds_left_out\": [" > json
		l = ""
		for (k = 1; k <= maxround || k <= meta[r, "rounds"] + 0; k++) if ((r, k) in bad) l = l (l == "" ? "" : ", ") k
		printf "%s]}", l > json
	}
	printf "\n  ]" > json
}

# "results": [...] of the JSON: every result as the guest printed it
# (samples as a list), marked excluded when its round is left out.
function json_results(json,   n, i, k, val) {
	printf "  \"results\": [" > json
	for (n = 1; n <= N; n++) {
		printf "%s\n    {", (n > 1 ? "," : "") > json
		for (i = 1; i <= rn[n]; i++) {
			k = rk[n, i]; val = rv[n, k]
			if (k == "samples") { gsub(/,/, ", ", val); printf "%s%s: [%s]", (i > 1 ? ", " : ""), jstr(k), val > json }
			else printf "%s%s: %s", (i > 1 ? ", " : ""), jstr(k), jval(val) > json
		}
		printf ", \"excluded\": %s}", (((rrun[n], rv[n, "round"] + 0) in bad) ? "true" : "false") > json
	}
	printf "\n  ]" > json
}

# The host's load and the rounds left out, one line each per run.
function print_runs(   r, k, l) {
	for (r = 1; r <= R; r++) {
		if ((r, "host_loadavg_start") in host)
			printf "host load average (1, 5, 15 min; %s CPUs) at the start %s, at the end %s: the guest competes with it\n",
				host[r, "host_cpus"], host[r, "host_loadavg_start"], host[r, "host_loadavg_end"]
		l = ""
		for (k = 1; k <= maxround || k <= meta[r, "rounds"] + 0; k++) if ((r, k) in bad) l = l " " k
		if (l != "") printf "rounds left out (something failed in them, see the errors below):%s\n", l
	}
}
function print_errors(   r, i) {
	for (r = 1; r <= R; r++)
		for (i = 1; i <= nerr[r]; i++) printf "error (%s): %s\n", file[r], err[r, i]
}

FNR == 1 { R++; nmeta[R] = 0; nhost[R] = 0; nerr[R] = 0; file[R] = FILENAME }
{ sub(/\r$/, "") }
/^BENCH-META / {
	k = $2; v = $0; sub(/^BENCH-META [^ ]+ ?/, "", v)
	if (!((R, k) in meta)) mkey[R, ++nmeta[R]] = k
	meta[R, k] = v
	next
}
/^BENCH-HOST / {
	k = $2; v = $0; sub(/^BENCH-HOST [^ ]+ ?/, "", v)
	if (!((R, k) in host)) hkey[R, ++nhost[R]] = k
	host[R, k] = v
	next
}
/^BENCH-ERROR / {
	v = $0; sub(/^BENCH-ERROR /, "", v); err[R, ++nerr[R]] = v
	if (match(v, /round=[0-9]+/)) bad[R, substr(v, RSTART + 6, RLENGTH - 6) + 0] = 1
	next
}
/^BENCH-RESULT / {
	N++
	rrun[N] = R
	rn[N] = 0
	for (i = 2; i <= NF; i++) {
		p = index($i, "=")
		if (!p) continue
		k = substr($i, 1, p - 1); v = substr($i, p + 1)
		rk[N, ++rn[N]] = k
		rv[N, k] = v
	}
	if (rv[N, "round"] + 0 > maxround) maxround = rv[N, "round"] + 0
}
