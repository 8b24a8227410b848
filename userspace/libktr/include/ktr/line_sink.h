// SPDX-License-Identifier: MIT
//
// The sink of ktr-read's and ktr report's standard output: one line per
// merged item, as text (like trace-cmd report) or JSON Lines, written by an
// EventPrinter (event_print.h) to a LineOutput:
//
//	FdOutput	buffered writes to a file descriptor (standard output); a
//			failed write (the reader closed the pipe) closes it
//	StringOutput	in memory (tests, or a caller that post-processes)
//
// Text lines name the functions of stack events with the source's
// symbolizer, when it has one. CommSink is a first pass over a capture: it
// learns the task names the trace gives, for a LineSink's fallback, so that
// events seen before a task was named show its name, not <...>.
#ifndef KTR_LINE_SINK_H
#define KTR_LINE_SINK_H

#include <optional>
#include <string>
#include <string_view>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/sink.h"

namespace ktr {

class LineOutput {
public:
	virtual ~LineOutput() = default;
	virtual void put(std::string_view text) = 0;
	virtual void flush() = 0;
	/// Its reader went away: nothing more is written.
	[[nodiscard]] virtual bool closed() const noexcept = 0;
};

class FdOutput final : public LineOutput {
public:
	/// @fd stays the caller's.
	explicit FdOutput(int fd) noexcept : fd_(fd) {}
	~FdOutput() override;
	FdOutput(const FdOutput &) = delete;
	FdOutput &operator=(const FdOutput &) = delete;

	void put(std::string_view text) override;
	void flush() override;
	[[nodiscard]] bool closed() const noexcept override { return closed_; }

private:
	int fd_;
	std::string buf_;
	bool closed_ = false;
};

class StringOutput final : public LineOutput {
public:
	void put(std::string_view text) override { text_ += text; }
	void flush() override {}
	[[nodiscard]] bool closed() const noexcept override { return false; }
	[[nodiscard]] const std::string &text() const noexcept { return text_; }

private:
	std::string text_;
};

enum class LineFormat { Text, Json };

class LineSink final : public Sink {
public:
	/// @out must outlive the sink.
	LineSink(LineFormat format, LineOutput &out) noexcept : format_(format), out_(out) {}

	/// Show the time since the previous event (EventPrinter::set_ts_diff);
	/// before begin().
	void set_ts_diff(bool on) noexcept { ts_diff_ = on; }

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override;
	Result<void> flush() override;
	[[nodiscard]] bool closed() const noexcept override { return out_.closed(); }

	/// Names of pids no event named yet (EventPrinter::set_comm_fallback);
	/// before begin().
	void set_comm_fallback(CommTable::Lookup fallback) { fallback_ = std::move(fallback); }

private:
	LineFormat format_;
	LineOutput &out_;
	FormatTable formats_;	// before printer_, which refers to it
	std::optional<EventPrinter> printer_;
	bool ts_diff_ = false;
	CommTable::Lookup fallback_;
};

/// Learns the task names of the events it is given (the first name of each
/// pid); prints nothing. Undecodable events are skipped: the printing pass
/// reports them.
class CommSink final : public Sink {
public:
	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	/// The names learnt.
	[[nodiscard]] const CommTable &comms() const noexcept { return printer_->comms(); }

private:
	FormatTable formats_;	// before printer_, which refers to it
	std::optional<EventPrinter> printer_;
};

} // namespace ktr

#endif // KTR_LINE_SINK_H
