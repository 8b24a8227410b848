// SPDX-License-Identifier: MIT
//
// A filter expression checked against its event's fields: the field a name
// denotes, whether an operator applies to the field's type (and which op
// it compiles to), whether a number fits the field, and whether a glob
// pattern is within the module's limits. Each check records its error in
// the Diagnostics and returns nullopt/false.
#ifndef KTR_FILTER_TYPECHECK_H
#define KTR_FILTER_TYPECHECK_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "filter/lexer.h"
#include "ktr/event_format.h"

namespace ktr::filter {

class TypeCheck {
public:
	TypeCheck(const EventFormat &event, Diagnostics &diag) : event_(event), diag_(diag) {}

	/// The field named @name (common_* included) that can be compared, or
	/// nullptr (unknown: the event's fields listed; a list of u64 values).
	const FieldFormat *field(std::string_view name, std::size_t col);
	/// The op that compares @f with @tok: KTR_FOP_STR_EQ/NE for == and !=
	/// on text; nullopt when @tok is nullptr or does not apply to @f.
	std::optional<std::uint16_t> op(const FieldFormat &f, const OpToken *tok,
					 std::size_t col, std::string_view found);
	/// @word as a value of integer field @f compared by @op: decimal (maybe
	/// negative) or 0x hex, within the field's range (all its bits for a
	/// mask); two's complement for negative values.
	std::optional<std::uint64_t> integer(const FieldFormat &f, std::uint16_t op,
					     std::string_view word, std::size_t col);
	/// A glob pattern: at most KTR_FILTER_GLOBS_MAX per filter, shorter
	/// than KTR_FILTER_GLOB_LEN_MAX bytes, every "[" closed.
	bool glob(std::string_view pattern, std::size_t col);

	/// "u32", "s8"...: an integer field's type, for messages.
	static std::string int_type_name(const FieldFormat &f);

private:
	[[nodiscard]] std::string field_names() const;

	const EventFormat &event_;
	Diagnostics &diag_;
	unsigned globs_ = 0;
};

/// Where the class opened by the "[" at @open of @pattern closes, scanned
/// as the module's glob scans it (ktr_glob_class(), ktr_filter_prog.c), or
/// npos when it does not close (the module then takes the "[" literally;
/// the compiler refuses it). The host tests check both agree.
std::size_t glob_class_end(std::string_view pattern, std::size_t open);

} // namespace ktr::filter

#endif // KTR_FILTER_TYPECHECK_H
