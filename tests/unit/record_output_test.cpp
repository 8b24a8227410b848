// SPDX-License-Identifier: MIT
//
// Where `ktr record` writes the trace (record_output.h): with a command,
// whose own output shares stdout, a capture file unless stdout is asked
// for; without one, stdout. And the refusals, through the real binary too
// (before any module is asked).
#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "record_output.h"
#include "run_tool.h"

namespace ktr::cmd {
namespace {

using Kind = RecordOutput::Kind;

RecordOutput dest(bool command, const std::string &output, bool json)
{
	Result<RecordOutput> r = record_output(command, output, json);
	EXPECT_TRUE(r) << r.error().message();
	return r ? *r : RecordOutput{};
}

TEST(RecordOutput, WithACommandTheTraceGetsItsOwnFile)
{
	const RecordOutput d = dest(true, "", false);
	EXPECT_EQ(d.kind, Kind::Capture);
	EXPECT_EQ(d.path, "ktr.ktr");
	EXPECT_TRUE(d.defaulted);
	// Asked for: stdout as text or JSON, or another file.
	EXPECT_EQ(dest(true, "-", false).kind, Kind::Text);
	EXPECT_EQ(dest(true, "", true).kind, Kind::Json);
	EXPECT_EQ(dest(true, "-", true).kind, Kind::Json);
	const RecordOutput f = dest(true, "run.ktr", false);
	EXPECT_EQ(f.kind, Kind::Capture);
	EXPECT_EQ(f.path, "run.ktr");
	EXPECT_FALSE(f.defaulted);
}

TEST(RecordOutput, WithoutACommandStdoutIsTheTraces)
{
	EXPECT_EQ(dest(false, "", false).kind, Kind::Text);
	EXPECT_EQ(dest(false, "-", false).kind, Kind::Text);
	EXPECT_EQ(dest(false, "", true).kind, Kind::Json);
	const RecordOutput f = dest(false, "x.ktr", false);
	EXPECT_EQ(f.kind, Kind::Capture);
	EXPECT_EQ(f.path, "x.ktr");
	EXPECT_FALSE(f.defaulted);
}

TEST(RecordOutput, JsonAndAFileExcludeEachOther)
{
	for (const bool command : {false, true}) {
		const Result<RecordOutput> r = record_output(command, "x.ktr", true);
		ASSERT_FALSE(r);
		EXPECT_EQ(r.error().errnum(), EINVAL);
	}
	const test::Outcome o = test::run_tool(KTR_BIN, {"record", "-e", "sched_switch", "--json",
							 "-o", "x.ktr", "--", "/bin/true"});
	EXPECT_EQ(o.status, 2);
	EXPECT_TRUE(test::contains(o.err, "--json and -o FILE exclude each other")) << o.err;
	// After "--" every word is the command's, even after a repeatable option:
	// its -c is not record's -c (only the missing module stops it here).
	const test::Outcome cmd = test::run_tool(KTR_BIN, {"record", "-e", "sched_switch", "--", "sh",
							   "-c", "echo hello"});
	EXPECT_EQ(cmd.status, 1);
	EXPECT_TRUE(test::contains(cmd.err, "module is not loaded")) << cmd.err;
	const test::Outcome help = test::run_tool(KTR_BIN, {"record", "--help"});
	EXPECT_TRUE(test::contains(help.out, "ktr.ktr")) << help.out;
}

} // namespace
} // namespace ktr::cmd
