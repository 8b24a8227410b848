// SPDX-License-Identifier: MIT
//
// ktr::Control: the control-plane client, a generic netlink socket talking
// to the "ktr" family of the loaded module (see uapi/ktr.h).
//
//	auto ctl = ktr::Control::open();
//	if (!ctl) { report(ctl.error()); ... }
//	auto info = ctl->get_info();
//
// open() fails with module_not_loaded_error() when the family does not
// exist; get_info() fails with abi_mismatch_error() when the module speaks
// another ABI major. Requests time out after reply_timeout.
#ifndef KTR_CONTROL_H
#define KTR_CONTROL_H

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "ktr/events.h"
#include "ktr/filters.h"
#include "ktr/info.h"
#include "ktr/probes.h"
#include "ktr/tracers.h"
#include "ktr/latency.h"
#include "ktr/result.h"
#include "ktr/selftest.h"
#include "ktr/tracing.h"

namespace ktr {

namespace proto {
class Client;
class Transport;
} // namespace proto

class Control {
public:
	static constexpr std::chrono::seconds reply_timeout{5};

	/// Connect a generic netlink socket and resolve the "ktr" family.
	static Result<Control> open();

	/// Resolve the "ktr" family over @transport (the test seam).
	static Result<Control> open(std::unique_ptr<proto::Transport> transport);

	/// KTR_CMD_GET_INFO.
	Result<Info> get_info();

	/// KTR_CMD_SELFTEST: blocks while the test runs. The reply timeout is
	/// raised for this request to the duration plus selftest_grace.
	Result<SelftestResult> selftest(const SelftestRequest &req);

	/// KTR_CMD_LIST_EVENTS (a dump): every event type the module knows, in
	/// id order, each message parsed by parse_event_message(); ids and
	/// system:names are unique. A module older than ABI minor 3 fails with
	/// no_event_list_error() (EOPNOTSUPP).
	Result<std::vector<EventInfo>> list_events();

	/// KTR_CMD_ENABLE_EVENTS of @glob (an event name, a glob over names or
	/// "system:glob"; see check_event_glob()): the number of events that
	/// matched and are now enabled. No match: ENOENT; only events whose
	/// tracepoint this kernel lacks: EOPNOTSUPP (event_request_error());
	/// a module older than ABI minor 3: no_event_control_error().
	Result<std::uint32_t> enable_events(std::string_view glob);

	/// KTR_CMD_DISABLE_EVENTS of @glob, as enable_events().
	Result<std::uint32_t> disable_events(std::string_view glob);

	/// KTR_CMD_START / KTR_CMD_STOP: the tracing state now (true: on).
	Result<bool> start();
	Result<bool> stop();

	/// KTR_CMD_RESET: every event off, the buffer emptied and its counters
	/// zeroed, tracing on. EBUSY (with the kernel's message) while a stream
	/// is open or mapped.
	Result<void> reset();

	/// KTR_CMD_GET_STATS (a dump): one entry per possible CPU, CPU order.
	Result<std::vector<CpuStats>> get_stats();

	/// KTR_CMD_WRITE_MARKER of @text (1..KTR_MARKER_MAX bytes): the CPU it
	/// was recorded on.
	Result<std::uint32_t> write_marker(std::string_view text);

	/// KTR_CMD_SET_BUFFER: the configuration now in effect. EBUSY while a
	/// stream is open or mapped; @req is not checked here (the kernel
	/// does: see check_buffer_request() to check first).
	Result<BufferConfig> set_buffer(const BufferRequest &req);

	/// KTR_CMD_SET_TASK_FILTER (after check_task_filter()).
	Result<void> set_task_filter(const TaskFilter &filter);
	/// KTR_CMD_SET_EVENT_FILTER.
	Result<void> set_event_filter(const EventFilterRequest &req);
	/// KTR_CMD_GET_FILTERS.
	Result<FilterState> get_filters();
	/// KTR_CMD_CLEAR_FILTERS: every filter and stack capture off.
	Result<void> clear_filters();

	/// How much longer than the duration to wait for the self-test reply
	/// (set-up, the final drain and checks: slow on a debug kernel).
	static constexpr std::chrono::seconds selftest_grace{60};

	/// The resolved family id (for diagnostics).
	[[nodiscard]] std::uint16_t family_id() const noexcept;

	Control(Control &&) noexcept;
	Control &operator=(Control &&) noexcept;
	Control(const Control &) = delete;
	Control &operator=(const Control &) = delete;
	~Control();

	/// KTR_CMD_ATTACH_RAW: record the first @nargs (0..raw_nargs_max)
	/// arguments of tracepoint @name (check_tracepoint_name()) as event
	/// "raw:<name>", enabled at once. Unknown tracepoint: ENOENT; attached
	/// already: EEXIST (raw_request_error()).
	Result<void> attach_raw(std::string_view name, std::uint32_t nargs);

	/// KTR_CMD_DETACH_RAW of the raw event of tracepoint @name ("raw:"
	/// prefix allowed). Not attached: ENOENT.
	Result<void> detach_raw(std::string_view name);

	/// KTR_CMD_ADD_PROBE of definition @def (one line of the kprobe_events
	/// grammar; checked first by the module's own parser, check_probe_def()): the event it became. Failures
	/// are add_probe_error()s ("cannot add probe: <kernel message>"); a
	/// module of ABI minor < 5: no_probes_error().
	Result<ProbeAdded> add_probe(std::string_view def);
	/// KTR_CMD_DEL_PROBE of the probe @name ("name" or "system:name";
	/// check_probe_name() first): the number removed (1). Unknown:
	/// ENOENT (del_probe_error()).
	Result<std::uint32_t> del_probe(std::string_view name);
	/// KTR_CMD_DEL_PROBE of every probe: the number removed (0 or more).
	Result<std::uint32_t> del_all_probes();
	/// KTR_CMD_LIST_PROBES (a dump): every probe, in id order.
	Result<std::vector<ProbeInfo>> list_probes();

	/// KTR_CMD_LIST_TRACERS (a dump): every tracer, in registration order.
	/// A module of ABI minor < 7: no_tracers_error().
	Result<std::vector<TracerInfo>> list_tracers();
	/// KTR_CMD_SET_TRACER: tracer @name (check_tracer_name() first) with
	/// @settings (encode_tracer_settings()); the current tracer's name
	/// after. Failures are set_tracer_error()s.
	Result<std::string> set_tracer(std::string_view name,
				       const std::vector<TracerSetting> &settings = {});
	/// KTR_CMD_GET_LATENCY (a dump): the latency tracer's data, read again
	/// (up to 3 times) when a new maximum replaced the worst-case trace
	/// during the dump. Failures: latency_error(); a module of ABI minor
	/// < 8: no_latency_error().
	Result<LatencyReport> get_latency();

private:
	Result<std::uint32_t> delete_probes(std::string_view name);
	Result<std::uint32_t> set_events(std::string_view glob, bool enable);
	Result<void> raw_request(bool attach, std::string_view name, std::uint32_t nargs);

	explicit Control(std::unique_ptr<proto::Client> client) noexcept;

	std::unique_ptr<proto::Client> client_;
};

} // namespace ktr

#endif // KTR_CONTROL_H
