// SPDX-License-Identifier: MIT
//
// ktr::Control: info, self-test, events and raw attach. Every request is a
// proto::Request sent through proto::Client::call() (proto/call.h); the
// replies are read by replies.h.
#include "ktr/control.h"
#include "ktr/probe_def.h"

#include <cerrno>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "ktr/errors.h"
#include "ktr/probes.h"
#include "ktr/raw.h"
#include "proto/call.h"
#include "proto/netlink_transport.h"
#include "replies.h"

namespace ktr {

Control::Control(std::unique_ptr<proto::Client> client) noexcept : client_(std::move(client)) {}
Control::Control(Control &&) noexcept = default;
Control &Control::operator=(Control &&) noexcept = default;
Control::~Control() = default;

std::uint16_t Control::family_id() const noexcept
{
	return client_->family();
}

Result<Control> Control::open()
{
	Result<std::unique_ptr<proto::NetlinkTransport>> transport =
		proto::NetlinkTransport::open(reply_timeout);
	if (!transport)
		return transport.error();
	return open(std::move(*transport));
}

Result<Control> Control::open(std::unique_ptr<proto::Transport> transport)
{
	Result<proto::Client> client = proto::Client::connect(std::move(transport));
	if (!client)
		return client.error();
	return Control{std::make_unique<proto::Client>(std::move(*client))};
}

Result<Info> Control::get_info()
{
	proto::Request req(KTR_CMD_GET_INFO, "KTR_CMD_GET_INFO", proto::Expect::reply);
	return proto::call_reading(*client_, req, replies::info);
}

Result<SelftestResult> Control::selftest(const SelftestRequest &req)
{
	proto::Request request(KTR_CMD_SELFTEST, "KTR_CMD_SELFTEST", proto::Expect::reply);
	if (req.mode)
		request.u32(KTR_ATTR_SELFTEST_MODE, static_cast<std::uint32_t>(*req.mode));
	if (req.subbuf_size)
		request.u32(KTR_ATTR_SELFTEST_SUBBUF_SIZE, *req.subbuf_size);
	if (req.nr_subbufs)
		request.u32(KTR_ATTR_SELFTEST_NR_SUBBUFS, *req.nr_subbufs);
	if (req.duration_ms)
		request.u32(KTR_ATTR_SELFTEST_DURATION_MS, *req.duration_ms);

	const std::chrono::milliseconds duration{
		req.duration_ms.value_or(KTR_SELFTEST_DURATION_MS_DEFAULT)};
	proto::Transport &transport = client_->transport();
	if (Result<void> r = transport.set_reply_timeout(duration + selftest_grace); !r)
		return r.error();

	Result<SelftestResult> result = proto::call_reading(*client_, request, replies::selftest);
	(void)transport.set_reply_timeout(reply_timeout);
	return result;
}

Result<std::vector<EventInfo>> Control::list_events()
{
	proto::Request req(KTR_CMD_LIST_EVENTS, "KTR_CMD_LIST_EVENTS", proto::Expect::dump);
	// An unknown command: EOPNOTSUPP from generic netlink (EINVAL from
	// some kernels' validation). Nothing else fails an empty dump so.
	req.word([](const proto::KernelAnswer &answer, const Error &e) {
		if (answer.errnum == EOPNOTSUPP || answer.errnum == EINVAL)
			return no_event_list_error();
		return e;
	});
	Result<std::vector<EventInfo>> events = proto::call_reading_all(*client_, req, replies::event);
	if (!events)
		return events.error();
	if (Result<FormatTable> table = formats_from(*events); !table)
		return bad_reply_error(req.name(), table.error().message());
	return events;
}

Result<std::uint32_t> Control::set_events(std::string_view glob, bool enable)
{
	if (Result<void> ok = check_event_glob(glob); !ok)
		return ok.error();

	proto::Request req(enable ? KTR_CMD_ENABLE_EVENTS : KTR_CMD_DISABLE_EVENTS,
			   enable ? "KTR_CMD_ENABLE_EVENTS" : "KTR_CMD_DISABLE_EVENTS",
			   proto::Expect::reply);
	req.string(KTR_ATTR_EVENT_GLOB, glob);
	req.since_minor(3, [](const proto::ModuleAbi &) { return no_event_control_error(); });
	req.word([&](const proto::KernelAnswer &answer, const Error &e) {
		if (answer.errnum == ENOENT || answer.errnum == EOPNOTSUPP)
			return event_request_error(enable, glob, answer.errnum, answer.extack);
		return e;
	});

	return proto::call_reading(*client_, req, [&](const proto::Attrs &a) {
		return replies::event_count(a, req.name());
	});
}

Result<std::uint32_t> Control::enable_events(std::string_view glob)
{
	return set_events(glob, true);
}

Result<std::uint32_t> Control::disable_events(std::string_view glob)
{
	return set_events(glob, false);
}

Result<void> Control::raw_request(bool attach, std::string_view name, std::uint32_t nargs)
{
	if (!attach)
		name = strip_raw_system(name);
	if (Result<void> ok = check_tracepoint_name(name); !ok)
		return ok.error();
	if (attach && nargs > raw_nargs_max)
		return Error{ERANGE, "at most " + std::to_string(raw_nargs_max) +
					     " arguments can be recorded, not " + std::to_string(nargs)};

	proto::Request req(attach ? KTR_CMD_ATTACH_RAW : KTR_CMD_DETACH_RAW,
			   attach ? "KTR_CMD_ATTACH_RAW" : "KTR_CMD_DETACH_RAW", proto::Expect::ack);
	req.string(KTR_ATTR_RAW_TRACEPOINT, name);
	if (attach)
		req.u32(KTR_ATTR_RAW_NARGS, nargs);
	req.word([&](const proto::KernelAnswer &answer, const Error &) {
		return raw_request_error(attach, name, answer.errnum, answer.extack);
	});
	return client_->call(req);
}

namespace {

const auto probes_too_old = [](const proto::ModuleAbi &abi) {
	return no_probes_error(abi.minor);
};

} // namespace

Result<ProbeAdded> Control::add_probe(std::string_view def)
{
	// The module's own parser: what it would refuse is not sent.
	if (Result<ktr_probe_def> ok = check_probe_def(def); !ok)
		return ok.error();
	proto::Request req(KTR_CMD_ADD_PROBE, "KTR_CMD_ADD_PROBE", proto::Expect::reply);
	req.string(KTR_ATTR_PROBE_DEF, def);
	req.since_minor(5, probes_too_old);
	req.word([](const proto::KernelAnswer &answer, const Error &) {
		return add_probe_error(answer.errnum, answer.extack);
	});
	return proto::call_reading(*client_, req, replies::probe_added);
}

Result<std::uint32_t> Control::delete_probes(std::string_view name)
{
	proto::Request req(KTR_CMD_DEL_PROBE, "KTR_CMD_DEL_PROBE", proto::Expect::reply);
	if (name.empty())
		req.u8(KTR_ATTR_PROBE_ALL, 1);
	else
		req.string(KTR_ATTR_PROBE_NAME, name);
	req.since_minor(5, probes_too_old);
	req.word([&](const proto::KernelAnswer &answer, const Error &) {
		return del_probe_error(name, answer.errnum, answer.extack);
	});
	return proto::call_reading(*client_, req, [&](const proto::Attrs &a) {
		return replies::event_count(a, req.name());
	});
}

Result<std::uint32_t> Control::del_probe(std::string_view name)
{
	if (Result<void> ok = check_probe_name(name); !ok)
		return ok.error();
	return delete_probes(name);
}

Result<std::uint32_t> Control::del_all_probes()
{
	return delete_probes("");
}

Result<std::vector<ProbeInfo>> Control::list_probes()
{
	proto::Request req(KTR_CMD_LIST_PROBES, "KTR_CMD_LIST_PROBES", proto::Expect::dump);
	req.since_minor(5, probes_too_old);
	return proto::call_reading_all(*client_, req, replies::probe);
}

namespace {

const auto tracers_too_old = [](const proto::ModuleAbi &abi) {
	return no_tracers_error(abi.minor);
};

} // namespace

Result<std::vector<TracerInfo>> Control::list_tracers()
{
	proto::Request req(KTR_CMD_LIST_TRACERS, "KTR_CMD_LIST_TRACERS", proto::Expect::dump);
	req.since_minor(7, tracers_too_old);
	return proto::call_reading_all(*client_, req, replies::tracer);
}

Result<std::string> Control::set_tracer(std::string_view name,
					const std::vector<TracerSetting> &settings)
{
	if (Result<void> ok = check_tracer_name(name); !ok)
		return ok.error();
	Result<std::string> blob = encode_tracer_settings(settings);
	if (!blob)
		return blob.error();
	proto::Request req(KTR_CMD_SET_TRACER, "KTR_CMD_SET_TRACER", proto::Expect::reply);
	req.string(KTR_ATTR_TRACER_NAME, name);
	if (!blob->empty())
		req.bytes(KTR_ATTR_TRACER_SETTINGS, blob->data(), blob->size());
	req.since_minor(7, tracers_too_old);
	req.word([&](const proto::KernelAnswer &answer, const Error &) {
		return set_tracer_error(name, answer.errnum, answer.extack);
	});
	return proto::call_reading(*client_, req, replies::tracer_name);
}

Result<LatencyReport> Control::get_latency()
{
	for (int attempt = 0;; attempt++) {
		proto::Request req(KTR_CMD_GET_LATENCY, "KTR_CMD_GET_LATENCY", proto::Expect::dump);
		req.since_minor(8, [](const proto::ModuleAbi &abi) {
			return no_latency_error(abi.minor);
		});
		req.word([](const proto::KernelAnswer &answer, const Error &) {
			return latency_error(answer.errnum, answer.extack);
		});
		Result<std::vector<LatencyMessage>> all =
			proto::call_reading_all(*client_, req, replies::latency);
		if (!all && all.error().errnum() == EAGAIN && attempt < 2)
			continue;
		if (!all)
			return all.error();
		return assemble_latency(std::move(*all));
	}
}

Result<void> Control::attach_raw(std::string_view name, std::uint32_t nargs)
{
	return raw_request(true, name, nargs);
}

Result<void> Control::detach_raw(std::string_view name)
{
	return raw_request(false, name, 0);
}

} // namespace ktr
