// SPDX-License-Identifier: MIT
#include "ktr/tracing.h"

#include <array>
#include <bit>
#include <cerrno>
#include <charconv>
#include <iomanip>
#include <sstream>
#include <string>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "ktr/buffer_geometry.h"
#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "ktr/number.h"
#include "replies.h"

namespace ktr {

namespace {

struct Counter {
	int type;
	std::string_view name;	// the JSON key and column
	std::uint64_t CpuStats::*field;
};

constexpr std::array counters = {
	Counter{KTR_STATS_WRITTEN, "written", &CpuStats::written},
	Counter{KTR_STATS_BYTES, "bytes", &CpuStats::bytes},
	Counter{KTR_STATS_READ, "read", &CpuStats::read},
	Counter{KTR_STATS_BUFFERED, "buffered", &CpuStats::buffered},
	Counter{KTR_STATS_LOST_FULL, "lost_full", &CpuStats::lost_full},
	Counter{KTR_STATS_LOST_OVERWRITTEN, "lost_overwritten", &CpuStats::lost_overwritten},
	Counter{KTR_STATS_LOST_NESTING, "lost_nesting", &CpuStats::lost_nesting},
	Counter{KTR_STATS_LOST_DISABLED, "lost_disabled", &CpuStats::lost_disabled},
	Counter{KTR_STATS_DISCARDED, "discarded", &CpuStats::discarded},
	Counter{KTR_STATS_SUBBUFS_WRITTEN, "subbufs_written", &CpuStats::subbufs_written},
	Counter{KTR_STATS_SUBBUFS_READ, "subbufs_read", &CpuStats::subbufs_read},
	Counter{KTR_STATS_SUBBUFS_OVERWRITTEN, "subbufs_overwritten",
		&CpuStats::subbufs_overwritten},
};

std::string with_commas(std::uint64_t v)
{
	std::string digits = std::to_string(v);
	std::string out;
	const std::size_t n = digits.size();
	for (std::size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out += ',';
		out += digits[i];
	}
	return out;
}

} // namespace

Result<CpuStats> replies::stats(const proto::Attrs &a)
{
	constexpr std::string_view name = "KTR_CMD_GET_STATS";
	if (std::string p = a.check({KTR_ATTR_CPU, KTR_ATTR_CPU_ONLINE, KTR_ATTR_STATS}); !p.empty())
		return bad_reply_error(name, p);
	CpuStats s;
	s.cpu = a.u32(KTR_ATTR_CPU);
	s.online = a.flag(KTR_ATTR_CPU_ONLINE);
	const proto::Attrs nest = a.nested(KTR_ATTR_STATS);
	std::vector<int> required;
	for (const Counter &c : counters)
		required.push_back(c.type);
	if (std::string p = nest.check(required); !p.empty())
		return bad_reply_error(name, p + " (CPU " + std::to_string(s.cpu) + ")");
	for (const Counter &c : counters)
		s.*(c.field) = nest.u64(c.type);
	return s;
}

Result<CpuStats> parse_stats_message(nl_msg *msg)
{
	return replies::parse(msg, "KTR_CMD_GET_STATS", KTR_CMD_GET_STATS, replies::stats);
}

Result<bool> replies::tracing_on(const proto::Attrs &a, std::string_view request)
{
	if (std::string p = a.check({KTR_ATTR_TRACING_ON}); !p.empty())
		return bad_reply_error(request, p);
	return a.flag(KTR_ATTR_TRACING_ON);
}

Result<bool> parse_tracing_on_reply(nl_msg *reply, std::uint8_t cmd, std::string_view name)
{
	return replies::parse(reply, name, cmd,
			      [&](const proto::Attrs &a) { return replies::tracing_on(a, name); });
}

Result<BufferConfig> replies::buffer(const proto::Attrs &a)
{
	constexpr std::string_view name = "KTR_CMD_SET_BUFFER";
	if (std::string p = a.check({KTR_ATTR_BUFFER}); !p.empty())
		return bad_reply_error(name, p);
	const proto::Attrs nest = a.nested(KTR_ATTR_BUFFER);
	if (std::string p = nest.check({KTR_BUFFER_SUBBUF_SIZE, KTR_BUFFER_NR_SUBBUFS,
					KTR_BUFFER_MODE});
	    !p.empty())
		return bad_reply_error(name, p);
	return BufferConfig{nest.u32(KTR_BUFFER_SUBBUF_SIZE), nest.u32(KTR_BUFFER_NR_SUBBUFS),
			    nest.u32(KTR_BUFFER_MODE)};
}

Result<BufferConfig> parse_buffer_reply(nl_msg *reply)
{
	return replies::parse(reply, "KTR_CMD_SET_BUFFER", KTR_CMD_SET_BUFFER, replies::buffer);
}

Result<std::uint32_t> replies::marker_cpu(const proto::Attrs &a)
{
	if (std::string p = a.check({KTR_ATTR_CPU}); !p.empty())
		return bad_reply_error("KTR_CMD_WRITE_MARKER", p);
	return a.u32(KTR_ATTR_CPU);
}

Result<std::uint32_t> parse_marker_reply(nl_msg *reply)
{
	return replies::parse(reply, "KTR_CMD_WRITE_MARKER", KTR_CMD_WRITE_MARKER,
			      replies::marker_cpu);
}

Result<std::uint32_t> parse_size(std::string_view text, std::string_view what)
{
	const std::string prefix = what.empty() ? std::string{} : std::string(what) + " ";
	const auto bad = [&] {
		return Error{EINVAL, prefix + "'" + one_line(text) +
					     "' is not a size: give bytes, optionally with K, M or "
					     "G (e.g. 4096, 64K, 1M)"};
	};
	std::uint64_t n = 0;
	const char *first = text.data();
	const char *last = text.data() + text.size();
	const auto [end, ec] = std::from_chars(first, last, n);
	if (end == first || (ec != std::errc{} && ec != std::errc::result_out_of_range))
		return bad();
	std::string suffix{end, last};
	for (char &c : suffix)
		c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
	unsigned shift = 0;
	if (suffix.empty() || suffix == "B")
		shift = 0;
	else if (suffix == "K" || suffix == "KB" || suffix == "KIB")
		shift = 10;
	else if (suffix == "M" || suffix == "MB" || suffix == "MIB")
		shift = 20;
	else if (suffix == "G" || suffix == "GB" || suffix == "GIB")
		shift = 30;
	else
		return bad();
	if (ec == std::errc::result_out_of_range || n > (UINT32_MAX >> shift))
		return Error{ERANGE, prefix + "'" + one_line(text) +
					     "' is too large (at most 4 GiB - 1)"};
	if (n == 0)
		return Error{EINVAL, prefix + "'" + one_line(text) + "' is 0: give more than 0 bytes"};
	return static_cast<std::uint32_t>(n << shift);
}

std::string mode_text(std::uint32_t mode)
{
	switch (mode) {
	case KTR_RB_MODE_DISCARD: return "discard";
	case KTR_RB_MODE_OVERWRITE: return "overwrite";
	default: return "unknown (" + std::to_string(mode) + ")";
	}
}

Result<std::uint32_t> parse_nr_subbufs(std::string_view text)
{
	Result<std::uint64_t> n = parse_count(text);
	if (!n || *n > UINT32_MAX || !check_nr_subbufs(static_cast<std::uint32_t>(*n)))
		return Error{EINVAL, "'" + one_line(text) + "' is not a sub-buffer count: give " +
					     nr_subbufs_range_text()};
	return static_cast<std::uint32_t>(*n);
}

Result<void> check_buffer_request(const BufferRequest &req, const BufferConfig &current)
{
	return check_geometry(req.subbuf_size.value_or(current.subbuf_size),
			      req.nr_subbufs.value_or(current.nr_subbufs),
			      req.mode.value_or(current.mode));
}

Result<std::uint32_t> nr_subbufs_for(std::uint64_t size_per_cpu, std::uint32_t subbuf_size)
{
	if (subbuf_size == 0)
		return Error{EINVAL, "sub-buffer size must be more than 0"};
	const std::uint64_t nr = size_per_cpu / subbuf_size;
	if (size_per_cpu % subbuf_size == 0 && nr <= UINT32_MAX &&
	    check_nr_subbufs(static_cast<std::uint32_t>(nr)))
		return static_cast<std::uint32_t>(nr);
	std::uint64_t lo = KTR_NR_SUBBUFS_MIN;
	while (lo * 2 <= nr && lo * 2 <= KTR_NR_SUBBUFS_MAX)
		lo *= 2;
	const std::uint64_t hi = lo * 2 <= KTR_NR_SUBBUFS_MAX ? lo * 2 : lo;
	return Error{EINVAL, "size per CPU " + std::to_string(size_per_cpu) +
				     " is not N x " + std::to_string(subbuf_size) +
				     "-byte sub-buffers with N " + nr_subbufs_range_text() + ": try " +
				     std::to_string(lo * subbuf_size) + " or " +
				     std::to_string(hi * subbuf_size)};
}

CpuStats stats_total(const std::vector<CpuStats> &stats)
{
	CpuStats t;
	t.cpu = static_cast<std::uint32_t>(stats.size());
	for (const CpuStats &s : stats) {
		t.online = t.online || s.online;
		for (const Counter &c : counters)
			t.*(c.field) += s.*(c.field);
	}
	return t;
}

std::string format_stats_text(const std::vector<CpuStats> &stats)
{
	struct Col {
		std::string_view title;
		std::uint64_t (*get)(const CpuStats &);
	};
	static const Col cols[] = {
		{"entries", [](const CpuStats &s) { return s.buffered; }},
		{"written", [](const CpuStats &s) { return s.written; }},
		{"read", [](const CpuStats &s) { return s.read; }},
		{"bytes", [](const CpuStats &s) { return s.bytes; }},
		{"lost-full", [](const CpuStats &s) { return s.lost_full; }},
		{"overwritten", [](const CpuStats &s) { return s.lost_overwritten; }},
		{"nesting", [](const CpuStats &s) { return s.lost_nesting; }},
		{"stopped", [](const CpuStats &s) { return s.lost_disabled; }},
		{"subbufs", [](const CpuStats &s) { return s.subbufs_written; }},
		{"subbufs-read", [](const CpuStats &s) { return s.subbufs_read; }},
	};
	std::vector<std::vector<std::string>> rows;
	std::vector<std::string> head{"CPU"};
	for (const Col &c : cols)
		head.emplace_back(c.title);
	rows.push_back(head);
	const auto row = [&](std::string first, const CpuStats &s) {
		std::vector<std::string> r{std::move(first)};
		for (const Col &c : cols)
			r.push_back(with_commas(c.get(s)));
		rows.push_back(std::move(r));
	};
	for (const CpuStats &s : stats)
		row(std::to_string(s.cpu) + (s.online ? "" : " (offline)"), s);
	row("total", stats_total(stats));

	std::vector<std::size_t> width(head.size(), 0);
	for (const auto &r : rows)
		for (std::size_t i = 0; i < r.size(); i++)
			width[i] = std::max(width[i], r[i].size());
	std::ostringstream out;
	for (const auto &r : rows) {
		for (std::size_t i = 0; i < r.size(); i++) {
			if (i == 0)
				out << std::left << std::setw(static_cast<int>(width[i])) << r[i];
			else
				out << "  " << std::right << std::setw(static_cast<int>(width[i]))
				    << r[i];
		}
		out << '\n';
	}
	out << "entries: events in the buffer, unread; lost: full (no room), overwritten "
	       "(recycled unread),\nnesting (writers nested too deeply), stopped (tracing "
	       "was stopped)\n";
	return out.str();
}

std::string format_stats_json(const std::vector<CpuStats> &stats)
{
	JsonWriter w;
	const auto counters_of = [&](const CpuStats &s) {
		for (const Counter &c : counters)
			w.key(c.name).value(s.*(c.field));
	};
	w.begin_object().key("cpus").begin_array();
	for (const CpuStats &s : stats) {
		w.begin_object().key("cpu").value(s.cpu).key("online").value(s.online);
		counters_of(s);
		w.end_object();
	}
	w.end_array().key("total").begin_object();
	counters_of(stats_total(stats));
	w.end_object().end_object();
	return w.str() + "\n";
}

} // namespace ktr
