// SPDX-License-Identifier: MIT
#include "ktr/line_sink.h"

#include <cerrno>

#include <unistd.h>

namespace ktr {

FdOutput::~FdOutput()
{
	flush();
}

void FdOutput::put(std::string_view text)
{
	if (closed_)
		return;
	buf_ += text;
	if (buf_.size() >= 1 << 16)
		flush();
}

void FdOutput::flush()
{
	std::size_t off = 0;
	while (off < buf_.size() && !closed_) {
		const ssize_t n = ::write(fd_, buf_.data() + off, buf_.size() - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			closed_ = true;	// EPIPE: the consumer went away
			break;
		}
		off += static_cast<std::size_t>(n);
	}
	buf_.clear();
}

Result<void> LineSink::begin(const CaptureInfo &info, const Symbolizer &symbolizer)
{
	formats_ = info.formats;
	printer_.emplace(formats_, ClockMap{info.clock_local_ns, info.clock_mono_ns});
	printer_->set_ts_diff(ts_diff_);
	if (symbolizer)
		printer_->set_symbolizer(symbolizer);
	if (fallback_)
		printer_->set_comm_fallback(fallback_);
	return {};
}

Result<void> LineSink::event(const MergedEvent &ev)
{
	Result<std::string> line = format_ == LineFormat::Json
					   ? printer_->json(ev.cpu, ev.ts, ev.payload)
					   : printer_->text(ev.cpu, ev.ts, ev.payload);
	if (!line)
		return line.error();
	out_.put(*line);
	return {};
}

void LineSink::lost(const MergedLost &lost)
{
	out_.put(format_ == LineFormat::Json ? printer_->lost_json(lost.cpu, lost.ts, lost.count)
					     : printer_->lost_text(lost.cpu, lost.count));
}

Result<void> LineSink::flush()
{
	out_.flush();
	return {};
}

Result<void> CommSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	formats_ = info.formats;
	printer_.emplace(formats_, ClockMap{info.clock_local_ns, info.clock_mono_ns});
	return {};
}

Result<void> CommSink::event(const MergedEvent &ev)
{
	(void)printer_->learn(ev.cpu, ev.ts, ev.payload);
	return {};
}

} // namespace ktr
