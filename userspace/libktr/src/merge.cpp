// SPDX-License-Identifier: MIT
#include "ktr/merge.h"

#include <algorithm>
#include <cerrno>
#include <limits>
#include <string>

namespace ktr {

namespace {

std::string num(std::uint64_t v) { return std::to_string(v); }

// std::greater turns the standard max-heap into a min-heap of (ts, cpu):
// the earliest item first, the lower CPU first on equal times.
constexpr std::greater<> heap_order{};

} // namespace

Merger::Merger(std::uint32_t ncpus) : cpus_(ncpus)
{
	heap_.reserve(ncpus);
}

std::optional<std::uint64_t> Merger::last_end_ts(std::uint32_t cpu) const
{
	const Cpu &c = cpus_.at(cpu);
	if (!c.any)
		return std::nullopt;
	return c.last_end_ts;
}

Result<void> Merger::add(std::uint32_t cpu, DecodedSubbuf &&sb)
{
	const SubbufHeader &h = sb.header();
	if (cpu >= cpus_.size())
		return Error{EINVAL, "CPU " + num(cpu) + " is out of range (" + num(cpus_.size()) +
					     " CPUs)"};
	if (h.cpu != cpu)
		return Error{EINVAL, "sub-buffer of CPU " + num(h.cpu) + " given as CPU " + num(cpu)};
	Cpu &c = cpus_[cpu];
	if (c.any && h.seq <= c.last_seq)
		return Error{EPROTO, "CPU " + num(cpu) + ": sub-buffer seq " + num(h.seq) +
					     " comes after seq " + num(c.last_seq) +
					     " (sub-buffers out of order)"};
	if (c.any && h.time_stamp < c.last_end_ts)
		return Error{EPROTO, "CPU " + num(cpu) + ": time goes backwards: sub-buffer seq " +
					     num(h.seq) + " starts at " + num(h.time_stamp) +
					     " ns, the previous one ended at " + num(c.last_end_ts) +
					     " ns"};

	c.counters.subbufs++;
	c.counters.events += sb.records().size();
	c.counters.bytes += h.commit;
	c.counters.lost += h.lost;
	c.counters.discarded += sb.discarded();
	c.any = true;
	c.last_seq = h.seq;
	c.last_end_ts = sb.end_ts();

	const bool had_items = !c.subbufs.empty();
	c.subbufs.push_back(std::move(sb));
	queued_++;
	if (!had_items) {
		if (const std::optional<std::uint64_t> ts = head_ts(c)) {
			heap_.emplace_back(*ts, cpu);
			std::push_heap(heap_.begin(), heap_.end(), heap_order);
		}
	}
	return {};
}

std::optional<std::uint64_t> Merger::head_ts(Cpu &c)
{
	while (!c.subbufs.empty()) {
		const DecodedSubbuf &sb = c.subbufs.front();
		if (!c.lost_done && sb.header().lost > 0)
			return sb.header().time_stamp;
		if (c.next < sb.records().size())
			return sb.records()[c.next].ts;
		c.subbufs.pop_front();
		c.next = 0;
		c.lost_done = false;
		queued_--;
	}
	return std::nullopt;
}

MergedItem Merger::head_item(std::uint32_t cpu) const
{
	const Cpu &c = cpus_[cpu];
	const DecodedSubbuf &sb = c.subbufs.front();
	if (!c.lost_done && sb.header().lost > 0)
		return MergedLost{cpu, sb.header().time_stamp, sb.header().lost};
	const Record &r = sb.records()[c.next];
	return MergedEvent{cpu, r.ts, r.payload};
}

void Merger::advance(std::uint32_t cpu)
{
	Cpu &c = cpus_[cpu];
	if (!c.lost_done && c.subbufs.front().header().lost > 0)
		c.lost_done = true;
	else
		c.next++;
	if (const std::optional<std::uint64_t> ts = head_ts(c)) {
		heap_.emplace_back(*ts, cpu);
		std::push_heap(heap_.begin(), heap_.end(), heap_order);
	}
}

Result<void> Merger::emit_until(std::uint64_t ts_limit, const MergeSink &sink)
{
	while (!heap_.empty() && heap_.front().first <= ts_limit) {
		std::pop_heap(heap_.begin(), heap_.end(), heap_order);
		const std::uint32_t cpu = heap_.back().second;
		heap_.pop_back();
		Result<void> r;
		try {
			r = sink(head_item(cpu));
		} catch (...) {
			advance(cpu);	// the item was delivered: keep the state whole
			throw;
		}
		advance(cpu);
		if (!r)
			return r;
	}
	return {};
}

Result<void> Merger::emit_all(const MergeSink &sink)
{
	return emit_until(std::numeric_limits<std::uint64_t>::max(), sink);
}

} // namespace ktr
