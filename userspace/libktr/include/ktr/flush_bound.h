// SPDX-License-Identifier: MIT
//
// How far one CPU lets a live reader release merged events, from the
// flush times its stream reports round after round (LiveSource).
//
// Every event a CPU writes after a flush has a time at or after the
// flush_ts that flush reported: the previous round's flush_ts of every CPU
// bounds what may be released. An offline CPU is flushed from another one
// and reports the time of its newest record instead, which does not move
// while it stays offline: such a CPU must not hold the others back (it
// writes nothing until it is back, and then only at or after the time it
// came back, later than the bounds already used). A flush_ts that did not
// move since the round before can only be that: an online CPU's flush
// reads its clock. Once it moves again the CPU bounds the release again.
// Left open: a CPU coming back online within one flush round, after the
// others were flushed, may write events a little older than what that
// round releases; they are released late, at the next round.
#ifndef KTR_FLUSH_BOUND_H
#define KTR_FLUSH_BOUND_H

#include <cstdint>
#include <optional>

namespace ktr {

class FlushBound {
public:
	/// A round's flush reported @flush_ts for this CPU.
	void observe(std::uint64_t flush_ts) noexcept
	{
		frozen_ = rounds_ > 0 && flush_ts == last_;
		last_ = flush_ts;
		rounds_++;
	}
	/// The bound this CPU sets on the next round's release (events before
	/// it may go), or nothing: it is offline and sets none.
	[[nodiscard]] std::optional<std::uint64_t> bound() const noexcept
	{
		if (frozen_)
			return std::nullopt;
		return rounds_ ? last_ : 0;
	}

private:
	std::uint64_t last_ = 0;
	std::uint64_t rounds_ = 0;
	bool frozen_ = false;
};

} // namespace ktr

#endif // KTR_FLUSH_BOUND_H
