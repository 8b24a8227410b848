// SPDX-License-Identifier: MIT
//
// `ktr tracer [list | set]` and `ktr record -p` through the real binary
// (KTR_BIN; the module is never loaded here): help, argument errors (exit
// 2, one line, before any module is asked), and the one-line "not loaded"
// failure. What list prints is tested from TracerInfo values in
// tracers_test.cpp.
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "run_tool.h"

namespace ktr {
namespace {

using test::contains;
using test::is_one_line;
using test::Outcome;

Outcome ktr(const std::vector<std::string> &args) { return test::run_tool(KTR_BIN, args); }

TEST(TracerCli, HelpDocumentsTheSubcommands)
{
	const Outcome top = ktr({"--help"});
	EXPECT_TRUE(contains(top.out, "  tracer ")) << top.out;
	const Outcome tracer = ktr({"tracer", "--help"});
	EXPECT_EQ(tracer.status, 0);
	for (const char *s : {"  list ", "  set "})
		EXPECT_TRUE(contains(tracer.out, s)) << s << " in:\n" << tracer.out;
	const Outcome set = ktr({"tracer", "set", "--help"});
	for (const char *s : {"NAME", "--opt", "K=V"})
		EXPECT_TRUE(contains(set.out, s)) << s << " in:\n" << set.out;
	const Outcome rec = ktr({"record", "--help"});
	for (const char *s : {"-p,--tracer", "-l,--func", "-n,--notrace", "--opt"})
		EXPECT_TRUE(contains(rec.out, s)) << s << " in:\n" << rec.out;
}

TEST(TracerCli, BadArgumentsAreUsageErrors)
{
	const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		{{"tracer", "set"}, "name is required"},
		{{"tracer", "set", "Function"}, "is not a tracer name"},
		{{"tracer", "set", "function", "--opt", "filter"}, "expected KEY=VALUE"},
		{{"tracer", "set", "function", "--opt", "a=1", "--opt", "a=2"}, "given twice"},
		{{"tracer", "list", "x"}, "x"},
		{{"record"}, "give events to record (-e) or a tracer (-p)"},
		{{"record", "-e", "sched_switch", "-l", "vfs_*"}, "for the -p tracer"},
		{{"record", "-p", "nop", "-l", "vfs_*"}, "need -p function"},
		{{"record", "-p", "function", "--opt", "=1"}, "not an option name"},
	};
	for (const auto &[args, want] : cases) {
		const Outcome o = ktr(args);
		EXPECT_EQ(o.status, 2) << args[0] << " " << (args.size() > 1 ? args[1] : "") << ": "
				       << o.err;
		EXPECT_TRUE(contains(o.err, want)) << want << " in: " << o.err;
		EXPECT_TRUE(is_one_line(o.err, "ktr: "));
	}
}

TEST(TracerCli, WithoutTheModuleOneLine)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{"tracer"}, {"tracer", "list"}, {"tracer", "set", "nop"},
	      {"record", "-p", "function", "-l", "vfs_read", "--", "true"}}) {
		const Outcome o = ktr(args);
		EXPECT_EQ(o.status, 1) << o.err;
		EXPECT_TRUE(is_one_line(o.err, "ktr: "));
		EXPECT_TRUE(contains(o.err, "not loaded") || contains(o.err, "CAP_")) << o.err;
	}
}

} // namespace
} // namespace ktr
