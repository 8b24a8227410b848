// SPDX-License-Identifier: MIT
//
// Stacks folded as FlameGraph's stackcollapse scripts write them: one line
// per distinct stack, its frames root first joined by ';', a space and the
// number of samples that had it:
//
//	loop;main;compute;sqrt 12
//	swapper/0;secondary_startup_64;cpu_startup_entry;do_idle 40
//
// The input of flame graphs (flamegraph_svg.h, FlameGraph's flamegraph.pl,
// speedscope, inferno...). Lines come out sorted by stack (byte order),
// so the same samples always give the same text.
#ifndef KTR_FOLDED_STACKS_H
#define KTR_FOLDED_STACKS_H

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <string_view>

namespace ktr {

class FoldedStacks {
public:
	/// Count @count samples of the stack @frames (root first; at least one
	/// frame). A frame cannot hold the separators: ';' becomes ':', a line
	/// break or tab a space; an empty frame is "[unknown]".
	void add(std::span<const std::string> frames, std::uint64_t count = 1);

	/// Folded stack -> samples, in stack order.
	[[nodiscard]] const std::map<std::string, std::uint64_t> &stacks() const noexcept
	{
		return stacks_;
	}
	/// Samples added.
	[[nodiscard]] std::uint64_t total() const noexcept { return total_; }
	[[nodiscard]] bool empty() const noexcept { return stacks_.empty(); }

	/// The folded text: "frame;frame;... count\n" per stack.
	[[nodiscard]] std::string text() const;

	/// @frame as add() keeps it.
	static std::string clean_frame(std::string_view frame);

private:
	std::map<std::string, std::uint64_t> stacks_;
	std::uint64_t total_ = 0;
};

} // namespace ktr

#endif // KTR_FOLDED_STACKS_H
