// SPDX-License-Identifier: MIT
#include "ktr/capture_source.h"

#include <algorithm>
#include <cerrno>
#include <utility>

#include <ktr.h>

namespace ktr {

CaptureSource::CaptureSource(std::string path, CaptureReader reader)
	: path_(std::move(path)), reader_(std::move(reader)), index_(reader_.info().nr_cpus)
{
	for (unsigned cpu = 0; cpu < index_.size(); cpu++)
		cpus_.push_back(cpu);
}

Result<CaptureSource> CaptureSource::open(const std::string &path)
{
	Result<CaptureReader> rd = CaptureReader::open(path);
	if (!rd)
		return rd.error();
	const CaptureInfo &info = rd->info();
	if (info.abi_major != KTR_ABI_MAJOR)
		return Error{EPROTO, path + " was recorded by a ktr module of ABI " +
					     std::to_string(info.abi_major) + "." +
					     std::to_string(info.abi_minor) + "; this ktr reads ABI " +
					     std::to_string(KTR_ABI_MAJOR) + ".x data only"};
	return CaptureSource(path, std::move(rd).value());
}

void CaptureSource::select(const std::vector<unsigned> &cpus)
{
	for (CpuIndex &c : index_)
		c.selected = false;
	cpus_.clear();
	for (const unsigned cpu : cpus)
		if (cpu < index_.size())
			index_[cpu].selected = true;
	for (unsigned cpu = 0; cpu < index_.size(); cpu++)
		if (index_[cpu].selected)
			cpus_.push_back(cpu);
}

// The first pass. A damaged file gives the chunks before the damage and
// the error.
std::optional<Error> CaptureSource::index_chunks()
{
	while (true) {
		Result<std::optional<ChunkRef>> chunk = reader_.next();
		if (!chunk)
			return chunk.error();
		if (!*chunk)
			return std::nullopt;
		const ChunkRef &ref = **chunk;
		if (ref.type == ChunkType::End || !index_[ref.cpu].selected)
			continue;
		if (ref.type == ChunkType::Subbuf) {
			index_[ref.cpu].subbufs.push_back(ref);
		} else {
			Result<CaptureCpuStats> st = reader_.read_stats(ref);
			if (!st)
				return st.error();
			index_[ref.cpu].stats = *st;
		}
	}
}

Result<void> CaptureSource::load(SourceOutput &out, std::uint32_t cpu)
{
	CpuIndex &c = index_[cpu];
	const ChunkRef &ref = c.subbufs[c.next++];
	Result<std::vector<std::byte>> bytes = reader_.read_subbuf(ref);
	if (!bytes)
		return bytes.error();
	Result<std::optional<Error>> kept = out.subbuf(cpu, *bytes);
	if (!kept)
		return kept.error();
	if (const std::optional<Error> &refused = *kept)
		return Error{refused->errnum(), path_ + ": SUBBUF chunk at offset " +
							std::to_string(ref.offset) + ": " +
							refused->message()};
	return {};
}

Result<SourceEnd> CaptureSource::run(SourceOutput &out)
{
	SourceEnd end;
	end.damage = index_chunks();
	for (std::uint32_t cpu = 0; cpu < index_.size(); cpu++)
		if (!index_[cpu].subbufs.empty())
			if (Result<void> r = load(out, cpu); !r)
				return r.error();
	// Hand over what no CPU with sub-buffers still to load can precede:
	// their next items come at or after the end of their last sub-buffer.
	while (true) {
		std::optional<std::uint32_t> lagging;
		for (std::uint32_t cpu = 0; cpu < index_.size(); cpu++) {
			const CpuIndex &c = index_[cpu];
			if (c.next < c.subbufs.size() &&
			    (!lagging || out.end_ts(cpu) < out.end_ts(*lagging)))
				lagging = cpu;
		}
		if (!lagging)
			break;
		if (const std::uint64_t limit = out.end_ts(*lagging); limit > 0)
			if (Result<void> r = out.safe_until(limit - 1); !r)
				return r.error();
		if (Result<void> r = load(out, *lagging); !r)
			return r.error();
	}
	for (const unsigned cpu : cpus_)
		if (index_[cpu].stats)
			end.kernel[cpu] = index_[cpu].stats->kernel;
	return end;
}

} // namespace ktr
