# An unprivileged user can neither control ktr nor open its device: the
# control plane answers EPERM with a message, /dev/ktr is 0600 and its open()
# checks capabilities even when the file mode would allow it.
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# vm-args: --add tests/vm/lib/testlib.sh
. ./testlib.sh

as_nobody ktr info >out.txt 2>err.txt; rc=$?
cat err.txt
[ "$rc" != 0 ] && ok "ktr info as nobody fails (exit $rc)" || bad "ktr info as nobody succeeded"
expect_eq "stderr lines" "$(wc -l <err.txt)" 1
grep -qi 'permission' err.txt && ok "message says permission" || bad "message does not mention permission"
grep -qE 'CAP_PERFMON|CAP_SYS_ADMIN|root' err.txt && ok "message says what is needed" || bad "message does not say what is needed"
[ -s out.txt ] && bad "ktr info as nobody printed to stdout" || ok "nothing on stdout"

as_nobody cat /dev/ktr 2>err.txt && bad "nobody opened /dev/ktr" || ok "nobody cannot open /dev/ktr (mode 0600)"
grep -q 'Permission denied' err.txt && ok "the error is EACCES" || bad "unexpected error: $(cat err.txt)"
# Even with the mode opened up, open() checks the capability itself.
chmod 0666 /dev/ktr
as_nobody cat /dev/ktr 2>err.txt && bad "nobody opened /dev/ktr with mode 0666" || ok "open() refuses nobody even with mode 0666"
grep -q 'not permitted' err.txt && ok "the error is EPERM" || bad "unexpected error: $(cat err.txt)"
chmod 0600 /dev/ktr

# root still can.
ktr info >/dev/null && ok "root can still use ktr" || bad "root cannot use ktr"
done_testing
