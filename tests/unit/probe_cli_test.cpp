// SPDX-License-Identifier: MIT
//
// `ktr probe add | list | del` through the real binary (KTR_BIN; the module
// is never loaded here): help, argument errors (exit 2, one line, before
// any module is asked), and the one-line "not loaded" failure. What list
// and stat print is tested from ProbeInfo values in probes_test.cpp.
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

TEST(ProbeCli, HelpDocumentsTheSubcommands)
{
	const Outcome top = ktr({"--help"});
	EXPECT_TRUE(contains(top.out, "  probe ")) << top.out;
	const Outcome probe = ktr({"probe", "--help"});
	EXPECT_EQ(probe.status, 0);
	for (const char *s : {"  add ", "  list ", "  del ", "kprobe_events"})
		EXPECT_TRUE(contains(probe.out, s)) << s << " in:\n" << probe.out;
	const Outcome add = ktr({"probe", "add", "--help"});
	EXPECT_EQ(add.status, 0);
	for (const char *s : {"DEF", "REQUIRED", "r[MAXACTIVE]"})
		EXPECT_TRUE(contains(add.out, s)) << s << " in:\n" << add.out;
	const Outcome list = ktr({"probe", "list", "--help"});
	EXPECT_TRUE(contains(list.out, "--json")) << list.out;
	const Outcome del = ktr({"probe", "del", "--help"});
	for (const char *s : {"NAME", "--all"})
		EXPECT_TRUE(contains(del.out, s)) << s << " in:\n" << del.out;
}

TEST(ProbeCli, BadArgumentsAreUsageErrors)
{
	const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		{{"probe"}, "subcommand is required"},
		{{"probe", "nosuch"}, "subcommand is required"},
		{{"probe", "add"}, "definition is required"},
		{{"probe", "add", "p:a f", "extra"}, "extra"},
		{{"probe", "list", "x"}, "x"},
		{{"probe", "del"}, "give a probe NAME or --all (exactly one of them)"},
		{{"probe", "del", "x", "--all"}, "excludes"},
		{{"probe", "del", "my-probe"}, "is not a probe name"},
		{{"probe", "del", "a:b:c"}, "is not a probe name"},
	};
	for (const auto &[args, want] : cases) {
		SCOPED_TRACE(args.size() > 1 ? args[1] + " " + (args.size() > 2 ? args[2] : "")
					     : args[0]);
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 2);
		EXPECT_TRUE(is_one_line(r.err, "ktr: "));
		EXPECT_TRUE(contains(r.err, want)) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

// A definition the module's parser refuses: the text with a caret under the
// bad character, then the one-line error naming the column; nothing sent
// (these run without a module).
TEST(ProbeCli, BadDefinitionsPointAtTheColumn)
{
	const Outcome r = ktr({"probe", "add", "p:x do_sys_openat2 a=%di:u9"});
	EXPECT_EQ(r.status, 2);
	EXPECT_EQ(r.out, "");
	EXPECT_EQ(r.err, "definition:\n"
			 "  p:x do_sys_openat2 a=%di:u9\n"
			 "                           ^ unknown type\n"
			 "ktr: bad probe definition at column 26: unknown type\n");
	const std::vector<std::pair<std::string, std::string>> cases = {
		{"", "empty definition"},
		{"   ", "empty definition"},
		{std::string(1024, 'p'), "at most 1023"},
		{"p:a f\np:b g", "control character"},
		{"r:x vfs_read+4", "column 14: a return probe's offset must be 0"},
	};
	for (const auto &[def, want] : cases) {
		SCOPED_TRACE(def.substr(0, 40));
		const Outcome o = ktr({"probe", "add", def});
		EXPECT_EQ(o.status, 2);
		const std::size_t last = o.err.rfind("ktr: bad probe definition at column ");
		ASSERT_NE(last, std::string::npos) << o.err;
		EXPECT_TRUE(contains(o.err.substr(last), want)) << o.err;
		EXPECT_TRUE(o.err.starts_with("definition:\n")) << o.err;
	}
}

TEST(ProbeCli, WithoutTheModuleSaysSo)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{"probe", "add", "p:myopen do_sys_openat2"},
	      std::vector<std::string>{"probe", "list"},
	      std::vector<std::string>{"probe", "list", "--json"},
	      std::vector<std::string>{"probe", "del", "kprobes:myopen"},
	      std::vector<std::string>{"probe", "del", "--all"}}) {
		const Outcome r = ktr(args);
		if (r.status == 0)
			GTEST_SKIP() << "the ktr module is loaded on this machine";
		EXPECT_EQ(r.status, 1);
		EXPECT_EQ(r.err, "ktr: the ktr kernel module is not loaded (load it with "
				 "'insmod ktr.ko')\n");
		EXPECT_EQ(r.out, "");
	}
}

} // namespace
} // namespace ktr
