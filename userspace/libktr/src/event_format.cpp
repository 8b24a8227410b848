// SPDX-License-Identifier: MIT
#include "ktr/event_format.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstddef>
#include <cstring>
#include <set>

#include <ktr_event.h>

#include "byte_io.h"
#include "ktr/errors.h"

namespace ktr {

namespace {

using detail::ByteSink;
using detail::ByteSource;
using detail::load;

std::string num(std::uint64_t v) { return std::to_string(v); }

bool valid_name(std::string_view s)
{
	if (s.empty() || s.size() > format_name_max)
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		       c == '_';
	});
}

std::string shown_name(const EventFormat &f)
{
	return one_line(f.system) + ":" + one_line(f.name);
}

Error invalid_field(const EventFormat &f, const FieldFormat &field, const std::string &why)
{
	return {EINVAL, "event format " + shown_name(f) + " (id " + num(f.id) + "): field '" +
				one_line(field.name) + "' " + why};
}

Result<void> validate_field(const EventFormat &f, const FieldFormat &field)
{
	if (!valid_name(field.name))
		return invalid_field(f, field, "has an invalid name (1.." + num(format_name_max) +
						       " of A-Z a-z 0-9 _)");
	switch (field.type) {
	case FieldType::Int:
		if (field.size != 1 && field.size != 2 && field.size != 4 && field.size != 8)
			return invalid_field(f, field, "is an integer of " + num(field.size) +
							       " bytes (1, 2, 4 or 8)");
		break;
	case FieldType::CharArray:
		if (field.size == 0)
			return invalid_field(f, field, "is a char array of 0 bytes");
		break;
	case FieldType::StringLoc:
		if (field.size != 4)
			return invalid_field(f, field, "is a string location of " + num(field.size) +
							       " bytes (must be 4)");
		break;
	case FieldType::RestString:
	case FieldType::RestU64:
		if (field.size != 0)
			return invalid_field(f, field, "runs to the end of the payload but has size " +
							       num(field.size) + " (must be 0)");
		break;
	default:
		return invalid_field(f, field, "has unknown type " +
						       num(static_cast<unsigned>(field.type)));
	}
	if (field.is_signed && field.type != FieldType::Int)
		return invalid_field(f, field, "is signed but not an integer");
	if (field.display != FieldDisplay::Default && field.type != FieldType::Int)
		return invalid_field(f, field, "has an integer display (hex or symbol) but is not "
					       "an integer");
	if (field.display > FieldDisplay::Symbol)
		return invalid_field(f, field, "has unknown display " +
						       num(static_cast<unsigned>(field.display)));
	if (std::uint64_t{field.offset} + field.size > format_payload_max)
		return invalid_field(f, field, "ends at byte " +
						       num(std::uint64_t{field.offset} + field.size) +
						       ", beyond the " + num(format_payload_max) +
						       "-byte limit");
	return {};
}

} // namespace

std::string_view field_type_name(FieldType type)
{
	switch (type) {
	case FieldType::Int: return "int";
	case FieldType::CharArray: return "char_array";
	case FieldType::RestString: return "rest_string";
	case FieldType::RestU64: return "rest_u64";
	case FieldType::StringLoc: return "string_loc";
	}
	return "unknown";
}

std::string_view field_display_name(FieldDisplay display)
{
	switch (display) {
	case FieldDisplay::Default: return "default";
	case FieldDisplay::Hex: return "hex";
	case FieldDisplay::Symbol: return "symbol";
	}
	return "unknown";
}

const FieldFormat *EventFormat::field(std::string_view field_name) const
{
	for (const FieldFormat &f : fields) {
		if (f.name == field_name)
			return &f;
	}
	return nullptr;
}

Result<void> validate_format(const EventFormat &f)
{
	if (f.id == 0)
		return Error{EINVAL, "event format " + shown_name(f) + " has the reserved id 0"};
	if (!valid_name(f.system) || !valid_name(f.name))
		return Error{EINVAL, "event format " + shown_name(f) + " (id " + num(f.id) +
					     "): invalid system or event name (1.." +
					     num(format_name_max) + " of A-Z a-z 0-9 _)"};
	if (f.fields.size() > format_fields_max)
		return Error{EINVAL, "event format " + shown_name(f) + " has " + num(f.fields.size()) +
					     " fields (at most " + num(format_fields_max) + ")"};
	std::set<std::string_view> names;
	std::uint64_t fixed_end = 0;
	for (std::size_t i = 0; i < f.fields.size(); i++) {
		const FieldFormat &field = f.fields[i];
		if (auto r = validate_field(f, field); !r)
			return r;
		if (!names.insert(field.name).second)
			return invalid_field(f, field, "appears twice");
		if (runs_to_end(field.type)) {
			if (i + 1 != f.fields.size())
				return invalid_field(f, field, "runs to the end of the payload "
							       "but is not the last field");
			if (field.offset < fixed_end)
				return invalid_field(f, field, "starts at byte " + num(field.offset) +
								       ", inside the fields before it (they end at byte " +
								       num(fixed_end) + ")");
		}
		fixed_end = std::max(fixed_end, std::uint64_t{field.offset} + field.size);
	}
	return {};
}

