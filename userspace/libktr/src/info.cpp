// SPDX-License-Identifier: MIT
#include "ktr/info.h"

#include <string>
#include <string_view>

#include <ktr.h>

#include "ktr/errors.h"
#include "replies.h"

namespace ktr {

namespace {

constexpr std::string_view request_name = "KTR_CMD_GET_INFO";

} // namespace

Result<Info> replies::info(const proto::Attrs &a)
{
	// Those of ABI 1.0 are required; the rest came with later minors.
	if (std::string p = a.check({KTR_ATTR_ABI_MAJOR, KTR_ATTR_ABI_MINOR,
				     KTR_ATTR_MODULE_VERSION, KTR_ATTR_CPUS_POSSIBLE,
				     KTR_ATTR_CPUS_ONLINE, KTR_ATTR_SUBBUF_SIZE, KTR_ATTR_NR_SUBBUFS,
				     KTR_ATTR_KERNEL_RELEASE});
	    !p.empty())
		return bad_reply_error(request_name, p);

	Info info;
	info.abi_major = a.u32(KTR_ATTR_ABI_MAJOR);
	info.abi_minor = a.u32(KTR_ATTR_ABI_MINOR);
	info.module_version = a.str(KTR_ATTR_MODULE_VERSION);
	info.cpus_possible = a.u32(KTR_ATTR_CPUS_POSSIBLE);
	info.cpus_online = a.u32(KTR_ATTR_CPUS_ONLINE);
	info.subbuf_size = a.u32(KTR_ATTR_SUBBUF_SIZE);
	info.nr_subbufs = a.u32(KTR_ATTR_NR_SUBBUFS);
	info.kernel_release = a.str(KTR_ATTR_KERNEL_RELEASE);
	if (a.has(KTR_ATTR_BUFFER_MODE))
		info.buffer_mode = a.u32(KTR_ATTR_BUFFER_MODE);
	if (a.has(KTR_ATTR_CLOCK_LOCAL_NS) && a.has(KTR_ATTR_CLOCK_MONO_NS))
		info.clock = InfoClock{a.u64(KTR_ATTR_CLOCK_LOCAL_NS), a.u64(KTR_ATTR_CLOCK_MONO_NS)};
	if (a.has(KTR_ATTR_TRACING_ON))
		info.tracing_on = a.flag(KTR_ATTR_TRACING_ON);
	return info;
}

Result<Info> parse_info_reply(nl_msg *reply)
{
	return replies::parse(reply, request_name, KTR_CMD_GET_INFO, replies::info);
}

} // namespace ktr
