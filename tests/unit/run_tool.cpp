// SPDX-License-Identifier: MIT
#include "run_tool.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <stdexcept>

#include "temp_path.h"

extern char **environ;

namespace ktr::test {

namespace {

std::string as_string(const std::vector<std::byte> &b)
{
	return {reinterpret_cast<const char *>(b.data()), b.size()};
}

} // namespace

Outcome run_tool(const std::string &program, const std::vector<std::string> &args,
		 const std::string &stdout_path)
{
	const TempDir dir;
	const std::string out_path = stdout_path.empty() ? dir.path("stdout") : stdout_path;
	const std::string err_path = dir.path("stderr");

	posix_spawn_file_actions_t actions;
	posix_spawn_file_actions_init(&actions);
	posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
					 O_WRONLY | O_CREAT | O_TRUNC, 0600);

	std::vector<char *> argv{const_cast<char *>(program.c_str())};
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
		r.out = as_string(read_file(out_path));
	r.err = as_string(read_file(err_path));
	return r;
}

::testing::AssertionResult is_one_line(const std::string &text, std::string_view prefix)
{
	if (text.empty() || text.back() != '\n' || text.find('\n') != text.size() - 1)
		return ::testing::AssertionFailure() << "not exactly one line: [" << text << "]";
	if (!text.starts_with(prefix))
		return ::testing::AssertionFailure() << "does not start with '" << prefix << "': " << text;
	return ::testing::AssertionSuccess();
}

} // namespace ktr::test
