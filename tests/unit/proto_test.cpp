// SPDX-License-Identifier: MIT
//
// The protocol layer (userspace/libktr/src/proto/): the one attribute-spec
// table, the call helper, and Control over a fake kernel (errno and extack
// wording, ABI fallbacks for older module minors).
#include <cerrno>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>
#include <ktr_ringbuf.h>

#include "fake_transport.h"
#include "ktr/control.h"
#include "ktr/errors.h"
#include "ktr/raw.h"
#include "proto/attrs.h"
#include "proto/call.h"
#include "test_messages.h"

namespace ktr {
namespace {

using proto::Attrs;
using proto::Space;
using test::FakeAnswer;
using test::FakeKernel;
using test::SeenRequest;

bool contains(const std::string &text, const std::string &needle)
{
	return text.find(needle) != std::string::npos;
}

// --- the attribute-spec table ----------------------------------------------

TEST(AttrTable, NamesEveryAttributeOfEverySpace)
{
	for (int type = KTR_ATTR_ABI_MAJOR; type <= KTR_ATTR_MAX; type++) {
		const std::string name = proto::attr_name(Space::ktr, type);
		EXPECT_TRUE(name.starts_with("KTR_ATTR_")) << type << ": " << name;
	}
	for (int type = KTR_STATS_WRITTEN; type <= KTR_STATS_MAX; type++)
		EXPECT_TRUE(proto::attr_name(Space::stats, type).starts_with("KTR_STATS_")) << type;
	for (int type = KTR_BUFFER_SUBBUF_SIZE; type <= KTR_BUFFER_MAX; type++)
		EXPECT_TRUE(proto::attr_name(Space::buffer, type).starts_with("KTR_BUFFER_")) << type;
	EXPECT_EQ(proto::attr_name(Space::ktr, KTR_ATTR_RAW_NARGS), "KTR_ATTR_RAW_NARGS");
	EXPECT_EQ(proto::attr_name(Space::stats, KTR_STATS_READ), "KTR_STATS_READ");
	// Unknown types (a newer minor's) have no name.
	EXPECT_EQ(proto::attr_name(Space::ktr, KTR_ATTR_UNSPEC), "");
	EXPECT_EQ(proto::attr_name(Space::ktr, KTR_ATTR_MAX + 1), "");
	EXPECT_EQ(proto::attr_name(Space::buffer, KTR_BUFFER_MAX + 1), "");
}

std::string problem_of(Space space, int type, const void *data, int len)
{
	const proto::AttrSpec *spec = proto::attr_spec(space, type);
	EXPECT_NE(spec, nullptr);
	return spec ? proto::attr_problem(*spec, data, len) : "";
}

TEST(AttrTable, BadLengthOrTypeIsNamedClearly)
{
	const std::uint64_t zero = 0;
	const std::uint8_t two = 2;
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_CPU, &zero, 2),
		  "KTR_ATTR_CPU is 2 bytes, expected a 4-byte u32");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_CPU, &zero, 4), "");
	EXPECT_EQ(problem_of(Space::stats, KTR_STATS_BYTES, &zero, 4),
		  "KTR_STATS_BYTES is 4 bytes, expected an 8-byte u64");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_TRACING_ON, &zero, 4),
		  "KTR_ATTR_TRACING_ON is 4 bytes, expected a 1-byte u8");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_TRACING_ON, &two, 1),
		  "KTR_ATTR_TRACING_ON is 2, expected 0 or 1");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_MODULE_VERSION, "abc", 3),
		  "KTR_ATTR_MODULE_VERSION is not a NUL-terminated string");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_EVENT_NAME, "a\0b", 4),
		  "KTR_ATTR_EVENT_NAME has a NUL byte before its end");
	const std::string long_name(KTR_EVENT_NAME_MAX, 'x');	// + NUL: one too many
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_EVENT_NAME, long_name.c_str(),
			     static_cast<int>(long_name.size() + 1)),
		  "KTR_ATTR_EVENT_NAME is longer than 64 bytes");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_FILTER_PIDS, &zero, 6),
		  "KTR_ATTR_FILTER_PIDS is 6 bytes, not a multiple of 4");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_FILTER_COMMS, "bash", 4),
		  "KTR_ATTR_FILTER_COMMS is not a list of NUL-terminated names");
	EXPECT_EQ(problem_of(Space::ktr, KTR_ATTR_STATS, "", 0), "");	// content checked later
}