Result<void> FormatTable::add(EventFormat format)
{
	if (auto r = validate_format(format); !r)
		return r;
	for (const EventFormat &f : formats_) {
		if (f.id == format.id)
			return Error{EEXIST, "event id " + num(format.id) + " is defined twice (" +
						     shown_name(f) + " and " + shown_name(format) + ")"};
		if (f.system == format.system && f.name == format.name)
			return Error{EEXIST, "event " + shown_name(format) + " is defined twice (ids " +
						     num(f.id) + " and " + num(format.id) + ")"};
	}
	const auto pos = std::lower_bound(
		formats_.begin(), formats_.end(), format.id,
		[](const EventFormat &f, std::uint16_t id) { return f.id < id; });
	formats_.insert(pos, std::move(format));
	return {};
}

const EventFormat *FormatTable::find(std::uint16_t id) const
{
	const auto pos = std::lower_bound(
		formats_.begin(), formats_.end(), id,
		[](const EventFormat &f, std::uint16_t want) { return f.id < want; });
	return pos != formats_.end() && pos->id == id ? &*pos : nullptr;
}

const EventFormat *FormatTable::find(std::string_view name) const
{
	const std::size_t colon = name.find(':');
	const EventFormat *found = nullptr;
	for (const EventFormat &f : formats_) {
		if (colon != std::string_view::npos) {
			if (name.substr(0, colon) == f.system && name.substr(colon + 1) == f.name)
				return &f;
		} else if (f.name == name) {
			if (found)
				return nullptr;	// ambiguous
			found = &f;
		}
	}
	return found;
}

std::vector<std::byte> FormatTable::serialize() const
{
	ByteSink out;
	out.put(static_cast<std::uint32_t>(formats_.size()));
	for (const EventFormat &f : formats_) {
		out.put(f.id).put(static_cast<std::uint16_t>(f.fields.size()));
		out.string16(f.system).string16(f.name);
		for (const FieldFormat &field : f.fields) {
			out.string16(field.name);
			out.put(static_cast<std::uint8_t>(field.type));
			out.put(static_cast<std::uint8_t>(field.is_signed ? 1 : 0));
			out.put(static_cast<std::uint8_t>(field.display));
			out.put(std::uint8_t{0});
			out.put(field.offset).put(field.size);
		}
	}
	return std::move(out.data());
}

Result<FormatTable> FormatTable::parse(std::span<const std::byte> bytes)
{
	ByteSource in(bytes);
	const auto bad = [&](const std::string &what) {
		return Error{EPROTO, "corrupt event format table: " + what + " at byte " +
					     num(in.offset())};
	};
	FormatTable table;
	std::uint32_t count = 0;
	if (!in.get(count))
		return bad("no format count");
	// Each format takes at least 8 bytes: no allocation from a bogus count.
	if (count > 0xffff || count > in.remaining() / 8)
		return bad(num(count) + " formats cannot fit in " + num(in.remaining()) + " bytes");
	for (std::uint32_t i = 0; i < count; i++) {
		EventFormat f;
		std::uint16_t nfields = 0;
		if (!in.get(f.id) || !in.get(nfields) || !in.string16(f.system) ||
		    !in.string16(f.name))
			return bad("format " + num(i) + " is cut short");
		if (nfields > format_fields_max)
			return bad("event " + shown_name(f) + " has " + num(nfields) + " fields (at most " +
				   num(format_fields_max) + ")");
		for (std::uint16_t j = 0; j < nfields; j++) {
			FieldFormat field;
			std::uint8_t type = 0, is_signed = 0, display = 0, reserved = 0;
			if (!in.string16(field.name) || !in.get(type) || !in.get(is_signed) ||
			    !in.get(display) || !in.get(reserved) || !in.get(field.offset) ||
			    !in.get(field.size))
				return bad("field " + num(j) + " of event " + shown_name(f) +
					   " is cut short");
			if (type < static_cast<std::uint8_t>(FieldType::Int) ||
			    type > static_cast<std::uint8_t>(FieldType::StringLoc))
				return bad("field '" + one_line(field.name) + "' of event " +
					   shown_name(f) + " has unknown type " + num(type));
			if (is_signed > 1 || display > static_cast<std::uint8_t>(FieldDisplay::Symbol) ||
			    reserved != 0)
				return bad("field '" + one_line(field.name) + "' of event " +
					   shown_name(f) + " has invalid flag bytes");
			field.type = static_cast<FieldType>(type);
			field.is_signed = is_signed != 0;
			field.display = static_cast<FieldDisplay>(display);
			f.fields.push_back(std::move(field));
		}
		if (auto r = table.add(std::move(f)); !r)
			return Error{EPROTO, "corrupt event format table: " + r.error().message()};
	}
	if (in.remaining() != 0)
		return bad(num(in.remaining()) + " bytes left over after " + num(count) + " formats");
	return table;
}

