// SPDX-License-Identifier: MIT
//
// What every ktr command-line tool does the same way: parse with CLI11, run
// the chosen command, and turn every failure into exactly one line on stderr
// starting with "<program>: ".
//
// Exit codes: 0 success (also --help, --version), 1 runtime failure,
// 2 usage error.
#ifndef KTR_CLI_MAIN_H
#define KTR_CLI_MAIN_H

#include <exception>
#include <string>
#include <utility>

#include <CLI/CLI.hpp>

#include "ktr/result.h"

namespace ktr::cli {

inline constexpr int exit_failure = 1;
inline constexpr int exit_usage = 2;

/// Thrown by a command to end the program with @error reported.
class Failure : public std::exception {
public:
	explicit Failure(Error error, int exit_code = exit_failure)
		: error_(std::move(error)), exit_code_(exit_code) {}
	[[nodiscard]] const char *what() const noexcept override { return error_.message().c_str(); }
	[[nodiscard]] const Error &error() const noexcept { return error_; }
	[[nodiscard]] int exit_code() const noexcept { return exit_code_; }

private:
	Error error_;
	int exit_code_;
};

/// The value of @result, or throw Failure with its error.
template <typename T>
T or_fail(Result<T> result)
{
	if (!result)
		throw Failure(result.error());
	return std::move(result).value();
}

/// Throw Failure with @result's error, if it failed.
inline void or_fail(Result<void> result)
{
	if (!result)
		throw Failure(result.error());
}

/// Parse @argv with @app (whose name is the program name used in messages),
/// run the callbacks of the chosen commands, flush stdout, and return the
/// exit code.
int run(CLI::App &app, int argc, char **argv);

/// A CLI11 validator from a libktr parser: @parse(text) returns a Result,
/// whose error message becomes the usage error.
template <typename Parse>
CLI::Validator validator(Parse parse)
{
	return CLI::Validator(
		[parse](std::string &text) -> std::string {
			auto result = parse(text);
			return result ? std::string{} : result.error().message();
		},
		"");	// no description: the option's type_name says it all
}

} // namespace ktr::cli

#endif // KTR_CLI_MAIN_H
