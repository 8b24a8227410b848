// SPDX-License-Identifier: MIT
#include "ktr/tracers.h"

#include <algorithm>
#include <cerrno>
#include <set>
#include <string>

#include <ktr.h>

#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "replies.h"

namespace ktr {

static_assert(tracer_name_max == KTR_TRACER_NAME_MAX - 1);
static_assert(tracer_opts_max == KTR_TRACER_OPTS_MAX);
static_assert(tracer_value_max == KTR_TRACER_OPT_VALUE_MAX - 1);
static_assert(static_cast<std::uint32_t>(TracerOptType::Bool) == KTR_TRACER_OPT_BOOL &&
	      static_cast<std::uint32_t>(TracerOptType::U64) == KTR_TRACER_OPT_U64 &&
	      static_cast<std::uint32_t>(TracerOptType::String) == KTR_TRACER_OPT_STRING);

namespace {

constexpr std::string_view list_request = "KTR_CMD_LIST_TRACERS";
constexpr std::string_view set_request = "KTR_CMD_SET_TRACER";

bool valid_name(std::string_view s)
{
	if (s.empty() || s.size() > tracer_name_max)
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
	});
}

std::string pad(const std::string &text, std::size_t width)
{
	return text + std::string(text.size() < width ? width - text.size() : 0, ' ');
}

} // namespace

Result<TracerInfo> replies::tracer(const proto::Attrs &a)
{
	// KTR_ATTR_TRACER_OPTIONS may be absent when empty (libnl drops an
	// empty nest; a tracer without options).
	if (std::string p = a.check({KTR_ATTR_TRACER_NAME, KTR_ATTR_TRACER_DESC,
				     KTR_ATTR_TRACER_CURRENT});
	    !p.empty())
		return bad_reply_error(list_request, p);
	TracerInfo t;
	t.name = a.str(KTR_ATTR_TRACER_NAME);
	t.description = a.str(KTR_ATTR_TRACER_DESC);
	t.current = a.flag(KTR_ATTR_TRACER_CURRENT);
	for (const proto::Attrs &o : a.nested(KTR_ATTR_TRACER_OPTIONS).all_nested(
		     KTR_ATTR_TRACER_OPTION)) {
		if (std::string p = o.check({KTR_ATTR_TRACER_OPT_NAME, KTR_ATTR_TRACER_OPT_TYPE,
					     KTR_ATTR_TRACER_OPT_DESC, KTR_ATTR_TRACER_OPT_DEFAULT});
		    !p.empty())
			return bad_reply_error(list_request, "tracer " + one_line(t.name) + ": " + p);
		TracerOption opt;
		opt.name = o.str(KTR_ATTR_TRACER_OPT_NAME);
		opt.type = static_cast<TracerOptType>(o.u32(KTR_ATTR_TRACER_OPT_TYPE));
		opt.description = o.str(KTR_ATTR_TRACER_OPT_DESC);
		opt.def = o.str(KTR_ATTR_TRACER_OPT_DEFAULT);
		if (o.valid(KTR_ATTR_TRACER_OPT_VALUE))
			opt.value = o.str(KTR_ATTR_TRACER_OPT_VALUE);
		t.options.push_back(std::move(opt));
	}
	return t;
}

Result<std::string> replies::tracer_name(const proto::Attrs &a)
{
	if (std::string p = a.check({KTR_ATTR_TRACER_NAME}); !p.empty())
		return bad_reply_error(set_request, p);
	return a.str(KTR_ATTR_TRACER_NAME);
}

Result<TracerInfo> parse_tracer_message(nl_msg *msg)
{
	return replies::parse(msg, list_request, KTR_CMD_LIST_TRACERS, replies::tracer);
}

Result<std::string> parse_set_tracer_reply(nl_msg *reply)
{
	return replies::parse(reply, set_request, KTR_CMD_SET_TRACER, replies::tracer_name);
}

Result<void> check_tracer_name(std::string_view name)
{
	if (!valid_name(name))
		return Error{EINVAL, "'" + one_line(name.substr(0, 80)) +
					     "' is not a tracer name (1 to 31 of a-z, 0-9 and '_'; "
					     "see 'ktr tracer list')"};
	return {};
}

Result<TracerSetting> parse_tracer_setting(std::string_view text)
{
	const std::size_t eq = text.find('=');
	if (eq == std::string_view::npos)
		return Error{EINVAL, "--opt '" + one_line(text.substr(0, 80)) +
					     "': expected KEY=VALUE"};
	TracerSetting s{std::string(text.substr(0, eq)), std::string(text.substr(eq + 1))};
	if (!valid_name(s.key))
		return Error{EINVAL, "--opt '" + one_line(text.substr(0, 80)) + "': the key '" +
					     one_line(s.key.substr(0, 40)) +
					     "' is not an option name (1 to 31 of a-z, 0-9 and '_')"};
	if (s.value.size() > tracer_value_max)
		return Error{EINVAL, "--opt " + s.key + ": the value is longer than " +
					     std::to_string(tracer_value_max) + " bytes"};
	if (s.value.find('\0') != std::string::npos || s.value.find('\n') != std::string::npos)
		return Error{EINVAL, "--opt " + s.key + ": the value holds a NUL or a newline"};
	return s;
}

