// SPDX-License-Identifier: MIT
//
// `ktr start/stop/reset/stat/buffer` through the real binary (KTR_BIN):
// usage errors (exit 2) before anything is asked of the module, and on this
// machine, where the module is never loaded, one line saying so (exit 1).
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

TEST(TracingCli, HelpListsTheCommands)
{
	const Outcome r = ktr({"--help"});
	EXPECT_EQ(r.status, 0);
	for (const char *cmd : {"start", "stop", "reset", "stat", "buffer"})
		EXPECT_TRUE(contains(r.out, std::string("  ") + cmd + " ")) << cmd << " in:\n" << r.out;
	const Outcome b = ktr({"buffer", "--help"});
	for (const char *opt : {"--size-per-cpu", "--subbuf-size", "--nr-subbufs", "--mode"})
		EXPECT_TRUE(contains(b.out, opt)) << opt;
}

TEST(TracingCli, BadArgumentsAreUsageErrors)
{
	const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
		{{"buffer", "--mode", "fast"}, "unknown buffer mode 'fast'"},
		{{"buffer", "--mode"}, "--mode"},
		{{"buffer", "--subbuf-size", "64Q"}, "'64Q' is not a size"},
		{{"buffer", "--subbuf-size", "0"}, "'0' is 0"},
		{{"buffer", "--subbuf-size", "5G"}, "too large"},
		{{"buffer", "--size-per-cpu", "-1"}, "is not a size"},
		{{"buffer", "--nr-subbufs", "3"}, "power of two"},
		{{"buffer", "--nr-subbufs", "8192"}, "power of two"},
		{{"buffer", "--nr-subbufs", "4", "--size-per-cpu", "1M"}, "excludes"},
		{{"buffer", "extra"}, "extra"},
		{{"stat", "--bogus"}, "--bogus"},
		{{"start", "now"}, "now"},
		{{"stop", "--json"}, "--json"},
		{{"reset", "all"}, "all"},
	};
	for (const auto &[args, needle] : cases) {
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 2) << args[0] << " " << needle << ": " << r.err;
		EXPECT_TRUE(is_one_line(r.err, "ktr: ")) << r.err;
		EXPECT_TRUE(contains(r.err, needle)) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

TEST(TracingCli, WithoutTheModuleSaysSo)
{
	for (const std::vector<std::string> &args :
	     std::vector<std::vector<std::string>>{{"start"}, {"stop"}, {"reset"}, {"stat"},
						   {"stat", "--json"}, {"buffer"},
						   {"buffer", "--size-per-cpu", "1M"}}) {
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 1) << args[0];
		EXPECT_TRUE(is_one_line(r.err, "ktr: ")) << r.err;
		EXPECT_TRUE(contains(r.err, "not loaded")) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

} // namespace
} // namespace ktr
