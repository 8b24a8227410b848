// SPDX-License-Identifier: MIT
#include "ktr/info_format.h"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <utility>
#include <vector>

#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "ktr/text_lines.h"
#include "ktr/units.h"

#include <ktr_ringbuf.h>

namespace ktr {

namespace {

std::string shown(std::string_view kernel_string)
{
	std::string s = one_line(kernel_string);
	return s.empty() ? "(empty)" : s;
}

std::string mode_name(std::uint32_t mode)
{
	switch (mode) {
	case KTR_RB_MODE_DISCARD: return "discard";
	case KTR_RB_MODE_OVERWRITE: return "overwrite";
	default: return "unknown (" + std::to_string(mode) + ")";
	}
}

// CLOCK_MONOTONIC minus the record clock, in ns (signed).
long long clock_offset(const InfoClock &c)
{
	return static_cast<long long>(c.mono_ns - c.local_ns);
}

} // namespace

std::string format_info_text(const Info &info)
{
	const std::uint64_t per_cpu = std::uint64_t{info.subbuf_size} * info.nr_subbufs;
	TextLines lines = {
		{"module version", shown(info.module_version)},
		{"ABI version", std::to_string(info.abi_major) + "." + std::to_string(info.abi_minor)},
		{"kernel release", shown(info.kernel_release)},
		{"CPUs possible", std::to_string(info.cpus_possible)},
		{"CPUs online", std::to_string(info.cpus_online)},
		{"sub-buffer size", format_bytes(info.subbuf_size)},
		{"sub-buffers per CPU", std::to_string(info.nr_subbufs)},
		{"buffer per CPU", format_bytes(per_cpu)},
	};
	if (info.buffer_mode)
		lines.emplace_back("buffer mode", mode_name(*info.buffer_mode));
	if (info.tracing_on)
		lines.emplace_back("tracing", *info.tracing_on ? "on" : "off (stopped)");
	if (info.clock) {
		const long long off = clock_offset(*info.clock);
		lines.emplace_back("record clock",
				   std::string("local_clock(); CLOCK_MONOTONIC = local_clock() ") +
					   (off < 0 ? "- " : "+ ") +
					   std::to_string(off < 0 ? -off : off) + " ns");
	}
	return format_aligned_lines(lines);
}

std::string format_info_json(const Info &info)
{
	JsonWriter w;
	w.begin_object()
		.key("abi_major").value(info.abi_major)
		.key("abi_minor").value(info.abi_minor)
		.key("module_version").value(info.module_version)
		.key("cpus_possible").value(info.cpus_possible)
		.key("cpus_online").value(info.cpus_online)
		.key("subbuf_size").value(info.subbuf_size)
		.key("nr_subbufs").value(info.nr_subbufs)
		.key("kernel_release").value(info.kernel_release);
	if (info.buffer_mode)
		w.key("buffer_mode").value(mode_name(*info.buffer_mode));
	if (info.tracing_on)
		w.key("tracing_on").value(*info.tracing_on);
	if (info.clock)
		w.key("clock_local_ns").value(info.clock->local_ns)
			.key("clock_mono_ns").value(info.clock->mono_ns);
	w.end_object();
	return w.str() + "\n";
}

} // namespace ktr
