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
done_testing() { [ "$fails" = 0 ] && echo "all checks passed" && exit 0; echo "$fails check(s) failed"; exit 1; }
