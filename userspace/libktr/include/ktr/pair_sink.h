// SPDX-License-Identifier: MIT
//
// ktr hist --pair START:END --key FIELD,...: latency between two events
// matched on key fields (sys_enter:sys_exit on pid,id: each syscall's
// duration), a sink (sink.h) over the merged events.
//
// Matching: a START event opens the key made of its key fields' values;
// the next END event with the same values closes it, and END.ts -
// START.ts (ns) goes into the histogram of the pair's group: the key
// itself, or the value of the --by field of the START event. Every key
// field must exist in both events (a name may omit "common_"). A filter
// (-f) selects START events; an END whose START it dropped is ignored, not
// counted as unmatched.
//
// What does not pair is counted and reported, never silently dropped:
//   - an END with no open START (the trace began inside it);
//   - a START opened again before its END came (the END was lost, or the
//     key does not identify one pair);
//   - STARTs still open when the trace ends.
// Events lost by the kernel are reported too: pairs across a loss may be
// missing or reported as unmatched. Keys must be what both ends really
// carry: the sys_exit of rt_sigreturn reports the id of the context it
// restores (-1 after a signal handler), so on pid,id each handler return
// leaves one unmatched sys_exit and one open sys_enter (id 15): on pid
// alone (one syscall at a time per task) it pairs. A task's first sys_exit
// after fork (clone = 0) has no start on any key.
//
// Times are the writing CPUs' local clocks (the merge orders events by
// them): a task that moved to another CPU between START and END gets the
// difference of two CPUs' clocks, which the kernel keeps in step.
#ifndef KTR_PAIR_SINK_H
#define KTR_PAIR_SINK_H

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ktr/event_filter.h"
#include "ktr/histogram.h"
#include "ktr/line_sink.h"
#include "ktr/sink.h"

namespace ktr {

struct PairOptions {
	std::string start;		// event names
	std::string end;
	std::vector<std::string> keys;	// at least one
	HistSpec spec;			// of the latencies in ns
	std::string filter;		// on START events; empty: all
	std::string by;			// a field of START; empty: the key
};

/// What did not pair (see the top of this file).
struct PairCounts {
	std::uint64_t pairs = 0;
	std::uint64_t unmatched_ends = 0;
	std::uint64_t restarted = 0;
	std::uint64_t open_at_end = 0;
	std::uint64_t filtered = 0;	// STARTs the filter dropped
	std::uint64_t unreadable = 0;	// events whose key fields could not be read
	std::uint64_t lost = 0;		// events lost in the trace
};

class PairSink final : public Sink {
public:
	/// @out must outlive the sink.
	PairSink(PairOptions opt, LineOutput &out) : opt_(std::move(opt)), out_(out) {}

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override { counts_.lost += lost.count; }
	Result<void> end(const std::vector<ReadStats> &stats) override;

	[[nodiscard]] const PairCounts &counts() const noexcept { return counts_; }
	/// end() writes json() instead of text().
	void set_json(bool on) noexcept { json_ = on; }
	/// What end() writes.
	[[nodiscard]] std::string text() const;
	/// The same as one JSON object: {"start", "end", "unit": "ns",
	/// "histograms": [{"key", "histogram": Histogram::json()}], "pairs",
	/// "unmatched_ends", "restarted", "open_at_end", "filtered" (null
	/// without a filter), "unreadable", "lost"}.
	[[nodiscard]] std::string json() const;

private:
	bool json_ = false;
	using Key = std::vector<FieldValue>;
	struct Open {
		std::uint64_t ts = 0;
		bool kept = true;	// false: the filter dropped it
		Key group;
	};
	std::optional<Key> read_key(const EventFormat &ev,
				    const std::vector<const FieldFormat *> &fields,
				    std::span<const std::byte> payload);
	[[nodiscard]] std::string group_text(const Key &group) const;

	PairOptions opt_;
	LineOutput &out_;
	FormatTable formats_;	// the trace's; the pointers below point into it
	const EventFormat *start_ = nullptr;
	const EventFormat *end_ = nullptr;
	std::vector<const FieldFormat *> start_keys_, end_keys_;
	const FieldFormat *by_ = nullptr;
	std::optional<EventFilter> filter_;
	std::map<Key, Open> open_;
	std::map<Key, Histogram> hists_;
	PairCounts counts_;
	bool ended_ = false;
};

} // namespace ktr

#endif // KTR_PAIR_SINK_H
