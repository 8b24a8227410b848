// SPDX-License-Identifier: MIT
#include "ktr/live_source.h"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <limits>
#include <utility>

#include <poll.h>
#include <unistd.h>

#include <ktr.h>

#include "ktr/control.h"
#include "ktr/cpu_list.h"
#include "ktr/errors.h"
#include "ktr/events.h"
#include "ktr/version.h"

namespace ktr {

namespace {

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

// The event formats of the loaded module (KTR_CMD_LIST_EVENTS); a module
// older than ABI minor 3 has none to give: then the built-in ones (markers),
// with a note.
Result<FormatTable> module_formats(const LiveOptions &opt)
{
	Result<Control> ctl = Control::open();
	if (!ctl)
		return ctl.error();
	Result<std::vector<EventInfo>> events = ctl->list_events();
	if (!events) {
		if (events.error().errnum() != EOPNOTSUPP)
			return events.error();
		if (opt.note)
			opt.note(events.error().message() +
				 ": decoding with the built-in event formats (markers only)");
		return builtin_formats();
	}
	return formats_from(*events);
}

} // namespace

LiveSource::LiveSource(const LiveOptions &opt, Device dev, std::vector<Cpu> cpus, CaptureInfo info)
	: opt_(opt), dev_(std::move(dev)), cpus_(std::move(cpus)), info_(std::move(info))
{
	for (const Cpu &c : cpus_)
		cpu_ids_.push_back(c.stream.cpu());
}

Result<LiveSource> LiveSource::open(const LiveOptions &opt)
{
	auto dev = Device::open();
	if (!dev)
		return dev.error();
	Result<FormatTable> formats = module_formats(opt);
	if (!formats)
		return formats.error();

	std::vector<unsigned> ids = opt.cpus;
	auto possible = possible_cpus();
	if (!possible)
		return possible.error();
	if (ids.empty())
		ids = *possible;
	for (const unsigned cpu : ids)
		if (!std::binary_search(possible->begin(), possible->end(), cpu))
			return Error(EINVAL, "CPU " + std::to_string(cpu) +
						     " does not exist on this machine (possible: " +
						     std::to_string(possible->front()) + "-" +
						     std::to_string(possible->back()) + ")");

	std::vector<Cpu> cpus;
	for (const unsigned cpu : ids) {
		auto st = Stream::open(*dev, cpu, opt.watermark);
		if (!st)
			return st.error();
		cpus.push_back(Cpu{std::move(st).value(), FlushBound{}, 0});
	}
	std::sort(cpus.begin(), cpus.end(),
		  [](const Cpu &a, const Cpu &b) { return a.stream.cpu() < b.stream.cpu(); });

	const ktr_stream_meta m = cpus.front().stream.meta();
	CaptureInfo info;
	info.page_size = static_cast<std::uint32_t>(::sysconf(_SC_PAGESIZE));
	info.nr_cpus = possible->back() + 1;
	info.subbuf_size = m.subbuf_size;
	info.abi_major = m.abi_major;
	info.abi_minor = m.abi_minor;
	info.module_version = std::string(tool_version);
	info.clock_local_ns = m.clock_local_ns;
	info.clock_mono_ns = m.clock_mono_ns;
	info.formats = std::move(formats).value();
	return LiveSource(opt, std::move(dev).value(), std::move(cpus), std::move(info));
}

Symbolizer LiveSource::symbolizer() const
{
	return running_kernel_symbolizer();
}

bool LiveSource::done(const SourceOutput &out) const
{
	return (opt_.stop && opt_.stop->load(std::memory_order_relaxed)) || out.satisfied();
}

// Hand over every ready sub-buffer of @c, in order, each given back to the
// kernel as soon as the pipeline is done with it.
Result<void> LiveSource::drain(SourceOutput &out, Cpu &c)
{
	const unsigned cpu = c.stream.cpu();
	for (;;) {
		auto got = c.stream.get(Stream::Wait::No);
		if (!got)
			return got.error();
		if (!*got)
			return {};
		Result<std::optional<Error>> kept = out.subbuf(cpu, c.stream.subbuf(**got));
		if (auto put = c.stream.put(); !put)
			return put.error();
		if (!kept)
			return kept.error();
		if (const std::optional<Error> &refused = *kept)
			out.skipped("CPU " + std::to_string(cpu) + ": sub-buffer " +
				    std::to_string((*got)->seq) + " skipped: " + refused->message());
	}
}

Result<void> LiveSource::drain_all(SourceOutput &out)
{
	for (auto &c : cpus_)
		if (auto r = drain(out, c); !r)
			return r;
	return {};
}

// Flush every CPU, read what that made ready, and release what is now in
// order: everything before the previous round's flush times of the CPUs
// online (ktr/flush_bound.h), once every sub-buffer that round sealed has been
// read (a writer the flush interrupted publishes its sub-buffer only when
// it commits).
Result<void> LiveSource::flush_round(SourceOutput &out)
{
	std::uint64_t limit = std::numeric_limits<std::uint64_t>::max();
	std::vector<std::uint64_t> prev_end;
	for (auto &c : cpus_) {
		if (auto r = c.stream.flush(); !r)
			return r;
		if (const std::optional<std::uint64_t> b = c.bound.bound())
			limit = std::min(limit, *b);	// none: offline (ktr/flush_bound.h)
		prev_end.push_back(c.prev_flush_end);
		const ktr_stream_meta m = c.stream.meta();
		c.bound.observe(m.flush_ts);
		c.prev_flush_end = m.flush_end;
	}
	if (auto r = drain_all(out); !r)
		return r;
	for (std::size_t i = 0; i < cpus_.size(); i++)
		if (cpus_[i].stream.meta().consumed < prev_end[i])
			return {};	// not all in hand yet: next round
	if (limit == 0)
		return {};
	return out.safe_until(limit - 1);
}

// The final flushes and drains. The second flush reports events dropped
// after the last sub-buffer: the first may have found the ring full, with
// no room for the sub-buffer that carries their count.
Result<void> LiveSource::finish(SourceOutput &out)
{
	for (int pass = 0; pass < 2; pass++) {
		for (auto &c : cpus_)
			if (auto r = c.stream.flush(); !r)
				return r;
		if (auto r = drain_all(out); !r)
			return r;
	}
	return {};
}

Result<SourceEnd> LiveSource::run(SourceOutput &out)
{
	const Clock::time_point start = Clock::now();
	std::vector<pollfd> fds;
	for (const auto &c : cpus_)
		fds.push_back({c.stream.fd(), POLLIN, 0});
	auto next_round = start + opt_.flush_interval;
	const auto end_time = [&] {
		return start + std::chrono::duration_cast<Clock::duration>(*opt_.duration);
	};

	while (!done(out) && !(opt_.duration && Clock::now() >= end_time())) {
		auto wake = next_round;
		if (opt_.duration)
			wake = std::min(wake, end_time());
		const auto ms = std::chrono::ceil<std::chrono::milliseconds>(wake - Clock::now());
		const int n = ::poll(fds.data(), fds.size(),
				     static_cast<int>(std::max<std::int64_t>(ms.count(), 0)));
		if (n < 0 && errno != EINTR)
			return Error(errno, std::string("poll failed: ") + errno_text(errno));
		if (n > 0) {
			for (std::size_t i = 0; i < fds.size(); i++)
				if (fds[i].revents & POLLIN)
					if (auto r = drain(out, cpus_[i]); !r)
						return r.error();
		}
		if (Clock::now() >= next_round) {
			if (auto r = flush_round(out); !r)
				return r.error();
			next_round = Clock::now() + opt_.flush_interval;
		}
	}
	if (auto r = finish(out); !r)
		return r.error();
	SourceEnd end;
	for (const auto &c : cpus_)
		end.kernel[c.stream.cpu()] = c.stream.meta().stats;
	return end;
}

} // namespace ktr
