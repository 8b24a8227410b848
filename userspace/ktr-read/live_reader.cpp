// SPDX-License-Identifier: MIT
#include "live_reader.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include <poll.h>
#include <unistd.h>

#include <ktr.h>

#include "ktr/capture.h"
#include "ktr/control.h"
#include "ktr/cpu_list.h"
#include "ktr/decode.h"
#include "ktr/device.h"
#include "ktr/errors.h"
#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/kallsyms.h"
#include "ktr/events.h"
#include "ktr/merge.h"
#include "ktr/version.h"
#include "read_stats.h"

namespace ktr::read {

namespace {

std::atomic<bool> stop_requested{false};

using Clock = std::chrono::steady_clock;

// Every possible CPU, as the kernel lists them.
Result<std::vector<unsigned>> possible_cpus()
{
	std::ifstream in("/sys/devices/system/cpu/possible");
	std::string text;
	if (!(in >> text))
		return Error(EIO, "cannot read /sys/devices/system/cpu/possible");
	return parse_cpu_list(text);
}

// Buffered writes to standard output; a closed pipe stops the reader.
class Out {
public:
	void put(std::string_view s)
	{
		buf_ += s;
		if (buf_.size() >= 1 << 16)
			flush();
	}
	void flush()
	{
		std::size_t off = 0;
		while (off < buf_.size() && !closed_) {
			const ssize_t n = ::write(STDOUT_FILENO, buf_.data() + off, buf_.size() - off);
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
	[[nodiscard]] bool closed() const noexcept { return closed_; }

private:
	std::string buf_;
	bool closed_ = false;
};

struct CpuReader {
	Stream stream;
	std::uint64_t last_end_ts = 0;		// of the last sub-buffer decoded
	std::uint64_t prev_flush_ts = 0;	// flush_ts of the previous round
	std::uint64_t prev_flush_end = 0;	// flush_end of the previous round
	CpuStats stats;
};

class LiveReader {
public:
	LiveReader(const ReadOptions &opt, Device dev, std::vector<CpuReader> cpus,
		   std::uint32_t ncpus, ClockMap clock, FormatTable formats)
		: opt_(opt), dev_(std::move(dev)), cpus_(std::move(cpus)), merger_(ncpus),
		  formats_(std::move(formats)), printer_(formats_, clock)
	{
		// Stack events name kernel functions: /proc/kallsyms is read at
		// the first one (this machine is the one traced).
		printer_.set_symbolizer([syms = std::shared_ptr<Kallsyms>()](std::uint64_t ip) mutable {
			if (!syms)
				syms = std::make_shared<Kallsyms>(Kallsyms::load());
			return syms->name(ip);
		});
	}

	Result<int> run();

private:
	Result<void> open_capture();
	Result<void> drain(CpuReader &c);
	Result<void> drain_all();
	Result<void> flush_round();
	Result<void> emit(std::optional<std::uint64_t> limit);
	Result<void> finish();
	[[nodiscard]] bool done() const;

	const ReadOptions &opt_;
	Device dev_;
	std::vector<CpuReader> cpus_;
	Merger merger_;
	const FormatTable formats_;	// before printer_, which refers to it
	EventPrinter printer_;
	std::optional<CaptureWriter> capture_;
	Out out_;
	std::uint64_t emitted_ = 0;
	std::uint64_t decode_errors_ = 0;
	Clock::time_point start_ = Clock::now();
};

bool LiveReader::done() const
{
	if (stop_requested.load(std::memory_order_relaxed) || out_.closed())
		return true;
	if (opt_.count && emitted_ >= *opt_.count)
		return true;
	return opt_.duration && Clock::now() - start_ >= *opt_.duration;
}

Result<void> LiveReader::open_capture()
{
	const ktr_stream_meta m = cpus_.front().stream.meta();
	CaptureInfo info;
	info.page_size = static_cast<std::uint32_t>(::sysconf(_SC_PAGESIZE));
	info.nr_cpus = merger_.ncpus();
	info.subbuf_size = m.subbuf_size;
	info.abi_major = m.abi_major;
	info.abi_minor = m.abi_minor;
	info.module_version = std::string(tool_version);
	info.clock_local_ns = m.clock_local_ns;
	info.clock_mono_ns = m.clock_mono_ns;
	info.formats = formats_;	// what this file's events decode with
	auto w = CaptureWriter::create(opt_.output, info);
	if (!w)
		return w.error();
	capture_.emplace(std::move(w).value());
	return {};
}

// Take every ready sub-buffer of @c, in order.
Result<void> LiveReader::drain(CpuReader &c)
{
	const unsigned cpu = c.stream.cpu();
	for (;;) {
		auto got = c.stream.get(Stream::Wait::No);
		if (!got)
			return got.error();
		if (!*got)
			return {};
		const auto bytes = c.stream.subbuf(**got);
		auto sb = decode_subbuf(bytes, cpu, c.stream.subbuf_size(), c.last_end_ts);
		Result<void> kept;
		if (!sb) {
			decode_errors_++;
			std::cerr << "ktr-read: CPU " << cpu << ": sub-buffer " << (*got)->seq
				  << " skipped: " << sb.error().message() << '\n';
		} else {
			c.last_end_ts = sb->end_ts();
			c.stats.add(*sb);
			if (capture_) {
				kept = capture_->write_subbuf(cpu, bytes);
			} else {
				kept = merger_.add(cpu, std::move(sb).value());
			}
		}
		if (auto put = c.stream.put(); !put)
			return put.error();
		if (!kept)
			return kept.error();
	}
}

Result<void> LiveReader::drain_all()
{
	for (auto &c : cpus_)
		if (auto r = drain(c); !r)
			return r;
	return {};
}

// Flush every CPU, read what that made ready, emit what is now in order:
// everything before the previous round's flush times, once every
// sub-buffer that round sealed has been read (a writer the flush
// interrupted publishes its sub-buffer only when it commits).
Result<void> LiveReader::flush_round()
{
	std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
	std::vector<std::uint64_t> prev_end;
	for (auto &c : cpus_) {
		if (auto r = c.stream.flush(); !r)
			return r;
		limit = std::min(limit, c.prev_flush_ts);
		prev_end.push_back(c.prev_flush_end);
		const ktr_stream_meta m = c.stream.meta();
		c.prev_flush_ts = m.flush_ts;
		c.prev_flush_end = m.flush_end;
	}
	if (auto r = drain_all(); !r)
		return r;
	for (std::size_t i = 0; i < cpus_.size(); i++)
		if (cpus_[i].stream.meta().consumed < prev_end[i])
			return {};	// not all in hand yet: next round
	if (limit == 0)
		return {};
	return emit(limit - 1);
}

Result<void> LiveReader::emit(std::optional<std::uint64_t> limit)
{
	if (capture_)
		return {};
	const MergeSink sink = [this](const MergedItem &item) -> Result<void> {
		if (opt_.count && emitted_ >= *opt_.count)
			return {};
		if (const auto *lost = std::get_if<MergedLost>(&item)) {
			out_.put(opt_.json ? printer_.lost_json(lost->cpu, lost->ts, lost->count)
					   : printer_.lost_text(lost->cpu, lost->count));
			return {};
		}
		const auto &ev = std::get<MergedEvent>(item);
		auto line = opt_.json ? printer_.json(ev.cpu, ev.ts, ev.payload)
				      : printer_.text(ev.cpu, ev.ts, ev.payload);
		if (!line) {
			decode_errors_++;
			std::cerr << "ktr-read: " << line.error().message() << '\n';
			return {};
		}
		out_.put(*line);
		emitted_++;
		return {};
	};
	auto r = limit ? merger_.emit_until(*limit, sink) : merger_.emit_all(sink);
	out_.flush();
	return r;
}

// The final flushes and drains, then statistics. The second flush reports
// events dropped after the last sub-buffer: the first may have found the
// ring full, with no room for the sub-buffer that carries their count.
Result<void> LiveReader::finish()
{
	for (int pass = 0; pass < 2; pass++) {
		for (auto &c : cpus_)
			if (auto r = c.stream.flush(); !r)
				return r;
		if (auto r = drain_all(); !r)
			return r;
	}
	if (auto r = emit(std::nullopt); !r)
		return r;
	for (auto &c : cpus_)
		c.stats.kernel = c.stream.meta().stats;

	if (capture_) {
		for (const auto &c : cpus_) {
			CaptureCpuStats st;
			st.cpu = c.stream.cpu();
			st.kernel = c.stats.kernel;
			st.subbufs = c.stats.subbufs;
			st.events = c.stats.events;
			st.bytes = c.stats.bytes;
			st.lost = c.stats.lost;
			if (auto r = capture_->write_stats(st); !r)
				return r;
		}
		if (auto r = capture_->finish(); !r)
			return r;
	}
	if (!opt_.quiet) {
		std::vector<CpuStats> all;
		for (const auto &c : cpus_)
			all.push_back(c.stats);
		std::cerr << format_read_stats(all);
	}
	return {};
}

Result<int> LiveReader::run()
{
	if (!opt_.output.empty())
		if (auto r = open_capture(); !r)
			return r.error();

	std::vector<pollfd> fds;
	for (const auto &c : cpus_)
		fds.push_back({c.stream.fd(), POLLIN, 0});
	auto next_round = Clock::now() + opt_.flush_interval;

	while (!done()) {
		auto wake = next_round;
		if (opt_.duration)
			wake = std::min(wake, start_ + std::chrono::duration_cast<Clock::duration>(
							      *opt_.duration));
		const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now());
		const int n = ::poll(fds.data(), fds.size(),
				     static_cast<int>(std::max<std::int64_t>(ms.count(), 0)));
		if (n < 0 && errno != EINTR)
			return Error(errno, std::string("poll failed: ") + errno_text(errno));
		if (n > 0) {
			for (std::size_t i = 0; i < fds.size(); i++)
				if (fds[i].revents & POLLIN)
					if (auto r = drain(cpus_[i]); !r)
						return r.error();
		}
		if (Clock::now() >= next_round) {
			if (auto r = flush_round(); !r)
				return r.error();
			next_round = Clock::now() + opt_.flush_interval;
		}
	}
	if (auto r = finish(); !r)
		return r.error();
	return decode_errors_ ? 1 : 0;
}

// The event formats of the loaded module (KTR_CMD_LIST_EVENTS); a module
// older than ABI minor 3 has none to give: then the built-in ones (markers),
// with a note on stderr.
Result<FormatTable> module_formats()
{
	Result<Control> ctl = Control::open();
	if (!ctl)
		return ctl.error();
	Result<std::vector<EventInfo>> events = ctl->list_events();
	if (!events) {
		if (events.error().errnum() != EOPNOTSUPP)
			return events.error();
		std::cerr << "ktr-read: " << events.error().message()
			  << ": decoding with the built-in event formats (markers only)\n";
		return builtin_formats();
	}
	return formats_from(*events);
}

} // namespace

void request_stop() noexcept
{
	stop_requested.store(true, std::memory_order_relaxed);
}

Result<int> run_live(const ReadOptions &opt)
{
	auto dev = Device::open();
	if (!dev)
		return dev.error();
	Result<FormatTable> formats = module_formats();
	if (!formats)
		return formats.error();

	std::vector<unsigned> cpus = opt.cpus;
	auto possible = possible_cpus();
	if (!possible)
		return possible.error();
	if (cpus.empty())
		cpus = *possible;
	for (const unsigned cpu : cpus)
		if (!std::binary_search(possible->begin(), possible->end(), cpu))
			return Error(EINVAL, "CPU " + std::to_string(cpu) +
						     " does not exist on this machine (possible: " +
						     std::to_string(possible->front()) + "-" +
						     std::to_string(possible->back()) + ")");

	std::vector<CpuReader> readers;
	for (const unsigned cpu : cpus) {
		auto st = Stream::open(*dev, cpu, opt.watermark);
		if (!st)
			return st.error();
		CpuReader r{std::move(st).value(), 0, 0, 0, {}};
		r.stats.cpu = cpu;
		readers.push_back(std::move(r));
	}
	const ktr_stream_meta m = readers.front().stream.meta();
	LiveReader reader(opt, std::move(dev).value(), std::move(readers), possible->back() + 1,
			  ClockMap{m.clock_local_ns, m.clock_mono_ns}, std::move(formats).value());
	return reader.run();
}

} // namespace ktr::read
