// SPDX-License-Identifier: MIT
//
// Tracers in user space (KTR_CMD_LIST_TRACERS / SET_TRACER): replies built
// here as the module would send them, then parsed; the --opt settings and
// their wire form; `ktr record -p/-l/-n`; how failures are worded; what
// `ktr tracer` prints; and the function tracer's events decoded from the
// format the module reports (ip and parent_ip shown as symbols).
#include <cerrno>
#include <cstdint>
#include <cstring>
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

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/tracers.h"
#include "nl_handles.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

constexpr int family_id = 0x1d;

void check(int rc)
{
	if (rc < 0)
		throw std::runtime_error("building a test message failed: " + std::to_string(rc));
}

struct OptionAttrs {
	std::string name = "filter";
	std::uint32_t type = KTR_TRACER_OPT_STRING;
	std::string desc = "functions to trace";
	std::string def;
	const char *value = nullptr;
	std::set<int> omit;
};

// One LIST_TRACERS message.
struct TracerMessage {
	std::uint8_t cmd = KTR_CMD_LIST_TRACERS;
	std::string name = "function";
	std::string desc = "kernel function entries";
	std::uint8_t current = 0;
	std::vector<OptionAttrs> options{OptionAttrs{},
					 OptionAttrs{"all", KTR_TRACER_OPT_BOOL, "every function", "0", nullptr, {}}};
	std::set<int> omit;

	[[nodiscard]] nl::MsgPtr build() const
	{
		nl::MsgPtr msg{nlmsg_alloc()};
		if (!msg || !genlmsg_put(msg.get(), 0, 1, family_id, 0, 0, cmd, KTR_GENL_VERSION))
			throw std::runtime_error("genlmsg_put failed");
		nl_msg *m = msg.get();
		if (!omit.contains(KTR_ATTR_TRACER_NAME))
			check(nla_put_string(m, KTR_ATTR_TRACER_NAME, name.c_str()));
		if (!omit.contains(KTR_ATTR_TRACER_DESC))
			check(nla_put_string(m, KTR_ATTR_TRACER_DESC, desc.c_str()));
		if (!omit.contains(KTR_ATTR_TRACER_CURRENT))
			check(nla_put_u8(m, KTR_ATTR_TRACER_CURRENT, current));
		if (omit.contains(KTR_ATTR_TRACER_OPTIONS))
			return msg;
		nlattr *opts = nla_nest_start(m, KTR_ATTR_TRACER_OPTIONS);
		for (const OptionAttrs &o : options) {
			nlattr *n = nla_nest_start(m, KTR_ATTR_TRACER_OPTION);
			if (!o.omit.contains(KTR_ATTR_TRACER_OPT_NAME))
				check(nla_put_string(m, KTR_ATTR_TRACER_OPT_NAME, o.name.c_str()));
			if (!o.omit.contains(KTR_ATTR_TRACER_OPT_TYPE))
				check(nla_put_u32(m, KTR_ATTR_TRACER_OPT_TYPE, o.type));
			if (!o.omit.contains(KTR_ATTR_TRACER_OPT_DESC))
				check(nla_put_string(m, KTR_ATTR_TRACER_OPT_DESC, o.desc.c_str()));
			if (!o.omit.contains(KTR_ATTR_TRACER_OPT_DEFAULT))
				check(nla_put_string(m, KTR_ATTR_TRACER_OPT_DEFAULT, o.def.c_str()));
			if (o.value)
				check(nla_put_string(m, KTR_ATTR_TRACER_OPT_VALUE, o.value));
			nla_nest_end(m, n);
		}
		nla_nest_end(m, opts);
		return msg;
	}
};

Result<TracerInfo> parse(const TracerMessage &m)
{
	nl::MsgPtr msg = m.build();
	return parse_tracer_message(msg.get());
}

TracerInfo function_info(bool current)
{
	TracerInfo t;
	t.name = "function";
	t.description = "kernel function entries";
	t.current = current;
	t.options = {{"filter", TracerOptType::String, "functions to trace", "", std::nullopt},
		     {"all", TracerOptType::Bool, "every function", "0", std::nullopt}};
	if (current) {
		t.options[0].value = "vfs_*";
		t.options[1].value = "0";
	}
	return t;
}

