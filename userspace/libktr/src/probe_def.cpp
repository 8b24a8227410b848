// SPDX-License-Identifier: MIT
#include "ktr/probe_def.h"

#include <cerrno>

namespace ktr {

std::variant<ktr_probe_def, ProbeDefError> parse_probe_def(std::string_view text)
{
	ktr_probe_def def{};
	ktr_probe_err err{};

	// The parser refuses an empty or too long text itself, with its position.
	if (ktr_probe_def_parse(text.data(), text.size(), &def, &err))
		return def;
	return ProbeDefError{err.pos, err.msg ? err.msg : "malformed definition"};
}

namespace {

// How a byte of the definition is shown: control characters (but tabs)
// would break the line, so they show as '?'.
char shown(char c)
{
	const auto u = static_cast<unsigned char>(c);
	return (u < 0x20 && c != '\t') || u == 0x7f ? '?' : c;
}

} // namespace

std::string render_probe_def_error(std::string_view text, const ProbeDefError &e)
{
	std::string out = "definition:\n  ";
	for (char c : text)
		out += shown(c);
	out += "\n  ";
	const std::size_t pos = e.pos < text.size() ? e.pos : text.size();
	for (std::size_t i = 0; i < pos; i++) {
		const auto u = static_cast<unsigned char>(text[i]);
		if (text[i] == '\t')
			out += '\t';
		else if ((u & 0xc0) != 0x80)	// a UTF-8 continuation takes no column
			out += ' ';
	}
	out += "^ ";
	out += e.message;
	return out;
}

Result<ktr_probe_def> check_probe_def(std::string_view text)
{
	auto r = parse_probe_def(text);
	if (auto *e = std::get_if<ProbeDefError>(&r))
		return Error{EINVAL, "bad probe definition at column " + std::to_string(e->pos + 1) +
					     ": " + e->message};
	return std::get<ktr_probe_def>(std::move(r));
}

} // namespace ktr
