#!/bin/sh
# SPDX-License-Identifier: MIT
#
# gen-man.sh OUTDIR VERSION TOOL... - write the man pages of the ktr tools
# into OUTDIR from their own --help (CLI11's), so that a page never says
# other than --help: one page per tool (ktr.1, ktr-read.1) and one per
# subcommand, nested ones included (ktr-record.1, ktr-probe-add.1).
# help2roff.awk turns one help text into one page. Run at build time (the
# CMake target ktr-man); the pages are build outputs, never committed.
set -eu
out=$1 version=$2
shift 2
mkdir -p "$out"
here=$(cd "$(dirname "$0")" && pwd)

# page TOOL [SUBCOMMAND...]: its page, then its subcommands' pages.
page() {
	help=$("$@" --help) || { echo "gen-man: '$* --help' failed" >&2; exit 1; }
	tool=$(basename "$1")
	cmd=$tool name=$tool
	i=0
	for w in "$@"; do
		i=$((i + 1))
		[ $i = 1 ] && continue
		cmd="$cmd $w" name="$name-$w"
	done
	printf '%s\n' "$help" |
		awk -v name="$name" -v cmd="$cmd" -v tool="$tool" -v version="$version" \
			-f "$here/help2roff.awk" >"$out/$name.1"
	subs=$(printf '%s\n' "$help" | awk '
		/^Subcommands:$/ { in_subs = 1; next }
		in_subs && /^$/ { exit }
		in_subs && /^  [a-z]/ { print $1 }')
	for s in $subs; do
		page "$@" "$s"
	done
}

for t in "$@"; do
	page "$t"
done
