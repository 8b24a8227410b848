// SPDX-License-Identifier: MIT
//
// Running the built ktr / ktr-read binaries from a test: exit status and
// everything they print, plus the checks the CLI tests share.
#ifndef KTR_TEST_RUN_TOOL_H
#define KTR_TEST_RUN_TOOL_H

#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

namespace ktr::test {

struct Outcome {
	int status = -1;	// exit status, or -1 if killed by a signal
	std::string out;
	std::string err;
};

/// Run @program with @args, stdin from /dev/null, stderr captured, stdout
/// captured or sent to @stdout_path (e.g. /dev/full) when one is given.
Outcome run_tool(const std::string &program, const std::vector<std::string> &args,
		 const std::string &stdout_path = {});

/// Exactly one newline-terminated line starting with @prefix.
::testing::AssertionResult is_one_line(const std::string &text, std::string_view prefix);

inline bool contains(const std::string &text, std::string_view needle)
{
	return text.find(needle) != std::string::npos;
}

} // namespace ktr::test

#endif // KTR_TEST_RUN_TOOL_H
