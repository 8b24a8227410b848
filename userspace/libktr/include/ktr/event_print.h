// SPDX-License-Identifier: MIT
//
// Events as text lines (like trace-cmd report) and as JSON Lines, driven by
// a FormatTable:
//
//	            bash-1234    [001]  5025.123456: marker: hello world
//	          <idle>-0       [000]  5025.123460: some_event: a=1 name=x
//	CPU:1 [LOST 12 EVENTS]
//	{"ts_ns":5025123456789,"ts":"5025.123456","cpu":1,"pid":1234,"comm":"bash","event":"marker","tgid":1234,"text":"hello world\n"}
//	{"cpu":1,"lost":12,"ts_ns":5025123400000}
//
// Text: "<comm>-<pid> [<cpu>] <seconds>.<microseconds>: <event>: ..." with
// the columns of ftrace (comm right-aligned in 16, pid left-aligned in 7,
// CPU in 3 digits, seconds at least 5 wide, microseconds truncated). A
// marker shows its text (one trailing newline dropped); other events show
// their fields as name=value, after the common header. Strings have their
// control characters and backslashes escaped (\n, \t, \\, \xNN).
// Integers of FieldDisplay::Hex show as 0x..., of FieldDisplay::Symbol as
// "function+0xoff" when the symbolizer names them, else as 0x....
//
// JSON: one object per event: ts_ns, ts (the text's seconds, as a string),
// cpu, pid, comm (null when unknown), event, then every field after the
// common header (integers as numbers, whatever their display, as the
// addresses of stack traces are; strings escaped as JSON). A field
// named like one of those keys gets a '_' prefix; a char array named "comm"
// that gave "comm" is not repeated.
//
// comm: the name last learnt for the pid, else the name the printer's
// fallback gives (what the whole trace knows: the first name a capture
// gives the pid anywhere, see CommSink in line_sink.h; or the live task's
// /proc/<pid>/comm, proc_comm_lookup()), else <idle> for pid 0 and <...>
// otherwise. Names are learnt from every "<x>comm" text field paired with
// an "<x>pid" field (prev_comm/prev_pid, parent_comm/parent_pid,
// comm/pid), or a lone "comm" (the running task's), as trace-cmd keeps
// saved cmdlines; and from sched_process_exec's filename (its basename, 15
// bytes at most, as the kernel names an exec'd task).
//
// Times: records carry the writing CPU's local clock; lines show
// CLOCK_MONOTONIC through the (local, monotonic) sample pair of the buffer.
#ifndef KTR_EVENT_PRINT_H
#define KTR_EVENT_PRINT_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "ktr/event_format.h"
#include "ktr/result.h"

namespace ktr {

/// A (local clock, CLOCK_MONOTONIC) pair sampled at the same instant.
struct ClockMap {
	std::uint64_t local_ns = 0;
	std::uint64_t mono_ns = 0;

	/// @ts of the local clock on CLOCK_MONOTONIC: mono_ns + (ts - local_ns),
	/// without unsigned wrap: 0 at the least, UINT64_MAX at the most.
	[[nodiscard]] std::uint64_t to_mono(std::uint64_t ts) const noexcept;
};

/// @ns as "<seconds>.<6 digits>", microseconds truncated; @width pads the
/// seconds on the left with spaces.
std::string format_seconds(std::uint64_t ns, int width = 0);

/// @s with backslash, control characters and DEL escaped (\n, \t, \r, \\,
/// \xNN); other bytes as they are.
std::string escape_text(std::string_view s);

/// The command names of the pids seen so far, from events that carry one.
class CommTable {
public:
	/// A name for a pid the events have not named (yet), or nullopt.
	using Lookup = std::function<std::optional<std::string>(std::int32_t pid)>;

