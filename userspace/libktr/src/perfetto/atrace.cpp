// SPDX-License-Identifier: MIT
#include "atrace.h"

namespace ktr::perfetto {

bool is_atrace(std::string_view text)
{
	return text.size() >= 2 && text[1] == '|' &&
	       std::string_view("BECSFINGH").find(text[0]) != std::string_view::npos;
}

std::vector<std::string> marker_prints(std::string_view text, std::int32_t tgid)
{
	if (is_atrace(text))
		return {std::string(text)};
	while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
		text.remove_suffix(1);
	const std::string pid = std::to_string(tgid);
	const std::string name = text.empty() ? "(empty marker)" : std::string(text);
	return {"B|" + pid + "|" + name, "E|" + pid};
}

} // namespace ktr::perfetto
