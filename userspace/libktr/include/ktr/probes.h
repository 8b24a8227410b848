// SPDX-License-Identifier: MIT
//
// Dynamic probes (KTR_CMD_ADD_PROBE / DEL_PROBE / LIST_PROBES, ABI minor 5;
// uapi/ktr.h): the replies' readers, pure functions of a message
// unit-tested with messages built on the host, how failures are worded, and
// what `ktr probe list` prints. Control::add_probe(), del_probe(),
// del_all_probes() and list_probes() (ktr/control.h) use them.
#ifndef KTR_PROBES_H
#define KTR_PROBES_H

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ktr/result.h"

struct nl_msg;

namespace ktr {

/// enum ktr_probe_kind; a value this tool does not know is kept as is.
enum class ProbeKind : std::uint32_t {
	Kprobe = 1,
	Kretprobe = 2,
	Uprobe = 3,
	Uretprobe = 4,
};

/// enum ktr_probe_mech; a value this tool does not know is kept as is.
enum class ProbeMech : std::uint32_t {
	Breakpoint = 1,	// an int3 (the kernel may optimize it into a jump)
	Ftrace = 2,	// the function's ftrace call site
	Uprobe = 3,	// a breakpoint in user text
};

/// The event a new probe became (the reply to KTR_CMD_ADD_PROBE).
struct ProbeAdded {
	std::uint16_t id = 0;
	std::string system;	// e.g. "kprobes"
	std::string name;	// e.g. "myopen"

	bool operator==(const ProbeAdded &) const = default;
};

/// One probe of KTR_CMD_LIST_PROBES.
struct ProbeInfo {
	std::uint16_t id = 0;
	std::string system;
	std::string name;
	bool enabled = false;
	std::string def;		// the definition as given
	ProbeKind kind = ProbeKind::Kprobe;
	ProbeMech mech = ProbeMech::Breakpoint;
	std::uint64_t addr = 0;		// the probed address
	std::uint64_t hits = 0;		// handler runs that recorded or tried to
	std::uint64_t missed = 0;	// the kernel's nmissed
	std::uint32_t maxactive = 0;	// return probes
	bool gone = false;		// the module it probed was unloaded

	bool operator==(const ProbeInfo &) const = default;
};

/// Longest definition accepted, NUL excluded (KTR_PROBE_DEF_MAX - 1).
inline constexpr std::size_t probe_def_max = 1023;
/// Most probes the module keeps at a time (KTR_PROBES_MAX).
inline constexpr std::uint32_t probes_max = 128;

/// Parse the reply to KTR_CMD_ADD_PROBE: KTR_ATTR_EVENT_ID (u32, from
/// KTR_EVENT_PROBE_FIRST to KTR_EVENT_PROBE_LAST), _SYSTEM and _NAME
/// (strings), all required. Errors: EPROTO naming the attribute.
Result<ProbeAdded> parse_add_probe_reply(nl_msg *reply);

/// Parse one message of the KTR_CMD_LIST_PROBES dump. Required:
/// KTR_ATTR_EVENT_ID (as above), _SYSTEM, _NAME, _ENABLED, KTR_ATTR_PROBE_DEF,
/// _KIND, _MECH, _ADDR, _HITS, _MISSED; optional: _MAXACTIVE (0), _GONE
/// (false). Unknown attributes are ignored.
Result<ProbeInfo> parse_probe_message(nl_msg *msg);

/// Parse the reply to KTR_CMD_DEL_PROBE: KTR_ATTR_EVENT_COUNT (required).
Result<std::uint32_t> parse_del_probe_reply(nl_msg *reply);

/// Checks a probe name given to delete (EINVAL): "name" or "system:name",
/// each part 1..63 of [A-Za-z0-9_].
Result<void> check_probe_name(std::string_view name);

/// What every probe request fails with on a module of ABI minor
/// @module_minor < 5 (EOPNOTSUPP): "the loaded ktr module has no dynamic
/// probes (ABI minor N < 5): load a newer ktr.ko".
Error no_probes_error(std::uint32_t module_minor);

/// How KTR_CMD_ADD_PROBE failed with -@errnum and extended-ack message
/// @extack: EPERM/EACCES as kernel_error() words them; otherwise "cannot
/// add probe: <the kernel's message>" (or, without one, a wording of
/// @errnum: ENOSPC says the limit), keeping @errnum.
Error add_probe_error(int errnum, std::string_view extack);

/// How KTR_CMD_DEL_PROBE of @name ("" for all) failed: ENOENT "no probe
/// named 'NAME' (see 'ktr probe list')"; others "cannot delete probe
/// 'NAME': <kernel message>" as add_probe_error().
Error del_probe_error(std::string_view name, int errnum, std::string_view extack);

/// "kprobe", "kretprobe", "uprobe", "uretprobe" or "kind N".
std::string probe_kind_name(ProbeKind kind);

/// "int3", "ftrace", "uprobe" or "mech N"; "optimized" for an int3 the
/// kernel turned into a jump (@optimized).
std::string probe_mech_name(ProbeMech mech, bool optimized = false);

/// "enabled", "disabled", or "gone" (its module was unloaded).
std::string_view probe_state(const ProbeInfo &probe);

/// The addresses /sys/kernel/debug/kprobes/list (@text) marks [OPTIMIZED]:
/// lines "ADDR  TYPE  SYMBOL+OFF [FLAGS...]".
std::set<std::uint64_t> optimized_kprobe_addrs(std::string_view text);

/// The table of `ktr probe list`: a header, then one line per probe:
/// system:name, kind, state, mechanism, hits, missed, definition; columns
/// aligned. "no probes" (one line) when @probes is empty. @optimized:
/// from optimized_kprobe_addrs() (int3 probes at those addresses show as
/// "optimized").
std::string format_probes_text(const std::vector<ProbeInfo> &probes,
			       const std::set<std::uint64_t> &optimized = {});

/// JSON Lines: one object per probe: id, system, name, enabled, state,
/// kind, mechanism (names as in the table), addr, hits, missed, maxactive,
/// gone, def.
std::string format_probes_json(const std::vector<ProbeInfo> &probes,
			       const std::set<std::uint64_t> &optimized = {});

/// The section `ktr stat` adds when probes exist: "probes: N, missed M"
/// then one line per probe that missed hits ("  system:name  missed M");
/// "" when @probes is empty.
std::string format_probe_stats(const std::vector<ProbeInfo> &probes);

} // namespace ktr

#endif // KTR_PROBES_H
