// SPDX-License-Identifier: MIT
#include "ktr/raw.h"

#include <algorithm>
#include <cerrno>
#include <string>

#include <ktr.h>

#include "ktr/errors.h"

namespace ktr {

static_assert(raw_nargs_max == KTR_RAW_NARGS_MAX);

namespace {

bool is_ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

} // namespace

Result<void> check_tracepoint_name(std::string_view name)
{
	if (name.empty())
		return Error{EINVAL, "empty tracepoint name"};
	if (name.size() >= KTR_EVENT_NAME_MAX)
		return Error{EINVAL, "tracepoint name '" + one_line(name.substr(0, 32)) +
					     "...' is longer than " +
					     std::to_string(KTR_EVENT_NAME_MAX - 1) + " bytes"};
	if (!std::all_of(name.begin(), name.end(), is_ident_char) ||
	    (name.front() >= '0' && name.front() <= '9'))
		return Error{EINVAL, "'" + one_line(name) +
					     "' is not a tracepoint name (letters, digits and '_', "
					     "like sched_switch; no system: prefix)"};
	return {};
}

std::string_view strip_raw_system(std::string_view arg)
{
	constexpr std::string_view prefix = "raw:";
	if (arg.starts_with(prefix))
		arg.remove_prefix(prefix.size());
	return arg;
}

Error raw_request_error(bool attach, std::string_view name, int errnum, std::string_view extack)
{
	const std::string quoted = "'" + one_line(name) + "'";
	switch (errnum) {
	case ENOENT:
		if (attach)
			return {ENOENT, "no tracepoint named " + quoted +
						" in the kernel or a loaded module"};
		return {ENOENT, quoted + " is not attached raw (see 'ktr list raw:*')"};
	case EEXIST:
		return {EEXIST, quoted + " is already attached raw (see 'ktr list raw:*')"};
	case EOPNOTSUPP:
		return {EOPNOTSUPP, "the loaded ktr module has no raw attach (module older than "
				    "this tool?)"};
	default:
		return kernel_error(errnum, attach ? "KTR_CMD_ATTACH_RAW" : "KTR_CMD_DETACH_RAW",
				    extack);
	}
}

} // namespace ktr