TEST(TracerMessage, ParsesEveryField)
{
	Result<TracerInfo> t = parse(TracerMessage{});
	ASSERT_TRUE(t) << t.error().message();
	EXPECT_EQ(*t, function_info(false));

	TracerMessage cur;
	cur.current = 1;
	cur.options[0].value = "vfs_*";
	cur.options[1].value = "0";
	t = parse(cur);
	ASSERT_TRUE(t) << t.error().message();
	EXPECT_EQ(*t, function_info(true));

	TracerMessage none;
	none.name = "nop";
	none.options.clear();
	t = parse(none);
	ASSERT_TRUE(t) << t.error().message();
	EXPECT_TRUE(t->options.empty());
}

TEST(TracerMessage, RefusesMissingOrMalformedAttributes)
{
	TracerMessage no_opts;
	no_opts.omit = {KTR_ATTR_TRACER_OPTIONS};
	Result<TracerInfo> none = parse(no_opts);
	ASSERT_TRUE(none) << none.error().message();
	EXPECT_TRUE(none->options.empty());
	for (int type : {KTR_ATTR_TRACER_NAME, KTR_ATTR_TRACER_DESC, KTR_ATTR_TRACER_CURRENT}) {
		TracerMessage m;
		m.omit = {type};
		Result<TracerInfo> t = parse(m);
		ASSERT_FALSE(t) << type;
		EXPECT_EQ(t.error().errnum(), EPROTO);
		EXPECT_NE(t.error().message().find("KTR_CMD_LIST_TRACERS"), std::string::npos);
	}
	for (int type : {KTR_ATTR_TRACER_OPT_NAME, KTR_ATTR_TRACER_OPT_TYPE,
			 KTR_ATTR_TRACER_OPT_DESC, KTR_ATTR_TRACER_OPT_DEFAULT}) {
		TracerMessage m;
		m.options[1].omit = {type};
		Result<TracerInfo> t = parse(m);
		ASSERT_FALSE(t) << type;
		EXPECT_NE(t.error().message().find("tracer function: "), std::string::npos)
			<< t.error().message();
	}
	TracerMessage flag;
	flag.current = 2;
	EXPECT_FALSE(parse(flag));
	TracerMessage wrong;
	wrong.cmd = KTR_CMD_LIST_PROBES;
	EXPECT_FALSE(parse(wrong));
}

TEST(SetTracerReply, ParsesTheCurrentName)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	ASSERT_TRUE(genlmsg_put(msg.get(), 0, 1, family_id, 0, 0, KTR_CMD_SET_TRACER,
				KTR_GENL_VERSION));
	check(nla_put_string(msg.get(), KTR_ATTR_TRACER_NAME, "sample"));
	Result<std::string> name = parse_set_tracer_reply(msg.get());
	ASSERT_TRUE(name) << name.error().message();
	EXPECT_EQ(*name, "sample");

	nl::MsgPtr empty{nlmsg_alloc()};
	ASSERT_TRUE(genlmsg_put(empty.get(), 0, 1, family_id, 0, 0, KTR_CMD_SET_TRACER,
				KTR_GENL_VERSION));
	EXPECT_FALSE(parse_set_tracer_reply(empty.get()));
}

TEST(TracerSettings, ParseOneOpt)
{
	Result<TracerSetting> s = parse_tracer_setting("filter=vfs_*,do_sys_*");
	ASSERT_TRUE(s) << s.error().message();
	EXPECT_EQ(*s, (TracerSetting{"filter", "vfs_*,do_sys_*"}));
	s = parse_tracer_setting("notrace=");
	ASSERT_TRUE(s);
	EXPECT_EQ(*s, (TracerSetting{"notrace", ""}));
	s = parse_tracer_setting("a=b=c");
	ASSERT_TRUE(s);
	EXPECT_EQ(*s, (TracerSetting{"a", "b=c"}));

	for (const char *bad : {"filter", "=x", "Filter=x", "fil-ter=x", "a b=c"}) {
		Result<TracerSetting> r = parse_tracer_setting(bad);
		ASSERT_FALSE(r) << bad;
		EXPECT_EQ(r.error().errnum(), EINVAL);
		EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
	}
	EXPECT_FALSE(parse_tracer_setting("k=" + std::string(256, 'v')));
	EXPECT_TRUE(parse_tracer_setting("k=" + std::string(255, 'v')));
	EXPECT_FALSE(parse_tracer_setting(std::string(32, 'k') + "=1"));
	EXPECT_FALSE(parse_tracer_setting("k=a\nb"));
	EXPECT_FALSE(parse_tracer_setting(std::string("k=a\0b", 5)));
}

