# Without the module, ktr info says in one line how to load it, exit non-zero.
# kernels: 6.1 6.12
# (not on debug: it adds nothing this test needs, and CI time is short)
# vm-args: --no-load --add tests/vm/lib/testlib.sh
. ./testlib.sh
ktr info >out.txt 2>err.txt; rc=$?
cat err.txt
[ "$rc" != 0 ] && ok "exit status $rc" || bad "ktr info succeeded without the module"
expect_eq "stderr lines" "$(wc -l <err.txt)" 1
grep -q 'not loaded' err.txt && ok "says the module is not loaded" || bad "does not say the module is not loaded"
grep -q 'insmod' err.txt && ok "says how to load it" || bad "does not say how to load it"
done_testing
