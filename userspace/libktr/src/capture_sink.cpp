// SPDX-License-Identifier: MIT
#include "ktr/capture_sink.h"

#include <utility>

namespace ktr {

Result<void> CaptureSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	Result<CaptureWriter> w = CaptureWriter::create(path_, info);
	if (!w)
		return w.error();
	writer_.emplace(std::move(w).value());
	return {};
}

Result<void> CaptureSink::subbuf(std::uint32_t cpu, std::span<const std::byte> bytes)
{
	return writer_->write_subbuf(cpu, bytes);
}

Result<void> CaptureSink::flush()
{
	return writer_->flush();
}

Result<void> CaptureSink::end(const std::vector<ReadStats> &stats)
{
	for (const ReadStats &s : stats) {
		CaptureCpuStats st;
		st.cpu = s.cpu;
		st.kernel = s.kernel.value_or(ktr_rb_cpu_stats{});
		st.subbufs = s.subbufs;
		st.events = s.events;
		st.bytes = s.bytes;
		st.lost = s.lost;
		if (Result<void> r = writer_->write_stats(st); !r)
			return r;
	}
	return writer_->finish();
}

} // namespace ktr