	/// @comm is @pid's name from now on (the latest wins: exec).
	void remember(std::int32_t pid, std::string_view comm);
	/// @comm is @pid's name unless it has one (the first wins).
	void remember_first(std::int32_t pid, std::string_view comm);
	/// The comm of @pid, or nullptr.
	[[nodiscard]] const std::string *find(std::int32_t pid) const;
	/// find(), else the fallback's answer for @pid (> 0), kept as its name;
	/// nullptr when neither knows it.
	const std::string *resolve(std::int32_t pid);
	void set_fallback(Lookup fallback) { fallback_ = std::move(fallback); }
	[[nodiscard]] std::size_t size() const noexcept { return comms_.size(); }

private:
	std::unordered_map<std::int32_t, std::string> comms_;
	Lookup fallback_;
};

/// A Lookup in a table (copied): the names a first pass over a capture found.
CommTable::Lookup table_comm_lookup(CommTable table);
/// A Lookup reading @proc_root/<pid>/comm (the live system's running tasks;
/// the reader must see the traced kernel's pid namespace, as ktr-read does).
CommTable::Lookup proc_comm_lookup(std::string proc_root = "/proc");

class EventPrinter {
public:
	/// @formats must outlive the printer.
	EventPrinter(const FormatTable &formats, ClockMap clock);

	/// The text line of the event @payload recorded on @cpu at @ts (local
	/// clock), '\n' included. Errors (EPROTO): a payload shorter than the
	/// common header, an event id not in the table, a field outside the
	/// payload; each names the CPU and the time.
	Result<std::string> text(std::uint32_t cpu, std::uint64_t ts,
				 std::span<const std::byte> payload);
	/// The same event as one JSON object, '\n' included.
	Result<std::string> json(std::uint32_t cpu, std::uint64_t ts,
				 std::span<const std::byte> payload);

	/// Learn the task names @payload carries, print nothing (a first pass:
	/// the first name a pid gets wins, see comms()). Errors: as text().
	Result<void> learn(std::uint32_t cpu, std::uint64_t ts, std::span<const std::byte> payload);

	/// "CPU:<cpu> [LOST <count> EVENTS]\n".
	[[nodiscard]] std::string lost_text(std::uint32_t cpu, std::uint64_t count) const;
	/// {"cpu":<cpu>,"lost":<count>,"ts_ns":<ts on CLOCK_MONOTONIC>}\n
	[[nodiscard]] std::string lost_json(std::uint32_t cpu, std::uint64_t ts,
					    std::uint64_t count) const;

	/// Names kernel addresses (RestU64 values of ktr:stack events, Int
	/// fields of FieldDisplay::Symbol) in text lines: returns
	/// "function+0xoff" or "" when it cannot.
	using Symbolizer = std::function<std::string(std::uint64_t addr)>;
	void set_symbolizer(Symbolizer symbolizer) { symbolizer_ = std::move(symbolizer); }

	/// --ts-diff: text lines show the time since the previous event after
	/// their own ("5025.123456 (+0.000012): "), JSON objects a "ts_diff_ns"
	/// after "ts" (0 for the first event).
	void set_ts_diff(bool on) noexcept { ts_diff_ = on; }

	[[nodiscard]] const CommTable &comms() const noexcept { return comms_; }
	/// Where names of pids no event named yet come from (CommTable::Lookup).
	void set_comm_fallback(CommTable::Lookup fallback) { comms_.set_fallback(std::move(fallback)); }
	[[nodiscard]] const ClockMap &clock() const noexcept { return clock_; }

private:
	struct Decoded;
	// learn_only: names learnt (the first for a pid wins), comm not resolved.
	Result<Decoded> decode(std::uint32_t cpu, std::uint64_t ts,
			       std::span<const std::byte> payload, bool learn_only = false);
	void remember_comms(Decoded &d, bool first_wins);
	[[nodiscard]] std::string field_text(const EventFormat &format, const FieldFormat &field,
					     const FieldValue &value) const;

	const FormatTable &formats_;
	ClockMap clock_;
	CommTable comms_;
	Symbolizer symbolizer_;
	bool ts_diff_ = false;
	std::optional<std::uint64_t> prev_ts_;	// of the last event decoded
};

} // namespace ktr

#endif // KTR_EVENT_PRINT_H
