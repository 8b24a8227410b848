// SPDX-License-Identifier: MIT
//
// Event filters evaluated in user space: the expressions of `ktr filter`
// and `ktr record -f` (grammar: filter_compile.h) run over recorded
// payloads, for the sinks that select events after the fact (ktr hist -f).
//
// One parser for both sides: the expression is compiled by compile_filter()
// into the same postfix program the module runs, and EventFilter runs that
// program over a payload with the module's semantics (kmod/probes/
// ktr_filter_prog.c: integers signed as their field, text up to its first
// NUL, shell globs * ? [a-z] [!x] [^x] without escapes, a string location
// outside the payload as ""). The host tests run both on the same programs
// and payloads and require the same answers.
#ifndef KTR_EVENT_FILTER_H
#define KTR_EVENT_FILTER_H

#include <cstddef>
#include <span>
#include <string_view>

#include "ktr/event_format.h"
#include "ktr/filter_compile.h"
#include "ktr/result.h"

namespace ktr {

/// Whether all of @text matches all of @pattern, as the module's filter
/// glob matches (* any run, ? any byte, [abc] [a-z] [!x] [^x]; a "[" that
/// does not close is a literal; no backslash escapes).
bool filter_glob_match(std::string_view pattern, std::string_view text);

class EventFilter {
public:
	/// Compiles @expr for @event (errors: those of compile_filter()).
	/// @event must outlive the filter.
	static Result<EventFilter> compile(const EventFormat &event, std::string_view expr);

	/// Whether the event @payload (of this filter's event) is kept. A
	/// payload too short for a field the program reads is not.
	[[nodiscard]] bool matches(std::span<const std::byte> payload) const;

	[[nodiscard]] const FilterProgram &program() const noexcept { return prog_; }

private:
	EventFilter(const EventFormat &event, FilterProgram prog)
		: event_(&event), prog_(std::move(prog))
	{
	}
	[[nodiscard]] bool compare(const ktr_filter_insn &in,
				   std::span<const std::byte> payload) const;

	const EventFormat *event_;
	FilterProgram prog_;
};

} // namespace ktr

#endif // KTR_EVENT_FILTER_H
