// SPDX-License-Identifier: MIT
//
// ktr funclat on the host: the histogram text and JSON from synthetic
// snapshots, glob expansion over function lists, the failure wording, and
// the CLI's argument checks through the real binary (KTR_BIN; the module is
// never loaded here, so every check must fire before the device is opened).
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <unistd.h>

#include <gtest/gtest.h>

#include "ktr/funclat.h"
#include "run_tool.h"

namespace ktr {
namespace {

using test::contains;
using test::is_one_line;
using test::Outcome;

Outcome ktr(const std::vector<std::string> &args) { return test::run_tool(KTR_BIN, args); }

FuncStat stat(std::string name)
{
	FuncStat s;
	s.name = std::move(name);
	return s;
}

TEST(FuncLatFormat, Pow2TextUsesBpftraceSuffixes)
{
	EXPECT_EQ(pow2_text(0), "1");
	EXPECT_EQ(pow2_text(1), "2");
	EXPECT_EQ(pow2_text(9), "512");
	EXPECT_EQ(pow2_text(10), "1K");
	EXPECT_EQ(pow2_text(11), "2K");
	EXPECT_EQ(pow2_text(20), "1M");
	EXPECT_EQ(pow2_text(35), "32G");
	EXPECT_EQ(pow2_text(60), "1E");
	EXPECT_EQ(pow2_text(64), "16E");
}

TEST(FuncLatFormat, HistogramFromLowestToHighestBucket)
{
	FuncStat s = stat("vfs_read");
	s.buckets[8] = 1;	// [256, 512)
	s.buckets[10] = 52;	// [1K, 2K): the longest bar
	s.buckets[11] = 26;
	s.count = 79;
	s.sum_ns = 79 * 1500;
	s.min_ns = 300;
	s.max_ns = 4000;
	const std::string at52(52, '@');
	const std::string want = "vfs_read (ns):\n"
				 "[256, 512)                  1 |" +
				 std::string(1, '@') + std::string(51, ' ') +
				 "|\n"
				 "[512, 1K)                   0 |" +
				 std::string(52, ' ') +
				 "|\n"
				 "[1K, 2K)                   52 |" +
				 at52 +
				 "|\n"
				 "[2K, 4K)                   26 |" +
				 std::string(26, '@') + std::string(26, ' ') +
				 "|\n"
				 "count 79  avg 1500 ns  min 300 ns  max 4000 ns  missed 0\n";
	EXPECT_EQ(format_funclat_text({s}, LatUnit::Ns), want);
}

TEST(FuncLatFormat, BucketZeroHoldsZeroAndOne)
{
	FuncStat s = stat("f");
	s.buckets[0] = 3;
	s.count = 3;
	s.sum_ns = 2;
	s.max_ns = 1;
	const std::string text = format_funclat_text({s}, LatUnit::Ns);
	EXPECT_TRUE(contains(text, "[0, 2)                      3 |" + std::string(52, '@') + "|\n"))
		<< text;
	EXPECT_TRUE(contains(text, "count 3  avg 0 ns  min 0 ns  max 1 ns")) << text;
}

TEST(FuncLatFormat, MicrosecondsKeepNanosecondPrecisionInTheSummary)
{
	FuncStat s = stat("do_sys_openat2");
	s.buckets[3] = 2;	// the kernel bucketed in us: [8, 16) us
	s.count = 2;
	s.sum_ns = 20500;
	s.min_ns = 9001;
	s.max_ns = 11499;
	const std::string text = format_funclat_text({s}, LatUnit::Us);
	EXPECT_TRUE(contains(text, "do_sys_openat2 (us):\n[8, 16)  ")) << text;
	EXPECT_TRUE(contains(text, "count 2  avg 10.250 us  min 9.001 us  max 11.499 us  missed 0"))
		<< text;
}

TEST(FuncLatFormat, NoCallsAndSeveralFunctions)
{
	FuncStat a = stat("a");
	FuncStat b = stat("b");
	b.missed = 7;
	a.buckets[1] = 1;
	a.count = 1;
	a.sum_ns = a.min_ns = a.max_ns = 2;
	EXPECT_EQ(format_funclat_text({a, b}, LatUnit::Ns),
		  "a (ns):\n[2, 4)                      1 |" + std::string(52, '@') +
			  "|\ncount 1  avg 2 ns  min 2 ns  max 2 ns  missed 0\n"
			  "\nb (ns):\nno calls  missed 7\n");
	EXPECT_EQ(format_funclat_text({}, LatUnit::Ns), "");
}

TEST(FuncLatFormat, SmallCountsNextToHugeOnesGetNoBar)
{
	FuncStat s = stat("f");
	s.buckets[0] = 1;
	s.buckets[63] = ~std::uint64_t{0} - 1;
	s.count = ~std::uint64_t{0};
	const std::string text = format_funclat_text({s}, LatUnit::Ns);
	EXPECT_TRUE(contains(text, "[0, 2)                      1 |" + std::string(52, ' ') + "|"))
		<< text;
	EXPECT_TRUE(contains(text, "[8E, 16E)            18446744073709551614 |" + std::string(52, '@') + "|"))
		<< text;
}

TEST(FuncLatJson, OneDocumentWithNonEmptyBuckets)
{
	FuncStat s = stat("vfs_\"read");
	s.buckets[0] = 1;
	s.buckets[10] = 4;
	s.buckets[63] = 1;
	s.count = 6;
	s.sum_ns = 600;
	s.min_ns = 1;
	s.max_ns = 400;
	s.missed = 2;
	FuncStat e = stat("idle");
	EXPECT_EQ(format_funclat_json({s, e}, LatUnit::Us, std::chrono::milliseconds(1500), 42),
		  R"({"unit":"us","elapsed_ns":1500000000,"pid":42,"functions":[)"
		  R"({"name":"vfs_\"read","count":6,"sum_ns":600,"avg_ns":100,"min_ns":1,)"
		  R"("max_ns":400,"missed":2,"hist":[{"low":0,"high":2,"count":1},)"
		  R"({"low":1024,"high":2048,"count":4},)"
		  R"({"low":9223372036854775808,"high":null,"count":1}]},)"
		  R"({"name":"idle","count":0,"sum_ns":0,"avg_ns":0,"min_ns":0,"max_ns":0,)"
		  R"("missed":0,"hist":[]}]})"
		  "\n");
	EXPECT_TRUE(contains(format_funclat_json({}, LatUnit::Ns, {}, 0), R"("pid":null)"));
}

TEST(FuncLatGlob, ParsesFtraceAndKallsymsLists)
{
	std::istringstream ftrace("vfs_read\nvfs_write\nfoo [ext4]\nvfs_read\n\n");
	EXPECT_EQ(parse_function_list(ftrace, FunctionList::Ftrace),
		  (std::vector<std::string>{"vfs_read", "vfs_write", "foo"}));
	std::istringstream ksyms("ffffffff81000000 T _stext\n"
				 "ffffffff81001000 t __pfx_vfs_read\n"
				 "ffffffff81001010 t vfs_read\n"
				 "ffffffff81001020 t vfs_read.cold\n"
				 "ffffffff82000000 D jiffies\n"
				 "0000000000000000 T vfs_write\n"
				 "ffffffffc0000000 t ext4_foo\t[ext4]\n"
				 "garbage\n");
	EXPECT_EQ(parse_function_list(ksyms, FunctionList::Kallsyms),
		  (std::vector<std::string>{"_stext", "vfs_read", "vfs_write", "ext4_foo"}));
}

TEST(FuncLatGlob, ExpandsGlobsInOrderOnce)
{
	const std::vector<std::string> avail = {"vfs_read", "vfs_write", "ksys_read", "vfs_readv"};
	EXPECT_FALSE(is_function_glob("vfs_read"));
	EXPECT_TRUE(is_function_glob("vfs_*"));
	EXPECT_TRUE(is_function_glob("vfs_rea?"));
	EXPECT_TRUE(is_function_glob("[kv]*"));
	auto r = expand_functions({"ksys_read", "vfs_read*", "nosuch_but_named"}, avail);
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(*r, (std::vector<std::string>{"ksys_read", "vfs_read", "vfs_readv",
						"nosuch_but_named"}));
	auto none = expand_functions({"zz*"}, avail);
	ASSERT_FALSE(none);
	EXPECT_EQ(none.error().message(), "no kernel function matches 'zz*'");
}

TEST(FuncLatGlob, RefusesMoreThanSixtyFour)
{
	std::vector<std::string> avail;
	for (int i = 0; i < 65; i++)
		avail.push_back("f" + std::to_string(i));
	auto r = expand_functions({"f*"}, avail);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), E2BIG);
	EXPECT_TRUE(contains(r.error().message(), "'f*' matches 65 functions")) << r.error().message();
	EXPECT_TRUE(contains(r.error().message(), "at most 64")) << r.error().message();
	avail.pop_back();
	auto ok = expand_functions({"f*"}, avail);
	ASSERT_TRUE(ok);
	EXPECT_EQ(ok->size(), 64U);
	auto over = expand_functions({"f*", "g"}, avail);
	ASSERT_FALSE(over);
	EXPECT_TRUE(contains(over.error().message(), "65 functions")) << over.error().message();
}