nl::MsgPtr message(std::uint8_t cmd, const std::function<void(nl_msg *)> &put)
{
	return test::reply_message(cmd, put);
}

Attrs attrs_of(nl_msg *msg)
{
	Result<Attrs> a = proto::reply_attrs(msg, "KTR_CMD_X", genlmsg_hdr(nlmsg_hdr(msg))->cmd);
	EXPECT_TRUE(a) << a.error().message();
	return a ? *a : Attrs{};
}

TEST(AttrsCheck, RequiredInOrderThenEveryKnownAttribute)
{
	const nl::MsgPtr msg = message(KTR_CMD_GET_STATS, [](nl_msg *m) {
		nla_put_u32(m, KTR_ATTR_CPU, 1);
		nla_put_u64(m, KTR_ATTR_EVENT_COUNT, 1);	// known, malformed
		nla_put_u64(m, KTR_ATTR_MAX + 3, 1);		// unknown: skipped
	});
	const Attrs a = attrs_of(msg.get());
	EXPECT_EQ(a.check({KTR_ATTR_CPU, KTR_ATTR_CPU_ONLINE}), "KTR_ATTR_CPU_ONLINE missing");
	EXPECT_EQ(a.check({KTR_ATTR_CPU}), "KTR_ATTR_EVENT_COUNT is 8 bytes, expected a 4-byte u32");
	EXPECT_TRUE(a.valid(KTR_ATTR_CPU));
	EXPECT_FALSE(a.valid(KTR_ATTR_EVENT_COUNT));
	EXPECT_TRUE(a.has(KTR_ATTR_EVENT_COUNT));
	EXPECT_EQ(a.u32(KTR_ATTR_CPU), 1u);
}

TEST(AttrsCheck, LastCopyWinsAndNestsUseTheirSpace)
{
	const nl::MsgPtr msg = message(KTR_CMD_GET_STATS, [](nl_msg *m) {
		nla_put_u64(m, KTR_ATTR_CPU, 7);	// overridden below
		nla_put_u32(m, KTR_ATTR_CPU, 2);
		nlattr *nest = nla_nest_start(m, KTR_ATTR_STATS);
		nla_put_u32(m, KTR_STATS_READ, 5);	// a u64 in KTR_STATS_*
		nla_nest_end(m, nest);
	});
	const Attrs a = attrs_of(msg.get());
	EXPECT_EQ(a.check({KTR_ATTR_CPU}), "");
	EXPECT_EQ(a.u32(KTR_ATTR_CPU), 2u);
	const Attrs stats = a.nested(KTR_ATTR_STATS);
	EXPECT_EQ(stats.space(), Space::stats);
	EXPECT_EQ(stats.check(), "KTR_STATS_READ is 4 bytes, expected an 8-byte u64");
}

TEST(ReplyAttrs, HeaderCommandAndAbiMajorComeFirst)
{
	const nl::MsgPtr other = message(KTR_CMD_STOP, {});
	Result<Attrs> a = proto::reply_attrs(other.get(), "KTR_CMD_START", KTR_CMD_START);
	ASSERT_FALSE(a);
	EXPECT_EQ(a.error().message(),
		  "invalid reply from the ktr module to KTR_CMD_START: unexpected command 7");

	const nl::MsgPtr newer = message(KTR_CMD_GET_INFO, [](nl_msg *m) {
		nla_put_u32(m, KTR_ATTR_ABI_MAJOR, KTR_ABI_MAJOR + 1);
		nla_put_u32(m, KTR_ATTR_ABI_MINOR, 0);
		nla_put_u8(m, KTR_ATTR_CPUS_ONLINE, 1);	// malformed, but not the point
	});
	a = proto::reply_attrs(newer.get(), "KTR_CMD_GET_INFO", KTR_CMD_GET_INFO);
	ASSERT_FALSE(a);
	EXPECT_EQ(a.error().message(),
		  abi_mismatch_error(KTR_ABI_MAJOR + 1, 0).message());
}

