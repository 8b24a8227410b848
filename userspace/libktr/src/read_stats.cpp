// SPDX-License-Identifier: MIT
#include "ktr/read_stats.h"

#include <cstdio>

namespace ktr {

void ReadStats::add(const DecodedSubbuf &sb) noexcept
{
	subbufs++;
	events += sb.records().size();
	bytes += sb.header().commit;
	lost += sb.header().lost;
}

std::string format_read_stats(std::string_view tool, const std::vector<ReadStats> &cpus)
{
	std::string out = std::string(tool) + ": per-CPU statistics (read by " + std::string(tool) +
			  " | counted by the kernel since ktr.ko was loaded)\n";
	char line[256];
	auto row = [&](const char *cpu, const ReadStats &s, const ktr_rb_cpu_stats &k) {
		std::snprintf(line, sizeof(line),
			      "%5s %12llu %14llu %10llu | %12llu %10llu %12llu %8llu %9llu\n", cpu,
			      static_cast<unsigned long long>(s.events),
			      static_cast<unsigned long long>(s.bytes),
			      static_cast<unsigned long long>(s.lost),
			      static_cast<unsigned long long>(k.written),
			      static_cast<unsigned long long>(k.lost_full),
			      static_cast<unsigned long long>(k.lost_overwritten),
			      static_cast<unsigned long long>(k.lost_nesting),
			      static_cast<unsigned long long>(k.lost_disabled));
		out += line;
	};
	std::snprintf(line, sizeof(line), "%5s %12s %14s %10s | %12s %10s %12s %8s %9s\n", "cpu",
		      "events", "bytes", "lost", "written", "lost_full", "overwritten",
		      "nesting", "disabled");
	out += line;
	ReadStats total;
	ktr_rb_cpu_stats total_k{};
	for (const auto &s : cpus) {
		const ktr_rb_cpu_stats k = s.kernel.value_or(ktr_rb_cpu_stats{});
		row(std::to_string(s.cpu).c_str(), s, k);
		total.events += s.events;
		total.bytes += s.bytes;
		total.lost += s.lost;
		total_k.written += k.written;
		total_k.lost_full += k.lost_full;
		total_k.lost_overwritten += k.lost_overwritten;
		total_k.lost_nesting += k.lost_nesting;
		total_k.lost_disabled += k.lost_disabled;
	}
	row("total", total, total_k);
	return out;
}

std::string format_capture_stats(const std::vector<ReadStats> &cpus)
{
	std::string out;
	for (const ReadStats &s : cpus) {
		if (s.subbufs == 0 && !s.kernel)
			continue;
		out += "CPU " + std::to_string(s.cpu) + ": " + std::to_string(s.events) +
		       " events, " + std::to_string(s.bytes) + " bytes, " + std::to_string(s.lost) +
		       " lost";
		if (s.kernel && s.kernel->size != 0) {
			const ktr_rb_cpu_stats &k = *s.kernel;
			out += " (kernel: " + std::to_string(k.written) + " written, " +
			       std::to_string(k.lost_full + k.lost_overwritten + k.lost_nesting +
					      k.lost_disabled) +
			       " lost)";
		}
		out += "\n";
	}
	return out;
}

} // namespace ktr
