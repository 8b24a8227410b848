// SPDX-License-Identifier: MIT
//
// Runs the built ktr and ktr-read binaries (paths from CMake) and checks
// their exit codes and what they print. On this machine the ktr module is
// never loaded, so `ktr info` must fail cleanly.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/version.h"

extern char **environ;

namespace ktr {
namespace {

struct Outcome {
	int status = -1;	// exit status, or -1 if killed by a signal
	std::string out;
	std::string err;
};

// An unlinked-on-destruction temporary file.
class TempFile {
public:
	TempFile()
	{
		const char *dir = std::getenv("TMPDIR");
		path_ = std::string(dir && *dir ? dir : "/tmp") + "/ktr-cli-test-XXXXXX";
		const int fd = mkstemp(path_.data());
		if (fd < 0)
			throw std::runtime_error("mkstemp failed");
		close(fd);
	}
	~TempFile() { unlink(path_.c_str()); }
	TempFile(const TempFile &) = delete;
	TempFile &operator=(const TempFile &) = delete;

	[[nodiscard]] const std::string &path() const { return path_; }
	[[nodiscard]] std::string contents() const
	{
		std::ifstream in(path_, std::ios::binary);
		std::ostringstream s;
		s << in.rdbuf();
		return s.str();
	}

private:
	std::string path_;
};

// Run @program with @args, stdout to @stdout_path (a temp file if empty),
// stderr to a temp file, stdin from /dev/null.
Outcome run_tool(const std::string &program, const std::vector<std::string> &args,
	const std::string &stdout_path = {})
{
	TempFile out_file, err_file;
	const std::string &out_path = stdout_path.empty() ? out_file.path() : stdout_path;

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
					 O_WRONLY | O_TRUNC, 0);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_file.path().c_str(),
					 O_WRONLY | O_TRUNC, 0);

	std::vector<char *> argv;
	argv.push_back(const_cast<char *>(program.c_str()));
	for (const std::string &a : args)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);

	pid_t pid;
	const int rc = posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc != 0)
		throw std::runtime_error("cannot run " + program + ": " + std::to_string(rc));

	int wstatus = 0;
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			throw std::runtime_error("waitpid failed");
	}
	Outcome r;
	r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	if (stdout_path.empty())
		r.out = out_file.contents();
	r.err = err_file.contents();
	return r;
}

Outcome ktr(const std::vector<std::string> &args) { return run_tool(KTR_BIN, args); }
Outcome ktr_read(const std::vector<std::string> &args) { return run_tool(KTR_READ_BIN, args); }

// Exactly one newline-terminated line starting with @prefix.
::testing::AssertionResult is_one_line(const std::string &text, std::string_view prefix)
{
	if (text.empty() || text.back() != '\n' || text.find('\n') != text.size() - 1)
		return ::testing::AssertionFailure() << "not exactly one line: [" << text << "]";
	if (!text.starts_with(prefix))
		return ::testing::AssertionFailure() << "does not start with '" << prefix << "': " << text;
	return ::testing::AssertionSuccess();
}

bool contains(const std::string &text, std::string_view needle)
{
	return text.find(needle) != std::string::npos;
}

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
