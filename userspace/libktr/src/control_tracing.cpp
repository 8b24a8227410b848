// SPDX-License-Identifier: MIT
//
// Control's requests of ABI minor 4 (uapi/ktr.h, "Control of tracing"):
// start, stop, reset, stats, marker, buffer.
#include <cerrno>
#include <string>
#include <string_view>
#include <vector>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/control.h"
#include "ktr/errors.h"
#include "proto/call.h"
#include "replies.h"

namespace ktr {

namespace {

// A request of ABI minor 4: an older module lacks it.
proto::Request tracing_request(std::uint8_t cmd, std::string_view name, proto::Expect expect)
{
	proto::Request req(cmd, name, expect);
	req.since_minor(4);
	return req;
}

Result<bool> set_on(proto::Client &client, bool on)
{
	proto::Request req = tracing_request(on ? KTR_CMD_START : KTR_CMD_STOP,
					     on ? "KTR_CMD_START" : "KTR_CMD_STOP",
					     proto::Expect::reply);
	return proto::call_reading(client, req, [&](const proto::Attrs &a) {
		return replies::tracing_on(a, req.name());
	});
}

} // namespace

Result<bool> Control::start()
{
	return set_on(*client_, true);
}

Result<bool> Control::stop()
{
	return set_on(*client_, false);
}

Result<void> Control::reset()
{
	proto::Request req = tracing_request(KTR_CMD_RESET, "KTR_CMD_RESET", proto::Expect::reply);
	const Result<bool> on = proto::call_reading(*client_, req, [&](const proto::Attrs &a) {
		return replies::tracing_on(a, req.name());
	});
	if (!on)
		return on.error();
	return {};
}

Result<std::vector<CpuStats>> Control::get_stats()
{
	proto::Request req =
		tracing_request(KTR_CMD_GET_STATS, "KTR_CMD_GET_STATS", proto::Expect::dump);
	return proto::call_reading_all(*client_, req, replies::stats);
}

Result<std::uint32_t> Control::write_marker(std::string_view text)
{
	if (text.empty() || text.size() > KTR_MARKER_MAX)
		return Error{EINVAL, "a marker has 1 to " + std::to_string(KTR_MARKER_MAX) +
					     " bytes, not " + std::to_string(text.size())};
	proto::Request req =
		tracing_request(KTR_CMD_WRITE_MARKER, "KTR_CMD_WRITE_MARKER", proto::Expect::reply);
	req.bytes(KTR_ATTR_MARKER_TEXT, text.data(), text.size());
	return proto::call_reading(*client_, req, replies::marker_cpu);
}

Result<BufferConfig> Control::set_buffer(const BufferRequest &breq)
{
	proto::Request req =
		tracing_request(KTR_CMD_SET_BUFFER, "KTR_CMD_SET_BUFFER", proto::Expect::reply);
	req.begin_nest(KTR_ATTR_BUFFER);
	if (breq.subbuf_size)
		req.u32(KTR_BUFFER_SUBBUF_SIZE, *breq.subbuf_size);
	if (breq.nr_subbufs)
		req.u32(KTR_BUFFER_NR_SUBBUFS, *breq.nr_subbufs);
	if (breq.mode)
		req.u32(KTR_BUFFER_MODE, *breq.mode);
	req.end_nest();
	return proto::call_reading(*client_, req, replies::buffer);
}

} // namespace ktr
