// SPDX-License-Identifier: MIT
//
// The sink that writes a CTF 1.8 trace (Common Trace Format, read by
// babeltrace2 and Trace Compass) into a directory of its own:
//
//	DIR/metadata		TSDL text (src/ctf/tsdl.cpp), written at the end
//	DIR/channel0_<cpu>	one binary stream per CPU that had events or
//				losses (src/ctf/ctf_packet.cpp)
//
// Events and fields are named as LTTng's kernel traces name them where ktr
// has an equivalent (src/ctf/ctf_names.cpp); the others keep their
// self-describing format's names. Times are CLOCK_MONOTONIC ns of the
// traced machine (the clock "monotonic"), as ts_ns of the JSON output; a
// loss becomes the stream's events_discarded count between two packets.
//
//	CtfSink sink("trace.ctf");
//	Sink *sinks[] = {&sink};
//	run_pipeline(source, sinks);
#ifndef KTR_CTF_SINK_H
#define KTR_CTF_SINK_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ktr/event_print.h"
#include "ktr/sink.h"

namespace ktr {

namespace ctf {
class Layout;
class PacketWriter;
} // namespace ctf

struct CtfOptions {
	/// The env's hostname; empty: this machine's.
	std::string hostname;
	/// The trace's UUID; unset: a random one.
	std::optional<std::array<std::uint8_t, 16>> uuid;
	/// Largest packet, in bytes (a packet holds one event at least).
	std::size_t packet_max = 1 << 18;
};

class CtfSink final : public Sink {
public:
	/// The directory @dir is created by begin(); one that exists must be
	/// empty.
	explicit CtfSink(std::string dir, CtfOptions opt = {});
	~CtfSink() override;
	CtfSink(const CtfSink &) = delete;
	CtfSink &operator=(const CtfSink &) = delete;

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override;
	Result<void> flush() override;
	Result<void> end(const std::vector<ReadStats> &stats) override;

private:
	struct Stream;
	Result<Stream *> stream(std::uint32_t cpu);
	Result<void> write_metadata();

	std::string dir_;
	CtfOptions opt_;
	std::array<std::uint8_t, 16> uuid_{};
	CaptureInfo info_;
	ClockMap clock_;
	std::unique_ptr<ctf::Layout> layout_;
	std::map<std::uint32_t, std::unique_ptr<Stream>> streams_;
	std::vector<std::byte> body_;	// scratch: one event's context and fields
	std::optional<Error> failed_;	// a write failed: reported by flush()
};

} // namespace ktr

#endif // KTR_CTF_SINK_H