// --- the call helper ---------------------------------------------------------

struct Fixture {
	FakeKernel *kernel = nullptr;
	std::unique_ptr<Control> ctl;
};

Fixture open_fake(const std::function<void(FakeKernel &)> &script = {})
{
	auto kernel = std::make_unique<FakeKernel>();
	Fixture f;
	f.kernel = kernel.get();
	if (script)
		script(*kernel);
	Result<Control> ctl = Control::open(std::move(kernel));
	EXPECT_TRUE(ctl) << ctl.error().message();
	if (ctl)
		f.ctl = std::make_unique<Control>(std::move(*ctl));
	return f;
}

FakeAnswer one(nl::MsgPtr msg)
{
	FakeAnswer a;
	a.replies.push_back(std::move(msg));
	return a;
}

TEST(ProtoCall, ModuleNotLoaded)
{
	auto kernel = std::make_unique<FakeKernel>();
	kernel->loaded = false;
	Result<Control> ctl = Control::open(std::move(kernel));
	ASSERT_FALSE(ctl);
	EXPECT_EQ(ctl.error().errnum(), ENOENT);
	EXPECT_EQ(ctl.error().message(), module_not_loaded_error().message());
}

TEST(ProtoCall, GetInfoThroughTheFakeKernel)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_GET_INFO, [](const SeenRequest &) { return one(test::InfoReply{}.build()); });
	});
	EXPECT_EQ(f.ctl->family_id(), FakeKernel::family_id);
	Result<Info> info = f.ctl->get_info();
	ASSERT_TRUE(info) << info.error().message();
	EXPECT_EQ(*info, test::sample_info());
	ASSERT_EQ(f.kernel->commands(), std::vector<std::uint8_t>{KTR_CMD_GET_INFO});
	EXPECT_EQ(f.kernel->seen.back().family, FakeKernel::family_id);
}

TEST(ProtoCall, RequestCarriesItsAttributes)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_SET_BUFFER, [](const SeenRequest &req) {
			const Attrs a = req.attrs();
			EXPECT_EQ(a.check({KTR_ATTR_BUFFER}), "");
			const Attrs nest = a.nested(KTR_ATTR_BUFFER);
			EXPECT_EQ(nest.check({KTR_BUFFER_NR_SUBBUFS}), "");
			EXPECT_FALSE(nest.has(KTR_BUFFER_SUBBUF_SIZE));
			return one(test::reply_message(KTR_CMD_SET_BUFFER, [&](nl_msg *m) {
				nlattr *n = nla_nest_start(m, KTR_ATTR_BUFFER);
				nla_put_u32(m, KTR_BUFFER_SUBBUF_SIZE, 4096);
				nla_put_u32(m, KTR_BUFFER_NR_SUBBUFS, nest.u32(KTR_BUFFER_NR_SUBBUFS));
				nla_put_u32(m, KTR_BUFFER_MODE, 0);
				nla_nest_end(m, n);
			}));
		});
	});
	BufferRequest req;
	req.nr_subbufs = 32;
	Result<BufferConfig> c = f.ctl->set_buffer(req);
	ASSERT_TRUE(c) << c.error().message();
	EXPECT_EQ(*c, (BufferConfig{4096, 32, 0}));
}

