// SPDX-License-Identifier: MIT
//
// The event types the loaded module knows (KTR_CMD_LIST_EVENTS, ABI minor
// 3): each with its payload format, whether this kernel has its tracepoint
// and whether it is recording. The parsers are pure functions of a message,
// unit-tested with messages built on the host; Control::list_events(),
// enable_events() and disable_events() (ktr/control.h) use them.
//
// What `ktr list` prints is here too (format_events_text/json), so that it
// is tested without a kernel.
#ifndef KTR_EVENTS_H
#define KTR_EVENTS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ktr/event_format.h"
#include "ktr/result.h"

struct nl_msg;

namespace ktr {

struct EventInfo {
	EventFormat format;	// id, system, name, fields (validate_format() passed)
	bool available = false;	// the running kernel has its tracepoint
	bool enabled = false;	// recording

	bool operator==(const EventInfo &) const = default;
};

/// Longest system, event or field name attribute accepted, NUL included
/// (KTR_EVENT_NAME_MAX).
inline constexpr std::uint16_t event_string_max = 64;
/// Longest glob accepted by enable/disable, NUL excluded
/// (KTR_EVENT_GLOB_MAX - 1).
inline constexpr std::size_t event_glob_max = 127;

/// Parse one message of the KTR_CMD_LIST_EVENTS dump (a complete generic
/// netlink message). Required: KTR_ATTR_EVENT_ID (u32, at most 65535),
/// _SYSTEM, _NAME (NUL-terminated strings of at most event_string_max
/// bytes), _AVAILABLE, _ENABLED (u8, 0 or 1), _FIELDS (nested, one
/// KTR_ATTR_FIELD per field, each with _NAME, _TYPE (u32, enum
/// ktr_field_type), _OFFSET, _SIZE (u32) and _SIGNED (u8, 0 or 1), and
/// optionally _DISPLAY (u32, enum ktr_field_display; absent or unknown:
/// FieldDisplay::Default)). The
/// first fields must be the common header (common_id, common_flags,
/// common_pid, as struct ktr_event_common), and the whole format must pass
/// validate_format(). Unknown attributes are ignored at every level (a
/// newer ABI minor). Errors (EPROTO) name the event (once its id and name
/// are known), the field and the attribute.
Result<EventInfo> parse_event_message(nl_msg *msg);

/// Parse the reply to KTR_CMD_ENABLE_EVENTS or KTR_CMD_DISABLE_EVENTS
/// (@cmd, the request's command): the KTR_ATTR_EVENT_COUNT (u32, required).
Result<std::uint32_t> parse_event_count_reply(nl_msg *reply, std::uint8_t cmd);

/// The formats of @events as a table; an id or system:name listed twice is
/// an error (EEXIST, naming both).
Result<FormatTable> formats_from(const std::vector<EventInfo> &events);

/// What list_events() fails with when the module has no KTR_CMD_LIST_EVENTS
/// (ABI minor < 3): EOPNOTSUPP.
Error no_event_list_error();

/// What enable_events()/disable_events() fail with on such a module.
Error no_event_control_error();

/// How `enable`/`disable` of @glob failed when a module of ABI minor 3 or
/// later answered -@errnum with extended-ack message @extack: ENOENT "no
/// event matches '<glob>'", EOPNOTSUPP "cannot enable '<glob>': no event it
/// matches can be switched on this kernel (...)" (both documented in
/// uapi/ktr.h, so the kernel's message is left out), anything else as
/// kernel_error() words it, @extack included.
Error event_request_error(bool enable, std::string_view glob, int errnum,
			  std::string_view extack);

/// Checks an event name or glob given to enable/disable (EINVAL): not
/// empty, at most event_glob_max bytes, no control characters.
Result<void> check_event_glob(std::string_view glob);

/// Whether event @format matches @glob as the module matches it: a glob
/// over names (the kernel's glob_match(), i.e. fnmatch(3) without flags:
/// * ? [...] [!...] \), or "system:glob" with the system named exactly.
bool event_matches(const EventFormat &format, std::string_view glob);

/// "enabled" (recording), "disabled" (available, not recording) or
/// "unavailable" (this kernel lacks the tracepoint).
std::string_view event_state(const EventInfo &event);

/// A field's type as `ktr list --fields` shows it: s8..s64, u8..u64,
/// x8..x64 (integers shown in hex), symbol (kernel addresses shown as
/// function+0xoff), char[N], string (RestString and StringLoc), u64[].
std::string field_type_text(const FieldFormat &field);

/// The table of `ktr list`: a header line, then "system:name id state",
/// columns aligned; with @fields, each event's fields below it, indented:
/// "name type offset size".
std::string format_events_text(const std::vector<EventInfo> &events, bool fields);

/// JSON Lines: one object per event: id, system, name, available, enabled,
/// state, fields: [{name, type (field_type_name()), signed, display
/// (field_display_name()), offset, size}].
std::string format_events_json(const std::vector<EventInfo> &events);

} // namespace ktr

#endif // KTR_EVENTS_H
