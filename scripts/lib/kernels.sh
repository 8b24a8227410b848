# shellcheck shell=bash
# kernels.sh - resolve a kernel name to what ktr needs to build for it and boot it.
#
# Sourced by the Makefile helpers, vm/run and the test runner. A kernel name is
#   6.1     newest installed Debian 6.1 headers (linux-headers-6.1.0-NN-amd64)
#   6.12    newest installed Debian 6.12 headers (linux-headers-6.12.*+deb12-amd64)
#   debug   the KASAN/lockdep/kmemleak 6.1 kernel built by scripts/build-debug-kernel
#   RELEASE an exact installed Debian release, e.g. 6.1.0-56-amd64
# ktr_resolve_kernel NAME sets:
#   KTR_KVER     kernel release (uname -r in the guest)
#   KTR_KDIR     kernel build tree for out-of-tree modules
#   KTR_VMLINUZ  bootable kernel image
#   KTR_KMODS    directory holding extra guest modules (pvpanic), or empty
# Debian images are fetched with `apt-get download` by exact package name and
# unpacked into the cache; nothing is installed and no other kernel is pulled in.

KTR_ROOT=${KTR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KTR_CACHE=${KTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ktr}

ktr_die() { echo "$*" >&2; exit 1; }

# Newest installed Debian headers release matching a glob, e.g. '6.1.0-*-amd64'.
ktr_newest_headers() {
	local d best=""
	for d in /usr/src/linux-headers-$1; do
		[ -f "$d/Makefile" ] || continue
		best+="${d#/usr/src/linux-headers-}"$'\n'
	done
	printf '%s' "$best" | sort -V | tail -n 1
}

# Unpack vmlinuz (and the pvpanic modules) of Debian release $1 into the cache.
ktr_fetch_debian_image() {
	local kver=$1 dir="$KTR_CACHE/kernels/$1" tmp pkg deb
	[ -f "$dir/.done" ] && return 0
	mkdir -p "$KTR_CACHE/kernels"
	tmp=$(mktemp -d "$KTR_CACHE/kernels/.fetch.XXXXXX")
	echo "kernels: fetching the Debian image of $kver" >&2
	for pkg in "linux-image-$kver" "linux-image-$kver-unsigned"; do
		if (cd "$tmp" && apt-get download -o APT::Sandbox::User=root "$pkg" >/dev/null 2>&1); then
			break
		fi
	done
	deb=$(ls "$tmp"/*.deb 2>/dev/null | head -n 1)
	if [ -z "$deb" ]; then
		rm -rf "$tmp"
		ktr_die "kernels: cannot download linux-image-$kver (run 'apt-get update' and 'make deps')"
	fi
	dpkg-deb -x "$deb" "$tmp/x"
	mkdir -p "$tmp/out/modules"
	cp "$tmp/x/boot/vmlinuz-$kver" "$tmp/out/vmlinuz"
	find "$tmp/x/lib/modules/$kver" -name 'pvpanic*.ko*' | while read -r m; do
		case $m in
		*.xz) xz -dc "$m" >"$tmp/out/modules/$(basename "${m%.xz}")" ;;
		*.zst) zstd -qdc "$m" >"$tmp/out/modules/$(basename "${m%.zst}")" ;;
		*) cp "$m" "$tmp/out/modules/" ;;
		esac
	done
	rm -rf "$dir"
	mv "$tmp/out" "$dir"
	rm -rf "$tmp"
	touch "$dir/.done"
}

ktr_resolve_kernel() {
	local name=${1:-6.1} kver
	case $name in
	debug)
		local dir
		dir=$("$KTR_ROOT/scripts/build-debug-kernel") || ktr_die "kernels: the debug kernel did not build"
		KTR_KVER=$(cat "$dir/kernel.release")
		KTR_KDIR=$dir
		KTR_VMLINUZ=$dir/arch/x86/boot/bzImage
		KTR_KMODS=""
		return 0
		;;
	6.1) kver=$(ktr_newest_headers '6.1.0-*-amd64') ;;
	6.12) kver=$(ktr_newest_headers '6.12.*+deb12-amd64') ;;
	*) kver=$name ;;
	esac
	[ -n "$kver" ] && [ -f "/usr/src/linux-headers-$kver/Makefile" ] ||
		ktr_die "kernels: no Debian headers installed for kernel '$name' (run 'make deps')"
	ktr_fetch_debian_image "$kver"
	KTR_KVER=$kver
	KTR_KDIR=/usr/src/linux-headers-$kver
	KTR_VMLINUZ=$KTR_CACHE/kernels/$kver/vmlinuz
	KTR_KMODS=$KTR_CACHE/kernels/$kver/modules
}
