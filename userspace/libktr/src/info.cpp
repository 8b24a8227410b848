// SPDX-License-Identifier: MIT
#include "ktr/info.h"

#include <array>
#include <string_view>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>

#include "ktr/errors.h"

namespace ktr {

namespace {

constexpr std::string_view request_name = "KTR_CMD_GET_INFO";

enum class Kind { u8, u32, u64, string };

struct AttrSpec {
	int type;
	std::string_view name;
	Kind kind;
	bool required = true;	// false: added by a later ABI minor
};

// Every attribute of the reply; those of ABI 1.0 are required.
constexpr std::array info_attrs = {
	AttrSpec{KTR_ATTR_ABI_MAJOR, "KTR_ATTR_ABI_MAJOR", Kind::u32},
	AttrSpec{KTR_ATTR_ABI_MINOR, "KTR_ATTR_ABI_MINOR", Kind::u32},
	AttrSpec{KTR_ATTR_MODULE_VERSION, "KTR_ATTR_MODULE_VERSION", Kind::string},
	AttrSpec{KTR_ATTR_CPUS_POSSIBLE, "KTR_ATTR_CPUS_POSSIBLE", Kind::u32},
	AttrSpec{KTR_ATTR_CPUS_ONLINE, "KTR_ATTR_CPUS_ONLINE", Kind::u32},
	AttrSpec{KTR_ATTR_SUBBUF_SIZE, "KTR_ATTR_SUBBUF_SIZE", Kind::u32},
	AttrSpec{KTR_ATTR_NR_SUBBUFS, "KTR_ATTR_NR_SUBBUFS", Kind::u32},
	AttrSpec{KTR_ATTR_KERNEL_RELEASE, "KTR_ATTR_KERNEL_RELEASE", Kind::string},
	AttrSpec{KTR_ATTR_BUFFER_MODE, "KTR_ATTR_BUFFER_MODE", Kind::u32, false},
	AttrSpec{KTR_ATTR_CLOCK_LOCAL_NS, "KTR_ATTR_CLOCK_LOCAL_NS", Kind::u64, false},
	AttrSpec{KTR_ATTR_CLOCK_MONO_NS, "KTR_ATTR_CLOCK_MONO_NS", Kind::u64, false},
	AttrSpec{KTR_ATTR_TRACING_ON, "KTR_ATTR_TRACING_ON", Kind::u8, false},
};

using Policy = std::array<nla_policy, KTR_ATTR_MAX + 1>;

constexpr Policy make_policy()
{
	Policy policy{};
	for (const AttrSpec &a : info_attrs) {
		nla_policy &p = policy[static_cast<std::size_t>(a.type)];
		if (a.kind == Kind::u8) {
			p.type = NLA_U8;
			p.maxlen = sizeof(std::uint8_t);
		} else if (a.kind == Kind::u32) {
			p.type = NLA_U32;
			p.maxlen = sizeof(std::uint32_t);
		} else if (a.kind == Kind::u64) {
			p.type = NLA_U64;
			p.maxlen = sizeof(std::uint64_t);
		} else {
			p.type = NLA_STRING;
			p.maxlen = info_string_max;
		}
	}
	return policy;
}

constexpr Policy info_policy = make_policy();

// What is wrong with @nla, or "" if it fits its spec. Mirrors the policy
// checks so that an error can name the attribute, which libnl does not.
std::string attr_problem(const AttrSpec &spec, const nlattr *nla)
{
	const int len = nla_len(nla);
	const std::string name{spec.name};
	if (spec.kind == Kind::u8) {
		if (len != sizeof(std::uint8_t))
			return name + " is " + std::to_string(len) + " bytes, expected a 1-byte u8";
		return {};
	}
	if (spec.kind == Kind::u32) {
		if (len != sizeof(std::uint32_t))
			return name + " is " + std::to_string(len) + " bytes, expected a 4-byte u32";
		return {};
	}
	if (spec.kind == Kind::u64) {
		if (len != sizeof(std::uint64_t))
			return name + " is " + std::to_string(len) + " bytes, expected an 8-byte u64";
		return {};
	}
	if (len < 1 || static_cast<const char *>(nla_data(nla))[len - 1] != '\0')
		return name + " is not a NUL-terminated string";
	if (len > info_string_max)
		return name + " is longer than " + std::to_string(info_string_max) + " bytes";
	return {};
}

std::string first_attr_problem(nlattr *head, int len)
{
	const nlattr *nla;
	int rem;
	nla_for_each_attr(nla, head, len, rem) {
		for (const AttrSpec &spec : info_attrs) {
			if (spec.type != nla_type(nla))
				continue;
			if (std::string problem = attr_problem(spec, nla); !problem.empty())
				return problem;
		}
	}
	return {};
}

} // namespace

Result<Info> parse_info_reply(nl_msg *reply)
{
	nlmsghdr *nlh = nlmsg_hdr(reply);
	if (!genlmsg_valid_hdr(nlh, 0))
		return bad_reply_error(request_name, "truncated generic netlink header");
	const genlmsghdr *gnlh = genlmsg_hdr(nlh);
	if (gnlh->cmd != KTR_CMD_GET_INFO)
		return bad_reply_error(request_name,
				       "unexpected command " + std::to_string(gnlh->cmd));
	nlattr *head = genlmsg_attrdata(gnlh, 0);
	const int len = genlmsg_attrlen(gnlh, 0);

	// The ABI major decides how to read everything else: look at it first.
	const nlattr *major = nla_find(head, len, KTR_ATTR_ABI_MAJOR);
	if (!major)
		return bad_reply_error(request_name, "KTR_ATTR_ABI_MAJOR missing");
	if (nla_len(major) == sizeof(std::uint32_t) && nla_get_u32(major) != KTR_ABI_MAJOR) {
		const nlattr *minor = nla_find(head, len, KTR_ATTR_ABI_MINOR);
		const bool minor_ok = minor && nla_len(minor) == sizeof(std::uint32_t);
		return abi_mismatch_error(nla_get_u32(major), minor_ok ? nla_get_u32(minor) : 0);
	}

	std::array<nlattr *, KTR_ATTR_MAX + 1> tb{};
	if (const int rc = nla_parse(tb.data(), KTR_ATTR_MAX, head, len, info_policy.data());
	    rc < 0) {
		std::string problem = first_attr_problem(head, len);
		return bad_reply_error(request_name, problem.empty() ? nl_geterror(rc) : problem);
	}
	for (const AttrSpec &spec : info_attrs) {
		if (spec.required && !tb[static_cast<std::size_t>(spec.type)])
			return bad_reply_error(request_name, std::string(spec.name) + " missing");
	}

	const auto u32 = [&](int type) { return nla_get_u32(tb[static_cast<std::size_t>(type)]); };
	const auto str = [&](int type) {
		return std::string(nla_get_string(tb[static_cast<std::size_t>(type)]));
	};
	Info info;
	info.abi_major = u32(KTR_ATTR_ABI_MAJOR);
	info.abi_minor = u32(KTR_ATTR_ABI_MINOR);
	info.module_version = str(KTR_ATTR_MODULE_VERSION);
	info.cpus_possible = u32(KTR_ATTR_CPUS_POSSIBLE);
	info.cpus_online = u32(KTR_ATTR_CPUS_ONLINE);
	info.subbuf_size = u32(KTR_ATTR_SUBBUF_SIZE);
	info.nr_subbufs = u32(KTR_ATTR_NR_SUBBUFS);
	info.kernel_release = str(KTR_ATTR_KERNEL_RELEASE);
	if (tb[KTR_ATTR_BUFFER_MODE])
		info.buffer_mode = u32(KTR_ATTR_BUFFER_MODE);
	if (tb[KTR_ATTR_CLOCK_LOCAL_NS] && tb[KTR_ATTR_CLOCK_MONO_NS])
		info.clock = InfoClock{nla_get_u64(tb[KTR_ATTR_CLOCK_LOCAL_NS]),
				       nla_get_u64(tb[KTR_ATTR_CLOCK_MONO_NS])};
	if (tb[KTR_ATTR_TRACING_ON]) {
		const std::uint8_t on = nla_get_u8(tb[KTR_ATTR_TRACING_ON]);
		if (on > 1)
			return bad_reply_error(request_name, "KTR_ATTR_TRACING_ON is " +
								     std::to_string(on) +
								     ", expected 0 or 1");
		info.tracing_on = on == 1;
	}
	return info;
}

} // namespace ktr
