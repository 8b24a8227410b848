#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# completion_test.sh KTR KTR_READ COMPLETION - the bash completion
# (userspace/doc/ktr.bash) against the real tools: subcommands and options
# from their --help, event names from `ktr list` (a stand-in ktr answers
# list as the loaded module would; the real one, with no module, offers
# none).
set -u
ktr=$(realpath "$1") ktr_read=$(realpath "$2") completion=$(realpath "$3")
fails=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# ktr on PATH: the real binary, except `ktr list` (no module on the host).
mkdir -p "$tmp/loaded" "$tmp/unloaded"
cat >"$tmp/loaded/ktr" <<EOS
#!/bin/sh
if [ "\$1" = list ]; then
	printf '%s\n' 'sched:sched_switch    3 enabled' 'sched:sched_wakeup    4 disabled' \\
		'syscalls:sys_enter    7 disabled'
	exit 0
fi
exec "$ktr" "\$@"
EOS
chmod +x "$tmp/loaded/ktr"
ln -s "$ktr" "$tmp/unloaded/ktr"
ln -s "$ktr_read" "$tmp/loaded/ktr-read"

# expect DIR "WORDS" "COMPLETIONS"
expect() {
	local got
	got=$(PATH="$1:$PATH" bash -c '
		source "$0"
		read -r -a COMP_WORDS <<<"$1"
		[[ $1 == *" " ]] && COMP_WORDS+=("")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMPREPLY=()
		_ktr
		printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' "$completion" "$2")
	if [ "$got" = "$3" ]; then
		echo "ok - '$2' -> $got"
	else
		echo "FAIL - '$2': got '$got', want '$3'"
		fails=$((fails + 1))
	fi
}
L=$tmp/loaded U=$tmp/unloaded
expect "$L" "ktr rec" "record "
expect "$L" "ktr re" "record report reset "
expect "$L" "ktr record --js" "--json "
expect "$L" "ktr probe a" "add "
expect "$L" "ktr-read --wat" "--watermark "
expect "$L" "ktr enable sched_s" "sched_switch "
expect "$L" "ktr record -e sys" "sys_enter "
expect "$L" "ktr record -e sched_switch -e " "sched_switch sched_wakeup sys_enter "
expect "$L" "ktr record -- ls --js" " "
expect "$U" "ktr enable sched_s" " "
[ $fails = 0 ] && echo "all completion checks passed"
exit $((fails > 0))
