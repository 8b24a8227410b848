// SPDX-License-Identifier: MIT
//
// The man pages (generated at build time from --help by userspace/doc/)
// say what --help says: every command and subcommand of ktr and ktr-read has
// a page, and every option, positional and subcommand --help lists is an
// entry of its page, spelled as --help spells it.
#include <cctype>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "run_tool.h"

namespace ktr {
namespace {

struct Section {
	std::string title;		// "Options", "Positionals", "Subcommands"
	std::vector<std::string> terms;	// "-o,--output FILE", "record"
};

// The entries of --help's sections, as CLI11 prints them.
std::vector<Section> help_sections(const std::string &help)
{
	std::vector<Section> out;
	std::istringstream in(help);
	std::string line;
	Section *cur = nullptr;
	while (std::getline(in, line)) {
		if (line == "Options:" || line == "Positionals:" || line == "Subcommands:") {
			out.push_back({line.substr(0, line.size() - 1), {}});
			cur = &out.back();
		} else if (line.empty()) {
			cur = nullptr;
		} else if (cur && line.starts_with("  ") && line[2] != ' ') {
			const std::string rest = line.substr(2);
			cur->terms.push_back(rest.substr(0, rest.find("  ")));
		}
	}
	return out;
}

// As roff shows text: hyphens and backslashes escaped.
std::string roff(const std::string &s)
{
	std::string out;
	for (const char c : s) {
		if (c == '-')
			out += "\\-";
		else if (c == '\\')
			out += "\\e";
		else
			out += c;
	}
	return out;
}

std::string read_file(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

// Checks the page of @words (a tool and its subcommands), then recurses.
void check_page(const std::string &tool_path, const std::string &tool,
		const std::vector<std::string> &words, int *pages)
{
	std::vector<std::string> args = words;
	args.push_back("--help");
	const test::Outcome help = test::run_tool(tool_path, args);
	ASSERT_EQ(help.status, 0) << tool << " " << testing::PrintToString(words);
	std::string name = tool;
	for (const std::string &w : words)
		name += "-" + w;
	const std::string page = read_file(std::string(KTR_MAN_DIR) + "/" + name + ".1");
	ASSERT_FALSE(page.empty()) << "no man page " << name << ".1";
	++*pages;
	std::string upper = name;
	for (char &c : upper)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	EXPECT_TRUE(page.starts_with(".TH " + roff(upper) + " 1 ")) << page.substr(0, 80);
	const std::vector<Section> sections = help_sections(help.out);
	ASSERT_FALSE(sections.empty()) << name << ": no section in --help";
	for (const Section &s : sections) {
		for (const std::string &term : s.terms)
			EXPECT_TRUE(test::contains(page, "\n.B " + roff(term) + "\n"))
				<< name << ".1 lacks the " << s.title << " entry '" << term << "'";
		if (s.title != "Subcommands")
			continue;
		for (const std::string &term : s.terms) {
			std::vector<std::string> sub = words;
			sub.push_back(term.substr(0, term.find(' ')));
			check_page(tool_path, tool, sub, pages);
		}
	}
}

TEST(ManPages, EveryCommandHasAPageWithEveryEntryOfItsHelp)
{
	int pages = 0;
	check_page(KTR_BIN, "ktr", {}, &pages);
	check_page(KTR_READ_BIN, "ktr-read", {}, &pages);
	// ktr, ktr-read, and ktr's subcommands (record, report, probe add...).
	EXPECT_GT(pages, 10);
	const std::string record = read_file(std::string(KTR_MAN_DIR) + "/ktr-record.1");
	EXPECT_TRUE(test::contains(record, ".SH SYNOPSIS\n.B ktr record\n")) << record;
	EXPECT_TRUE(test::contains(record, "\\-\\-event")) << record;
}

} // namespace
} // namespace ktr
