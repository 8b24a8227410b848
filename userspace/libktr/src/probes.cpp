// SPDX-License-Identifier: MIT
#include "ktr/probes.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <sstream>
#include <string>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/errors.h"
#include "ktr/json_writer.h"
#include "replies.h"

namespace ktr {

static_assert(probe_def_max == KTR_PROBE_DEF_MAX - 1);
static_assert(probes_max == KTR_PROBES_MAX);
static_assert(static_cast<std::uint32_t>(ProbeKind::Kretprobe) == KTR_PROBE_KRETPROBE &&
	      static_cast<std::uint32_t>(ProbeKind::Uretprobe) == KTR_PROBE_URETPROBE);
static_assert(static_cast<std::uint32_t>(ProbeMech::Breakpoint) == KTR_MECH_BREAKPOINT &&
	      static_cast<std::uint32_t>(ProbeMech::Ftrace) == KTR_MECH_FTRACE &&
	      static_cast<std::uint32_t>(ProbeMech::Uprobe) == KTR_MECH_UPROBE);

namespace {

constexpr std::string_view add_request = "KTR_CMD_ADD_PROBE";
constexpr std::string_view del_request = "KTR_CMD_DEL_PROBE";
constexpr std::string_view list_request = "KTR_CMD_LIST_PROBES";

std::string num(std::uint64_t v) { return std::to_string(v); }

bool valid_part(std::string_view s)
{
	if (s.empty() || s.size() >= KTR_EVENT_NAME_MAX)
		return false;
	return std::all_of(s.begin(), s.end(), [](char c) {
		return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		       c == '_';
	});
}

// KTR_ATTR_EVENT_ID of a probe event: in the range uapi/ktr_event.h gives.
Result<std::uint16_t> probe_event_id(const proto::Attrs &a, std::string_view request)
{
	const std::uint32_t id = a.u32(KTR_ATTR_EVENT_ID);
	if (id < KTR_EVENT_PROBE_FIRST || id > KTR_EVENT_PROBE_LAST)
		return bad_reply_error(request, "KTR_ATTR_EVENT_ID " + num(id) +
							" is not a probe event id (" +
							num(KTR_EVENT_PROBE_FIRST) + " to " +
							num(KTR_EVENT_PROBE_LAST) + ")");
	return static_cast<std::uint16_t>(id);
}

std::string pad(const std::string &text, std::size_t width, bool right_align = false)
{
	const std::string fill(text.size() < width ? width - text.size() : 0, ' ');
	return right_align ? fill + text : text + fill;
}

std::string mech_of(const ProbeInfo &p, const std::set<std::uint64_t> &optimized)
{
	return probe_mech_name(p.mech, p.mech == ProbeMech::Breakpoint && optimized.contains(p.addr));
}

} // namespace

Result<ProbeAdded> replies::probe_added(const proto::Attrs &a)
{
	if (std::string p = a.check({KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_SYSTEM, KTR_ATTR_EVENT_NAME});
	    !p.empty())
		return bad_reply_error(add_request, p);
	Result<std::uint16_t> id = probe_event_id(a, add_request);
	if (!id)
		return id.error();
	return ProbeAdded{*id, a.str(KTR_ATTR_EVENT_SYSTEM), a.str(KTR_ATTR_EVENT_NAME)};
}

Result<ProbeInfo> replies::probe(const proto::Attrs &a)
{
	if (std::string p = a.check({KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_SYSTEM, KTR_ATTR_EVENT_NAME,
				     KTR_ATTR_EVENT_ENABLED, KTR_ATTR_PROBE_DEF, KTR_ATTR_PROBE_KIND,
				     KTR_ATTR_PROBE_MECH, KTR_ATTR_PROBE_ADDR, KTR_ATTR_PROBE_HITS,
				     KTR_ATTR_PROBE_MISSED});
	    !p.empty())
		return bad_reply_error(list_request, p);
	Result<std::uint16_t> id = probe_event_id(a, list_request);
	if (!id)
		return id.error();
	ProbeInfo p;
	p.id = *id;
	p.system = a.str(KTR_ATTR_EVENT_SYSTEM);
	p.name = a.str(KTR_ATTR_EVENT_NAME);
	p.enabled = a.flag(KTR_ATTR_EVENT_ENABLED);
	p.def = a.str(KTR_ATTR_PROBE_DEF);
	p.kind = static_cast<ProbeKind>(a.u32(KTR_ATTR_PROBE_KIND));
	p.mech = static_cast<ProbeMech>(a.u32(KTR_ATTR_PROBE_MECH));
	p.addr = a.u64(KTR_ATTR_PROBE_ADDR);
	p.hits = a.u64(KTR_ATTR_PROBE_HITS);
	p.missed = a.u64(KTR_ATTR_PROBE_MISSED);
	p.maxactive = a.valid(KTR_ATTR_PROBE_MAXACTIVE) ? a.u32(KTR_ATTR_PROBE_MAXACTIVE) : 0;
	p.gone = a.valid(KTR_ATTR_PROBE_GONE) && a.flag(KTR_ATTR_PROBE_GONE);
	return p;
}

Result<ProbeAdded> parse_add_probe_reply(nl_msg *reply)
{
	return replies::parse(reply, add_request, KTR_CMD_ADD_PROBE, replies::probe_added);
}

Result<ProbeInfo> parse_probe_message(nl_msg *msg)
{
	return replies::parse(msg, list_request, KTR_CMD_LIST_PROBES, replies::probe);
}

Result<std::uint32_t> parse_del_probe_reply(nl_msg *reply)
{
	return replies::parse(reply, del_request, KTR_CMD_DEL_PROBE, [](const proto::Attrs &a) {
		return replies::event_count(a, del_request);
	});
}

Result<void> check_probe_name(std::string_view name)
{
	const std::size_t colon = name.find(':');
	const bool ok = colon == std::string_view::npos
				? valid_part(name)
				: valid_part(name.substr(0, colon)) && valid_part(name.substr(colon + 1));
	if (!ok)
		return Error{EINVAL, "'" + one_line(name.substr(0, 80)) +
					     "' is not a probe name (NAME or SYSTEM:NAME of letters, "
					     "digits and '_', at most 63 each; see 'ktr probe list')"};
	return {};
}

Error no_probes_error(std::uint32_t module_minor)
{
	return {EOPNOTSUPP, "the loaded ktr module has no dynamic probes (ABI minor " +
				    num(module_minor) + " < 5): load a newer ktr.ko"};
}

namespace {

// "<what>: <the kernel's reason>", or a wording of @errnum without one.
Error probe_failure(const std::string &what, std::string_view request, int errnum,
		    std::string_view extack)
{
	if (errnum == EPERM || errnum == EACCES)
		return kernel_error(errnum, request, extack);
	if (std::string reason = one_line(extack); !reason.empty())
		return {errnum, what + ": " + reason};
	switch (errnum) {
	case ENOSPC:
		return {errnum, what + ": at most " + num(probes_max) +
					" probes at a time (delete some with 'ktr probe del')"};
	case EEXIST:
		return {errnum, what + ": an event of that name exists (see 'ktr list')"};
	case ENOENT:
		return {errnum, what + ": no such symbol or module"};
	default:
		return {errnum, what + ": " + errno_text(errnum)};
	}
}

} // namespace

Error add_probe_error(int errnum, std::string_view extack)
{
	return probe_failure("cannot add probe", add_request, errnum, extack);
}

Error del_probe_error(std::string_view name, int errnum, std::string_view extack)
{
	if (errnum == ENOENT && !name.empty())
		return {ENOENT, "no probe named '" + one_line(name) + "' (see 'ktr probe list')"};
	return probe_failure(name.empty() ? std::string("cannot delete the probes")
					  : "cannot delete probe '" + one_line(name) + "'",
			     del_request, errnum, extack);
}

std::string probe_kind_name(ProbeKind kind)
{
	switch (kind) {
	case ProbeKind::Kprobe: return "kprobe";
	case ProbeKind::Kretprobe: return "kretprobe";
	case ProbeKind::Uprobe: return "uprobe";
	case ProbeKind::Uretprobe: return "uretprobe";
	}
	return "kind " + num(static_cast<std::uint32_t>(kind));
}

std::string probe_mech_name(ProbeMech mech, bool optimized)
{
	switch (mech) {
	case ProbeMech::Breakpoint: return optimized ? "optimized" : "int3";
	case ProbeMech::Ftrace: return "ftrace";
	case ProbeMech::Uprobe: return "uprobe";
	}
	return "mech " + num(static_cast<std::uint32_t>(mech));
}

std::string_view probe_state(const ProbeInfo &probe)
{
	if (probe.gone)
		return "gone";
	return probe.enabled ? "enabled" : "disabled";
}

std::set<std::uint64_t> optimized_kprobe_addrs(std::string_view text)
{
	std::set<std::uint64_t> out;
	std::istringstream in{std::string(text)};
	std::string line;
	while (std::getline(in, line)) {
		if (line.find("[OPTIMIZED]") == std::string::npos)
			continue;
		std::uint64_t addr = 0;
		if (std::sscanf(line.c_str(), "%" SCNx64, &addr) == 1 && addr != 0)
			out.insert(addr);
	}
	return out;
}

std::string format_probes_text(const std::vector<ProbeInfo> &probes,
			       const std::set<std::uint64_t> &optimized)
{
	if (probes.empty())
		return "no probes\n";
	std::size_t name_w = 5, kind_w = 4, state_w = 5, mech_w = 9, hits_w = 4, missed_w = 6;
	for (const ProbeInfo &p : probes) {
		name_w = std::max(name_w, p.system.size() + 1 + p.name.size());
		kind_w = std::max(kind_w, probe_kind_name(p.kind).size());
		state_w = std::max(state_w, probe_state(p).size());
		mech_w = std::max(mech_w, mech_of(p, optimized).size());
		hits_w = std::max(hits_w, num(p.hits).size());
		missed_w = std::max(missed_w, num(p.missed).size());
	}
	const auto line = [&](const std::string &name, const std::string &kind,
			      std::string_view state, const std::string &mech,
			      const std::string &hits, const std::string &missed,
			      const std::string &def) {
		return pad(name, name_w) + "  " + pad(kind, kind_w) + "  " +
		       pad(std::string(state), state_w) + "  " + pad(mech, mech_w) + "  " +
		       pad(hits, hits_w, true) + "  " + pad(missed, missed_w, true) + "  " + def +
		       "\n";
	};
	std::string out = line("PROBE", "KIND", "STATE", "MECHANISM", "HITS", "MISSED", "DEFINITION");
	for (const ProbeInfo &p : probes)
		out += line(one_line(p.system) + ":" + one_line(p.name), probe_kind_name(p.kind),
			    probe_state(p), mech_of(p, optimized), num(p.hits), num(p.missed),
			    one_line(p.def));
	return out;
}

std::string format_probes_json(const std::vector<ProbeInfo> &probes,
			       const std::set<std::uint64_t> &optimized)
{
	std::string out;
	for (const ProbeInfo &p : probes) {
		JsonWriter w;
		w.begin_object()
			.key("id").value(p.id)
			.key("system").value(p.system)
			.key("name").value(p.name)
			.key("enabled").value(p.enabled)
			.key("state").value(probe_state(p))
			.key("kind").value(probe_kind_name(p.kind))
			.key("mechanism").value(mech_of(p, optimized))
			.key("addr").value(p.addr)
			.key("hits").value(p.hits)
			.key("missed").value(p.missed)
			.key("maxactive").value(p.maxactive)
			.key("gone").value(p.gone)
			.key("def").value(p.def)
			.end_object();
		out += w.str() + "\n";
	}
	return out;
}

std::string format_probe_stats(const std::vector<ProbeInfo> &probes)
{
	if (probes.empty())
		return "";
	std::uint64_t missed = 0;
	std::size_t name_w = 0;
	for (const ProbeInfo &p : probes) {
		missed += p.missed;
		name_w = std::max(name_w, p.system.size() + 1 + p.name.size());
	}
	std::string out = "probes: " + num(probes.size()) + ", missed " + num(missed) + "\n";
	for (const ProbeInfo &p : probes) {
		if (p.missed == 0)
			continue;
		out += "  " + pad(one_line(p.system) + ":" + one_line(p.name), name_w) +
		       "  missed " + num(p.missed) + "\n";
	}
	return out;
}

} // namespace ktr