TEST(ProtoCall, DumpHandsOverEveryMessage)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_GET_STATS, [](const SeenRequest &req) {
			EXPECT_EQ(req.flags & NLM_F_DUMP, NLM_F_DUMP);
			FakeAnswer a;
			for (std::uint32_t cpu = 0; cpu < 3; cpu++)
				a.replies.push_back(test::reply_message(KTR_CMD_GET_STATS, [&](nl_msg *m) {
					nla_put_u32(m, KTR_ATTR_CPU, cpu);
					nla_put_u8(m, KTR_ATTR_CPU_ONLINE, 1);
					nlattr *n = nla_nest_start(m, KTR_ATTR_STATS);
					for (int t = KTR_STATS_WRITTEN; t <= KTR_STATS_MAX; t++)
						nla_put_u64(m, t, cpu);
					nla_nest_end(m, n);
				}));
			return a;
		});
	});
	Result<std::vector<CpuStats>> s = f.ctl->get_stats();
	ASSERT_TRUE(s) << s.error().message();
	ASSERT_EQ(s->size(), 3u);
	EXPECT_EQ((*s)[2].cpu, 2u);
	EXPECT_EQ((*s)[2].written, 2u);
}

TEST(ProtoCall, FirstBadMessageFailsTheDump)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_GET_STATS, [](const SeenRequest &) {
			FakeAnswer a;
			a.replies.push_back(test::reply_message(KTR_CMD_GET_STATS, [](nl_msg *m) {
				nla_put_u32(m, KTR_ATTR_CPU, 0);
			}));
			a.replies.push_back(test::reply_message(KTR_CMD_GET_INFO));
			return a;
		});
	});
	Result<std::vector<CpuStats>> s = f.ctl->get_stats();
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().errnum(), EPROTO);
	EXPECT_EQ(s.error().message(), "invalid reply from the ktr module to KTR_CMD_GET_STATS: "
				       "KTR_ATTR_CPU_ONLINE missing");
}

TEST(ProtoCall, ReplyDueButNoneCame)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_START, [](const SeenRequest &) { return FakeAnswer{}; });
	});
	Result<bool> on = f.ctl->start();
	ASSERT_FALSE(on);
	EXPECT_EQ(on.error().message(),
		  "invalid reply from the ktr module to KTR_CMD_START: no reply message");
}

TEST(ProtoCall, AckDueButAReplyCame)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_CLEAR_FILTERS,
		     [](const SeenRequest &) { return one(test::reply_message(KTR_CMD_CLEAR_FILTERS)); });
	});
	Result<void> r = f.ctl->clear_filters();
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "invalid reply from the ktr module to KTR_CMD_CLEAR_FILTERS: "
				       "a reply where only an acknowledgement was due");
}

TEST(ProtoCall, UnbuildableRequestIsNotSent)
{
	FakeKernel kernel;
	proto::Request req(KTR_CMD_SET_BUFFER, "KTR_CMD_SET_BUFFER", proto::Expect::reply);
	req.begin_nest(KTR_ATTR_BUFFER);	// never closed
	Result<void> r = proto::call(kernel, FakeKernel::family_id, req);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOMEM);
	EXPECT_EQ(r.error().message(), "cannot build KTR_CMD_SET_BUFFER");
	EXPECT_TRUE(kernel.seen.empty());
}

TEST(ProtoCall, LocalFailuresPassThrough)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_GET_FILTERS, [](const SeenRequest &) {
			FakeAnswer a;
			a.local = Error{ETIMEDOUT, "no answer from the kernel to KTR_CMD_GET_FILTERS "
						   "(timed out)"};
			return a;
		});
	});
	Result<FilterState> st = f.ctl->get_filters();
	ASSERT_FALSE(st);
	EXPECT_EQ(st.error().errnum(), ETIMEDOUT);
}

TEST(ProtoCall, SelftestRaisesTheTimeoutThenRestoresIt)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_SELFTEST, [](const SeenRequest &req) {
			EXPECT_EQ(req.attrs().u32(KTR_ATTR_SELFTEST_DURATION_MS), 2000u);
			return one(test::SelftestReply{}.build());
		});
	});
	SelftestRequest req;
	req.duration_ms = 2000;
	Result<SelftestResult> r = f.ctl->selftest(req);
	ASSERT_TRUE(r) << r.error().message();
	using std::chrono::milliseconds;
	ASSERT_EQ(f.kernel->timeouts.size(), 2u);
	EXPECT_EQ(f.kernel->timeouts[0], milliseconds(2000) + Control::selftest_grace);
	EXPECT_EQ(f.kernel->timeouts[1], milliseconds(Control::reply_timeout));
}

