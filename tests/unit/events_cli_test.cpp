// SPDX-License-Identifier: MIT
//
// `ktr list`, `ktr enable` and `ktr disable` through the real binary
// (KTR_BIN): usage errors (exit 2) before anything is asked of the module,
// and, on this machine where the ktr module is never loaded, one line
// saying so (exit 1).
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "temp_path.h"

extern char **environ;

namespace ktr {
namespace {

struct Outcome {
	int status = -1;	// exit status, or -1 if killed by a signal
	std::string out;
	std::string err;
};

std::string as_string(const std::vector<std::byte> &b)
{
	return {reinterpret_cast<const char *>(b.data()), b.size()};
}

// Run ktr with @args, stdin from /dev/null, stdout and stderr captured.
Outcome ktr(const std::vector<std::string> &args)
{
	const test::TempDir dir;
	const std::string out = dir.path("stdout"), err = dir.path("stderr");
	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out.c_str(),
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err.c_str(),
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	std::vector<char *> argv{const_cast<char *>(KTR_BIN)};
	for (const std::string &a : args)
		argv.push_back(const_cast<char *>(a.c_str()));
	argv.push_back(nullptr);
	pid_t pid;
	const int rc = posix_spawn(&pid, KTR_BIN, &actions, nullptr, argv.data(), environ);
	posix_spawn_file_actions_destroy(&actions);
	if (rc != 0)
		throw std::runtime_error("cannot run " KTR_BIN);
	int wstatus = 0;
	while (waitpid(pid, &wstatus, 0) < 0) {
		if (errno != EINTR)
			throw std::runtime_error("waitpid failed");
	}
	Outcome r;
	r.status = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : -1;
	r.out = as_string(test::read_file(out));
	r.err = as_string(test::read_file(err));
	return r;
}

bool contains(const std::string &text, std::string_view needle)
{
	return text.find(needle) != std::string::npos;
}

// Exactly one newline-terminated line starting with @prefix.
::testing::AssertionResult is_one_line(const std::string &text, std::string_view prefix)
{
	if (text.empty() || text.back() != '\n' || text.find('\n') != text.size() - 1)
		return ::testing::AssertionFailure() << "not exactly one line: [" << text << "]";
	if (!text.starts_with(prefix))
		return ::testing::AssertionFailure() << "does not start with '" << prefix << "': " << text;
	return ::testing::AssertionSuccess();
}

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
