// SPDX-License-Identifier: MIT
#include "cli_main.h"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <new>
#include <string>
#include <string_view>
#include <vector>


#include "ktr/errors.h"

namespace ktr::cli {

namespace {

void print_error(const CLI::App &app, std::string_view message)
{
	std::cerr << app.get_name() << ": " << one_line(message) << std::endl;
}

std::string command_list(const CLI::App &app)
{
	std::string list;
	for (const CLI::App *sub : app.get_subcommands([](const CLI::App *) { return true; })) {
		if (!list.empty())
			list += ", ";
		list += sub->get_name();
	}
	return list;
}

// CLI11's messages, made specific where CLI11 is vague: with a required
// command missing it says "A subcommand is required" even for "ktr foo".
std::string usage_message(const CLI::App &app, const CLI::ParseError &e)
{
	std::string message = e.what();
	const bool command_missing = app.get_require_subcommand_min() > 0 &&
				     app.get_subcommands().empty() &&
				     dynamic_cast<const CLI::RequiredError *>(&e) != nullptr;
	if (command_missing) {
		const std::vector<std::string> rest = app.remaining();
		if (rest.empty())
			message = "no command given (commands: " + command_list(app) + ")";
		else if (rest.front().starts_with('-'))
			message = "unknown option '" + rest.front() + "'";
		else
			message = "unknown command '" + rest.front() + "' (commands: " +
				  command_list(app) + ")";
	}

	while (!message.empty() && (message.back() == '.' || message.back() == ' '))
		message.pop_back();
	// "The following argument..." → "the following argument...", but keep "ABI".
	if (message.size() > 1 && std::isupper(static_cast<unsigned char>(message[0])) &&
	    std::islower(static_cast<unsigned char>(message[1])))
		message[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(message[0])));
	return message + ". Run with --help for more information.";
}

// Output that could not be written is a failure too ("ktr info >/dev/full").
bool flush_stdout(const CLI::App &app)
{
	std::cout.flush();
	errno = 0;
	if (std::cout && std::fflush(stdout) == 0 && !std::ferror(stdout))
		return true;
	std::string message = "cannot write to standard output";
	if (errno != 0)
		message += ": " + errno_text(errno);
	print_error(app, message);
	return false;
}

} // namespace

int run(CLI::App &app, int argc, char **argv)
{
	try {
		app.parse(argc, argv);
	} catch (const CLI::Success &e) {
		// --help, --version: CLI11 prints them to stdout.
		app.exit(e);
		return flush_stdout(app) ? 0 : exit_failure;
	} catch (const CLI::RuntimeError &e) {
		return e.get_exit_code();
	} catch (const CLI::ParseError &e) {
		print_error(app, usage_message(app, e));
		return exit_usage;
	} catch (const Failure &f) {
		std::cout.flush();	// keep whatever was printed before the error
		print_error(app, f.error().message());
		return f.exit_code();
	} catch (const std::bad_alloc &) {
		print_error(app, "out of memory");
		return exit_failure;
	} catch (const std::exception &e) {
		print_error(app, std::string("internal error: ") + e.what());
		return exit_failure;
	}
	return flush_stdout(app) ? 0 : exit_failure;
}

} // namespace ktr::cli
