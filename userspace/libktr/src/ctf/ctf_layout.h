// SPDX-License-Identifier: MIT
//
// What a ktr event becomes in a CTF trace: its event class (name, numeric
// id, fields) and the bytes of its fields. LTTng's kernel tracer names are
// used where ktr has an equivalent event (ctf_names.cpp), so that tools
// written for LTTng kernel traces (Trace Compass's kernel analyses) read
// ktr's; every other event (markers, probes, raw tracepoints, stacks) keeps
// the name and fields of its self-describing format (event_format.h).
//
// Invariants: one class per format of the table, in table order (ids 0..),
// then one class per syscall number met by sys_enter/sys_exit, in the order
// they are met; class pointers stay valid for the layout's life. The fields
// of a class are those of its format, without the common header, in payload
// order, each encoded as:
//
//	Int		its bytes as they are (host byte order, the trace's)
//	CharArray	its bytes as they are (a text array: readers stop at NUL)
//	RestString,	the text up to its first NUL, then a NUL (a CTF string)
//	StringLoc
//	RestU64		a u32 count, then the values (a CTF sequence)
#ifndef KTR_CTF_LAYOUT_H
#define KTR_CTF_LAYOUT_H

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ktr/event_format.h"
#include "ktr/result.h"

namespace ktr::ctf {

struct Field {
	std::string name;		// as readers show it (without TSDL's '_' prefix)
	const FieldFormat *source;	// in the layout's format table
};

struct EventClass {
	std::uint32_t id = 0;
	std::string name;
	const EventFormat *format = nullptr;	// in the layout's format table
	std::vector<Field> fields;
};

class Layout {
public:
	explicit Layout(FormatTable formats);
	Layout(const Layout &) = delete;
	Layout &operator=(const Layout &) = delete;

	/// The class of an event of @format (one of formats()) whose payload is
	/// @payload: the format's own, or for sys_enter/sys_exit the syscall's
	/// (created when first met).
	const EventClass &classify(const EventFormat &format, std::span<const std::byte> payload);

	/// Append the fields of @payload, an event of @cls, to @out. Error
	/// (EPROTO): a field that does not lie in the payload.
	Result<void> encode(const EventClass &cls, std::span<const std::byte> payload,
			    std::vector<std::byte> &out) const;

	/// Every class so far, by id.
	[[nodiscard]] const std::vector<std::unique_ptr<EventClass>> &classes() const noexcept
	{
		return classes_;
	}
	[[nodiscard]] const FormatTable &formats() const noexcept { return formats_; }

private:
	EventClass &add_class(std::string name, const EventFormat &format);

	FormatTable formats_;
	std::vector<std::unique_ptr<EventClass>> classes_;
	std::vector<std::uint32_t> by_format_;	// class id of formats_'s i-th format
	// (format index, syscall number) -> class id, for syscall classes.
	std::map<std::pair<std::size_t, std::int64_t>, std::uint32_t> syscalls_;
};

} // namespace ktr::ctf

#endif // KTR_CTF_LAYOUT_H
