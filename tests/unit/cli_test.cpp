// SPDX-License-Identifier: MIT
//
// Runs the built ktr and ktr-read binaries (paths from CMake) and checks
// their exit codes and what they print. On this machine the ktr module is
// never loaded, so `ktr info` must fail cleanly.

#include <cerrno>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/version.h"
#include "run_tool.h"

namespace ktr {
namespace {

using test::contains;
using test::is_one_line;
using test::Outcome;
using test::run_tool;

Outcome ktr(const std::vector<std::string> &args) { return run_tool(KTR_BIN, args); }
Outcome ktr_read(const std::vector<std::string> &args) { return run_tool(KTR_READ_BIN, args); }

TEST(KtrCli, HelpListsCommands)
{
	const Outcome r = ktr({"--help"});
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(contains(r.out, "info")) << r.out;
	EXPECT_TRUE(contains(r.out, "Usage: ktr")) << r.out;
	EXPECT_EQ(r.err, "");
}

TEST(KtrCli, InfoHelpDocumentsJson)
{
	const Outcome r = ktr({"info", "--help"});
	EXPECT_EQ(r.status, 0);
	EXPECT_TRUE(contains(r.out, "--json")) << r.out;
}

TEST(KtrCli, VersionNamesToolAndAbi)
{
	const Outcome r = ktr({"--version"});
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, version_line("ktr") + "\n");
	EXPECT_TRUE(contains(r.out, std::string(tool_version))) << r.out;
	EXPECT_EQ(r.err, "");
}

TEST(KtrCli, UnknownCommandIsUsageError)
{
	const Outcome r = ktr({"bogus"});
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(is_one_line(r.err, "ktr: "));
	EXPECT_TRUE(contains(r.err, "unknown command 'bogus'")) << r.err;
	EXPECT_TRUE(contains(r.err, "Run with --help for more information.")) << r.err;
	EXPECT_EQ(r.out, "");
}

TEST(KtrCli, MissingCommandIsUsageError)
{
	const Outcome r = ktr({});
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(is_one_line(r.err, "ktr: "));
	EXPECT_TRUE(contains(r.err, "no command given")) << r.err;
}

TEST(KtrCli, UnknownOptionIsUsageError)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{"--bogus"}, {"info", "--bogus"}, {"info", "extra"}}) {
		const Outcome r = ktr(args);
		EXPECT_EQ(r.status, 2) << args.back();
		EXPECT_TRUE(is_one_line(r.err, "ktr: "));
		EXPECT_TRUE(contains(r.err, args.back())) << r.err;
	}
}

TEST(KtrCli, InfoWithoutModuleFailsWithOneLine)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{"info"}, {"info", "--json"}}) {
		const Outcome r = ktr(args);
		if (r.status == 0)
			GTEST_SKIP() << "the ktr module is loaded on this machine";
		EXPECT_EQ(r.status, 1);
		EXPECT_TRUE(is_one_line(r.err, "ktr: "));
		EXPECT_TRUE(contains(r.err, "not loaded")) << r.err;
		EXPECT_TRUE(contains(r.err, "insmod")) << r.err;
		EXPECT_EQ(r.out, "");
	}
}

TEST(KtrCli, OutputErrorIsReported)
{
	if (access("/dev/full", W_OK) != 0)
		GTEST_SKIP() << "no /dev/full";
	const Outcome r = run_tool(KTR_BIN, {"--help"}, "/dev/full");
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(is_one_line(r.err, "ktr: cannot write to standard output"));
}

TEST(KtrReadCli, HelpDocumentsOptions)
{
	const Outcome r = ktr_read({"--help"});
	EXPECT_EQ(r.status, 0);
	for (const char *opt : {"-o", "--output", "--json", "-d", "--duration", "-c", "--count",
				"--cpus", "--watermark", "--flush-interval", "-q", "--quiet",
				"/dev/ktr", "LOST", "CAP_PERFMON", "ktr report"})
		EXPECT_TRUE(contains(r.out, opt)) << opt << " not in:\n" << r.out;
	EXPECT_FALSE(contains(r.out, "NOT AVAILABLE")) << r.out;
	EXPECT_EQ(r.err, "");
}

TEST(KtrReadCli, VersionNamesToolAndAbi)
{
	const Outcome r = ktr_read({"--version"});
	EXPECT_EQ(r.status, 0);
	EXPECT_EQ(r.out, version_line("ktr-read") + "\n");
}

// The host never has ktr loaded (it is only ever loaded in VMs).
TEST(KtrReadCli, WithoutTheModuleSaysSo)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{}, {"--json", "-d", "1.5s", "-c", "100", "--cpus", "0"}}) {
		const Outcome r = ktr_read(args);
		EXPECT_EQ(r.status, 1);
		EXPECT_EQ(r.err, "ktr-read: the ktr kernel module is not loaded (load it with "
				 "'insmod ktr.ko')\n");
		EXPECT_EQ(r.out, "");
	}
}

TEST(KtrReadCli, BadArgumentsAreUsageErrors)
{
	const std::vector<std::vector<std::string>> cases = {
		{"-d", "bogus"}, {"-d", "-1s"}, {"-d", "5"},	  {"--duration=5x"},
		{"-c", "0"},	 {"-c", "abc"}, {"--cpus", "3-1"}, {"--cpus", "x"},
		{"-d"},		 {"--bogus"},	{"extra"},
		{"--watermark", "0"}, {"--watermark", "x"}, {"--flush-interval", "0"},
		{"--json", "-o", "x.ktr"},
	};
	for (const std::vector<std::string> &args : cases) {
		const Outcome r = ktr_read(args);
		EXPECT_EQ(r.status, 2) << args.back();
		EXPECT_TRUE(is_one_line(r.err, "ktr-read: ")) << args.back();
	}
	const Outcome r = ktr_read({"-d", "bogus"});
	EXPECT_TRUE(contains(r.err, "invalid duration 'bogus'")) << r.err;
}

} // namespace
} // namespace ktr
