// SPDX-License-Identifier: MIT
//
// Merging the per-CPU streams of decoded sub-buffers into one stream ordered
// by timestamp, with bounded memory: the Merger holds what was added and not
// yet emitted, nothing more; the caller decides how far it is safe to emit
// (emit_until) and so bounds it.
//
// Order: by timestamp; on equal timestamps the lower CPU first, and within a
// CPU the stream order. A sub-buffer whose header reports lost events yields
// a Lost item at its time_stamp, just before its first event (or alone when
// it has none).
//
//	Merger m(ncpus);
//	m.add(cpu, std::move(decoded));		// per CPU, in seq order
//	m.emit_until(safe_ts, sink);		// everything at or before safe_ts
//	m.emit_all(sink);			// at the end
#ifndef KTR_MERGE_H
#define KTR_MERGE_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <span>
#include <utility>
#include <variant>
#include <vector>

#include "ktr/decode.h"
#include "ktr/result.h"

namespace ktr {

struct MergedEvent {
	std::uint32_t cpu = 0;
	std::uint64_t ts = 0;			// ns, local clock of the CPU
	std::span<const std::byte> payload;	// valid during the sink call only
};

struct MergedLost {
	std::uint32_t cpu = 0;
	std::uint64_t ts = 0;	// time_stamp of the sub-buffer that reported the loss
	std::uint64_t count = 0;
};

using MergedItem = std::variant<MergedEvent, MergedLost>;

/// Receives the merged items; an Error stops the emit call and is returned.
using MergeSink = std::function<Result<void>(const MergedItem &)>;

/// What a Merger was given for one CPU.
struct MergeCounters {
	std::uint64_t subbufs = 0;
	std::uint64_t events = 0;
	std::uint64_t bytes = 0;	// bytes of records (hdr.commit), headers included
	std::uint64_t lost = 0;		// sum of the sub-buffers' lost counts
	std::uint64_t discarded = 0;
};

class Merger {
public:
	explicit Merger(std::uint32_t ncpus);

	/// Queue @sb, the next sub-buffer of @cpu. Refused: @cpu out of range or
	/// not the sub-buffer's (EINVAL); a seq not above the previous one of
	/// the CPU, or a start before the end of the previous one (EPROTO).
	Result<void> add(std::uint32_t cpu, DecodedSubbuf &&sb);

	/// Emit, in order, every queued item with ts <= @ts_limit.
	Result<void> emit_until(std::uint64_t ts_limit, const MergeSink &sink);
	/// Emit everything queued.
	Result<void> emit_all(const MergeSink &sink);

	[[nodiscard]] std::uint32_t ncpus() const noexcept
	{
		return static_cast<std::uint32_t>(cpus_.size());
	}
	/// Counters of @cpu (< ncpus()).
	[[nodiscard]] const MergeCounters &counters(std::uint32_t cpu) const
	{
		return cpus_.at(cpu).counters;
	}
	/// The end_ts() of the last sub-buffer added for @cpu, if any: the CPU's
	/// next items cannot be earlier.
	[[nodiscard]] std::optional<std::uint64_t> last_end_ts(std::uint32_t cpu) const;
	/// Sub-buffers held (added, not yet fully emitted).
	[[nodiscard]] std::size_t queued_subbufs() const noexcept { return queued_; }
	[[nodiscard]] bool empty() const noexcept { return heap_.empty(); }

private:
	struct Cpu {
		std::deque<DecodedSubbuf> subbufs;
		std::size_t next = 0;		// next record of subbufs.front()
		bool lost_done = false;		// subbufs.front()'s Lost item emitted
		bool any = false;		// a sub-buffer was added
		std::uint64_t last_seq = 0;
		std::uint64_t last_end_ts = 0;
		MergeCounters counters;
	};
	using HeapEntry = std::pair<std::uint64_t, std::uint32_t>;	// (ts, cpu)

	// The time of @c's next item; drops sub-buffers with nothing left.
	std::optional<std::uint64_t> head_ts(Cpu &c);
	MergedItem head_item(std::uint32_t cpu) const;
	void advance(std::uint32_t cpu);

	std::vector<Cpu> cpus_;
	std::vector<HeapEntry> heap_;	// one entry per CPU with items: a min-heap
	std::size_t queued_ = 0;
};

} // namespace ktr

#endif // KTR_MERGE_H
