// SPDX-License-Identifier: MIT
//
// The one attribute-spec table of the ktr protocol, and the typed view of a
// reply that is checked against it.
//
// Every attribute libktr sends or reads has one row: its uapi name, what it
// holds (u8, 0/1 flag, u32, u64, string, nest, binary) and its size limits.
// The same row validates a reply attribute ("KTR_ATTR_CPU is 8 bytes,
// expected a 4-byte u32") and names a request attribute the kernel
// complains about (extack offset). Nested attributes name the attribute
// space of their content (KTR_ATTR_STATS holds KTR_STATS_*), so one table
// covers every level. Unknown attribute types (a newer ABI minor) are
// skipped everywhere.
#ifndef KTR_PROTO_ATTRS_H
#define KTR_PROTO_ATTRS_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ktr/result.h"

struct nl_msg;
struct nlattr;

namespace ktr::proto {

/// An attribute number space: the top-level KTR_ATTR_*, the content of
/// KTR_ATTR_STATS / KTR_ATTR_BUFFER, and generic netlink's own controller
/// (family lookup).
enum class Space { ktr, stats, buffer, ctrl };

enum class Kind {
	u8,
	flag,	  // u8 that must be 0 or 1
	u16,
	u32,
	u64,
	string,	  // NUL-terminated, no NUL before the end, at most max_len bytes
	names,	  // NUL-terminated strings back to back (at least one)
	nested,	  // attributes of space `inner`
	binary,	  // at most max_len bytes (0: any), a multiple of elem_size
};

struct AttrSpec {
	int type;
	std::string_view name;
	Kind kind;
	std::uint32_t max_len = 0;	// string / names / binary: bytes (0: no limit)
	std::uint32_t elem_size = 1;	// binary: its length is a multiple of this
	Space inner = Space::ktr;	// nested: the space of its content
};

/// The row of attribute @type of @space, or nullptr (unknown: skipped).
const AttrSpec *attr_spec(Space space, int type);

/// The uapi name of attribute @type of @space, or "" if unknown.
std::string attr_name(Space space, int type);

/// What is wrong with @nla (@len payload bytes at @data) for @spec, or ""
/// when it fits. Messages name the attribute.
std::string attr_problem(const AttrSpec &spec, const void *data, int len);

/// One attribute stream (a message's payload or a nest's content), indexed
/// by type (last one wins, as with nla_parse()) and checked against the
/// table. Points into the message: valid while it is.
class Attrs {
public:
	Attrs() = default;
	Attrs(Space space, const nlattr *head, int len);

	/// Present (valid or not).
	[[nodiscard]] bool has(int type) const { return find(type) != nullptr; }
	/// Present and fits its spec.
	[[nodiscard]] bool valid(int type) const;
	/// "NAME missing", what is wrong with it, or "" (present and valid).
	[[nodiscard]] std::string problem(int type) const;
	/// The first problem of the stream: each of @required in order (missing
	/// or malformed), then any other attribute that does not fit its spec,
	/// then a truncated stream; "" when there is none.
	[[nodiscard]] std::string check(std::span<const int> required) const;
	[[nodiscard]] std::string check(std::initializer_list<int> required = {}) const
	{
		return check(std::span<const int>(required.begin(), required.size()));
	}

	// Values of valid attributes (check() or valid() first).
	[[nodiscard]] std::uint8_t u8(int type) const;
	[[nodiscard]] bool flag(int type) const { return u8(type) != 0; }
	[[nodiscard]] std::uint16_t u16(int type) const;
	[[nodiscard]] std::uint32_t u32(int type) const;
	[[nodiscard]] std::uint64_t u64(int type) const;
	[[nodiscard]] std::string str(int type) const;
	[[nodiscard]] std::vector<std::string> names(int type) const;
	[[nodiscard]] std::span<const std::uint8_t> bytes(int type) const;
	/// The content of nested attribute @type (empty if absent).
	[[nodiscard]] Attrs nested(int type) const;
	/// The content of every nested attribute @type, in order (a repeated
	/// attribute, such as KTR_ATTR_FIELD).
	[[nodiscard]] std::vector<Attrs> all_nested(int type) const;

	[[nodiscard]] Space space() const noexcept { return space_; }
	[[nodiscard]] bool truncated() const noexcept { return truncated_; }

private:
	[[nodiscard]] const nlattr *find(int type) const;

	Space space_ = Space::ktr;
	std::vector<const nlattr *> all_;	// in stream order
	bool truncated_ = false;
};

/// The generic netlink payload of @msg as an Attrs of @space, after the
/// checks every reply gets: a whole generic netlink header, the command
/// @cmd, and, for a KTR_CMD_GET_INFO reply that carries KTR_ATTR_ABI_MAJOR,
/// the ABI major of this tool (abi_mismatch_error() otherwise, before any
/// other check: another major may send other attributes). Errors are
/// bad_reply_error()s naming @request. Attribute values are not checked
/// here: Attrs::check() does.
Result<Attrs> reply_attrs(nl_msg *msg, std::string_view request, std::uint8_t cmd,
			  Space space = Space::ktr);

/// The type of the top-level attribute of generic netlink message @msg
/// that starts at byte @offset, or -1.
int attr_type_at(nl_msg *msg, std::uint32_t offset);

} // namespace ktr::proto

#endif // KTR_PROTO_ATTRS_H
