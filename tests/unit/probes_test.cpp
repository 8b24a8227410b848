// SPDX-License-Identifier: MIT
//
// Dynamic probes in user space (KTR_CMD_ADD_PROBE / DEL_PROBE /
// LIST_PROBES): replies built here as the module would send them, then
// parsed; the checks made before a request; how failures are worded; what
// `ktr probe list` and `ktr stat` print.
#include <cerrno>
#include <cstdint>
#include <functional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/probe_def.h"
#include "ktr/probes.h"
#include "nl_handles.h"

namespace ktr {
namespace {

constexpr int family_id = 0x1d;

void check(int rc)
{
	if (rc < 0)
		throw std::runtime_error("building a test message failed: " + std::to_string(rc));
}

// One probe message (LIST_PROBES) or reply (ADD_PROBE: id, system, name).
struct ProbeMessage {
	std::uint8_t cmd = KTR_CMD_LIST_PROBES;
	std::uint32_t id = KTR_EVENT_PROBE_FIRST;
	std::string system = "kprobes";
	std::string name = "myopen";
	std::uint8_t enabled = 1;
	std::string def = "p:myopen do_sys_openat2 dfd=$arg1:s32 path=+0($arg2):string";
	std::uint32_t kind = KTR_PROBE_KPROBE;
	std::uint32_t mech = KTR_MECH_FTRACE;
	std::uint64_t addr = 0xffffffff81234560ULL;
	std::uint64_t hits = 1234;
	std::uint64_t missed = 0;
	std::uint32_t maxactive = 0;
	std::uint8_t gone = 0;
	std::set<int> omit;
	std::function<void(nl_msg *)> extra;

