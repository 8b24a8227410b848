// SPDX-License-Identifier: MIT
//
// The readers of each reply of the ktr protocol, over the attributes the
// protocol layer has checked (proto::Attrs). Control hands them what
// proto::Client::call() delivers; the public parse_*() functions (info.h,
// events.h, ...) are the same readers behind proto::reply_attrs(), for
// tests with messages built on the host.
#ifndef KTR_REPLIES_H
#define KTR_REPLIES_H

#include <cstdint>
#include <string_view>

#include "ktr/events.h"
#include "ktr/filters.h"
#include "ktr/info.h"
#include "ktr/latency.h"
#include "ktr/probes.h"
#include "ktr/tracers.h"
#include "ktr/result.h"
#include "ktr/selftest.h"
#include "ktr/tracing.h"
#include "proto/attrs.h"

namespace ktr::replies {

Result<Info> info(const proto::Attrs &a);
Result<SelftestResult> selftest(const proto::Attrs &a);
Result<EventInfo> event(const proto::Attrs &a);
Result<std::uint32_t> event_count(const proto::Attrs &a, std::string_view request);
Result<CpuStats> stats(const proto::Attrs &a);
Result<bool> tracing_on(const proto::Attrs &a, std::string_view request);
Result<BufferConfig> buffer(const proto::Attrs &a);
Result<std::uint32_t> marker_cpu(const proto::Attrs &a);
Result<FilterState> filters(const proto::Attrs &a);
Result<ProbeAdded> probe_added(const proto::Attrs &a);
Result<ProbeInfo> probe(const proto::Attrs &a);
Result<TracerInfo> tracer(const proto::Attrs &a);
Result<std::string> tracer_name(const proto::Attrs &a);
Result<LatencyMessage> latency(const proto::Attrs &a);
Result<LatencyNotice> latency_notice(const proto::Attrs &a);

/// proto::reply_attrs(@msg, @request, @cmd), then @read.
template <typename Read>
auto parse(nl_msg *msg, std::string_view request, std::uint8_t cmd, Read read)
	-> decltype(read(std::declval<const proto::Attrs &>()))
{
	Result<proto::Attrs> a = proto::reply_attrs(msg, request, cmd);
	if (!a)
		return a.error();
	return read(*a);
}

} // namespace ktr::replies

#endif // KTR_REPLIES_H
