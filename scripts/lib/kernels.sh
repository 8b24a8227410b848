# shellcheck shell=bash
# kernels.sh - resolve a kernel name to what ktr needs to build for it and boot it.
#
# Sourced by the Makefile helpers, vm/run and the test runner. A kernel name is
#   6.1     newest Debian 6.1 build tree in the cache (linux-headers-6.1.0-NN-amd64)
#   6.12    newest Debian 6.12 build tree in the cache (linux-headers-6.12.*+deb12-amd64)
#   debug   the KASAN/lockdep/kmemleak 6.1 kernel built by scripts/build-debug-kernel
#   RELEASE an exact Debian release, e.g. 6.1.0-56-amd64 (fetched into the cache if missing)
# ktr_resolve_kernel NAME sets:
#   KTR_KVER     kernel release (uname -r in the guest)
#   KTR_KDIR     kernel build tree for out-of-tree modules
#   KTR_VMLINUZ  bootable kernel image
#   KTR_KMODS    directory holding extra guest modules (pvpanic), or empty
# Debian packages are fetched with `apt-get download` by exact package name and
# unpacked with `dpkg-deb -x` into the cache; nothing is installed, so no kernel
# lands in /boot and nothing else is pulled in. Build trees (headers, common
# headers, kbuild) live in $KTR_CACHE/headers/<release>/ laid out as under /
# (usr/src, usr/lib: Debian's relative symlinks keep working); images in
# $KTR_CACHE/kernels/<release>/. `scripts/deps` picks the newest releases.

KTR_ROOT=${KTR_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
KTR_CACHE=${KTR_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ktr}

ktr_die() { echo "$*" >&2; exit 1; }

# Newest Debian release in the cache matching a glob, e.g. '6.1.0-*-amd64'.
ktr_newest_headers() {
	local d best=""
	for d in "$KTR_CACHE"/headers/$1; do
		[ -f "$d/.done" ] || continue
		best+="${d##*/}"$'\n'
	done
	printf '%s' "$best" | sort -V | tail -n 1
}

# The build tree of a release in the cache (it may not exist yet).
ktr_headers_dir() {
	printf '%s/headers/%s/root/usr/src/linux-headers-%s' "$(realpath -m -- "$KTR_CACHE")" "$1" "$1"
}

# Download Debian packages by exact name into directory $1 (names in $2...).
ktr_apt_download() {
	local dir=$1
	shift
	(cd "$dir" && apt-get download -o APT::Sandbox::User=root "$@" >/dev/null 2>&1)
}

# Unpack the build tree of Debian release $1 (linux-headers-$1, its -common
# headers and the linux-kbuild package they name) into the cache.
ktr_fetch_debian_headers() {
	local kver=$1 dir top tmp deb kdir pkgs=()
	top=$(realpath -m -- "$KTR_CACHE/headers")
	dir=$top/$kver
	[ -f "$dir/.done" ] && return 0
	mkdir -p "$top"
	tmp=$(mktemp -d "$top/.fetch.XXXXXX")
	echo "kernels: fetching the Debian build tree of $kver" >&2
	# The headers package names its -common and kbuild packages (exact versions).
	mapfile -t pkgs < <(apt-cache depends "linux-headers-$kver" 2>/dev/null |
		awk '$1 == "Depends:" && $2 ~ /^linux-(headers|kbuild)-/ {print $2}' | sort -u)
	if [ ${#pkgs[@]} = 0 ] || ! ktr_apt_download "$tmp" "linux-headers-$kver" "${pkgs[@]}"; then
		rm -rf "$tmp"
		ktr_die "kernels: cannot download linux-headers-$kver (run 'apt-get update' and 'make deps')"
	fi
	for deb in "$tmp"/*.deb; do
		dpkg-deb -x "$deb" "$tmp/root"
	done
	# lib/modules/<release>/build points at /usr/src: not ours to follow.
	rm -rf "$tmp"/*.deb "$tmp/root/lib" "$tmp/root/usr/share"
	# Debian's Makefile includes the -common tree by its absolute /usr/src path:
	# point it at the copy next to it.
	kdir=$tmp/root/usr/src/linux-headers-$kver
	[ -f "$kdir/Makefile" ] || { rm -rf "$tmp"; ktr_die "kernels: linux-headers-$kver has no Makefile"; }
	sed -i "s|^include /usr/src/|include $dir/root/usr/src/|" "$kdir/Makefile"
	grep -q "^include $dir/root/usr/src/" "$kdir/Makefile" ||
		{ rm -rf "$tmp"; ktr_die "kernels: unexpected Makefile in linux-headers-$kver"; }
	rm -rf "$dir"
	mkdir -p "$dir"
	mv "$tmp/root" "$dir/root"
	rm -rf "$tmp"
	touch "$dir/.done"
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
	[ -n "$kver" ] || ktr_die "kernels: no Debian $name build tree in the cache (run 'make deps')"
	ktr_fetch_debian_headers "$kver"
	ktr_fetch_debian_image "$kver"
	KTR_KVER=$kver
	KTR_KDIR=$(ktr_headers_dir "$kver")
	KTR_VMLINUZ=$KTR_CACHE/kernels/$kver/vmlinuz
	KTR_KMODS=$KTR_CACHE/kernels/$kver/modules
}