TEST(FuncLatErrors, NameTheFunctionOrTheRequest)
{
	EXPECT_EQ(funclat_open_error(ENOENT, "nosuch_fn", 0).message(),
		  "cannot measure nosuch_fn: no such function in the kernel or a loaded module "
		  "(see /proc/kallsyms)");
	EXPECT_TRUE(contains(funclat_open_error(EOPNOTSUPP, "kprobe_x", 0).message(),
			     "cannot measure kprobe_x: the kernel will not probe its return"));
	EXPECT_EQ(funclat_open_error(ESRCH, std::nullopt, 4242).message(),
		  "no process 4242: -P takes the id of a running process");
	EXPECT_TRUE(contains(funclat_open_error(EPERM, std::nullopt, 0).message(), "CAP_PERFMON"));
	EXPECT_TRUE(contains(funclat_open_error(ENOTTY, std::nullopt, 0).message(), "ABI 1.6"));
	EXPECT_TRUE(contains(funclat_open_error(ENOSPC, std::nullopt, 0).message(),
			     "at most " + std::to_string(KTR_FUNCLAT_SETS_MAX)));
	EXPECT_TRUE(check_function_name("vfs_read"));
	EXPECT_TRUE(check_function_name("ext4:ext4_file_read_iter"));
	EXPECT_FALSE(check_function_name(""));
	EXPECT_FALSE(check_function_name("a b"));
	EXPECT_FALSE(check_function_name(std::string(128, 'x')));
	EXPECT_TRUE(check_function_name(std::string(127, 'x')));
}

