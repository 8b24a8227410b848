// SPDX-License-Identifier: MIT
#include "test_messages.h"

#include <ktr_ringbuf.h>

#include <stdexcept>
#include <string>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

namespace ktr::test {

namespace {

void check(int rc)
{
	if (rc < 0)
		throw std::runtime_error("building a test message failed: " + std::to_string(rc));
}

} // namespace

Info sample_info()
{
	return Info{
		.abi_major = KTR_ABI_MAJOR,
		.abi_minor = KTR_ABI_MINOR,
		.module_version = "0.1.0",
		.cpus_possible = 8,
		.cpus_online = 4,
		.subbuf_size = 65536,
		.nr_subbufs = 8,
		.kernel_release = "6.1.0-18-amd64",
		.buffer_mode = KTR_RB_MODE_OVERWRITE,
		.clock = InfoClock{.local_ns = 5000000000ULL, .mono_ns = 5123456789ULL},
		.tracing_on = true,
	};
}

nl::MsgPtr InfoReply::build() const
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, test_family_id, 0, 0, cmd, KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");

	nl_msg *m = msg.get();
	const auto u32 = [&](int type, std::uint32_t v) {
		if (!omit.contains(type))
			check(nla_put_u32(m, type, v));
	};
	const auto str = [&](int type, const std::string &v) {
		if (!omit.contains(type))
			check(nla_put_string(m, type, v.c_str()));
	};
	u32(KTR_ATTR_ABI_MAJOR, info.abi_major);
	u32(KTR_ATTR_ABI_MINOR, info.abi_minor);
	str(KTR_ATTR_MODULE_VERSION, info.module_version);
	u32(KTR_ATTR_CPUS_POSSIBLE, info.cpus_possible);
	u32(KTR_ATTR_CPUS_ONLINE, info.cpus_online);
	u32(KTR_ATTR_SUBBUF_SIZE, info.subbuf_size);
	u32(KTR_ATTR_NR_SUBBUFS, info.nr_subbufs);
	str(KTR_ATTR_KERNEL_RELEASE, info.kernel_release);
	if (info.buffer_mode)
		u32(KTR_ATTR_BUFFER_MODE, *info.buffer_mode);
	if (info.clock && !omit.contains(KTR_ATTR_CLOCK_LOCAL_NS))
		check(nla_put_u64(m, KTR_ATTR_CLOCK_LOCAL_NS, info.clock->local_ns));
	if (info.clock && !omit.contains(KTR_ATTR_CLOCK_MONO_NS))
		check(nla_put_u64(m, KTR_ATTR_CLOCK_MONO_NS, info.clock->mono_ns));
	if (info.tracing_on && !omit.contains(KTR_ATTR_TRACING_ON))
		check(nla_put_u8(m, KTR_ATTR_TRACING_ON, *info.tracing_on ? 1 : 0));
	if (extra)
		extra(m);
	return msg;
}

SelftestResult sample_selftest()
{
	SelftestResult r;
	r.mode = 1;
	r.subbuf_size = 4096;
	r.nr_subbufs = 2;
	r.duration_ms = 1000;
	r.cpus = 2;
	r.elapsed_ms = 1017;
	r.written = 1676043;
	r.read = 20459;
	r.bytes = 397561192;
	r.lost_full = 316;
	r.lost_overwritten = 1655268;
	r.lost_reported = 1655584;
	r.subbufs_read = 1324;
	r.subbufs_overwritten = 112668;
	r.hardirq_written = 8460;
	r.nested = 7394;
	r.flushes = 85;
	r.long_events = 11089;
	r.time_records = 6;
	r.lost_nesting = 0x100000000ULL;	// needs all 64 bits
	r.written += r.lost_nesting;
	return r;
}

