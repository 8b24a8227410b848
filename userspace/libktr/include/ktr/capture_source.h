// SPDX-License-Identifier: MIT
//
// The source of ktr report: a capture file (capture.h), read twice. A first
// pass checks the chunk headers and notes where each CPU's sub-buffers are;
// the second reads them lazily, always from the CPU whose last sub-buffer
// ends first, so the merge holds about one sub-buffer per CPU.
//
// A sub-buffer that does not decode ends the trace with an Error naming the
// file and the chunk's offset (what follows a damaged chunk cannot be
// trusted). A file cut short or corrupt between chunks gives every chunk
// before the damage, then SourceEnd::damage.
//
// Stack events are not symbolised: the file holds no symbol table, and this
// machine's /proc/kallsyms may be of another boot (KASLR) or another kernel,
// so it could name the wrong functions; their addresses are shown as
// recorded.
#ifndef KTR_CAPTURE_SOURCE_H
#define KTR_CAPTURE_SOURCE_H

#include <optional>
#include <string>
#include <vector>

#include "ktr/capture.h"
#include "ktr/source.h"

namespace ktr {

class CaptureSource final : public Source {
public:
	/// Open @path and check its header (capture.h), and that its ABI major
	/// is this ktr's (EPROTO otherwise).
	static Result<CaptureSource> open(const std::string &path);

	/// Read only @cpus (each < info().nr_cpus, ascending or not); default:
	/// all of the capture's.
	void select(const std::vector<unsigned> &cpus);

	[[nodiscard]] const CaptureInfo &info() const noexcept override { return reader_.info(); }
	[[nodiscard]] const std::vector<unsigned> &cpus() const noexcept override { return cpus_; }
	Result<SourceEnd> run(SourceOutput &out) override;

private:
	struct CpuIndex {
		std::vector<ChunkRef> subbufs;
		std::size_t next = 0;	// next sub-buffer to load
		std::optional<CaptureCpuStats> stats;
		bool selected = true;
	};

	CaptureSource(std::string path, CaptureReader reader);
	std::optional<Error> index_chunks();
	Result<void> load(SourceOutput &out, std::uint32_t cpu);

	std::string path_;
	CaptureReader reader_;
	std::vector<unsigned> cpus_;
	std::vector<CpuIndex> index_;
};

} // namespace ktr

#endif // KTR_CAPTURE_SOURCE_H
