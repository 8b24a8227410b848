// SPDX-License-Identifier: MIT
//
// Self-describing event formats: which fields an event payload holds, where,
// and how to read them. The decoder and the printers are driven by a
// FormatTable, never by a hard-coded copy of a struct of uapi/ktr_event.h:
// the table comes from builtin_formats() today, from the module (netlink)
// later, and travels inside capture files (serialize() / parse()).
//
// Field offsets count from the start of the payload, common header
// (struct ktr_event_common) included.
#ifndef KTR_EVENT_FORMAT_H
#define KTR_EVENT_FORMAT_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ktr/result.h"

namespace ktr {

enum class FieldType : std::uint8_t {
	Int = 1,	// 1, 2, 4 or 8 bytes, signed or unsigned, host byte order
	CharArray = 2,	// fixed size, NUL-padded (not always NUL-terminated)
	RestString = 3,	// the bytes from offset to the end of the payload; size 0
	RestU64 = 4,	// 64-bit values from offset to the end of the payload; size 0
	// A u32 that locates text in the payload (ftrace's __data_loc char[]):
	// bits 0-15 its offset from the payload start, bits 16-31 its length,
	// NUL included (0: no text); size 4.
	StringLoc = 5,
};

/// How a tool shows an Int field (KTR_ATTR_FIELD_DISPLAY).
enum class FieldDisplay : std::uint8_t {
	Default = 0,	// decimal, signed as the field is
	Hex = 1,	// 0x...
	Symbol = 2,	// a kernel address: function+0xoff when it can be named
};

/// Whether @type runs to the end of the payload (RestString, RestU64).
constexpr bool runs_to_end(FieldType type)
{
	return type == FieldType::RestString || type == FieldType::RestU64;
}

/// "int", "char_array", "rest_string", "rest_u64", "string_loc".
std::string_view field_type_name(FieldType type);

/// "default", "hex", "symbol".
std::string_view field_display_name(FieldDisplay display);

struct FieldFormat {
	std::string name;
	FieldType type = FieldType::Int;
	std::uint32_t offset = 0;
	std::uint32_t size = 0;
	bool is_signed = false;	// Int only
	FieldDisplay display = FieldDisplay::Default;	// Int only

	bool operator==(const FieldFormat &) const = default;
};

struct EventFormat {
	std::uint16_t id = 0;	// enum ktr_event_id
	std::string system;	// e.g. "ktr"
	std::string name;	// e.g. "marker"
	std::vector<FieldFormat> fields;	// in payload order

	/// The field called @field_name, or nullptr.
	[[nodiscard]] const FieldFormat *field(std::string_view field_name) const;
	bool operator==(const EventFormat &) const = default;
};

/// Longest system, event or field name accepted.
inline constexpr std::size_t format_name_max = 63;
/// Most fields per event accepted.
inline constexpr std::size_t format_fields_max = 256;
/// Largest offset + size of a field (payloads are far smaller).
inline constexpr std::uint32_t format_payload_max = 1U << 20;

/// Checks @format (EINVAL, naming the event and the field): id not 0; names
/// of [A-Za-z0-9_], 1..format_name_max long, field names unique; Int of 1,
/// 2, 4 or 8 bytes; CharArray of 1 byte or more, StringLoc of 4 bytes,
/// RestString of size 0, the last field, after every other; only Int
/// signed or shown other than by default; fields end within
/// format_payload_max.
Result<void> validate_format(const EventFormat &format);

/// A set of event formats with distinct ids and distinct names.
class FormatTable {
public:
	using const_iterator = std::vector<EventFormat>::const_iterator;

	/// Add @format after validate_format(); refuses (EEXIST) an id or a
	/// system:name already in the table.
	Result<void> add(EventFormat format);

	/// The format of event @id, or nullptr.
	[[nodiscard]] const EventFormat *find(std::uint16_t id) const;
	/// The format called "name" or "system:name", or nullptr (a bare name
	/// that more than one system uses finds nothing).
	[[nodiscard]] const EventFormat *find(std::string_view name) const;

	/// In id order.
	[[nodiscard]] const_iterator begin() const noexcept { return formats_.begin(); }
	[[nodiscard]] const_iterator end() const noexcept { return formats_.end(); }
	[[nodiscard]] std::size_t size() const noexcept { return formats_.size(); }
	[[nodiscard]] bool empty() const noexcept { return formats_.empty(); }

	/// Host byte order, layout in docs/capture-format.md.
	[[nodiscard]] std::vector<std::byte> serialize() const;
	/// The inverse of serialize(). Every length is checked against the
	/// input and every format validated; trailing bytes are refused
	/// (EPROTO, saying what and at which byte).
	static Result<FormatTable> parse(std::span<const std::byte> bytes);

	bool operator==(const FormatTable &) const = default;

private:
	std::vector<EventFormat> formats_;	// sorted by id
};

/// The formats of the events this version of ktr knows (uapi/ktr_event.h):
/// ktr:marker = common_id, common_flags, common_pid, tgid, comm, text.
const FormatTable &builtin_formats();

/// A field's value: Int fields give int64 (signed) or uint64 (unsigned),
/// CharArray the bytes before the first NUL, RestString all its bytes,
/// RestU64 its values, StringLoc the text it locates: the bytes before
/// the first NUL within its length, or all of them when there is none (as
/// the filters compare it); "" for length 0.
using FieldValue = std::variant<std::int64_t, std::uint64_t, std::string,
				std::vector<std::uint64_t>>;

/// The value of @field (of @format) in @payload. A field that does not lie
/// inside the payload, or a StringLoc whose text does not, is an Error
/// (EPROTO), never read.
Result<FieldValue> field_value(const EventFormat &format, const FieldFormat &field,
			       std::span<const std::byte> payload);

} // namespace ktr

#endif // KTR_EVENT_FORMAT_H
