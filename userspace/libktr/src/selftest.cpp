// SPDX-License-Identifier: MIT
#include "ktr/selftest.h"

#include <algorithm>
#include <array>
#include <cerrno>
#include <utility>
#include <vector>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "ktr/text_lines.h"
#include "ktr/units.h"

namespace ktr {

namespace {

constexpr std::string_view request_name = "KTR_CMD_SELFTEST";

struct U32Spec {
	int type;
	std::string_view name;
	std::uint32_t SelftestResult::*field;
};

struct U64Spec {
	int type;
	std::string_view name;
	std::uint64_t SelftestResult::*field;
};

// Every counter of the ABI 1.1 reply; all are required.
constexpr std::array u32_attrs = {
	U32Spec{KTR_ATTR_SELFTEST_MODE, "KTR_ATTR_SELFTEST_MODE", &SelftestResult::mode},
	U32Spec{KTR_ATTR_SELFTEST_SUBBUF_SIZE, "KTR_ATTR_SELFTEST_SUBBUF_SIZE",
		&SelftestResult::subbuf_size},
	U32Spec{KTR_ATTR_SELFTEST_NR_SUBBUFS, "KTR_ATTR_SELFTEST_NR_SUBBUFS",
		&SelftestResult::nr_subbufs},
	U32Spec{KTR_ATTR_SELFTEST_DURATION_MS, "KTR_ATTR_SELFTEST_DURATION_MS",
		&SelftestResult::duration_ms},
	U32Spec{KTR_ATTR_SELFTEST_CPUS, "KTR_ATTR_SELFTEST_CPUS", &SelftestResult::cpus},
	U32Spec{KTR_ATTR_SELFTEST_ELAPSED_MS, "KTR_ATTR_SELFTEST_ELAPSED_MS",
		&SelftestResult::elapsed_ms},
};

constexpr std::array u64_attrs = {
	U64Spec{KTR_ATTR_SELFTEST_WRITTEN, "KTR_ATTR_SELFTEST_WRITTEN", &SelftestResult::written},
	U64Spec{KTR_ATTR_SELFTEST_READ, "KTR_ATTR_SELFTEST_READ", &SelftestResult::read},
	U64Spec{KTR_ATTR_SELFTEST_BYTES, "KTR_ATTR_SELFTEST_BYTES", &SelftestResult::bytes},
	U64Spec{KTR_ATTR_SELFTEST_LOST_FULL, "KTR_ATTR_SELFTEST_LOST_FULL",
		&SelftestResult::lost_full},
	U64Spec{KTR_ATTR_SELFTEST_LOST_OVERWRITTEN, "KTR_ATTR_SELFTEST_LOST_OVERWRITTEN",
		&SelftestResult::lost_overwritten},
	U64Spec{KTR_ATTR_SELFTEST_LOST_NESTING, "KTR_ATTR_SELFTEST_LOST_NESTING",
		&SelftestResult::lost_nesting},
	U64Spec{KTR_ATTR_SELFTEST_LOST_DISABLED, "KTR_ATTR_SELFTEST_LOST_DISABLED",
		&SelftestResult::lost_disabled},
	U64Spec{KTR_ATTR_SELFTEST_LOST_REPORTED, "KTR_ATTR_SELFTEST_LOST_REPORTED",
		&SelftestResult::lost_reported},
	U64Spec{KTR_ATTR_SELFTEST_BUFFERED, "KTR_ATTR_SELFTEST_BUFFERED",
		&SelftestResult::buffered},
	U64Spec{KTR_ATTR_SELFTEST_SUBBUFS_READ, "KTR_ATTR_SELFTEST_SUBBUFS_READ",
		&SelftestResult::subbufs_read},
	U64Spec{KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN, "KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN",
		&SelftestResult::subbufs_overwritten},
	U64Spec{KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN, "KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN",
		&SelftestResult::hardirq_written},
	U64Spec{KTR_ATTR_SELFTEST_NESTED, "KTR_ATTR_SELFTEST_NESTED", &SelftestResult::nested},
	U64Spec{KTR_ATTR_SELFTEST_FLUSHES, "KTR_ATTR_SELFTEST_FLUSHES", &SelftestResult::flushes},
	U64Spec{KTR_ATTR_SELFTEST_LONG_EVENTS, "KTR_ATTR_SELFTEST_LONG_EVENTS",
		&SelftestResult::long_events},
	U64Spec{KTR_ATTR_SELFTEST_TIME_RECORDS, "KTR_ATTR_SELFTEST_TIME_RECORDS",
		&SelftestResult::time_records},
	U64Spec{KTR_ATTR_SELFTEST_ERRORS, "KTR_ATTR_SELFTEST_ERRORS", &SelftestResult::errors},
};

constexpr std::string_view error_attr_name = "KTR_ATTR_SELFTEST_ERROR";

std::string size_problem(std::string_view name, int len, int want, std::string_view what)
{
	return std::string(name) + " is " + std::to_string(len) + " bytes, expected a " +
	       std::to_string(want) + "-byte " + std::string(what);
}

// What is wrong with attribute @nla of the reply, or "".
std::string attr_problem(const nlattr *nla)
{
	const int type = nla_type(nla);
	const int len = nla_len(nla);
	for (const U32Spec &s : u32_attrs)
		if (s.type == type && len != 4)
			return size_problem(s.name, len, 4, "u32");
	for (const U64Spec &s : u64_attrs)
		if (s.type == type && len != 8)
			return size_problem(s.name, len, 8, "u64");
	if (type == KTR_ATTR_SELFTEST_ERROR) {
		const auto *text = static_cast<const char *>(nla_data(nla));
		if (len < 1 || text[len - 1] != '\0')
			return std::string(error_attr_name) + " is not a NUL-terminated string";
		if (len > selftest_error_max)
			return std::string(error_attr_name) + " is longer than " +
			       std::to_string(selftest_error_max) + " bytes";
	}
	return {};
}

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

std::string selftest_attr_name(int type)
{
	for (const U32Spec &s : u32_attrs)
		if (s.type == type)
			return std::string(s.name);
	for (const U64Spec &s : u64_attrs)
		if (s.type == type)
			return std::string(s.name);
	if (type == KTR_ATTR_SELFTEST_ERROR)
		return std::string(error_attr_name);
	return {};
}

Result<SelftestResult> parse_selftest_reply(nl_msg *reply)
{
	nlmsghdr *nlh = nlmsg_hdr(reply);
	if (!genlmsg_valid_hdr(nlh, 0))
		return bad_reply_error(request_name, "truncated generic netlink header");
	const genlmsghdr *gnlh = genlmsg_hdr(nlh);
	if (gnlh->cmd != KTR_CMD_SELFTEST)
		return bad_reply_error(request_name,
				       "unexpected command " + std::to_string(gnlh->cmd));
	nlattr *head = genlmsg_attrdata(gnlh, 0);
	const int len = genlmsg_attrlen(gnlh, 0);

	// Last one wins, as with nla_parse(); unknown types are skipped.
	std::array<const nlattr *, KTR_ATTR_MAX + 1> tb{};
	const nlattr *nla;
	int rem;
	nla_for_each_attr(nla, head, len, rem) {
		const int type = nla_type(nla);
		if (type <= 0 || type > KTR_ATTR_MAX)
			continue;
		if (std::string problem = attr_problem(nla); !problem.empty())
			return bad_reply_error(request_name, problem);
		tb[static_cast<std::size_t>(type)] = nla;
	}
	if (rem > 0)
		return bad_reply_error(request_name, "truncated attribute");

	SelftestResult r;
	for (const U32Spec &s : u32_attrs) {
		const nlattr *a = tb[static_cast<std::size_t>(s.type)];
		if (!a)
			return bad_reply_error(request_name, std::string(s.name) + " missing");
		r.*s.field = nla_get_u32(const_cast<nlattr *>(a));
	}
	for (const U64Spec &s : u64_attrs) {
		const nlattr *a = tb[static_cast<std::size_t>(s.type)];
		if (!a)
			return bad_reply_error(request_name, std::string(s.name) + " missing");
		r.*s.field = nla_get_u64(const_cast<nlattr *>(a));
	}
	if (const nlattr *a = tb[KTR_ATTR_SELFTEST_ERROR])
		r.error = static_cast<const char *>(nla_data(a));
	else if (r.errors > 0)
		return bad_reply_error(request_name, std::string(error_attr_name) +
							     " missing although errors were found");
	return r;
}

namespace {

std::string mode_text(std::uint32_t mode)
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
		{"mode", mode_text(r.mode)},
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
	w.begin_object().key("mode").value(mode_text(r.mode));
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