TEST(ProtoCall, SelftestWithoutItsModuleShowsTheModulesReason)
{
	// ktr.ko without ktr_rb_test.ko: EOPNOTSUPP with a message saying what
	// to load, which is what the user must see (not "module too old").
	const std::string msg = "the ring buffer self-test is not loaded: insmod ktr_rb_test.ko";
	Fixture f = open_fake([&](FakeKernel &k) {
		k.on(KTR_CMD_SELFTEST,
		     [&](const SeenRequest &) { return test::kernel_fails(EOPNOTSUPP, msg); });
	});
	Result<SelftestResult> r = f.ctl->selftest(SelftestRequest{});
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EOPNOTSUPP);
	EXPECT_EQ(r.error().message(), "KTR_CMD_SELFTEST refused: " + msg);
}

// --- errno and extack wording ----------------------------------------------

TEST(ProtoErrors, PermissionDenied)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_STOP, [](const SeenRequest &) { return test::kernel_fails(EPERM); });
	});
	Result<bool> r = f.ctl->stop();
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EPERM);
	EXPECT_EQ(r.error().message(), kernel_error(EPERM, "KTR_CMD_STOP", "").message());
	// No fallback question for a refusal.
	EXPECT_EQ(f.kernel->commands(), std::vector<std::uint8_t>{KTR_CMD_STOP});
}

TEST(ProtoErrors, ExtackNamesTheAttributeItPointsAt)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_SET_EVENT_FILTER, [](const SeenRequest &) {
			return test::kernel_fails(EINVAL, "bad value", true);
		});
	});
	EventFilterRequest req;
	req.event = "sched:sched_switch";
	Result<void> r = f.ctl->set_event_filter(req);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "KTR_CMD_SET_EVENT_FILTER failed: Invalid argument "
				       "[kernel: bad value: KTR_ATTR_EVENT_NAME]");
}

TEST(ProtoErrors, ExtackAlreadyNamingTheAttributeIsLeftAlone)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.on(KTR_CMD_WRITE_MARKER, [](const SeenRequest &) {
			return test::kernel_fails(ERANGE, "KTR_ATTR_MARKER_TEXT too long", true);
		});
	});
	Result<std::uint32_t> r = f.ctl->write_marker("hello");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "KTR_CMD_WRITE_MARKER failed: Numerical result out of "
				       "range [kernel: KTR_ATTR_MARKER_TEXT too long]");
}

TEST(ProtoErrors, RequestsWordTheirOwnErrnos)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR);
		k.on(KTR_CMD_ENABLE_EVENTS, [](const SeenRequest &req) {
			EXPECT_EQ(req.attrs().str(KTR_ATTR_EVENT_GLOB), "nosuch*");
			return test::kernel_fails(ENOENT, "no match");
		});
		k.on(KTR_CMD_ATTACH_RAW,
		     [](const SeenRequest &) { return test::kernel_fails(EEXIST, "attached"); });
	});
	Result<std::uint32_t> n = f.ctl->enable_events("nosuch*");
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().message(), "no event matches 'nosuch*'");
	Result<void> r = f.ctl->attach_raw("sched_switch", 2);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EEXIST);
	EXPECT_EQ(r.error().message(), raw_request_error(true, "sched_switch", EEXIST, "").message());
}

// --- ABI fallbacks (older module minors) -------------------------------------

TEST(ProtoAbi, TracingCommandOfAnOlderModule)
{
	Fixture f = open_fake([](FakeKernel &k) { k.module_abi(KTR_ABI_MAJOR, 3); });
	Result<bool> r = f.ctl->start();	// unscripted: EOPNOTSUPP
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EOPNOTSUPP);
	EXPECT_EQ(r.error().message(), "the loaded ktr module (ABI " + std::to_string(KTR_ABI_MAJOR) +
					       ".3) lacks KTR_CMD_START: load a newer ktr.ko");
	EXPECT_EQ(f.kernel->commands(),
		  (std::vector<std::uint8_t>{KTR_CMD_START, KTR_CMD_GET_INFO}));
}

