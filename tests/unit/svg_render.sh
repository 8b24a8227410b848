#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# svg_render.sh SVG... - render each SVG in headless Chromium (Debian's
# chromium, installed by `make deps`) to a PNG and check the picture is not
# blank (tests/unit/png_check.py): a real browser draws what ktr writes,
# not only an XML parser. The SVG must also be well-formed XML (python's
# parser). Prints one line per SVG; exit status 0 when all pass.
set -u
here=$(cd "$(dirname "$0")" && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "FAIL svg_render: no chromium (make deps installs it)"; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
for svg in "$@"; do
	name=$(basename "$svg" .svg)
	if ! python3 -c 'import sys, xml.etree.ElementTree as E; E.parse(sys.argv[1])' "$svg" 2>"$tmp/xml.err"; then
		echo "FAIL $name: not well-formed XML: $(tail -n 1 "$tmp/xml.err")"
		fails=$((fails + 1))
		continue
	fi
	png=$tmp/$name.png
	# A profile of its own per run (tests run in parallel), no sandbox (CI
	# runs as root), no /dev/shm (small in containers).
	timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage \
		--no-first-run --user-data-dir="$tmp/profile-$name" --hide-scrollbars \
		--window-size=1200,800 --screenshot="$png" "file://$(realpath "$svg")" >"$tmp/chromium.log" 2>&1
	if [ ! -s "$png" ]; then
		echo "FAIL $name: chromium wrote no PNG: $(grep -v -e dbus -e '^$' "$tmp/chromium.log" | tail -n 3 | tr '\n' ' ')"
		fails=$((fails + 1))
		continue
	fi
	if out=$(python3 "$here/png_check.py" "$png" 2>&1); then
		echo "ok   $name: $out"
	else
		echo "FAIL $name: $out"
		fails=$((fails + 1))
	fi
done
[ "$fails" = 0 ]
