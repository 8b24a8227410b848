// SPDX-License-Identifier: MIT
#include "ktr/window_sink.h"

#include <limits>
#include <string>

#include "ktr/duration.h"
#include "ktr/errors.h"

namespace ktr {

Result<TimeBound> parse_time_bound(std::string_view text, std::string_view option)
{
	TimeBound b;
	std::string_view t = text;
	if (t.starts_with('+')) {
		b.relative = true;
		t.remove_prefix(1);
	}
	std::string d(t);
	if (!d.empty() && ((d.back() >= '0' && d.back() <= '9') || d.back() == '.'))
		d += "s";
	Result<std::chrono::nanoseconds> ns = parse_duration(d);
	if (!ns || t.empty())
		return Error{ns ? EINVAL : ns.error().errnum(),
			     (option.empty() ? "" : std::string(option) + " ") + "'" + one_line(text) +
				     "': not a time (seconds as the lines show them, e.g. 5025.5, "
				     "or +DURATION after the first event, e.g. +1.5s)"};
	b.ns = static_cast<std::uint64_t>(ns->count());
	return b;
}

Result<void> WindowSink::begin(const CaptureInfo &info, const Symbolizer &symbolizer)
{
	clock_ = ClockMap{info.clock_local_ns, info.clock_mono_ns};
	return inner_.begin(info, symbolizer);
}

bool WindowSink::inside(std::uint64_t ts)
{
	if (!first_)
		first_ = ts;
	const auto at = [&](const TimeBound &b) {
		// Relative: on the local clock; absolute: on CLOCK_MONOTONIC.
		return b.relative ? std::pair{ts - *first_, b.ns} : std::pair{clock_.to_mono(ts), b.ns};
	};
	if (from_) {
		const auto [t, bound] = at(*from_);
		if (ts < *first_ || t < bound)
			return false;
	}
	if (to_) {
		const auto [t, bound] = at(*to_);
		if (ts >= *first_ && t > bound)
			return false;
	}
	return true;
}

Result<void> WindowSink::event(const MergedEvent &ev)
{
	if (!inside(ev.ts))
		return {};
	return inner_.event(ev);
}

void WindowSink::lost(const MergedLost &lost)
{
	if (inside(lost.ts))
		inner_.lost(lost);
}

} // namespace ktr
