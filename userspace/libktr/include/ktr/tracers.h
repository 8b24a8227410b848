// SPDX-License-Identifier: MIT
//
// Tracers (KTR_CMD_LIST_TRACERS / SET_TRACER, ABI minor 7; uapi/ktr.h): the
// replies' readers, pure functions of a message unit-tested with messages
// built on the host, the "key=value" settings of `ktr tracer set --opt` and
// `ktr record -p`, how failures are worded, and what `ktr tracer` prints.
// Control::list_tracers() and set_tracer() (ktr/control.h) use them.
#ifndef KTR_TRACERS_H
#define KTR_TRACERS_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ktr/result.h"

struct nl_msg;

namespace ktr {

/// enum ktr_tracer_opt_kind; a value this tool does not know is kept as is.
enum class TracerOptType : std::uint32_t {
	Bool = 1,
	U64 = 2,
	String = 3,
};

/// One option of a tracer.
struct TracerOption {
	std::string name;
	TracerOptType type = TracerOptType::String;
	std::string description;
	std::string def;			// the default, as text
	std::optional<std::string> value;	// in effect (current tracer only)

	bool operator==(const TracerOption &) const = default;
};

/// One tracer of KTR_CMD_LIST_TRACERS.
struct TracerInfo {
	std::string name;
	std::string description;
	bool current = false;
	std::vector<TracerOption> options;

	bool operator==(const TracerInfo &) const = default;
};

/// One "key=value" of a SET_TRACER request.
struct TracerSetting {
	std::string key;
	std::string value;

	bool operator==(const TracerSetting &) const = default;
};

/// Limits of uapi/ktr.h.
inline constexpr std::size_t tracer_name_max = 31;	// KTR_TRACER_NAME_MAX - 1
inline constexpr std::size_t tracer_opts_max = 16;	// KTR_TRACER_OPTS_MAX
inline constexpr std::size_t tracer_value_max = 255;	// KTR_TRACER_OPT_VALUE_MAX - 1

/// Parse one message of the KTR_CMD_LIST_TRACERS dump. Required:
/// KTR_ATTR_TRACER_NAME, _DESC, _CURRENT; _OPTIONS (absent: none); each option requires
/// _OPT_NAME, _OPT_TYPE, _OPT_DESC, _OPT_DEFAULT; _OPT_VALUE is optional.
/// Errors: EPROTO naming the attribute (and the tracer).
Result<TracerInfo> parse_tracer_message(nl_msg *msg);

/// Parse the reply to KTR_CMD_SET_TRACER: KTR_ATTR_TRACER_NAME (required),
/// the current tracer's name.
Result<std::string> parse_set_tracer_reply(nl_msg *reply);

/// A tracer name (EINVAL): 1..31 of [a-z0-9_].
Result<void> check_tracer_name(std::string_view name);

/// One "--opt KEY=VALUE" (EINVAL when there is no '=', the key is not
/// 1..31 of [a-z0-9_], or the value is longer than 255 bytes or holds a
/// NUL or a newline).
Result<TracerSetting> parse_tracer_setting(std::string_view text);

/// KTR_ATTR_TRACER_SETTINGS: "key=value\0" back to back (EINVAL: more
/// than tracer_opts_max, or a key given twice).
Result<std::string> encode_tracer_settings(const std::vector<TracerSetting> &settings);

/// The settings of `ktr record -p TRACER [-l GLOB]... [-n GLOB]... [--opt
/// K=V]...` (like trace-cmd's -p/-l/-n): each --opt parsed
/// (parse_tracer_setting()), then for -p function the -l globs as
/// filter= and the -n globs as notrace= (joined by ','). EINVAL: -l or -n
/// with another tracer, or an --opt that does not parse.
Result<std::vector<TracerSetting>> record_tracer_settings(std::string_view tracer,
							  const std::vector<std::string> &filter,
							  const std::vector<std::string> &notrace,
							  const std::vector<std::string> &opts);

/// What every tracer request fails with on a module of ABI minor
/// @module_minor < 7 (EOPNOTSUPP).
Error no_tracers_error(std::uint32_t module_minor);

/// How KTR_CMD_SET_TRACER of @name failed: ENOENT "no tracer named 'NAME'
/// (see 'ktr tracer list')" without a kernel message; otherwise "cannot
/// set tracer 'NAME': <the kernel's message>" (EPERM as kernel_error()).
Error set_tracer_error(std::string_view name, int errnum, std::string_view extack);

/// "bool", "u64", "string" or "type N".
std::string tracer_opt_type_name(TracerOptType type);

/// `ktr tracer list`: per tracer a line "NAME  DESCRIPTION" ("*" before
/// the current one), then one indented line per option: "--opt
/// NAME=<type> (default D[, now V])  DESCRIPTION".
std::string format_tracers_text(const std::vector<TracerInfo> &tracers);

/// JSON Lines: one object per tracer: name, description, current,
/// options (array of {name, type, description, default[, value]}).
std::string format_tracers_json(const std::vector<TracerInfo> &tracers);

/// `ktr tracer`: "current tracer: NAME" then its options in effect
/// ("  KEY=VALUE"); "current tracer: nop" when the list has no current one.
std::string format_current_tracer(const std::vector<TracerInfo> &tracers);

} // namespace ktr

#endif // KTR_TRACERS_H