TEST(FuncLatCli, HelpDocumentsOptions)
{
	const Outcome top = ktr({"--help"});
	EXPECT_TRUE(contains(top.out, "  funclat ")) << top.out;
	const Outcome r = ktr({"funclat", "--help"});
	EXPECT_EQ(r.status, 0);
	for (const char *s : {"FUNC", "-d,--duration", "-P,--pid", "--us", "--ns", "--json",
			      "--maxactive", "available_filter_functions", "CAP_PERFMON"})
		EXPECT_TRUE(contains(r.out, s)) << s << " in:\n" << r.out;
}

TEST(FuncLatCli, BadArgumentsAreUsageErrors)
{
	std::vector<std::string> many = {"funclat"};
	for (int i = 0; i < 65; i++)
		many.push_back("fn" + std::to_string(i));
	const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		{{"funclat"}, "function is required"},
		{{"funclat", "vfs_read", "--us", "--ns"}, "excludes"},
		{{"funclat", "vfs_read", "-d", "5"}, "unit"},
		{{"funclat", "vfs_read", "-P", "0"}, "--pid: Value 0 not in range"},
		{{"funclat", "vfs_read", "-P", "abc"}, "--pid"},
		{{"funclat", "vfs_read", "--maxactive", "0"}, "--maxactive"},
		{{"funclat", "vfs_read", "--maxactive", "4097"}, "--maxactive"},
		{{"funclat", ""}, "an empty function name"},
		{{"funclat", "a b"}, "space or a control character"},
		{{"funclat", std::string(128, 'x')}, "longer than 127 bytes"},
		{many, "that is 65 functions; funclat measures at most 64"},
	};
	for (const auto &[args, msg] : cases) {
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 2) << args.back() << ": " << r.err;
		EXPECT_TRUE(is_one_line(r.err, "ktr: ")) << r.err;
		EXPECT_TRUE(contains(r.err, msg)) << msg << " not in: " << r.err;
		EXPECT_EQ(r.out, "");
	}
}

TEST(FuncLatCli, GlobMatchingNothingIsAUsageError)
{
	if (access("/proc/kallsyms", R_OK) != 0)
		GTEST_SKIP() << "no /proc/kallsyms";
	const Outcome r = ktr({"funclat", "zz_no_such_kernel_fn_*"});
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(is_one_line(r.err, "ktr: no kernel function matches 'zz_no_such_kernel_fn_*'"))
		<< r.err;
}

TEST(FuncLatCli, WithoutModuleFailsWithOneLine)
{
	const Outcome r = ktr({"funclat", "vfs_read", "-d", "1s"});
	if (r.status == 0)
		GTEST_SKIP() << "the ktr module is loaded on this machine";
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(is_one_line(r.err, "ktr: ")) << r.err;
	EXPECT_TRUE(contains(r.err, "not loaded") || contains(r.err, "permission denied")) << r.err;
	EXPECT_EQ(r.out, "");
}

} // namespace
} // namespace ktr
