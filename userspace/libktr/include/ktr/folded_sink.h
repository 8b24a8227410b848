// SPDX-License-Identifier: MIT
//
// ktr profile: a sink (sink.h) that folds the samples of the profile tracer
// (kmod/tracer/ktr_tracer_profile.c) into stacks (folded_stacks.h), the
// input of flame graphs.
//
// A profile:sample event holds the interrupted task (tgid, tid, comm),
// whether the CPU was in user mode, the interrupted ip and the user stack
// (field ustack, innermost first; empty when not recorded). Its kernel
// stack, when stack capture is on for profile:sample, is the ktr:stack
// event recorded after it on the same CPU (event_ts = the sample's time).
// Each sample folds into
//
//	comm;user frames, root first;kernel frames, root first
//
// The kernel stack starts in the timer interrupt that took the sample:
// its frames inner to the sampled ip are the interrupt's own and are cut
// off; a sample taken in user mode has no kernel frames. Kernel frames are
// function names (the symbolizer's "function+0xoff" without the offset),
// user frames what the UserSymbolizer names, else the address in hex.
#ifndef KTR_FOLDED_SINK_H
#define KTR_FOLDED_SINK_H

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ktr/event_format.h"
#include "ktr/folded_stacks.h"
#include "ktr/line_sink.h"
#include "ktr/sink.h"

namespace ktr {

/// One profile:sample and its stacks, as recorded (innermost first).
struct ProfileSample {
	std::string comm;
	std::int32_t tgid = 0;
	std::int32_t tid = 0;
	bool user = false;
	std::uint64_t ip = 0;
	std::vector<std::uint64_t> ustack;		// the user ip first
	std::optional<std::vector<std::uint64_t>> kstack;	// none recorded: nullopt
};

/// Names user address @addr of process @tgid, named @comm when sampled
/// ("function" or "file+0xoff"), or "" when it cannot. Return addresses
/// are asked about one byte before (in their call).
using UserSymbolizer =
	std::function<std::string(std::int32_t tgid, std::string_view comm, std::uint64_t addr)>;

/// A kernel frame: the function of what @ksym says ("name+0xoff [mod]"
/// gives "name [mod]"), or the address in hex.
std::string kernel_frame(const Symbolizer &ksym, std::uint64_t addr);

/// The frames of @s, root first: comm, user stack, kernel stack (see the
/// top of this file).
std::vector<std::string> sample_frames(const ProfileSample &s, const Symbolizer &ksym,
				       const UserSymbolizer &usym);

class FoldedSink final : public Sink {
public:
	/// @out (may be null: keep the stacks only) must outlive the sink; the
	/// folded text goes there at end().
	explicit FoldedSink(LineOutput *out = nullptr, UserSymbolizer usym = {})
		: out_(out), usym_(std::move(usym))
	{
	}

	/// Names kernel addresses with @ksym rather than with the source's
	/// symbolizer: a capture file's with the kallsyms of the traced kernel, a
	/// live profile's with the symbols read before sampling starts (the
	/// profiler's own reading of /proc/kallsyms then stays out of the samples).
	void set_kernel_symbolizer(Symbolizer ksym) { given_ksym_ = std::move(ksym); }

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	/// An Error (ENOENT) when the trace has no profile:sample format.
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override { lost_ += lost.count; }
	Result<void> end(const std::vector<ReadStats> &stats) override;

	[[nodiscard]] const FoldedStacks &stacks() const noexcept { return stacks_; }
	/// Samples folded, those with a kernel stack, with a user stack (more
	/// than the user ip), and events lost in the trace.
	[[nodiscard]] std::uint64_t samples() const noexcept { return stacks_.total(); }
	[[nodiscard]] std::uint64_t kernel_stacks() const noexcept { return kstacks_; }
	[[nodiscard]] std::uint64_t user_stacks() const noexcept { return ustacks_; }
	[[nodiscard]] std::uint64_t lost_events() const noexcept { return lost_; }

private:
	struct Fields {
		const EventFormat *sample = nullptr;
		const FieldFormat *tgid = nullptr, *tid = nullptr, *comm = nullptr,
				  *user = nullptr, *ip = nullptr, *ustack = nullptr;
		const EventFormat *stack = nullptr;
		const FieldFormat *event_ts = nullptr, *ips = nullptr;
	};
	struct Pending {
		std::uint64_t ts = 0;
		ProfileSample sample;
	};
	void fold(const ProfileSample &s);
	Result<ProfileSample> read_sample(std::span<const std::byte> payload) const;

	LineOutput *out_;
	UserSymbolizer usym_;
	Symbolizer ksym_;
	Symbolizer given_ksym_;
	FormatTable formats_;	// the trace's; Fields point into it
	Fields f_;
	std::vector<std::optional<Pending>> pending_;	// by CPU: waits for its stack
	FoldedStacks stacks_;
	std::uint64_t kstacks_ = 0;
	std::uint64_t ustacks_ = 0;
	std::uint64_t lost_ = 0;
};

} // namespace ktr

#endif // KTR_FOLDED_SINK_H