	[[nodiscard]] nl::MsgPtr build() const
	{
		nl::MsgPtr msg{nlmsg_alloc()};
		if (!msg || !genlmsg_put(msg.get(), 0, 1, family_id, 0, 0, cmd, KTR_GENL_VERSION))
			throw std::runtime_error("genlmsg_put failed");
		nl_msg *m = msg.get();
		const auto put = [&](int type, auto fn) {
			if (!omit.contains(type))
				check(fn());
		};
		put(KTR_ATTR_EVENT_ID, [&] { return nla_put_u32(m, KTR_ATTR_EVENT_ID, id); });
		put(KTR_ATTR_EVENT_SYSTEM,
		    [&] { return nla_put_string(m, KTR_ATTR_EVENT_SYSTEM, system.c_str()); });
		put(KTR_ATTR_EVENT_NAME,
		    [&] { return nla_put_string(m, KTR_ATTR_EVENT_NAME, name.c_str()); });
		if (cmd == KTR_CMD_LIST_PROBES) {
			put(KTR_ATTR_EVENT_ENABLED,
			    [&] { return nla_put_u8(m, KTR_ATTR_EVENT_ENABLED, enabled); });
			put(KTR_ATTR_PROBE_DEF,
			    [&] { return nla_put_string(m, KTR_ATTR_PROBE_DEF, def.c_str()); });
			put(KTR_ATTR_PROBE_KIND, [&] { return nla_put_u32(m, KTR_ATTR_PROBE_KIND, kind); });
			put(KTR_ATTR_PROBE_MECH, [&] { return nla_put_u32(m, KTR_ATTR_PROBE_MECH, mech); });
			put(KTR_ATTR_PROBE_ADDR, [&] { return nla_put_u64(m, KTR_ATTR_PROBE_ADDR, addr); });
			put(KTR_ATTR_PROBE_HITS, [&] { return nla_put_u64(m, KTR_ATTR_PROBE_HITS, hits); });
			put(KTR_ATTR_PROBE_MISSED,
			    [&] { return nla_put_u64(m, KTR_ATTR_PROBE_MISSED, missed); });
			put(KTR_ATTR_PROBE_MAXACTIVE,
			    [&] { return nla_put_u32(m, KTR_ATTR_PROBE_MAXACTIVE, maxactive); });
			put(KTR_ATTR_PROBE_GONE, [&] { return nla_put_u8(m, KTR_ATTR_PROBE_GONE, gone); });
		}
		if (extra)
			extra(m);
		return msg;
	}
};

ProbeMessage add_reply()
{
	ProbeMessage m;
	m.cmd = KTR_CMD_ADD_PROBE;
	return m;
}

Result<ProbeInfo> parse(const ProbeMessage &m)
{
	nl::MsgPtr msg = m.build();
	return parse_probe_message(msg.get());
}

ProbeInfo sample_probe()
{
	ProbeInfo p;
	p.id = KTR_EVENT_PROBE_FIRST;
	p.system = "kprobes";
	p.name = "myopen";
	p.enabled = true;
	p.def = "p:myopen do_sys_openat2 dfd=$arg1:s32 path=+0($arg2):string";
	p.kind = ProbeKind::Kprobe;
	p.mech = ProbeMech::Ftrace;
	p.addr = 0xffffffff81234560ULL;
	p.hits = 1234;
	return p;
}

ProbeInfo sample_retprobe()
{
	ProbeInfo p;
	p.id = KTR_EVENT_PROBE_FIRST + 1;
	p.system = "mine";
	p.name = "vfs_read_ret";
	p.def = "r16:mine/vfs_read_ret vfs_read ret=$retval:s64";
	p.kind = ProbeKind::Kretprobe;
	p.mech = ProbeMech::Breakpoint;
	p.addr = 0xffffffff81400000ULL;
	p.hits = 5;
	p.missed = 17;
	p.maxactive = 16;
	return p;
}

TEST(AddProbeReply, Parses)
{
	nl::MsgPtr msg = add_reply().build();
	Result<ProbeAdded> r = parse_add_probe_reply(msg.get());
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(*r, (ProbeAdded{KTR_EVENT_PROBE_FIRST, "kprobes", "myopen"}));
}

TEST(AddProbeReply, RefusesMissingAttributesAndNonProbeIds)
{
	for (const int type : {KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_SYSTEM, KTR_ATTR_EVENT_NAME}) {
		ProbeMessage m = add_reply();
		m.omit = {type};
		nl::MsgPtr msg = m.build();
		Result<ProbeAdded> r = parse_add_probe_reply(msg.get());
		ASSERT_FALSE(r) << type;
		EXPECT_EQ(r.error().errnum(), EPROTO);
		EXPECT_NE(r.error().message().find("KTR_CMD_ADD_PROBE"), std::string::npos);
		EXPECT_NE(r.error().message().find("missing"), std::string::npos)
			<< r.error().message();
	}
	for (const std::uint32_t id : {1U, KTR_EVENT_PROBE_FIRST - 1U, KTR_EVENT_PROBE_LAST + 1U}) {
		ProbeMessage m = add_reply();
		m.id = id;
		nl::MsgPtr msg = m.build();
		Result<ProbeAdded> r = parse_add_probe_reply(msg.get());
		ASSERT_FALSE(r) << id;
		EXPECT_NE(r.error().message().find("is not a probe event id"), std::string::npos)
			<< r.error().message();
	}
	ProbeMessage wrong = add_reply();
	wrong.cmd = KTR_CMD_LIST_PROBES;
	nl::MsgPtr msg = wrong.build();
	EXPECT_FALSE(parse_add_probe_reply(msg.get()));
}

TEST(ProbeMessage, ParsesEveryField)
{
	Result<ProbeInfo> p = parse(ProbeMessage{});
	ASSERT_TRUE(p) << p.error().message();
	EXPECT_EQ(*p, sample_probe());

	ProbeMessage r;
	r.id = KTR_EVENT_PROBE_FIRST + 1;
	r.system = "mine";
	r.name = "vfs_read_ret";
	r.enabled = 0;
	r.def = sample_retprobe().def;
	r.kind = KTR_PROBE_KRETPROBE;
	r.mech = KTR_MECH_BREAKPOINT;
	r.addr = 0xffffffff81400000ULL;
	r.hits = 5;
	r.missed = 17;
	r.maxactive = 16;
	p = parse(r);
	ASSERT_TRUE(p) << p.error().message();
	EXPECT_EQ(*p, sample_retprobe());
}

TEST(ProbeMessage, OptionalAttributesAndNewerValues)
{
	ProbeMessage m;
	m.omit = {KTR_ATTR_PROBE_MAXACTIVE, KTR_ATTR_PROBE_GONE};
	m.kind = 9;	// a newer minor's kind: kept, named by number
	m.mech = 8;
	m.extra = [](nl_msg *msg) { check(nla_put_u32(msg, KTR_ATTR_MAX + 4, 1)); };
	Result<ProbeInfo> p = parse(m);
	ASSERT_TRUE(p) << p.error().message();
	EXPECT_EQ(p->maxactive, 0U);
	EXPECT_FALSE(p->gone);
	EXPECT_EQ(probe_kind_name(p->kind), "kind 9");
	EXPECT_EQ(probe_mech_name(p->mech), "mech 8");

	m = ProbeMessage{};
	m.gone = 1;
	p = parse(m);
	ASSERT_TRUE(p);
	EXPECT_TRUE(p->gone);
	EXPECT_EQ(probe_state(*p), "gone");
}

TEST(ProbeMessage, RefusesMissingOrMalformedAttributes)
{
	for (const int type : {KTR_ATTR_EVENT_ID, KTR_ATTR_EVENT_SYSTEM, KTR_ATTR_EVENT_NAME,
			       KTR_ATTR_EVENT_ENABLED, KTR_ATTR_PROBE_DEF, KTR_ATTR_PROBE_KIND,
			       KTR_ATTR_PROBE_MECH, KTR_ATTR_PROBE_ADDR, KTR_ATTR_PROBE_HITS,
			       KTR_ATTR_PROBE_MISSED}) {
		ProbeMessage m;
		m.omit = {type};
		Result<ProbeInfo> p = parse(m);
		ASSERT_FALSE(p) << type;
		EXPECT_EQ(p.error().errnum(), EPROTO);
		EXPECT_NE(p.error().message().find("KTR_CMD_LIST_PROBES"), std::string::npos);
	}
	ProbeMessage m;
	m.omit = {KTR_ATTR_PROBE_HITS};
	m.extra = [](nl_msg *msg) { check(nla_put_u32(msg, KTR_ATTR_PROBE_HITS, 3)); };
	Result<ProbeInfo> p = parse(m);
	ASSERT_FALSE(p);
	EXPECT_NE(p.error().message().find("KTR_ATTR_PROBE_HITS"), std::string::npos)
		<< p.error().message();
	m = ProbeMessage{};
	m.gone = 2;
	EXPECT_FALSE(parse(m));
}

TEST(DelProbeReply, ParsesTheCount)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	ASSERT_TRUE(genlmsg_put(msg.get(), 0, 1, family_id, 0, 0, KTR_CMD_DEL_PROBE,
				KTR_GENL_VERSION));
	check(nla_put_u32(msg.get(), KTR_ATTR_EVENT_COUNT, 3));
	Result<std::uint32_t> n = parse_del_probe_reply(msg.get());
	ASSERT_TRUE(n) << n.error().message();
	EXPECT_EQ(*n, 3U);

