# group.sh - run several VM test scripts in one boot (sourced by the
# *-debug.sh groups; CI time: each debug-kernel boot and its kmemleak scans
# cost about 40 s). Each script gets ktr.ko loaded afresh, as a boot of its
# own would, and the group fails if any script does.
# run_group SCRIPT...: the scripts (names without .sh), in order.
run_group() {
	fails=0
	for t in "$@"; do
		echo "--- $t.sh"
		# A test module a script left on top of ktr goes first.
		[ -d /sys/module/ktr_rb_test ] && rmmod ktr_rb_test
		if [ -d /sys/module/ktr ] && ! rmmod ktr; then
			echo "FAIL: rmmod ktr before $t.sh"
			fails=$((fails + 1))
			continue
		fi
		if ! insmod /lib/ktr/ktr.ko; then
			echo "FAIL: insmod before $t.sh"
			fails=$((fails + 1))
			continue
		fi
		sh "./$t.sh" || { echo "FAIL: $t.sh"; fails=$((fails + 1)); }
	done
	[ "$fails" = 0 ] && echo "all checks passed" && return 0
	echo "$fails script(s) failed"
	return 1
}
