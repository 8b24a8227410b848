// SPDX-License-Identifier: MIT
//
// The last stage of the event pipeline (pipeline.h): a Sink writes the trace
// somewhere. Two kinds, by what they take:
//
//	- merged items (events and losses of every CPU in time order):
//	  line_sink.h, text lines or JSON Lines; ctf_sink.h, a CTF trace;
//	  perfetto_sink.h, a Perfetto trace;
//	- raw sub-buffers as read, per CPU in stream order: capture_sink.h,
//	  a capture file (no merge needed, so none is done for it alone).
//
// A new output format (histograms...) is a new Sink; nothing else changes. Calls, in order: begin(), then subbuf() or event()/lost()
// with flush() after each batch, then end() with the read statistics.
#ifndef KTR_SINK_H
#define KTR_SINK_H

#include <cstdint>
#include <span>
#include <vector>

#include "ktr/capture.h"
#include "ktr/kallsyms.h"
#include "ktr/merge.h"
#include "ktr/read_stats.h"
#include "ktr/result.h"

namespace ktr {

class Sink {
public:
	virtual ~Sink() = default;

	/// true: it takes raw sub-buffers (subbuf()); false: merged items.
	[[nodiscard]] virtual bool takes_subbufs() const noexcept = 0;

	/// Start: the trace's description and the source's symbolizer (empty
	/// when the traced kernel's symbols are not known). An Error stops the
	/// pipeline before it reads anything.
	virtual Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) = 0;

	/// A sub-buffer of @cpu as read (subbuf_size bytes), already decoded
	/// successfully. An Error stops the pipeline.
	virtual Result<void> subbuf(std::uint32_t, std::span<const std::byte>) { return {}; }

	/// The next event in time order. An Error means this event could not be
	/// written (say, its id is not in the format table): it is reported and
	/// counted, and the stream goes on.
	virtual Result<void> event(const MergedEvent &) { return {}; }
	/// Events lost at this place of the stream.
	virtual void lost(const MergedLost &) {}

	/// Write out what is buffered (after each batch, for live output). An
	/// Error stops the pipeline.
	virtual Result<void> flush() { return {}; }
	/// Its reader went away (a closed pipe): it wants nothing more.
	[[nodiscard]] virtual bool closed() const noexcept { return false; }

	/// The trace ended; @stats per CPU read. An Error: the output is not
	/// complete.
	virtual Result<void> end(const std::vector<ReadStats> &) { return flush(); }
};

} // namespace ktr

#endif // KTR_SINK_H
