// SPDX-License-Identifier: MIT
#include "ktr/events.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <optional>
#include <string>
#include <utility>

#include <fnmatch.h>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "replies.h"

namespace ktr {

static_assert(event_string_max == KTR_EVENT_NAME_MAX);
static_assert(event_glob_max == KTR_EVENT_GLOB_MAX - 1);
static_assert(event_string_max - 1 <= format_name_max,
	      "every name the module may send must fit an EventFormat");

namespace {

constexpr std::string_view list_request = "KTR_CMD_LIST_EVENTS";

std::string num(std::uint64_t v) { return std::to_string(v); }

Result<FieldType> field_type(std::uint32_t type)
{
	switch (type) {
	case KTR_FIELD_INT: return FieldType::Int;
	case KTR_FIELD_CHAR_ARRAY: return FieldType::CharArray;
	case KTR_FIELD_REST_STRING: return FieldType::RestString;
	case KTR_FIELD_REST_U64: return FieldType::RestU64;
	case KTR_FIELD_STRING_LOC: return FieldType::StringLoc;
	default: break;
	}
	return Error{EPROTO, "KTR_ATTR_FIELD_TYPE " + num(type) +
				     " is not a known field type (module newer than this tool?)"};
}

// KTR_ATTR_FIELD_DISPLAY (ABI minor 5, optional): a display this tool does
// not know (a newer module) shows the field as by default.
FieldDisplay field_display(std::uint32_t display)
{
	switch (display) {
	case KTR_DISPLAY_HEX: return FieldDisplay::Hex;
	case KTR_DISPLAY_SYMBOL: return FieldDisplay::Symbol;
	default: return FieldDisplay::Default;
	}
}

// One KTR_ATTR_FIELD; errors say which field and attribute.
Result<FieldFormat> parse_field(const proto::Attrs &a, std::size_t index)
{
	// Name it as soon as its name is readable.
	std::string label = "field " + num(index);
	if (a.valid(KTR_ATTR_FIELD_NAME))
		label += " ('" + one_line(a.str(KTR_ATTR_FIELD_NAME)) + "')";
	if (std::string p = a.check({KTR_ATTR_FIELD_NAME, KTR_ATTR_FIELD_TYPE, KTR_ATTR_FIELD_OFFSET,
				     KTR_ATTR_FIELD_SIZE, KTR_ATTR_FIELD_SIGNED});
	    !p.empty())
		return Error{EPROTO, label + ": " + p};

	FieldFormat f;
	f.name = a.str(KTR_ATTR_FIELD_NAME);
	Result<FieldType> type = field_type(a.u32(KTR_ATTR_FIELD_TYPE));
	if (!type)
		return Error{EPROTO, label + ": " + type.error().message()};
	f.type = *type;
	f.offset = a.u32(KTR_ATTR_FIELD_OFFSET);
	f.size = a.u32(KTR_ATTR_FIELD_SIZE);
	f.is_signed = a.flag(KTR_ATTR_FIELD_SIGNED);
	f.display = a.valid(KTR_ATTR_FIELD_DISPLAY) ? field_display(a.u32(KTR_ATTR_FIELD_DISPLAY))
						    : FieldDisplay::Default;
	return f;
}

// The fields of struct ktr_event_common, first in every format (uapi/ktr.h).
const std::array<FieldFormat, 3> &common_fields()
{
	static const std::array<FieldFormat, 3> fields = {
		FieldFormat{"common_id", FieldType::Int, offsetof(ktr_event_common, id),
			    sizeof(ktr_event_common::id), false},
		FieldFormat{"common_flags", FieldType::Int, offsetof(ktr_event_common, flags),
			    sizeof(ktr_event_common::flags), false},
		FieldFormat{"common_pid", FieldType::Int, offsetof(ktr_event_common, pid),
			    sizeof(ktr_event_common::pid), true},
	};
	return fields;
}

bool starts_with_common_header(const EventFormat &f)
{
	const auto &common = common_fields();
	return f.fields.size() >= common.size() &&
	       std::equal(common.begin(), common.end(), f.fields.begin());
}

Result<std::vector<FieldFormat>> parse_fields(const proto::Attrs &fields)
{
	std::vector<FieldFormat> out;
	std::size_t index = 0;
	for (const proto::Attrs &field : fields.all_nested(KTR_ATTR_FIELD)) {
		if (index == format_fields_max)
			return Error{EPROTO, "more than " + num(format_fields_max) + " fields"};
		Result<FieldFormat> f = parse_field(field, index++);
		if (!f)
			return f.error();
		out.push_back(std::move(*f));
	}
	if (fields.truncated())
		return Error{EPROTO, "KTR_ATTR_EVENT_FIELDS: truncated attribute"};
	return out;
}

// @text padded with spaces to @width, on the right (left-aligned) or left.
std::string pad(const std::string &text, std::size_t width, bool right_align = false)
{
	const std::string fill(text.size() < width ? width - text.size() : 0, ' ');
	return right_align ? fill + text : text + fill;
}

} // namespace

Result<EventInfo> replies::event(const proto::Attrs &a)
{
	const auto bad = [](const std::string &label, const std::string &what) {
		return bad_reply_error(list_request, label.empty() ? what : label + ": " + what);
	};

	// Name the event as soon as its id, then its names, are readable.
	std::string label;
	if (a.valid(KTR_ATTR_EVENT_ID)) {
		const std::string id = num(a.u32(KTR_ATTR_EVENT_ID));
		label = "event " + id;
		if (a.valid(KTR_ATTR_EVENT_SYSTEM) && a.valid(KTR_ATTR_EVENT_NAME))
			label = "event " + one_line(a.str(KTR_ATTR_EVENT_SYSTEM)) + ":" +
				one_line(a.str(KTR_ATTR_EVENT_NAME)) + " (id " + id + ")";
	}
	if (std::string p = a.check({KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_SYSTEM, KTR_ATTR_EVENT_NAME,
				     KTR_ATTR_EVENT_AVAILABLE, KTR_ATTR_EVENT_ENABLED,
				     KTR_ATTR_EVENT_FIELDS});
	    !p.empty())
		return bad(label, p);
	const std::uint32_t id = a.u32(KTR_ATTR_EVENT_ID);
	if (id > 0xffff)
		return bad(label, "KTR_ATTR_EVENT_ID " + num(id) +
					  " does not fit the 16-bit id of struct ktr_event_common");

	EventInfo ev;
	ev.format.id = static_cast<std::uint16_t>(id);
	ev.format.system = a.str(KTR_ATTR_EVENT_SYSTEM);
	ev.format.name = a.str(KTR_ATTR_EVENT_NAME);
	ev.available = a.flag(KTR_ATTR_EVENT_AVAILABLE);
	ev.enabled = a.flag(KTR_ATTR_EVENT_ENABLED);
	Result<std::vector<FieldFormat>> fields = parse_fields(a.nested(KTR_ATTR_EVENT_FIELDS));
	if (!fields)
		return bad(label, fields.error().message());
	ev.format.fields = std::move(*fields);

	if (!starts_with_common_header(ev.format))
		return bad(label, "its first fields are not the common header (common_id u16 at 0, "
				  "common_flags u16 at 2, common_pid s32 at 4)");
	if (Result<void> r = validate_format(ev.format); !r)
		return bad_reply_error(list_request, r.error().message());
	return ev;
}

Result<EventInfo> parse_event_message(nl_msg *msg)
{
	return replies::parse(msg, list_request, KTR_CMD_LIST_EVENTS, replies::event);
}

Result<std::uint32_t> replies::event_count(const proto::Attrs &a, std::string_view request)
{
	if (std::string p = a.check({KTR_ATTR_EVENT_COUNT}); !p.empty())
		return bad_reply_error(request, p);
	return a.u32(KTR_ATTR_EVENT_COUNT);
}

Result<std::uint32_t> parse_event_count_reply(nl_msg *reply, std::uint8_t cmd)
{
	const std::string_view request =
		cmd == KTR_CMD_DISABLE_EVENTS ? "KTR_CMD_DISABLE_EVENTS" : "KTR_CMD_ENABLE_EVENTS";
	return replies::parse(reply, request, cmd, [&](const proto::Attrs &a) {
		return replies::event_count(a, request);
	});
}

Result<FormatTable> formats_from(const std::vector<EventInfo> &events)
{
	FormatTable table;
	for (const EventInfo &ev : events)
		if (Result<void> r = table.add(ev.format); !r)
			return r.error();
	return table;
}

Error no_event_list_error()
{
	return {EOPNOTSUPP,
		"the loaded ktr module has no event list (module older than this tool?)"};
}

Error no_event_control_error()
{
	return {EOPNOTSUPP, "the loaded ktr module cannot enable or disable events (module "
			    "older than this tool?)"};
}

Result<void> check_event_glob(std::string_view glob)
{
	if (glob.empty())
		return Error{EINVAL, "empty event name"};
	if (glob.size() > event_glob_max)
		return Error{EINVAL, "event name or glob '" + one_line(glob.substr(0, 32)) +
					     "...' is longer than " + num(event_glob_max) + " bytes"};
	if (std::any_of(glob.begin(), glob.end(), [](char c) {
		    const auto u = static_cast<unsigned char>(c);
		    return u < 0x20 || u == 0x7f;
	    }))
		return Error{EINVAL, "event name or glob '" + one_line(glob) +
					     "' contains control characters"};
	return {};
}

bool event_matches(const EventFormat &format, std::string_view glob)
{
	// The kernel's glob_match() is fnmatch(pattern, name, 0).
	const auto match = [](std::string_view pattern, const std::string &name) {
		return fnmatch(std::string(pattern).c_str(), name.c_str(), 0) == 0;
	};
	const std::size_t colon = glob.find(':');
	if (colon == std::string_view::npos)
		return match(glob, format.name);
	return glob.substr(0, colon) == format.system && match(glob.substr(colon + 1), format.name);
}

std::string_view event_state(const EventInfo &event)
{
	if (event.enabled)
		return "enabled";
	return event.available ? "disabled" : "unavailable";
}

std::string field_type_text(const FieldFormat &field)
{
	switch (field.type) {
	case FieldType::Int:
		if (field.display == FieldDisplay::Symbol)
			return "symbol";
		return (field.display == FieldDisplay::Hex ? "x"
			: field.is_signed			 ? "s"
							 : "u") +
		       num(std::uint64_t{field.size} * 8);
	case FieldType::CharArray:
		return "char[" + num(field.size) + "]";
	case FieldType::RestString:
	case FieldType::StringLoc:
		return "string";
	case FieldType::RestU64:
		return "u64[]";
	}
	return "?";
}

std::string format_events_text(const std::vector<EventInfo> &events, bool fields)
{
	// Column widths: at least the headers'.
	std::size_t name_w = 5, id_w = 2;			// EVENT, ID
	std::size_t field_w = 5, type_w = 4, off_w = 6, size_w = 4;	// FIELD, TYPE, OFFSET, SIZE
	for (const EventInfo &ev : events) {
		name_w = std::max(name_w, ev.format.system.size() + 1 + ev.format.name.size());
		id_w = std::max(id_w, num(ev.format.id).size());
		for (const FieldFormat &f : ev.format.fields) {
			field_w = std::max(field_w, f.name.size());
			type_w = std::max(type_w, field_type_text(f).size());
			off_w = std::max(off_w, num(f.offset).size());
			size_w = std::max(size_w, num(f.size).size());
		}
	}
	const auto event_line = [&](const std::string &name, const std::string &id,
				    std::string_view state) {
		return pad(name, name_w) + "  " + pad(id, id_w, true) + "  " + std::string(state) +
		       "\n";
	};
	const auto field_line = [&](const std::string &name, const std::string &type,
				    const std::string &offset, const std::string &size) {
		return "    " + pad(name, field_w) + "  " + pad(type, type_w) + "  " +
		       pad(offset, off_w, true) + "  " + pad(size, size_w, true) + "\n";
	};

	std::string out = event_line("EVENT", "ID", "STATE");
	if (fields)
		out += field_line("FIELD", "TYPE", "OFFSET", "SIZE");
	for (const EventInfo &ev : events) {
		out += event_line(ev.format.system + ":" + ev.format.name, num(ev.format.id),
				  event_state(ev));
		if (!fields)
			continue;
		for (const FieldFormat &f : ev.format.fields)
			out += field_line(f.name, field_type_text(f), num(f.offset), num(f.size));
	}
	return out;
}

std::string format_events_json(const std::vector<EventInfo> &events)
{
	std::string out;
	for (const EventInfo &ev : events) {
		JsonWriter w;
		w.begin_object()
			.key("id").value(ev.format.id)
			.key("system").value(ev.format.system)
			.key("name").value(ev.format.name)
			.key("available").value(ev.available)
			.key("enabled").value(ev.enabled)
			.key("state").value(event_state(ev))
			.key("fields").begin_array();
		for (const FieldFormat &f : ev.format.fields) {
			w.begin_object()
				.key("name").value(f.name)
				.key("type").value(field_type_name(f.type))
				.key("signed").value(f.is_signed)
				.key("display").value(field_display_name(f.display))
				.key("offset").value(f.offset)
				.key("size").value(f.size)
				.end_object();
		}
		w.end_array().end_object();
		out += w.str() + "\n";
	}
	return out;
}

Error event_request_error(bool enable, std::string_view glob, int errnum, std::string_view extack)
{
	// ENOENT and EOPNOTSUPP mean one thing each (uapi/ktr.h): worded here,
	// the kernel's message would only repeat it.
	const std::string quoted = "'" + one_line(glob) + "'";
	switch (errnum) {
	case ENOENT:
		return {ENOENT, "no event matches " + quoted};
	case EOPNOTSUPP:
		return {EOPNOTSUPP, "cannot " + std::string(enable ? "enable" : "disable") + " " +
					    quoted + ": no event it matches can be switched on this "
						     "kernel (markers are always recorded; the "
						     "others lack a tracepoint here, or their "
						     "probed code is gone)"};
	default:
		return kernel_error(errnum,
				    enable ? "KTR_CMD_ENABLE_EVENTS" : "KTR_CMD_DISABLE_EVENTS",
				    extack);
	}
}

} // namespace ktr
