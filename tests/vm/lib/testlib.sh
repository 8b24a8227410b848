# testlib.sh - helpers for VM test scripts (sourced inside the guest: add it with
# "# vm-args: --add tests/vm/lib/testlib.sh" and ". ./testlib.sh").
fails=0
ok() { echo "ok: $*"; }
bad() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect_eq WHAT GOT WANT
expect_eq() { if [ "$2" = "$3" ]; then ok "$1 = $3"; else bad "$1: got '$2', want '$3'"; fi; }
# json_num KEY FILE: the number of "KEY": N in a one-object JSON document
json_num() { sed -nE "s/.*\"$1\": *([0-9]+).*/\1/p" "$2"; }
json_str() { sed -nE "s/.*\"$1\": *\"([^\"]*)\".*/\1/p" "$2"; }
# wait_for FILE REGEX [TENTHS]: until a line of FILE matches the extended
# REGEX (default: 5 s); status 1 when it never does.
wait_for() {
	local i=0
	while [ $i -lt "${3:-50}" ]; do
		grep -qE -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}
done_testing() { [ "$fails" = 0 ] && echo "all checks passed" && exit 0; echo "$fails check(s) failed"; exit 1; }
# as_nobody CMD...: run CMD as uid/gid 65534 without capabilities (busybox's
# setpriv cannot change uid; su as root asks no password). The words of CMD
# are re-quoted for su's shell.
as_nobody() {
	local cmd="" w
	for w in "$@"; do cmd="$cmd '$(printf '%s' "$w" | sed "s/'/'\\\\''/g")'"; done
	su -s /bin/sh nobody -c "$cmd"
}
# Guard: a test that relies on as_nobody must not pass because as_nobody broke.
[ "$(as_nobody id -u 2>&1)" = 65534 ] || { echo "FAIL: as_nobody does not work: $(as_nobody id -u 2>&1)"; exit 1; }