TEST(ProtoAbi, CurrentModuleRefusingIsNotTooOld)
{
	Fixture f = open_fake([](FakeKernel &k) { k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR); });
	Result<void> r = f.ctl->reset();
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), kernel_error(EOPNOTSUPP, "KTR_CMD_RESET", "").message());
}

TEST(ProtoAbi, EventControlOfAModuleBeforeMinor3)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.module_abi(KTR_ABI_MAJOR, 2);
		k.on(KTR_CMD_DISABLE_EVENTS,
		     [](const SeenRequest &) { return test::kernel_fails(EINVAL); });
	});
	Result<std::uint32_t> n = f.ctl->disable_events("sched_*");
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().message(), no_event_control_error().message());
}

TEST(ProtoAbi, EventControlEinvalOfANewModuleIsTheKernelsError)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR);
		k.on(KTR_CMD_ENABLE_EVENTS,
		     [](const SeenRequest &) { return test::kernel_fails(EINVAL, "bad glob"); });
	});
	Result<std::uint32_t> n = f.ctl->enable_events("x");
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().message(),
		  "KTR_CMD_ENABLE_EVENTS failed: Invalid argument [kernel: bad glob]");
	// EOPNOTSUPP from a module that has the command: nothing matched is
	// switchable.
	Fixture g = open_fake([](FakeKernel &k) { k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR); });
	n = g.ctl->enable_events("marker");
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().message(),
		  event_request_error(true, "marker", EOPNOTSUPP, "").message());
}

TEST(ProtoAbi, EventListOfAnOlderModuleAsksNothingMore)
{
	Fixture f = open_fake();
	Result<std::vector<EventInfo>> ev = f.ctl->list_events();
	ASSERT_FALSE(ev);
	EXPECT_EQ(ev.error().message(), no_event_list_error().message());
	EXPECT_EQ(f.kernel->commands(), std::vector<std::uint8_t>{KTR_CMD_LIST_EVENTS});
}

TEST(ProtoAbi, NoFallbackWhenTheModuleSpeaksAnotherMajor)
{
	Fixture f = open_fake([](FakeKernel &k) { k.module_abi(KTR_ABI_MAJOR + 1, 0); });
	Result<bool> r = f.ctl->stop();
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), kernel_error(EOPNOTSUPP, "KTR_CMD_STOP", "").message());
	Result<Info> info = f.ctl->get_info();
	ASSERT_FALSE(info);
	EXPECT_TRUE(contains(info.error().message(), "ABI mismatch")) << info.error().message();
}

// --- dynamic probes (ABI minor 5) --------------------------------------------

