// SPDX-License-Identifier: MIT
#include "ktr/selftest.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>
#include <vector>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "ktr/text_lines.h"
#include "ktr/units.h"
#include "replies.h"

namespace ktr {

namespace {

constexpr std::string_view request_name = "KTR_CMD_SELFTEST";

struct U32Field {
	int type;
	std::uint32_t SelftestResult::*field;
};

struct U64Field {
	int type;
	std::uint64_t SelftestResult::*field;
};

// Every counter of the ABI 1.1 reply; all are required.
constexpr std::array u32_fields = {
	U32Field{KTR_ATTR_SELFTEST_MODE, &SelftestResult::mode},
	U32Field{KTR_ATTR_SELFTEST_SUBBUF_SIZE, &SelftestResult::subbuf_size},
	U32Field{KTR_ATTR_SELFTEST_NR_SUBBUFS, &SelftestResult::nr_subbufs},
	U32Field{KTR_ATTR_SELFTEST_DURATION_MS, &SelftestResult::duration_ms},
	U32Field{KTR_ATTR_SELFTEST_CPUS, &SelftestResult::cpus},
	U32Field{KTR_ATTR_SELFTEST_ELAPSED_MS, &SelftestResult::elapsed_ms},
};

constexpr std::array u64_fields = {
	U64Field{KTR_ATTR_SELFTEST_WRITTEN, &SelftestResult::written},
	U64Field{KTR_ATTR_SELFTEST_READ, &SelftestResult::read},
	U64Field{KTR_ATTR_SELFTEST_BYTES, &SelftestResult::bytes},
	U64Field{KTR_ATTR_SELFTEST_LOST_FULL, &SelftestResult::lost_full},
	U64Field{KTR_ATTR_SELFTEST_LOST_OVERWRITTEN, &SelftestResult::lost_overwritten},
	U64Field{KTR_ATTR_SELFTEST_LOST_NESTING, &SelftestResult::lost_nesting},
	U64Field{KTR_ATTR_SELFTEST_LOST_DISABLED, &SelftestResult::lost_disabled},
	U64Field{KTR_ATTR_SELFTEST_LOST_REPORTED, &SelftestResult::lost_reported},
	U64Field{KTR_ATTR_SELFTEST_BUFFERED, &SelftestResult::buffered},
	U64Field{KTR_ATTR_SELFTEST_SUBBUFS_READ, &SelftestResult::subbufs_read},
	U64Field{KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN, &SelftestResult::subbufs_overwritten},
	U64Field{KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN, &SelftestResult::hardirq_written},
	U64Field{KTR_ATTR_SELFTEST_NESTED, &SelftestResult::nested},
	U64Field{KTR_ATTR_SELFTEST_FLUSHES, &SelftestResult::flushes},
	U64Field{KTR_ATTR_SELFTEST_LONG_EVENTS, &SelftestResult::long_events},
	U64Field{KTR_ATTR_SELFTEST_TIME_RECORDS, &SelftestResult::time_records},
	U64Field{KTR_ATTR_SELFTEST_ERRORS, &SelftestResult::errors},
};

} // namespace

std::string_view mode_name(BufferMode mode)
{
	return mode == BufferMode::overwrite ? "overwrite" : "discard";
}

Result<BufferMode> parse_mode(std::string_view text)
{
	if (text == "discard")
		return BufferMode::discard;
	if (text == "overwrite")
		return BufferMode::overwrite;
	return Error{EINVAL, "unknown buffer mode '" + one_line(text) +
				     "' (modes: discard, overwrite)"};
}

Result<SelftestResult> replies::selftest(const proto::Attrs &a)
{
	std::vector<int> required;
	for (const U32Field &f : u32_fields)
		required.push_back(f.type);
	for (const U64Field &f : u64_fields)
		required.push_back(f.type);
	if (std::string p = a.check(required); !p.empty())
		return bad_reply_error(request_name, p);

	SelftestResult r;
	for (const U32Field &f : u32_fields)
		r.*f.field = a.u32(f.type);
	for (const U64Field &f : u64_fields)
		r.*f.field = a.u64(f.type);
	if (a.has(KTR_ATTR_SELFTEST_ERROR))
		r.error = a.str(KTR_ATTR_SELFTEST_ERROR);
	else if (r.errors > 0)
		return bad_reply_error(request_name,
				       "KTR_ATTR_SELFTEST_ERROR missing although errors were found");
	return r;
}

Result<SelftestResult> parse_selftest_reply(nl_msg *reply)
{
	return replies::parse(reply, request_name, KTR_CMD_SELFTEST, replies::selftest);
}

namespace {

std::string selftest_mode_text(std::uint32_t mode)
{
	if (mode == KTR_RB_MODE_DISCARD || mode == KTR_RB_MODE_OVERWRITE)
		return std::string(mode_name(static_cast<BufferMode>(mode)));
	return "mode " + std::to_string(mode);
}

std::string verdict_text(const SelftestResult &r)
{
	if (r.passed())
		return "PASS (0 errors)";
	return "FAIL (" + std::to_string(r.errors) + " error" + (r.errors == 1 ? "" : "s") +
	       "; first: " + (r.error.empty() ? "?" : one_line(r.error)) + ")";
}

} // namespace

std::string format_selftest_text(const SelftestResult &r)
{
	const TextLines lines = {
		{"mode", selftest_mode_text(r.mode)},
		{"buffer per CPU", std::to_string(r.nr_subbufs) + " x " + format_bytes(r.subbuf_size)},
		{"CPUs", std::to_string(r.cpus)},
		{"duration", std::to_string(r.elapsed_ms) + " ms (asked " +
				     std::to_string(r.duration_ms) + " ms)"},
		{"written", std::to_string(r.written)},
		{"read", std::to_string(r.read)},
		{"lost", std::to_string(r.lost())},
		{"  full", std::to_string(r.lost_full)},
		{"  overwritten", std::to_string(r.lost_overwritten)},
		{"  nesting", std::to_string(r.lost_nesting)},
		{"  disabled", std::to_string(r.lost_disabled)},
		{"lost reported in stream", std::to_string(r.lost_reported)},
		{"buffered at end", std::to_string(r.buffered)},
		{"bytes", std::to_string(r.bytes)},
		{"sub-buffers read", std::to_string(r.subbufs_read)},
		{"sub-buffers overwritten", std::to_string(r.subbufs_overwritten)},
		{"hardirq written", std::to_string(r.hardirq_written)},
		{"nested in a write", std::to_string(r.nested)},
		{"flushes", std::to_string(r.flushes)},
		{"long events", std::to_string(r.long_events)},
		{"time records", std::to_string(r.time_records)},
		{"errors", std::to_string(r.errors)},
		{"verdict", verdict_text(r)},
	};
	return format_aligned_lines(lines);
}

std::string format_selftest_json(const SelftestResult &r)
{
	JsonWriter w;
	w.begin_object().key("mode").value(selftest_mode_text(r.mode));
	w.key("subbuf_size").value(r.subbuf_size).key("nr_subbufs").value(r.nr_subbufs);
	w.key("duration_ms").value(r.duration_ms).key("cpus").value(r.cpus);
	w.key("elapsed_ms").value(r.elapsed_ms);
	w.key("written").value(r.written).key("read").value(r.read);
	w.key("lost").value(r.lost());
	w.key("lost_full").value(r.lost_full).key("lost_overwritten").value(r.lost_overwritten);
	w.key("lost_nesting").value(r.lost_nesting).key("lost_disabled").value(r.lost_disabled);
	w.key("lost_reported").value(r.lost_reported).key("buffered").value(r.buffered);
	w.key("bytes").value(r.bytes).key("subbufs_read").value(r.subbufs_read);
	w.key("subbufs_overwritten").value(r.subbufs_overwritten);
	w.key("hardirq_written").value(r.hardirq_written).key("nested").value(r.nested);
	w.key("flushes").value(r.flushes).key("long_events").value(r.long_events);
	w.key("time_records").value(r.time_records);
	w.key("errors").value(r.errors);
	w.key("error");
	if (r.errors > 0)
		w.value(r.error);
	else
		w.null();
	w.key("verdict").value(r.passed() ? "pass" : "fail");
	w.end_object();
	return w.str() + "\n";
}

} // namespace ktr
