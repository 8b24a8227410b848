// SPDX-License-Identifier: MIT
#include "ktr/text_lines.h"

#include <algorithm>

namespace ktr {

std::string format_aligned_lines(const TextLines &lines)
{
	std::size_t width = 0;
	for (const auto &[key, value] : lines)
		width = std::max(width, key.size() + 1);

	std::string out;
	for (const auto &[key, value] : lines) {
		out += key;
		out += ':';
		out.append(width - key.size(), ' ');
		out += value;
		out += '\n';
	}
	return out;
}

} // namespace ktr