Result<std::string> encode_tracer_settings(const std::vector<TracerSetting> &settings)
{
	if (settings.size() > tracer_opts_max)
		return Error{EINVAL, "at most " + std::to_string(tracer_opts_max) +
					     " tracer options at a time"};
	std::set<std::string> seen;
	std::string out;
	for (const TracerSetting &s : settings) {
		if (!seen.insert(s.key).second)
			return Error{EINVAL, "tracer option '" + s.key + "' is given twice"};
		out += s.key + "=" + s.value;
		out.push_back('\0');
	}
	return out;
}

Result<std::vector<TracerSetting>> record_tracer_settings(std::string_view tracer,
							  const std::vector<std::string> &filter,
							  const std::vector<std::string> &notrace,
							  const std::vector<std::string> &opts)
{
	if ((!filter.empty() || !notrace.empty()) && tracer != "function")
		return Error{EINVAL, "-l and -n (function globs) need -p function"};
	const auto join = [](const std::vector<std::string> &globs) {
		std::string out;
		for (const std::string &g : globs)
			out += (out.empty() ? "" : ",") + g;
		return out;
	};
	std::vector<TracerSetting> out;
	for (const std::string &text : opts) {
		Result<TracerSetting> s = parse_tracer_setting(text);
		if (!s)
			return s.error();
		out.push_back(std::move(*s));
	}
	if (!filter.empty())
		out.push_back({"filter", join(filter)});
	if (!notrace.empty())
		out.push_back({"notrace", join(notrace)});
	return out;
}

Error no_tracers_error(std::uint32_t module_minor)
{
	return {EOPNOTSUPP, "the loaded ktr module has no tracers (ABI minor " +
				    std::to_string(module_minor) + " < 7): load a newer ktr.ko"};
}

Error set_tracer_error(std::string_view name, int errnum, std::string_view extack)
{
	if (errnum == EPERM || errnum == EACCES)
		return kernel_error(errnum, set_request, extack);
	const std::string what = "cannot set tracer '" + one_line(name) + "'";
	if (std::string reason = one_line(extack); !reason.empty())
		return {errnum, what + ": " + reason};
	switch (errnum) {
	case ENOENT:
		return {errnum, "no tracer named '" + one_line(name) + "' (see 'ktr tracer list')"};
	case EBUSY:
		return {errnum, what + ": its module is being unloaded"};
	default:
		return {errnum, what + ": " + errno_text(errnum)};
	}
}

std::string tracer_opt_type_name(TracerOptType type)
{
	switch (type) {
	case TracerOptType::Bool: return "bool";
	case TracerOptType::U64: return "u64";
	case TracerOptType::String: return "string";
	}
	return "type " + std::to_string(static_cast<std::uint32_t>(type));
}

std::string format_tracers_text(const std::vector<TracerInfo> &tracers)
{
	if (tracers.empty())
		return "no tracers\n";
	std::size_t name_w = 0;
	for (const TracerInfo &t : tracers)
		name_w = std::max(name_w, t.name.size());
	std::string out;
	for (const TracerInfo &t : tracers) {
		out += (t.current ? "* " : "  ") + pad(one_line(t.name), name_w) + "  " +
		       one_line(t.description) + "\n";
		for (const TracerOption &o : t.options) {
			std::string spec = "--opt " + one_line(o.name) + "=<" +
					   tracer_opt_type_name(o.type) + "> (default '" +
					   one_line(o.def) + "'";
			if (o.value)
				spec += ", now '" + one_line(*o.value) + "'";
			out += "      " + spec + ")  " + one_line(o.description) + "\n";
		}
	}
	return out;
}

std::string format_tracers_json(const std::vector<TracerInfo> &tracers)
{
	std::string out;
	for (const TracerInfo &t : tracers) {
		JsonWriter w;
		w.begin_object()
			.key("name").value(t.name)
			.key("description").value(t.description)
			.key("current").value(t.current)
			.key("options").begin_array();
		for (const TracerOption &o : t.options) {
			w.begin_object()
				.key("name").value(o.name)
				.key("type").value(tracer_opt_type_name(o.type))
				.key("description").value(o.description)
				.key("default").value(o.def);
			if (o.value)
				w.key("value").value(*o.value);
			w.end_object();
		}
		w.end_array().end_object();
		out += w.str() + "\n";
	}
	return out;
}

std::string format_current_tracer(const std::vector<TracerInfo> &tracers)
{
	for (const TracerInfo &t : tracers) {
		if (!t.current)
			continue;
		std::string out = "current tracer: " + one_line(t.name) + "\n";
		for (const TracerOption &o : t.options)
			out += "  " + one_line(o.name) + "=" + one_line(o.value.value_or(o.def)) + "\n";
		return out;
	}
	return "current tracer: nop\n";
}

} // namespace ktr