TEST(TracerSettings, WireForm)
{
	Result<std::string> b = encode_tracer_settings({{"filter", "vfs_*"}, {"all", "1"}});
	ASSERT_TRUE(b);
	EXPECT_EQ(*b, std::string("filter=vfs_*\0all=1\0", 19));
	b = encode_tracer_settings({});
	ASSERT_TRUE(b);
	EXPECT_TRUE(b->empty());
	b = encode_tracer_settings({{"a", "1"}, {"a", "2"}});
	ASSERT_FALSE(b);
	EXPECT_NE(b.error().message().find("'a' is given twice"), std::string::npos);
	std::vector<TracerSetting> many;
	for (int i = 0; i < 17; i++)
		many.push_back({"k" + std::to_string(i), "1"});
	EXPECT_FALSE(encode_tracer_settings(many));
	many.pop_back();
	EXPECT_TRUE(encode_tracer_settings(many));
}

TEST(TracerSettings, RecordMapsDashLAndDashN)
{
	Result<std::vector<TracerSetting>> s =
		record_tracer_settings("function", {"vfs_*", "do_sys_open*"}, {"vfs_statx"}, {});
	ASSERT_TRUE(s) << s.error().message();
	EXPECT_EQ(*s, (std::vector<TracerSetting>{{"filter", "vfs_*,do_sys_open*"},
						  {"notrace", "vfs_statx"}}));
	s = record_tracer_settings("function", {}, {}, {"all=1"});
	ASSERT_TRUE(s);
	EXPECT_EQ(*s, (std::vector<TracerSetting>{{"all", "1"}}));
	s = record_tracer_settings("sample", {}, {}, {"tag=3", "period_ms=10"});
	ASSERT_TRUE(s);
	EXPECT_EQ(s->size(), 2u);

	s = record_tracer_settings("sample", {"vfs_*"}, {}, {});
	ASSERT_FALSE(s);
	EXPECT_EQ(s.error().message(), "-l and -n (function globs) need -p function");
	EXPECT_FALSE(record_tracer_settings("nop", {}, {"x"}, {}));
	EXPECT_FALSE(record_tracer_settings("function", {}, {}, {"nokey"}));
}

TEST(TracerChecks, Name)
{
	EXPECT_TRUE(check_tracer_name("function"));
	EXPECT_TRUE(check_tracer_name("wakeup_rt"));
	for (const char *bad : {"", "Function", "a:b", "x y"})
		EXPECT_FALSE(check_tracer_name(bad)) << bad;
	EXPECT_FALSE(check_tracer_name(std::string(32, 'a')));
	EXPECT_TRUE(check_tracer_name(std::string(31, 'a')));
}

TEST(TracerErrors, Wording)
{
	Error e = set_tracer_error("function", EINVAL,
				   "ktr: function: no filter: tracing every kernel function...");
	EXPECT_EQ(e.errnum(), EINVAL);
	EXPECT_EQ(e.message(), "cannot set tracer 'function': ktr: function: no filter: tracing "
			       "every kernel function...");
	e = set_tracer_error("nosuch", ENOENT, "");
	EXPECT_EQ(e.message(), "no tracer named 'nosuch' (see 'ktr tracer list')");
	e = set_tracer_error("sample", EBUSY, "");
	EXPECT_EQ(e.message(), "cannot set tracer 'sample': its module is being unloaded");
	e = set_tracer_error("x", EINVAL, "line one\nline two");
	EXPECT_EQ(e.message().find('\n'), std::string::npos);
	e = no_tracers_error(6);
	EXPECT_EQ(e.errnum(), EOPNOTSUPP);
	EXPECT_EQ(e.message(), "the loaded ktr module has no tracers (ABI minor 6 < 7): load a "
			       "newer ktr.ko");
}

