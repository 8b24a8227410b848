// SPDX-License-Identifier: MIT
//
// `ktr list`, `ktr enable` and `ktr disable` through the real binary
// (KTR_BIN): usage errors (exit 2) before anything is asked of the module,
// and, on this machine where the ktr module is never loaded, one line
// saying so (exit 1).

#include <cerrno>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run_tool.h"

namespace ktr {
namespace {

using test::contains;
using test::is_one_line;
using test::Outcome;

Outcome ktr(const std::vector<std::string> &args) { return test::run_tool(KTR_BIN, args); }

std::string describe(const std::vector<std::string> &args)
{
	std::string s = "ktr";
	for (const std::string &a : args)
		s += " '" + a + "'";
	return s;
}

TEST(EventsCli, HelpListsTheCommands)
{
	const Outcome r = ktr({"--help"});
	EXPECT_EQ(r.status, 0);
	for (const char *cmd : {"list", "enable", "disable"})
		EXPECT_TRUE(contains(r.out, std::string("  ") + cmd + " ")) << cmd << " in:\n" << r.out;
}

TEST(EventsCli, CommandHelpDocumentsOptions)
{
	const Outcome list = ktr({"list", "--help"});
	EXPECT_EQ(list.status, 0);
	for (const char *opt : {"--json", "-v,--fields", "GLOB", "sched:*"})
		EXPECT_TRUE(contains(list.out, opt)) << opt << " in:\n" << list.out;
	for (const char *cmd : {"enable", "disable"}) {
		const Outcome r = ktr({cmd, "--help"});
		EXPECT_EQ(r.status, 0);
		EXPECT_TRUE(contains(r.out, "EVENT_OR_GLOB")) << r.out;
		EXPECT_TRUE(contains(r.out, "REQUIRED")) << r.out;
	}
}

TEST(EventsCli, EnableAndDisableNeedAnArgument)
{
	for (const char *cmd : {"enable", "disable"}) {
		const Outcome r = ktr({cmd});
		EXPECT_EQ(r.status, 2) << cmd;
		EXPECT_TRUE(is_one_line(r.err, "ktr: "));
		EXPECT_TRUE(contains(r.err, "event is required")) << r.err;
		EXPECT_TRUE(contains(r.err, "Run with --help for more information.")) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

TEST(EventsCli, BadArgumentsAreUsageErrors)
{
	const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		{{"list", "--bogus"}, "--bogus"},
		{{"list", "sched_*", "extra"}, "extra"},
		{{"list", ""}, "empty event name"},
		{{"enable", "sched_switch", "--bogus"}, "--bogus"},
		{{"disable", "--bogus", "sched_switch"}, "--bogus"},
		{{"enable", ""}, "empty event name"},
		{{"disable", "sched_switch", ""}, "empty event name"},
		{{"enable", std::string(128, 'x')}, "longer than 127 bytes"},
		{{"disable", "a\tb"}, "control characters"},
	};
	for (const auto &[args, want] : cases) {
		SCOPED_TRACE(describe(args));
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 2);
		EXPECT_TRUE(is_one_line(r.err, "ktr: "));
		EXPECT_TRUE(contains(r.err, want)) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

// The host never has ktr loaded (it is only ever loaded in VMs).
TEST(EventsCli, WithoutTheModuleSaysSo)
{
	const std::vector<std::vector<std::string>> cases = {
		{"list"},
		{"list", "--json"},
		{"list", "-v", "sched:*"},
		{"list", "--fields", "nosuch"},
		{"enable", "sched_switch"},
		{"enable", "sched_*", "ktr:marker"},
		{"disable", "*"},
	};
	for (const std::vector<std::string> &args : cases) {
		SCOPED_TRACE(describe(args));
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
