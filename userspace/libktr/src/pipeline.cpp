// SPDX-License-Identifier: MIT
#include "ktr/pipeline.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "ktr/decode.h"
#include "ktr/merge.h"

namespace ktr {

namespace {

// The pipeline's middle: what a source pushes is decoded, counted, handed
// to the sinks that take sub-buffers and merged for the others.
class Pipeline final : public SourceOutput {
public:
	Pipeline(Source &source, std::span<Sink *const> sinks, const PipelineOptions &opt)
		: source_(source), opt_(opt)
	{
		for (Sink *s : sinks)
			(s->takes_subbufs() ? raw_ : merged_).push_back(s);
		if (!merged_.empty())
			merger_.emplace(source.info().nr_cpus);
		for (const unsigned cpu : source.cpus()) {
			ReadStats st;
			st.cpu = cpu;
			stats_.push_back(st);
		}
		end_ts_.assign(source.info().nr_cpus, 0);
	}

	Result<PipelineResult> run();

	Result<std::optional<Error>> subbuf(std::uint32_t cpu,
					    std::span<const std::byte> bytes) override;
	void skipped(const std::string &message) override
	{
		skipped_++;
		warn(message);
	}
	Result<void> safe_until(std::uint64_t ts) override { return emit(ts); }
	[[nodiscard]] std::uint64_t end_ts(std::uint32_t cpu) const override
	{
		return cpu < end_ts_.size() ? end_ts_[cpu] : 0;
	}
	[[nodiscard]] bool satisfied() const override;

private:
	Result<void> emit(std::uint64_t limit);
	Result<void> deliver(const MergedItem &item);
	ReadStats *stats_of(std::uint32_t cpu);
	void warn(const std::string &message) const
	{
		if (opt_.warn)
			opt_.warn(message);
	}

	Source &source_;
	const PipelineOptions &opt_;
	std::vector<Sink *> raw_;	// take sub-buffers
	std::vector<Sink *> merged_;	// take merged items
	std::optional<Merger> merger_;	// only for merged_
	std::vector<ReadStats> stats_;
	std::vector<std::uint64_t> end_ts_;	// per CPU, of the last sub-buffer kept
	std::uint64_t counted_ = 0;	// toward opt.count
	std::uint64_t skipped_ = 0;
	std::uint64_t event_errors_ = 0;
};

ReadStats *Pipeline::stats_of(std::uint32_t cpu)
{
	auto it = std::lower_bound(stats_.begin(), stats_.end(), cpu,
				   [](const ReadStats &s, std::uint32_t c) { return s.cpu < c; });
	return it != stats_.end() && it->cpu == cpu ? &*it : nullptr;
}

bool Pipeline::satisfied() const
{
	if (opt_.count && counted_ >= *opt_.count)
		return true;
	const auto is_closed = [](const Sink *s) { return s->closed(); };
	return std::any_of(merged_.begin(), merged_.end(), is_closed) ||
	       std::any_of(raw_.begin(), raw_.end(), is_closed);
}

Result<std::optional<Error>> Pipeline::subbuf(std::uint32_t cpu, std::span<const std::byte> bytes)
{
	ReadStats *st = stats_of(cpu);
	if (!st || cpu >= end_ts_.size())
		return std::optional<Error>(Error{EINVAL, "CPU " + std::to_string(cpu) +
								  " is not one this source reads"});
	Result<DecodedSubbuf> sb =
		decode_subbuf(bytes, cpu, source_.info().subbuf_size, end_ts_[cpu]);
	if (!sb)
		return std::optional<Error>(sb.error());
	const std::uint64_t end = sb->end_ts();
	ReadStats counted = *st;
	counted.add(*sb);
	if (merger_) {
		if (Result<void> r = merger_->add(cpu, std::move(*sb)); !r)
			return std::optional<Error>(r.error());	// nothing of it queued
	} else {
		// Nothing merges: the count is met by whole sub-buffers.
		counted_ += counted.events - st->events;
	}
	*st = counted;
	end_ts_[cpu] = end;
	for (Sink *s : raw_)
		if (Result<void> r = s->subbuf(cpu, bytes); !r)
			return r.error();
	if (opt_.progress)
		opt_.progress(stats_);
	return std::optional<Error>();
}

Result<void> Pipeline::deliver(const MergedItem &item)
{
	if (opt_.count && counted_ >= *opt_.count)
		return {};
	if (const auto *lost = std::get_if<MergedLost>(&item)) {
		for (Sink *s : merged_)
			s->lost(*lost);
		return {};
	}
	const auto &ev = std::get<MergedEvent>(item);
	bool written = true;
	for (Sink *s : merged_) {
		if (Result<void> r = s->event(ev); !r) {
			written = false;
			event_errors_++;
			warn(r.error().message());
		}
	}
	if (written)
		counted_++;
	return {};
}

Result<void> Pipeline::emit(std::uint64_t limit)
{
	if (!merger_)
		return {};
	const MergeSink each = [this](const MergedItem &item) { return deliver(item); };
	if (Result<void> r = merger_->emit_until(limit, each); !r)
		return r;
	for (Sink *s : merged_)
		if (Result<void> r = s->flush(); !r)
			return r;
	return {};
}

Result<PipelineResult> Pipeline::run()
{
	const Symbolizer symbolizer = source_.symbolizer();
	for (Sink *s : raw_)
		if (Result<void> r = s->begin(source_.info(), symbolizer); !r)
			return r.error();
	for (Sink *s : merged_)
		if (Result<void> r = s->begin(source_.info(), symbolizer); !r)
			return r.error();

	Result<SourceEnd> end = source_.run(*this);
	if (!end)
		return end.error();
	if (Result<void> r = emit(std::numeric_limits<std::uint64_t>::max()); !r)
		return r.error();
	for (ReadStats &st : stats_)
		if (auto k = end->kernel.find(st.cpu); k != end->kernel.end())
			st.kernel = k->second;
	for (Sink *s : raw_)
		if (Result<void> r = s->end(stats_); !r)
			return r.error();
	for (Sink *s : merged_)
		if (Result<void> r = s->end(stats_); !r)
			return r.error();

	PipelineResult res;
	res.cpus = stats_;
	res.skipped_subbufs = skipped_;
	res.event_errors = event_errors_;
	res.damage = std::move(end->damage);
	return res;
}

} // namespace

std::optional<std::string> PipelineResult::error_summary() const
{
	if (skipped_subbufs == 0 && event_errors == 0)
		return std::nullopt;
	const char *what = event_errors == 0	? "sub-buffers"
			   : skipped_subbufs == 0 ? "events"
						  : "sub-buffers and events";
	return std::string("some ") + what + " could not be decoded (see above)";
}

Result<PipelineResult> run_pipeline(Source &source, std::span<Sink *const> sinks,
				    const PipelineOptions &opt)
{
	return Pipeline(source, sinks, opt).run();
}

} // namespace ktr
