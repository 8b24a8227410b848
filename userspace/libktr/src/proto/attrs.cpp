// SPDX-License-Identifier: MIT
#include "proto/attrs.h"

#include <array>
#include <cstring>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/errors.h"
#include "ktr/info.h"
#include "ktr/selftest.h"

namespace ktr::proto {

namespace {

#define ROW(type, ...) AttrSpec{type, #type, __VA_ARGS__}

// The table: one row per attribute of uapi/ktr.h (and the two nlctrl
// attributes of a family lookup). Keep in uapi order.
constexpr std::array ktr_attrs = {
	ROW(KTR_ATTR_ABI_MAJOR, Kind::u32),
	ROW(KTR_ATTR_ABI_MINOR, Kind::u32),
	ROW(KTR_ATTR_MODULE_VERSION, Kind::string, info_string_max),
	ROW(KTR_ATTR_CPUS_POSSIBLE, Kind::u32),
	ROW(KTR_ATTR_CPUS_ONLINE, Kind::u32),
	ROW(KTR_ATTR_SUBBUF_SIZE, Kind::u32),
	ROW(KTR_ATTR_NR_SUBBUFS, Kind::u32),
	ROW(KTR_ATTR_KERNEL_RELEASE, Kind::string, info_string_max),
	ROW(KTR_ATTR_SELFTEST_MODE, Kind::u32),
	ROW(KTR_ATTR_SELFTEST_SUBBUF_SIZE, Kind::u32),
	ROW(KTR_ATTR_SELFTEST_NR_SUBBUFS, Kind::u32),
	ROW(KTR_ATTR_SELFTEST_DURATION_MS, Kind::u32),
	ROW(KTR_ATTR_SELFTEST_CPUS, Kind::u32),
	ROW(KTR_ATTR_SELFTEST_ELAPSED_MS, Kind::u32),
	ROW(KTR_ATTR_SELFTEST_WRITTEN, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_READ, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_BYTES, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_LOST_FULL, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_LOST_OVERWRITTEN, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_LOST_NESTING, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_LOST_DISABLED, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_LOST_REPORTED, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_BUFFERED, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_SUBBUFS_READ, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_NESTED, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_FLUSHES, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_LONG_EVENTS, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_TIME_RECORDS, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_ERRORS, Kind::u64),
	ROW(KTR_ATTR_SELFTEST_ERROR, Kind::string, selftest_error_max),
	ROW(KTR_ATTR_BUFFER_MODE, Kind::u32),
	ROW(KTR_ATTR_CLOCK_LOCAL_NS, Kind::u64),
	ROW(KTR_ATTR_CLOCK_MONO_NS, Kind::u64),
	ROW(KTR_ATTR_EVENT_ID, Kind::u32),
	ROW(KTR_ATTR_EVENT_SYSTEM, Kind::string, KTR_EVENT_NAME_MAX),
	ROW(KTR_ATTR_EVENT_NAME, Kind::string, KTR_EVENT_NAME_MAX),
	ROW(KTR_ATTR_EVENT_AVAILABLE, Kind::flag),
	ROW(KTR_ATTR_EVENT_ENABLED, Kind::flag),
	ROW(KTR_ATTR_EVENT_FIELDS, Kind::nested),
	ROW(KTR_ATTR_FIELD, Kind::nested),
	ROW(KTR_ATTR_FIELD_NAME, Kind::string, KTR_EVENT_NAME_MAX),
	ROW(KTR_ATTR_FIELD_TYPE, Kind::u32),
	ROW(KTR_ATTR_FIELD_OFFSET, Kind::u32),
	ROW(KTR_ATTR_FIELD_SIZE, Kind::u32),
	ROW(KTR_ATTR_FIELD_SIGNED, Kind::flag),
	ROW(KTR_ATTR_EVENT_GLOB, Kind::string, KTR_EVENT_GLOB_MAX),
	ROW(KTR_ATTR_EVENT_COUNT, Kind::u32),
	ROW(KTR_ATTR_TRACING_ON, Kind::flag),
	ROW(KTR_ATTR_CPU, Kind::u32),
	ROW(KTR_ATTR_CPU_ONLINE, Kind::flag),
	ROW(KTR_ATTR_STATS, Kind::nested, 0, 1, Space::stats),
	ROW(KTR_ATTR_MARKER_TEXT, Kind::binary, KTR_MARKER_MAX),
	ROW(KTR_ATTR_BUFFER, Kind::nested, 0, 1, Space::buffer),
	ROW(KTR_ATTR_FILTER_PIDS, Kind::binary, KTR_FILTER_PIDS_MAX * sizeof(std::int32_t),
	    sizeof(std::int32_t)),
	ROW(KTR_ATTR_FILTER_FOLLOW, Kind::flag),
	ROW(KTR_ATTR_FILTER_COMMS, Kind::names, KTR_FILTER_COMMS_MAX * KTR_COMM_LEN),
	ROW(KTR_ATTR_FILTER_CPUS, Kind::binary, KTR_FILTER_CPUS_MAX / 8, sizeof(std::uint64_t)),
	ROW(KTR_ATTR_FILTER_PROG, Kind::binary, KTR_FILTER_INSNS_MAX * sizeof(ktr_filter_insn),
	    sizeof(ktr_filter_insn)),
	ROW(KTR_ATTR_FILTER_STRINGS, Kind::binary, KTR_FILTER_STRINGS_MAX),
	ROW(KTR_ATTR_FILTER_TEXT, Kind::string, KTR_FILTER_TEXT_MAX),
	ROW(KTR_ATTR_EVENT_STACK, Kind::flag),
	ROW(KTR_ATTR_EVENT_FILTER, Kind::nested),
	ROW(KTR_ATTR_FILTER_TRACKED, Kind::u32),
	ROW(KTR_ATTR_RAW_TRACEPOINT, Kind::string, KTR_EVENT_NAME_MAX),
	ROW(KTR_ATTR_RAW_NARGS, Kind::u32),
	ROW(KTR_ATTR_FIELD_DISPLAY, Kind::u32),
	ROW(KTR_ATTR_PROBE_DEF, Kind::string, KTR_PROBE_DEF_MAX),
	// "name" or "system:name"
	ROW(KTR_ATTR_PROBE_NAME, Kind::string, 2 * KTR_EVENT_NAME_MAX),
	ROW(KTR_ATTR_PROBE_ALL, Kind::flag),
	ROW(KTR_ATTR_PROBE_KIND, Kind::u32),
	ROW(KTR_ATTR_PROBE_MECH, Kind::u32),
	ROW(KTR_ATTR_PROBE_ADDR, Kind::u64),
	ROW(KTR_ATTR_PROBE_HITS, Kind::u64),
	ROW(KTR_ATTR_PROBE_MISSED, Kind::u64),
	ROW(KTR_ATTR_PROBE_MAXACTIVE, Kind::u32),
	ROW(KTR_ATTR_PROBE_GONE, Kind::flag),
	ROW(KTR_ATTR_TRACER_NAME, Kind::string, KTR_TRACER_NAME_MAX),
	ROW(KTR_ATTR_TRACER_DESC, Kind::string, KTR_TRACER_DESC_MAX),
	ROW(KTR_ATTR_TRACER_CURRENT, Kind::flag),
	ROW(KTR_ATTR_TRACER_OPTIONS, Kind::nested),
	ROW(KTR_ATTR_TRACER_OPTION, Kind::nested),
	ROW(KTR_ATTR_TRACER_OPT_NAME, Kind::string, KTR_TRACER_NAME_MAX),
	ROW(KTR_ATTR_TRACER_OPT_TYPE, Kind::u32),
	ROW(KTR_ATTR_TRACER_OPT_DESC, Kind::string, KTR_TRACER_DESC_MAX),
	ROW(KTR_ATTR_TRACER_OPT_DEFAULT, Kind::string, KTR_TRACER_OPT_VALUE_MAX),
	ROW(KTR_ATTR_TRACER_OPT_VALUE, Kind::string, KTR_TRACER_OPT_VALUE_MAX),
	ROW(KTR_ATTR_TRACER_SETTINGS, Kind::names, KTR_TRACER_SETTINGS_MAX),
	ROW(KTR_ATTR_LAT_TRACER, Kind::string, KTR_TRACER_NAME_MAX),
	ROW(KTR_ATTR_LAT_SEQ, Kind::u64),
	ROW(KTR_ATTR_LAT_THRESHOLD_NS, Kind::u64),
	ROW(KTR_ATTR_LAT_COUNT, Kind::u64),
	ROW(KTR_ATTR_LAT_SUM_NS, Kind::u64),
	ROW(KTR_ATTR_LAT_LOST, Kind::u64),
	ROW(KTR_ATTR_LAT_HIST, Kind::binary, KTR_LAT_BUCKETS * sizeof(std::uint64_t),
	    sizeof(std::uint64_t)),
	ROW(KTR_ATTR_LAT_MAX_NS, Kind::u64),
	ROW(KTR_ATTR_LAT_PID, Kind::u32),
	ROW(KTR_ATTR_LAT_COMM, Kind::string, KTR_COMM_LEN + 1),
	ROW(KTR_ATTR_LAT_PRIO, Kind::u32),
	ROW(KTR_ATTR_LAT_WAKE_TS, Kind::u64),
	ROW(KTR_ATTR_LAT_SWITCH_TS, Kind::u64),
	ROW(KTR_ATTR_LAT_EVENT_TS, Kind::u64),
	ROW(KTR_ATTR_LAT_EVENT, Kind::binary, 256),
};

constexpr std::array stats_attrs = {
	ROW(KTR_STATS_WRITTEN, Kind::u64),
	ROW(KTR_STATS_BYTES, Kind::u64),
	ROW(KTR_STATS_READ, Kind::u64),
	ROW(KTR_STATS_BUFFERED, Kind::u64),
	ROW(KTR_STATS_LOST_FULL, Kind::u64),
	ROW(KTR_STATS_LOST_OVERWRITTEN, Kind::u64),
	ROW(KTR_STATS_LOST_NESTING, Kind::u64),
	ROW(KTR_STATS_LOST_DISABLED, Kind::u64),
	ROW(KTR_STATS_DISCARDED, Kind::u64),
	ROW(KTR_STATS_SUBBUFS_WRITTEN, Kind::u64),
	ROW(KTR_STATS_SUBBUFS_READ, Kind::u64),
	ROW(KTR_STATS_SUBBUFS_OVERWRITTEN, Kind::u64),
};

constexpr std::array buffer_attrs = {
	ROW(KTR_BUFFER_SUBBUF_SIZE, Kind::u32),
	ROW(KTR_BUFFER_NR_SUBBUFS, Kind::u32),
	ROW(KTR_BUFFER_MODE, Kind::u32),
};

constexpr std::array ctrl_attrs = {
	ROW(CTRL_ATTR_FAMILY_ID, Kind::u16),
	ROW(CTRL_ATTR_FAMILY_NAME, Kind::string, GENL_NAMSIZ),
};

#undef ROW

// Every space's table has each type once, in ascending order (a row that
// is not found would be skipped as unknown: never silently).
template <std::size_t N>
constexpr bool sorted_unique(const std::array<AttrSpec, N> &rows)
{
	for (std::size_t i = 1; i < N; i++)
		if (rows[i - 1].type >= rows[i].type)
			return false;
	return true;
}
static_assert(sorted_unique(ktr_attrs) && sorted_unique(stats_attrs) &&
	      sorted_unique(buffer_attrs) && sorted_unique(ctrl_attrs));
static_assert(ktr_attrs.size() == KTR_ATTR_MAX - KTR_ATTR_PAD,
	      "every KTR_ATTR_* after KTR_ATTR_PAD has a row");
static_assert(stats_attrs.size() == KTR_STATS_MAX - KTR_STATS_PAD,
	      "every KTR_STATS_* after KTR_STATS_PAD has a row");
static_assert(buffer_attrs.size() == KTR_BUFFER_MAX, "every KTR_BUFFER_* has a row");

std::span<const AttrSpec> rows_of(Space space)
{
	switch (space) {
	case Space::ktr: return ktr_attrs;
	case Space::stats: return stats_attrs;
	case Space::buffer: return buffer_attrs;
	case Space::ctrl: return ctrl_attrs;
	}
	return {};
}

std::string num(std::uint64_t v) { return std::to_string(v); }

std::string size_problem(std::string_view name, int len, int want, std::string_view what)
{
	return std::string(name) + " is " + std::to_string(len) + " bytes, expected " +
	       (want == 8 ? "an " : "a ") + std::to_string(want) + "-byte " + std::string(what);
}

} // namespace

const AttrSpec *attr_spec(Space space, int type)
{
	for (const AttrSpec &row : rows_of(space))
		if (row.type == type)
			return &row;
	return nullptr;
}

std::string attr_name(Space space, int type)
{
	const AttrSpec *spec = attr_spec(space, type);
	return spec ? std::string(spec->name) : std::string{};
}

std::string attr_problem(const AttrSpec &spec, const void *data, int len)
{
	const std::string name{spec.name};
	const auto *bytes = static_cast<const unsigned char *>(data);
	switch (spec.kind) {
	case Kind::u8:
	case Kind::flag:
		if (len != 1)
			return size_problem(name, len, 1, "u8");
		if (spec.kind == Kind::flag && bytes[0] > 1)
			return name + " is " + num(bytes[0]) + ", expected 0 or 1";
		return {};
	case Kind::u16:
		return len == 2 ? std::string{} : size_problem(name, len, 2, "u16");
	case Kind::u32:
		return len == 4 ? std::string{} : size_problem(name, len, 4, "u32");
	case Kind::u64:
		return len == 8 ? std::string{} : size_problem(name, len, 8, "u64");
	case Kind::string: {
		if (len < 1 || bytes[len - 1] != '\0')
			return name + " is not a NUL-terminated string";
		if (spec.max_len && static_cast<std::uint32_t>(len) > spec.max_len)
			return name + " is longer than " + num(spec.max_len) + " bytes";
		const auto *text = static_cast<const char *>(data);
		if (strnlen(text, static_cast<std::size_t>(len)) != static_cast<std::size_t>(len - 1))
			return name + " has a NUL byte before its end";
		return {};
	}
	case Kind::names:
		if (len < 1 || bytes[len - 1] != '\0')
			return name + " is not a list of NUL-terminated names";
		if (spec.max_len && static_cast<std::uint32_t>(len) > spec.max_len)
			return name + " is longer than " + num(spec.max_len) + " bytes";
		return {};
	case Kind::binary:
		if (spec.max_len && static_cast<std::uint32_t>(len) > spec.max_len)
			return name + " is longer than " + num(spec.max_len) + " bytes";
		if (len % static_cast<int>(spec.elem_size) != 0)
			return name + " is " + num(static_cast<std::uint64_t>(len)) +
			       " bytes, not a multiple of " + num(spec.elem_size);
		return {};
	case Kind::nested:
		return {};	// its content is checked where it is read
	}
	return {};
}

Attrs::Attrs(Space space, const nlattr *head, int len) : space_(space)
{
	const nlattr *nla;
	int rem;
	nla_for_each_attr(nla, head, len, rem)
		all_.push_back(nla);
	truncated_ = rem > 0;
}

const nlattr *Attrs::find(int type) const
{
	for (auto it = all_.rbegin(); it != all_.rend(); ++it)
		if (nla_type(*it) == type)
			return *it;
	return nullptr;
}

bool Attrs::valid(int type) const
{
	const nlattr *nla = find(type);
	const AttrSpec *spec = attr_spec(space_, type);
	return nla && spec && attr_problem(*spec, nla_data(nla), nla_len(nla)).empty();
}

std::string Attrs::problem(int type) const
{
	const nlattr *nla = find(type);
	if (!nla)
		return attr_name(space_, type) + " missing";
	const AttrSpec *spec = attr_spec(space_, type);
	return spec ? attr_problem(*spec, nla_data(nla), nla_len(nla)) : std::string{};
}

std::string Attrs::check(std::span<const int> required) const
{
	for (const int type : required)
		if (std::string p = problem(type); !p.empty())
			return p;
	for (const nlattr *nla : all_) {
		if (find(nla_type(nla)) != nla)
			continue;	// an earlier copy: the last one counts
		const AttrSpec *spec = attr_spec(space_, nla_type(nla));
		if (!spec)
			continue;	// unknown: a newer ABI minor's
		if (std::string p = attr_problem(*spec, nla_data(nla), nla_len(nla)); !p.empty())
			return p;
	}
	if (truncated_)
		return "truncated attribute";
	return {};
}

std::uint8_t Attrs::u8(int type) const
{
	return *static_cast<const std::uint8_t *>(nla_data(find(type)));
}

std::uint16_t Attrs::u16(int type) const
{
	std::uint16_t v;
	std::memcpy(&v, nla_data(find(type)), sizeof(v));
	return v;
}

std::uint32_t Attrs::u32(int type) const
{
	std::uint32_t v;
	std::memcpy(&v, nla_data(find(type)), sizeof(v));
	return v;
}

std::uint64_t Attrs::u64(int type) const
{
	std::uint64_t v;
	std::memcpy(&v, nla_data(find(type)), sizeof(v));
	return v;
}

std::string Attrs::str(int type) const
{
	return static_cast<const char *>(nla_data(find(type)));
}

std::vector<std::string> Attrs::names(int type) const
{
	const std::span<const std::uint8_t> b = bytes(type);
	const auto *p = reinterpret_cast<const char *>(b.data());
	std::vector<std::string> out;
	for (std::size_t i = 0; i < b.size();) {
		const std::size_t n = strnlen(p + i, b.size() - i);
		out.emplace_back(p + i, n);
		i += n + 1;
	}
	return out;
}

std::span<const std::uint8_t> Attrs::bytes(int type) const
{
	const nlattr *nla = find(type);
	return {static_cast<const std::uint8_t *>(nla_data(nla)),
		static_cast<std::size_t>(nla_len(nla))};
}

Attrs Attrs::nested(int type) const
{
	const nlattr *nla = find(type);
	if (!nla)
		return Attrs{};
	const AttrSpec *spec = attr_spec(space_, type);
	return Attrs{spec ? spec->inner : space_, static_cast<const nlattr *>(nla_data(nla)),
		     nla_len(nla)};
}

std::vector<Attrs> Attrs::all_nested(int type) const
{
	const AttrSpec *spec = attr_spec(space_, type);
	std::vector<Attrs> out;
	for (const nlattr *nla : all_)
		if (nla_type(nla) == type)
			out.emplace_back(spec ? spec->inner : space_,
					 static_cast<const nlattr *>(nla_data(nla)), nla_len(nla));
	return out;
}

Result<Attrs> reply_attrs(nl_msg *msg, std::string_view request, std::uint8_t cmd, Space space)
{
	nlmsghdr *nlh = nlmsg_hdr(msg);
	if (!genlmsg_valid_hdr(nlh, 0))
		return bad_reply_error(request, "truncated generic netlink header");
	const genlmsghdr *gnlh = genlmsg_hdr(nlh);
	if (gnlh->cmd != cmd)
		return bad_reply_error(request, "unexpected command " + num(gnlh->cmd));
	Attrs a{space, genlmsg_attrdata(gnlh, 0), genlmsg_attrlen(gnlh, 0)};

	// The ABI major decides how to read everything else: look at it first
	// (only KTR_CMD_GET_INFO reports it; elsewhere it is a foreign attribute).
	if (space == Space::ktr && cmd == KTR_CMD_GET_INFO && a.valid(KTR_ATTR_ABI_MAJOR) &&
	    a.u32(KTR_ATTR_ABI_MAJOR) != KTR_ABI_MAJOR)
		return abi_mismatch_error(a.u32(KTR_ATTR_ABI_MAJOR),
					  a.valid(KTR_ATTR_ABI_MINOR) ? a.u32(KTR_ATTR_ABI_MINOR) : 0);
	return a;
}

int attr_type_at(nl_msg *msg, std::uint32_t offset)
{
	nlmsghdr *nlh = nlmsg_hdr(msg);
	if (!genlmsg_valid_hdr(nlh, 0))
		return -1;
	const genlmsghdr *gnlh = genlmsg_hdr(nlh);
	nlattr *head = genlmsg_attrdata(gnlh, 0);
	const int len = genlmsg_attrlen(gnlh, 0);
	nlattr *nla;
	int rem;
	nla_for_each_attr(nla, head, len, rem) {
		const auto at = static_cast<std::uint32_t>(reinterpret_cast<const unsigned char *>(nla) -
							    reinterpret_cast<const unsigned char *>(nlh));
		if (at == offset)
			return nla_type(nla);
	}
	return -1;
}

} // namespace ktr::proto
