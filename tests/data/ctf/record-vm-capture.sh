#!/usr/bin/env bash
# record-vm-capture.sh - produce tests/data/ctf/vm-6.1.ktr: a capture that a
# 6.1 guest recorded (vm-capture-guest.sh), for the host test that reads its
# CTF output with babeltrace2 (tests/unit/ctf_babeltrace_test.cpp). Needs
# ktr.ko built for 6.1 (make kmod) and the user tools (make user).
#
#   tests/data/ctf/record-vm-capture.sh [OUT]
set -euo pipefail
root=$(cd "$(dirname "$0")/../../.." && pwd)
out=${1:-$root/tests/data/ctf/vm-6.1.ktr}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$root/vm/run" --kernel 6.1 --smp 2 "$root/tests/data/ctf/vm-capture-guest.sh" >"$log"
sed -n '/^BEGIN KTR CAPTURE/,/^END KTR CAPTURE/p' "$log" | sed '1d;$d' | tr -d '\r' |
	base64 -d >"$out"
echo "wrote $out ($(stat -c %s "$out") bytes)"