TEST(FormatTracers, TextJsonAndCurrent)
{
	TracerInfo nop;
	nop.name = "nop";
	nop.description = "no tracer";
	const std::vector<TracerInfo> list{nop, function_info(true)};
	EXPECT_EQ(format_tracers_text(list),
		  "  nop       no tracer\n"
		  "* function  kernel function entries\n"
		  "      --opt filter=<string> (default '', now 'vfs_*')  functions to trace\n"
		  "      --opt all=<bool> (default '0', now '0')  every function\n");
	EXPECT_EQ(format_tracers_text({}), "no tracers\n");
	EXPECT_EQ(format_tracers_json({nop}),
		  R"({"name":"nop","description":"no tracer","current":false,"options":[]})"
		  "\n");
	const std::string j = format_tracers_json({function_info(true)});
	EXPECT_NE(j.find(R"({"name":"filter","type":"string","description":"functions to trace",)"
			 R"("default":"","value":"vfs_*"})"),
		  std::string::npos)
		<< j;
	EXPECT_EQ(format_current_tracer(list), "current tracer: function\n  filter=vfs_*\n  all=0\n");
	EXPECT_EQ(format_current_tracer({nop}), "current tracer: nop\n");
	TracerInfo unknown = function_info(false);
	unknown.options[0].type = static_cast<TracerOptType>(9);
	EXPECT_NE(format_tracers_text({unknown}).find("<type 9>"), std::string::npos);
}

// The function tracer's event as the module describes it: ip and parent_ip,
// u64 symbols at 8 and 16, id from the tracer range.
constexpr std::uint16_t fn_id = KTR_EVENT_TRACER_FIRST + 1;

EventFormat function_format()
{
	std::vector<FieldFormat> fields = test::common_fields();
	fields.push_back({"ip", FieldType::Int, 8, 8, false, FieldDisplay::Symbol});
	fields.push_back({"parent_ip", FieldType::Int, 16, 8, false, FieldDisplay::Symbol});
	return EventFormat{fn_id, "function", "function", std::move(fields)};
}

test::Bytes function_payload(std::uint64_t ip, std::uint64_t parent)
{
	test::Bytes fields(16);
	std::memcpy(fields.data(), &ip, 8);
	std::memcpy(fields.data() + 8, &parent, 8);
	return test::event_payload(fn_id, 77, fields);
}

TEST(FunctionEvent, PrintsIpAndCallerAsSymbols)
{
	FormatTable table = builtin_formats();
	ASSERT_TRUE(table.add(function_format()));
	EventPrinter p(table, ClockMap{});
	const test::Bytes e = function_payload(0xffffffff81300004ULL, 0xffffffff8130026bULL);
	EXPECT_EQ(test::text(p, 0, 0, e),
		  "           <...>-77      [000]     0.000000: function: ip=0xffffffff81300004 "
		  "parent_ip=0xffffffff8130026b\n");
	p.set_symbolizer([](std::uint64_t addr) -> std::string {
		if (addr == 0xffffffff81300004ULL)
			return "vfs_read+0x4";
		if (addr == 0xffffffff8130026bULL)
			return "ksys_read+0x6b";
		return "";
	});
	EXPECT_EQ(test::text(p, 0, 0, e),
		  "           <...>-77      [000]     0.000000: function: ip=vfs_read+0x4 "
		  "parent_ip=ksys_read+0x6b\n");
	EXPECT_EQ(test::json(p, 0, 0, e),
		  R"({"ts_ns":0,"ts":"0.000000","cpu":0,"pid":77,"comm":null,"event":"function",)"
		  R"("ip":18446744071581990916,"parent_ip":18446744071581991531})"
		  "\n");
}

} // namespace
} // namespace ktr
