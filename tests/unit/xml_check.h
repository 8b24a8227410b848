// SPDX-License-Identifier: MIT
//
// Test helper: a strict XML well-formedness check, for the flame graph SVG
// (tests/unit/profile_test.cpp, and ktr-svg-check in the VM, where no XML
// parser is installed): one root element, every tag closed in order,
// attributes quoted and unique, '<' never in text or attribute values,
// '&' and '>' only as entities outside CDATA, CDATA and comments closed,
// the XML declaration only first. Not a validating parser: no DTDs, no
// processing instructions other than the declaration.
#ifndef KTR_TEST_XML_CHECK_H
#define KTR_TEST_XML_CHECK_H

#include <cctype>
#include <regex>
#include <string>
#include <vector>

namespace ktr::test {

/// "" when @x is well-formed, else what is wrong and where.
inline std::string xml_problem(const std::string &x)
{
	static const std::regex entity("^&(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+);");
	static const std::regex name_re("^[A-Za-z_][A-Za-z0-9_.:-]*");
	static const std::regex attr_re("^\\s+([A-Za-z_][A-Za-z0-9_.:-]*)=\"([^\"<]*)\"");
	std::vector<std::string> open;
	std::size_t i = 0, roots = 0;
	auto fail = [&](const std::string &why) {
		return why + " at byte " + std::to_string(i) + ": " + x.substr(i, 60);
	};
	auto entity_ok = [&](const std::string &s, std::size_t at) {
		return std::regex_search(s.substr(at, 12), entity);
	};
	if (x.rfind("<?xml ", 0) == 0)
		i = x.find("?>") + 2;
	while (i < x.size()) {
		if (x[i] != '<') {
			if (open.empty() && !std::isspace(static_cast<unsigned char>(x[i])))
				return fail("text outside the root");
			if (x[i] == '&' && !entity_ok(x, i))
				return fail("bare &");
			if (x[i] == '>')
				return fail("bare >");
			i++;
			continue;
		}
		if (x.compare(i, 9, "<![CDATA[") == 0) {
			const std::size_t end = x.find("]]>", i);
			if (open.empty() || end == std::string::npos)
				return fail("bad CDATA");
			i = end + 3;
			continue;
		}
		if (x.compare(i, 4, "<!--") == 0) {
			const std::size_t end = x.find("-->", i);
			if (end == std::string::npos)
				return fail("open comment");
			i = end + 3;
			continue;
		}
		const std::size_t end = x.find('>', i);
		if (end == std::string::npos)
			return fail("open tag");
		std::string tag = x.substr(i + 1, end - i - 1);
		if (tag.starts_with('/')) {
			if (open.empty() || open.back() != tag.substr(1))
				return fail("mismatched close");
			open.pop_back();
			i = end + 1;
			continue;
		}
		const bool empty = tag.ends_with('/');
		if (empty)
			tag.pop_back();
		std::smatch m;
		if (!std::regex_search(tag, m, name_re))
			return fail("bad tag name");
		const std::string name = m.str();
		std::string rest = tag.substr(name.size());
		std::vector<std::string> seen;
		while (std::regex_search(rest, m, attr_re)) {
			for (const std::string &s : seen)
				if (s == m.str(1))
					return fail("attribute twice");
			seen.push_back(m.str(1));
			const std::string v = m.str(2);
			for (std::size_t a = v.find('&'); a != std::string::npos; a = v.find('&', a + 1))
				if (!entity_ok(v, a))
					return fail("bare & in an attribute");
			rest = m.suffix();
		}
		if (rest.find_first_not_of(" \t\n") != std::string::npos)
			return fail("junk in tag <" + name + ">");
		if (open.empty() && ++roots > 1)
			return fail("second root");
		if (!empty)
			open.push_back(name);
		i = end + 1;
	}
	if (!open.empty())
		return "unclosed <" + open.back() + ">";
	if (roots != 1)
		return "no root element";
	return "";
}

} // namespace ktr::test

#endif // KTR_TEST_XML_CHECK_H
