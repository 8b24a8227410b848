// SPDX-License-Identifier: MIT
#include "ktr/folded_stacks.h"

namespace ktr {

std::string FoldedStacks::clean_frame(std::string_view frame)
{
	if (frame.empty())
		return "[unknown]";
	std::string out(frame);
	for (char &c : out) {
		if (c == ';')
			c = ':';
		else if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
	}
	return out;
}

void FoldedStacks::add(std::span<const std::string> frames, std::uint64_t count)
{
	if (frames.empty() || count == 0)
		return;
	std::string key;
	for (const std::string &f : frames) {
		if (!key.empty())
			key += ';';
		key += clean_frame(f);
	}
	stacks_[key] += count;
	total_ += count;
}

std::string FoldedStacks::text() const
{
	std::string out;
	for (const auto &[stack, count] : stacks_) {
		out += stack;
		out += ' ';
		out += std::to_string(count);
		out += '\n';
	}
	return out;
}

} // namespace ktr
