// SPDX-License-Identifier: MIT
//
// Raw attach in user space: tracepoint name checks, error wording, hex
// printing of raw events, and `ktr attach` / `ktr detach` argument errors
// through the real binary (KTR_BIN; the module is never loaded here).
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/raw.h"
#include "run_tool.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::contains;
using test::is_one_line;
using test::Outcome;

TEST(RawName, AcceptsTracepointNames)
{
	for (const char *ok : {"sched_switch", "sys_enter", "_x", "A1", "ktr_test_raw"})
		EXPECT_TRUE(check_tracepoint_name(ok)) << ok;
	EXPECT_TRUE(check_tracepoint_name(std::string(63, 'a')));
}

TEST(RawName, RefusesWhatIsNoTracepointName)
{
	const std::vector<std::pair<std::string, std::string>> cases = {
		{"", "empty tracepoint name"},
		{std::string(64, 'a'), "longer than 63 bytes"},
		{"sched:sched_switch", "not a tracepoint name"},
		{"sched_*", "not a tracepoint name"},
		{"1abc", "not a tracepoint name"},
		{"a b", "not a tracepoint name"},
		{"a\nb", "not a tracepoint name"},
	};
	for (const auto &[name, want] : cases) {
		const Result<void> r = check_tracepoint_name(name);
		ASSERT_FALSE(r) << name;
		EXPECT_EQ(r.error().errnum(), EINVAL);
		EXPECT_TRUE(contains(r.error().message(), want)) << r.error().message();
		EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
	}
}

TEST(RawName, StripsOnlyTheRawSystem)
{
	EXPECT_EQ(strip_raw_system("raw:sys_enter"), "sys_enter");
	EXPECT_EQ(strip_raw_system("sys_enter"), "sys_enter");
	EXPECT_EQ(strip_raw_system("sched:sched_switch"), "sched:sched_switch");
	EXPECT_EQ(strip_raw_system("raw:"), "");
}

TEST(RawErrors, WordsTheDocumentedErrors)
{
	EXPECT_EQ(raw_request_error(true, "nosuch", ENOENT, "x").message(),
		  "no tracepoint named 'nosuch' in the kernel or a loaded module");
	EXPECT_EQ(raw_request_error(false, "nosuch", ENOENT, "x").message(),
		  "'nosuch' is not attached raw (see 'ktr list raw:*')");
	const Error twice = raw_request_error(true, "sys_enter", EEXIST, "x");
	EXPECT_EQ(twice.errnum(), EEXIST);
	EXPECT_TRUE(contains(twice.message(), "already attached")) << twice.message();
	EXPECT_EQ(raw_request_error(true, "a", EOPNOTSUPP, "").errnum(), EOPNOTSUPP);
	const Error full = raw_request_error(true, "a", ENOSPC, "too many raw events (64)");
	EXPECT_EQ(full.errnum(), ENOSPC);
	EXPECT_TRUE(contains(full.message(), "too many raw events (64)")) << full.message();
}

TEST(RawPrint, ArgumentsPrintInHex)
{
	FormatTable t = builtin_formats();
	ASSERT_TRUE(t.add(EventFormat{0x8000, "raw", "ktr_test_raw",
				      {{"common_id", FieldType::Int, 0, 2, false},
				       {"common_flags", FieldType::Int, 2, 2, false},
				       {"common_pid", FieldType::Int, 4, 4, true},
				       {"arg0", FieldType::Int, 8, 8, false},
				       {"arg1", FieldType::Int, 16, 8, false}}}));
	test::Bytes f(16);
	const std::uint64_t a0 = 42, a1 = 0xffffffffffffffd5ULL;
	std::memcpy(f.data(), &a0, 8);
	std::memcpy(f.data() + 8, &a1, 8);
	EventPrinter p(t, ClockMap{0, 0});
	const Result<std::string> line = p.text(1, 1000, test::event_payload(0x8000, 7, f));
	ASSERT_TRUE(line) << line.error().message();
	EXPECT_TRUE(line->ends_with(": ktr_test_raw: arg0=0x2a arg1=0xffffffffffffffd5\n"))
		<< *line;
}

Outcome ktr(const std::vector<std::string> &args) { return test::run_tool(KTR_BIN, args); }

TEST(RawCli, HelpDocumentsAttachAndDetach)
{
	const Outcome top = ktr({"--help"});
	for (const char *cmd : {"attach", "detach"})
		EXPECT_TRUE(contains(top.out, std::string("  ") + cmd + " ")) << top.out;
	const Outcome attach = ktr({"attach", "--help"});
	EXPECT_EQ(attach.status, 0);
	for (const char *s : {"TRACEPOINT", "-n,--nargs", "NARGS", "REQUIRED"})
		EXPECT_TRUE(contains(attach.out, s)) << s << " in:\n" << attach.out;
}

TEST(RawCli, BadArgumentsAreUsageErrors)
{
	const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		{{"attach"}, "tracepoint is required"},
		{{"detach"}, "tracepoint is required"},
		{{"attach", "sys_enter", "-n", "7"}, "7"},
		{{"attach", "sys_enter", "-n", "-1"}, "-1"},
		{{"attach", "sys_enter", "-n", "x"}, "x"},
		{{"attach", "sched:sched_switch"}, "not a tracepoint name"},
		{{"attach", ""}, "empty tracepoint name"},
		{{"attach", std::string(64, 't')}, "longer than 63 bytes"},
		{{"detach", "raw:"}, "empty tracepoint name"},
		{{"detach", "a*"}, "not a tracepoint name"},
		{{"attach", "a", "b"}, "b"},
	};
	for (const auto &[args, want] : cases) {
		SCOPED_TRACE(args.size() > 1 ? args[1] : args[0]);
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 2);
		EXPECT_TRUE(is_one_line(r.err, "ktr: "));
		EXPECT_TRUE(contains(r.err, want)) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

TEST(RawCli, WithoutTheModuleSaysSo)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{"attach", "sys_enter", "-n", "2"},
	      std::vector<std::string>{"detach", "raw:sys_enter"}}) {
		const Outcome r = ktr(args);
		if (r.status == 0)
			GTEST_SKIP() << "the ktr module is loaded on this machine";
		EXPECT_EQ(r.status, 1);
		EXPECT_EQ(r.err, "ktr: the ktr kernel module is not loaded (load it with "
				 "'insmod ktr.ko')\n");
	}
}

} // namespace
} // namespace ktr
