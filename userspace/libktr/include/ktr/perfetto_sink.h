// SPDX-License-Identifier: MIT
//
// The sink that writes a Perfetto trace (the protobuf Trace of TracePackets
// that Perfetto's UI and trace processor open): per CPU, FtraceEventBundles
// of the ftrace events ktr records under the same names (sched_switch,
// sched_wakeup(_new), sched_process_fork/exec/exit, sys_enter/sys_exit,
// irq_handler_entry/exit, softirq_entry/exit; markers as print events),
// lost_events set on the bundle after a loss, and at the end a ProcessTree
// packet naming every thread the events named. Other events are left out.
// Field numbers: src/perfetto/proto_fields.h; encoder: proto_writer.h.
// Times are the traced machine's CLOCK_MONOTONIC ns.
#ifndef KTR_PERFETTO_SINK_H
#define KTR_PERFETTO_SINK_H

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ktr/event_print.h"
#include "ktr/sink.h"

namespace ktr {

class PerfettoSink final : public Sink {
public:
	/// The file @path is created (or truncated) by begin().
	explicit PerfettoSink(std::string path);
	~PerfettoSink() override;
	PerfettoSink(const PerfettoSink &) = delete;
	PerfettoSink &operator=(const PerfettoSink &) = delete;

	[[nodiscard]] bool takes_subbufs() const noexcept override { return false; }
	Result<void> begin(const CaptureInfo &info, const Symbolizer &symbolizer) override;
	Result<void> event(const MergedEvent &ev) override;
	void lost(const MergedLost &lost) override;
	Result<void> flush() override;
	Result<void> end(const std::vector<ReadStats> &stats) override;

	/// Events left out (no Perfetto equivalent).
	[[nodiscard]] std::uint64_t skipped() const noexcept { return skipped_; }

private:
	struct Bundle;
	Result<void> write_bundle(std::uint32_t cpu, Bundle &b);
	// One FtraceEvent (@event: its field number, @fields: its encoded
	// payload) into CPU @cpu's bundle, written out when the bundle is full.
	Result<void> add_event(std::uint32_t cpu, std::uint64_t ts, std::int32_t pid,
			       std::uint32_t event, const std::string &fields);
	Result<void> write_packet(const std::string &packet);

	std::string path_;
	int fd_ = -1;
	FormatTable formats_;
	ClockMap clock_;
	std::map<std::uint32_t, std::unique_ptr<Bundle>> bundles_;
	std::map<std::int32_t, std::string> comms_;
	std::uint64_t last_ts_ = 0;
	std::uint64_t skipped_ = 0;
	std::optional<Error> failed_;
};

} // namespace ktr

#endif // KTR_PERFETTO_SINK_H