nl::MsgPtr SelftestReply::build() const
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, test_family_id, 0, 0, cmd, KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");

	nl_msg *m = msg.get();
	const auto u32 = [&](int type, std::uint32_t v) {
		if (!omit.contains(type))
			check(nla_put_u32(m, type, v));
	};
	const auto u64 = [&](int type, std::uint64_t v) {
		if (!omit.contains(type))
			check(nla_put_u64(m, type, v));
	};
	const SelftestResult &r = result;
	u32(KTR_ATTR_SELFTEST_MODE, r.mode);
	u32(KTR_ATTR_SELFTEST_SUBBUF_SIZE, r.subbuf_size);
	u32(KTR_ATTR_SELFTEST_NR_SUBBUFS, r.nr_subbufs);
	u32(KTR_ATTR_SELFTEST_DURATION_MS, r.duration_ms);
	u32(KTR_ATTR_SELFTEST_CPUS, r.cpus);
	u32(KTR_ATTR_SELFTEST_ELAPSED_MS, r.elapsed_ms);
	u64(KTR_ATTR_SELFTEST_WRITTEN, r.written);
	u64(KTR_ATTR_SELFTEST_READ, r.read);
	u64(KTR_ATTR_SELFTEST_BYTES, r.bytes);
	u64(KTR_ATTR_SELFTEST_LOST_FULL, r.lost_full);
	u64(KTR_ATTR_SELFTEST_LOST_OVERWRITTEN, r.lost_overwritten);
	u64(KTR_ATTR_SELFTEST_LOST_NESTING, r.lost_nesting);
	u64(KTR_ATTR_SELFTEST_LOST_DISABLED, r.lost_disabled);
	u64(KTR_ATTR_SELFTEST_LOST_REPORTED, r.lost_reported);
	u64(KTR_ATTR_SELFTEST_BUFFERED, r.buffered);
	u64(KTR_ATTR_SELFTEST_SUBBUFS_READ, r.subbufs_read);
	u64(KTR_ATTR_SELFTEST_SUBBUFS_OVERWRITTEN, r.subbufs_overwritten);
	u64(KTR_ATTR_SELFTEST_HARDIRQ_WRITTEN, r.hardirq_written);
	u64(KTR_ATTR_SELFTEST_NESTED, r.nested);
	u64(KTR_ATTR_SELFTEST_FLUSHES, r.flushes);
	u64(KTR_ATTR_SELFTEST_LONG_EVENTS, r.long_events);
	u64(KTR_ATTR_SELFTEST_TIME_RECORDS, r.time_records);
	u64(KTR_ATTR_SELFTEST_ERRORS, r.errors);
	if (!r.error.empty() && !omit.contains(KTR_ATTR_SELFTEST_ERROR))
		check(nla_put_string(m, KTR_ATTR_SELFTEST_ERROR, r.error.c_str()));
	if (extra)
		extra(m);
	return msg;
}

nl::MsgPtr error_message(nl_msg *request, int errnum, bool capped, std::string_view ext_msg)
{
	int flags = 0;
	if (capped)
		flags |= NLM_F_CAPPED;
	if (!ext_msg.empty())
		flags |= NLM_F_ACK_TLVS;
	nl::MsgPtr msg{nlmsg_alloc_simple(NLMSG_ERROR, flags)};
	if (!msg)
		throw std::runtime_error("nlmsg_alloc_simple failed");

	nlmsghdr *req = nlmsg_hdr(request);
	nlmsgerr err{};
	err.error = -errnum;
	err.msg = *req;
	check(nlmsg_append(msg.get(), &err, sizeof(err), NLMSG_ALIGNTO));
	if (!capped)
		check(nlmsg_append(msg.get(), nlmsg_data(req),
				   static_cast<std::size_t>(nlmsg_datalen(req)), NLMSG_ALIGNTO));
	if (!ext_msg.empty()) {
		const std::string text{ext_msg};
		check(nla_put_string(msg.get(), NLMSGERR_ATTR_MSG, text.c_str()));
		check(nla_put_u32(msg.get(), NLMSGERR_ATTR_OFFS, 20));
	}
	return msg;
}

} // namespace ktr::test
