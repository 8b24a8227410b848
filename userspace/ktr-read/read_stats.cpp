// SPDX-License-Identifier: MIT
#include "read_stats.h"

#include <cstdio>

namespace ktr::read {

void CpuStats::add(const DecodedSubbuf &sb) noexcept
{
	subbufs++;
	events += sb.records().size();
	bytes += sb.header().commit;
	lost += sb.header().lost;
}

std::string format_read_stats(const std::vector<CpuStats> &cpus)
{
	std::string out = "ktr-read: per-CPU statistics (read by ktr-read | counted by the kernel since ktr.ko was loaded)\n";
	char line[256];
	auto row = [&](const char *cpu, const CpuStats &s) {
		std::snprintf(line, sizeof(line),
			      "%5s %12llu %14llu %10llu | %12llu %10llu %12llu %8llu %9llu\n", cpu,
			      static_cast<unsigned long long>(s.events),
			      static_cast<unsigned long long>(s.bytes),
			      static_cast<unsigned long long>(s.lost),
			      static_cast<unsigned long long>(s.kernel.written),
			      static_cast<unsigned long long>(s.kernel.lost_full),
			      static_cast<unsigned long long>(s.kernel.lost_overwritten),
			      static_cast<unsigned long long>(s.kernel.lost_nesting),
			      static_cast<unsigned long long>(s.kernel.lost_disabled));
		out += line;
	};
	std::snprintf(line, sizeof(line), "%5s %12s %14s %10s | %12s %10s %12s %8s %9s\n", "cpu",
		      "events", "bytes", "lost", "written", "lost_full", "overwritten",
		      "nesting", "disabled");
	out += line;
	CpuStats total;
	for (const auto &s : cpus) {
		row(std::to_string(s.cpu).c_str(), s);
		total.events += s.events;
		total.bytes += s.bytes;
		total.lost += s.lost;
		total.kernel.written += s.kernel.written;
		total.kernel.lost_full += s.kernel.lost_full;
		total.kernel.lost_overwritten += s.kernel.lost_overwritten;
		total.kernel.lost_nesting += s.kernel.lost_nesting;
		total.kernel.lost_disabled += s.kernel.lost_disabled;
	}
	row("total", total);
	return out;
}

} // namespace ktr::read