TEST(ProtoProbes, AddListDelThroughTheCallPath)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR);
		k.on(KTR_CMD_ADD_PROBE, [](const SeenRequest &req) {
			EXPECT_EQ(req.attrs().str(KTR_ATTR_PROBE_DEF), "p:myopen do_sys_openat2");
			return one(test::reply_message(KTR_CMD_ADD_PROBE, [](nl_msg *m) {
				nla_put_u32(m, KTR_ATTR_EVENT_ID, 0x4000);
				nla_put_string(m, KTR_ATTR_EVENT_SYSTEM, "kprobes");
				nla_put_string(m, KTR_ATTR_EVENT_NAME, "myopen");
			}));
		});
		k.on(KTR_CMD_DEL_PROBE, [](const SeenRequest &req) {
			const Attrs a = req.attrs();
			const bool all = a.has(KTR_ATTR_PROBE_ALL);
			EXPECT_NE(all, a.has(KTR_ATTR_PROBE_NAME));
			if (all)
				EXPECT_EQ(a.u8(KTR_ATTR_PROBE_ALL), 1);
			else if (a.str(KTR_ATTR_PROBE_NAME) == "nosuch")
				return test::kernel_fails(ENOENT, "no probe nosuch");
			return one(test::reply_message(KTR_CMD_DEL_PROBE, [all](nl_msg *m) {
				nla_put_u32(m, KTR_ATTR_EVENT_COUNT, all ? 3 : 1);
			}));
		});
		k.on(KTR_CMD_LIST_PROBES, [](const SeenRequest &) { return FakeAnswer{}; });
	});
	Result<ProbeAdded> added = f.ctl->add_probe("p:myopen do_sys_openat2");
	ASSERT_TRUE(added) << added.error().message();
	EXPECT_EQ(*added, (ProbeAdded{0x4000, "kprobes", "myopen"}));
	Result<std::uint32_t> n = f.ctl->del_probe("kprobes:myopen");
	ASSERT_TRUE(n) << n.error().message();
	EXPECT_EQ(*n, 1U);
	n = f.ctl->del_all_probes();
	ASSERT_TRUE(n) << n.error().message();
	EXPECT_EQ(*n, 3U);
	n = f.ctl->del_probe("nosuch");
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().message(), "no probe named 'nosuch' (see 'ktr probe list')");
	Result<std::vector<ProbeInfo>> list = f.ctl->list_probes();
	ASSERT_TRUE(list) << list.error().message();
	EXPECT_TRUE(list->empty());
	// Refused before asking: nothing sent.
	const std::size_t seen = f.kernel->commands().size();
	EXPECT_FALSE(f.ctl->add_probe(""));
	EXPECT_FALSE(f.ctl->del_probe("a b"));
	EXPECT_EQ(f.kernel->commands().size(), seen);
}

TEST(ProtoProbes, TheKernelsReasonReachesTheUserOnOneLine)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR);
		k.on(KTR_CMD_ADD_PROBE, [](const SeenRequest &) {
			return test::kernel_fails(EINVAL, "p:x do_sys_open a=%zz\n            ^ unknown "
							  "register 'zz'");
		});
	});
	// A definition the tools' parser takes (the kernel's answer is made up).
	Result<ProbeAdded> r = f.ctl->add_probe("p:x do_sys_open a=%di");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	EXPECT_EQ(r.error().message(),
		  "cannot add probe: p:x do_sys_open a=%zz ^ unknown register 'zz'");
}

TEST(ProtoProbes, AModuleBeforeMinor5HasNoProbes)
{
	Fixture f = open_fake([](FakeKernel &k) { k.module_abi(KTR_ABI_MAJOR, 4); });
	const std::string want = "the loaded ktr module has no dynamic probes (ABI minor 4 < 5): "
				 "load a newer ktr.ko";
	Result<ProbeAdded> a = f.ctl->add_probe("p:x f");	// unscripted: EOPNOTSUPP
	ASSERT_FALSE(a);
	EXPECT_EQ(a.error().errnum(), EOPNOTSUPP);
	EXPECT_EQ(a.error().message(), want);
	Result<std::vector<ProbeInfo>> l = f.ctl->list_probes();
	ASSERT_FALSE(l);
	EXPECT_EQ(l.error().message(), want);
	Result<std::uint32_t> d = f.ctl->del_all_probes();
	ASSERT_FALSE(d);
	EXPECT_EQ(d.error().message(), want);
}

TEST(ProtoProbes, ACurrentModuleRefusingAProbeGivesItsReason)
{
	Fixture f = open_fake([](FakeKernel &k) {
		k.module_abi(KTR_ABI_MAJOR, KTR_ABI_MINOR);
		k.on(KTR_CMD_ADD_PROBE, [](const SeenRequest &) {
			return test::kernel_fails(EOPNOTSUPP, "uprobes are not supported yet");
		});
	});
	Result<ProbeAdded> r = f.ctl->add_probe("p:u /bin/sh:0x100");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EOPNOTSUPP);
	EXPECT_EQ(r.error().message(), "cannot add probe: uprobes are not supported yet");
}

} // namespace
} // namespace ktr