	nl::MsgPtr empty{nlmsg_alloc()};
	ASSERT_TRUE(genlmsg_put(empty.get(), 0, 1, family_id, 0, 0, KTR_CMD_DEL_PROBE,
				KTR_GENL_VERSION));
	n = parse_del_probe_reply(empty.get());
	ASSERT_FALSE(n);
	EXPECT_NE(n.error().message().find("KTR_ATTR_EVENT_COUNT missing"), std::string::npos)
		<< n.error().message();
}

TEST(ProbeChecks, DefinitionsAreCheckedByTheModulesParserBeforeSending)
{
	// Control::add_probe() refuses what the parser refuses, in one line.
	const Result<ktr_probe_def> r = check_probe_def(std::string(2000, 'x'));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	EXPECT_NE(r.error().message().find("at most 1023"), std::string::npos)
		<< r.error().message();
	EXPECT_TRUE(check_probe_def("p:myopen do_sys_openat2"));
}

TEST(ProbeChecks, Name)
{
	for (const std::string &ok :
	     {std::string("myopen"), std::string("kprobes:myopen"), std::string("a_1:B2"),
	      std::string(63, 'n'), std::string(63, 's') + ":" + std::string(63, 'n')})
		EXPECT_TRUE(check_probe_name(ok)) << ok;
	for (const std::string &bad : {std::string(), std::string(":x"), std::string("x:"),
				      std::string("a:b:c"), std::string("my-open"),
				      std::string(64, 'n'), std::string("a b"), std::string("*")}) {
		const Result<void> r = check_probe_name(bad);
		ASSERT_FALSE(r) << bad;
		EXPECT_EQ(r.error().errnum(), EINVAL);
		EXPECT_NE(r.error().message().find("is not a probe name"), std::string::npos);
	}
}

TEST(ProbeErrors, KernelMessageOnOneLine)
{
	const Error syntax = add_probe_error(
		EINVAL, "p:x do_sys_open foo=%zz\n                      ^ unknown register 'zz'");
	EXPECT_EQ(syntax.errnum(), EINVAL);
	EXPECT_EQ(syntax.message(),
		  "cannot add probe: p:x do_sys_open foo=%zz ^ unknown register 'zz'");
	EXPECT_EQ(add_probe_error(ENOENT, "unknown symbol 'nosuch'").message(),
		  "cannot add probe: unknown symbol 'nosuch'");
	EXPECT_EQ(add_probe_error(ENOSPC, "").message(),
		  "cannot add probe: at most 128 probes at a time (delete some with 'ktr probe del')");
	EXPECT_EQ(add_probe_error(EEXIST, "").errnum(), EEXIST);
	EXPECT_EQ(add_probe_error(EIO, "").message(), "cannot add probe: Input/output error");
	const Error perm = add_probe_error(EPERM, "");
	EXPECT_EQ(perm.errnum(), EPERM);
	EXPECT_NE(perm.message().find("permission denied"), std::string::npos);

	EXPECT_EQ(del_probe_error("nosuch", ENOENT, "no probe 'nosuch'").message(),
		  "no probe named 'nosuch' (see 'ktr probe list')");
	EXPECT_EQ(del_probe_error("x", EBUSY, "in use").message(),
		  "cannot delete probe 'x': in use");
	EXPECT_EQ(del_probe_error("", EINVAL, "").message(),
		  "cannot delete the probes: Invalid argument");

	const Error old = no_probes_error(4);
	EXPECT_EQ(old.errnum(), EOPNOTSUPP);
	EXPECT_EQ(old.message(), "the loaded ktr module has no dynamic probes (ABI minor 4 < 5): "
				 "load a newer ktr.ko");
}

TEST(ProbeNames, KindsAndMechanisms)
{
	EXPECT_EQ(probe_kind_name(ProbeKind::Kprobe), "kprobe");
	EXPECT_EQ(probe_kind_name(ProbeKind::Kretprobe), "kretprobe");
	EXPECT_EQ(probe_kind_name(ProbeKind::Uprobe), "uprobe");
	EXPECT_EQ(probe_kind_name(ProbeKind::Uretprobe), "uretprobe");
	EXPECT_EQ(probe_mech_name(ProbeMech::Breakpoint), "int3");
	EXPECT_EQ(probe_mech_name(ProbeMech::Breakpoint, true), "optimized");
	EXPECT_EQ(probe_mech_name(ProbeMech::Ftrace), "ftrace");
	EXPECT_EQ(probe_mech_name(ProbeMech::Ftrace, true), "ftrace");
	EXPECT_EQ(probe_mech_name(ProbeMech::Uprobe), "uprobe");
}

TEST(ProbeNames, OptimizedAddressesFromDebugfs)
{
	const std::set<std::uint64_t> addrs = optimized_kprobe_addrs(
		"ffffffff81400000  r  vfs_read+0x0    [OPTIMIZED]\n"
		"ffffffff81234560  k  do_sys_openat2+0x0    [FTRACE]\n"
		"ffffffffc0001000  k  foo+0x4  [mod]  [DISABLED][OPTIMIZED]\n"
		"garbage [OPTIMIZED]\n");
	EXPECT_EQ(addrs, (std::set<std::uint64_t>{0xffffffff81400000ULL, 0xffffffffc0001000ULL}));
	EXPECT_TRUE(optimized_kprobe_addrs("").empty());
}

TEST(FormatProbes, Text)
{
	EXPECT_EQ(format_probes_text({}), "no probes\n");
	EXPECT_EQ(format_probes_text({sample_probe(), sample_retprobe()}),
		  "PROBE              KIND       STATE     MECHANISM  HITS  MISSED  DEFINITION\n"
		  "kprobes:myopen     kprobe     enabled   ftrace     1234       0  "
		  "p:myopen do_sys_openat2 dfd=$arg1:s32 path=+0($arg2):string\n"
		  "mine:vfs_read_ret  kretprobe  disabled  int3          5      17  "
		  "r16:mine/vfs_read_ret vfs_read ret=$retval:s64\n");
	EXPECT_NE(format_probes_text({sample_retprobe()}, {0xffffffff81400000ULL}).find(" optimized "),
		  std::string::npos);
	ProbeInfo gone = sample_probe();
	gone.gone = true;
	gone.def = "p a\nb";	// one line whatever the module sent
	const std::string t = format_probes_text({gone});
	EXPECT_NE(t.find(" gone "), std::string::npos) << t;
	EXPECT_NE(t.find("p a b\n"), std::string::npos) << t;
}

TEST(FormatProbes, Json)
{
	EXPECT_EQ(format_probes_json({}), "");
	EXPECT_EQ(format_probes_json({sample_probe(), sample_retprobe()}, {0xffffffff81400000ULL}),
		  R"({"id":16384,"system":"kprobes","name":"myopen","enabled":true,)"
		  R"("state":"enabled","kind":"kprobe","mechanism":"ftrace",)"
		  R"("addr":18446744071581156704,"hits":1234,"missed":0,"maxactive":0,"gone":false,)"
		  R"("def":"p:myopen do_sys_openat2 dfd=$arg1:s32 path=+0($arg2):string"})"
		  "\n"
		  R"({"id":16385,"system":"mine","name":"vfs_read_ret","enabled":false,)"
		  R"("state":"disabled","kind":"kretprobe","mechanism":"optimized",)"
		  R"("addr":18446744071583039488,"hits":5,"missed":17,"maxactive":16,"gone":false,)"
		  R"("def":"r16:mine/vfs_read_ret vfs_read ret=$retval:s64"})"
		  "\n");
}

TEST(FormatProbes, StatSection)
{
	EXPECT_EQ(format_probe_stats({}), "");
	EXPECT_EQ(format_probe_stats({sample_probe()}), "probes: 1, missed 0\n");
	ProbeInfo other = sample_retprobe();
	other.name = "x";
	other.missed = 3;
	EXPECT_EQ(format_probe_stats({sample_probe(), sample_retprobe(), other}),
		  "probes: 3, missed 20\n"
		  "  mine:vfs_read_ret  missed 17\n"
		  "  mine:x             missed 3\n");
}

} // namespace
} // namespace ktr
