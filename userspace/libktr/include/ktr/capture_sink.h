// SPDX-License-Identifier: MIT
//
// The sink of ktr-read -o / ktr record -o: a capture file (capture.h) of the
// raw sub-buffers as read, the trace's description in the header, the read
// statistics and the kernel's counters per CPU, and the END chunk.
#ifndef KTR_CAPTURE_SINK_H
#define KTR_CAPTURE_SINK_H

#include <optional>
#include <string>

#include "ktr/capture.h"
#include "ktr/sink.h"

namespace ktr {

class CaptureSink final : public Sink {
public:
	/// The file is created (or truncated) by begin().
	explicit CaptureSink(std::string path) : path_(std::move(path)) {}

	[[nodiscard]] bool takes_subbufs() const noexcept override { return true; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> subbuf(std::uint32_t cpu, std::span<const std::byte> bytes) override;
	Result<void> flush() override;
	Result<void> end(const std::vector<ReadStats> &stats) override;

private:
	std::string path_;
	std::optional<CaptureWriter> writer_;
};

} // namespace ktr

#endif // KTR_CAPTURE_SINK_H