const FormatTable &builtin_formats()
{
	static const FormatTable table = [] {
		FormatTable t;
		EventFormat marker{
			KTR_EVENT_MARKER,
			"ktr",
			"marker",
			{
				{"common_id", FieldType::Int, offsetof(ktr_event_common, id), 2, false},
				{"common_flags", FieldType::Int, offsetof(ktr_event_common, flags), 2,
				 false},
				{"common_pid", FieldType::Int, offsetof(ktr_event_common, pid), 4, true},
				{"tgid", FieldType::Int, offsetof(ktr_event_marker, tgid), 4, true},
				{"comm", FieldType::CharArray, offsetof(ktr_event_marker, comm),
				 KTR_COMM_LEN, false},
				{"text", FieldType::RestString, sizeof(ktr_event_marker), 0,
				 false},
			},
		};
		const Result<void> r = t.add(std::move(marker));
		assert(r.has_value());
		(void)r;
		return t;
	}();
	return table;
}

Result<FieldValue> field_value(const EventFormat &format, const FieldFormat &field,
			       std::span<const std::byte> payload)
{
	const std::uint64_t end = std::uint64_t{field.offset} + field.size;
	if (end > payload.size())
		return Error{EPROTO, "event " + shown_name(format) + ": field '" + one_line(field.name) +
					     "' (bytes " + num(field.offset) + ".." + num(end) +
					     ") lies outside the " + num(payload.size()) +
					     "-byte payload"};
	const std::span<const std::byte> bytes = payload.subspan(field.offset, field.size);
	switch (field.type) {
	case FieldType::Int:
		if (field.is_signed) {
			switch (field.size) {
			case 1: return FieldValue{std::int64_t{load<std::int8_t>(bytes, 0)}};
			case 2: return FieldValue{std::int64_t{load<std::int16_t>(bytes, 0)}};
			case 4: return FieldValue{std::int64_t{load<std::int32_t>(bytes, 0)}};
			case 8: return FieldValue{load<std::int64_t>(bytes, 0)};
			default: break;
			}
		} else {
			switch (field.size) {
			case 1: return FieldValue{std::uint64_t{load<std::uint8_t>(bytes, 0)}};
			case 2: return FieldValue{std::uint64_t{load<std::uint16_t>(bytes, 0)}};
			case 4: return FieldValue{std::uint64_t{load<std::uint32_t>(bytes, 0)}};
			case 8: return FieldValue{load<std::uint64_t>(bytes, 0)};
			default: break;
			}
		}
		break;
	case FieldType::CharArray: {
		const auto *p = reinterpret_cast<const char *>(bytes.data());
		return FieldValue{std::string(p, strnlen(p, bytes.size()))};
	}
	case FieldType::RestString: {
		const auto *p = reinterpret_cast<const char *>(payload.data() + field.offset);
		return FieldValue{std::string(p, payload.size() - field.offset)};
	}
	case FieldType::RestU64: {
		const std::size_t bytes_left = payload.size() - field.offset;
		if (bytes_left % 8 != 0)
			return Error{EPROTO, "event " + shown_name(format) + ": field '" +
						     one_line(field.name) + "' holds " +
						     num(bytes_left) +
						     " bytes, not a whole number of 64-bit values"};
		std::vector<std::uint64_t> values(bytes_left / 8);
		for (std::size_t i = 0; i < values.size(); i++)
			values[i] = load<std::uint64_t>(payload, field.offset + i * 8);
		return FieldValue{std::move(values)};
	}
	case FieldType::StringLoc: {
		const std::uint32_t loc = load<std::uint32_t>(bytes, 0);
		const std::uint32_t at = loc & 0xffff, len = loc >> 16;
		if (len == 0)
			return FieldValue{std::string()};
		if (std::uint64_t{at} + len > payload.size())
			return Error{EPROTO, "event " + shown_name(format) + ": string field '" +
						     one_line(field.name) + "' locates bytes " + num(at) +
						     ".." + num(std::uint64_t{at} + len) +
						     ", outside the " + num(payload.size()) +
						     "-byte payload"};
		const auto *p = reinterpret_cast<const char *>(payload.data() + at);
		return FieldValue{std::string(p, strnlen(p, len))};
	}
	}
	return Error{EINVAL, "event " + shown_name(format) + ": field '" + one_line(field.name) +
				     "' has an invalid format (validate_format() refuses it)"};
}

} // namespace ktr
