// SPDX-License-Identifier: MIT
//
// The user-space side of filters and stack capture: task filter checks,
// the KTR_CMD_GET_FILTERS reply parser and its text, per-event filter
// requests for a glob, /proc/kallsyms symbolization, and the rest-of-
// payload u64 field type that carries stack traces (format, value, text,
// JSON).
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include <ktr.h>
#include <ktr_event.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/events.h"
#include "ktr/filters.h"
#include "ktr/kallsyms.h"
#include "nl_handles.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;

EventFormat stack_format()
{
	EventFormat f{KTR_EVENT_STACK, "ktr", "stack", test::common_fields()};
	f.fields.push_back({"event_ts", FieldType::Int, offsetof(ktr_event_stack, event_ts), 8,
			    false});
	f.fields.push_back({"nr", FieldType::Int, offsetof(ktr_event_stack, nr), 4, false});
	f.fields.push_back({"ips", FieldType::RestU64, sizeof(ktr_event_stack), 0, false});
	return f;
}

Bytes stack_payload(std::int32_t pid, const std::vector<std::uint64_t> &ips)
{
	ktr_event_stack e{};
	e.common.id = KTR_EVENT_STACK;
	e.common.pid = pid;
	e.event_ts = 999;
	e.nr = static_cast<std::uint32_t>(ips.size());
	Bytes b = test::as_bytes(e);
	const std::size_t off = b.size();
	b.resize(off + ips.size() * 8);
	std::memcpy(b.data() + off, ips.data(), ips.size() * 8);
	return b;
}

TEST(Kallsyms, NamesTextSymbolsWithOffsetAndModule)
{
	std::istringstream in("ffffffff81000000 T _stext\n"
			      "ffffffff81000100 t do_thing\n"
			      "ffffffff81000200 D some_data\n"
			      "0000000000000000 T hidden\n"
			      "ffffffffc0001000 t ktr_probe\t[ktr]\n"
			      "garbage line\n");
	const Kallsyms k = Kallsyms::parse(in);
	EXPECT_EQ(k.size(), 3u);
	EXPECT_EQ(k.name(0xffffffff80ffffff), "");
	EXPECT_EQ(k.name(0xffffffff81000000), "_stext+0x0");
	EXPECT_EQ(k.name(0xffffffff81000123), "do_thing+0x23");
	// A data symbol is not a function: the text symbol before it names it.
	EXPECT_EQ(k.name(0xffffffff81000210), "do_thing+0x110");
	EXPECT_EQ(k.name(0xffffffffc0001010), "ktr_probe+0x10 [ktr]");
	EXPECT_EQ(Kallsyms::load("/nonexistent/kallsyms").size(), 0u);
}

TEST(RestU64, FormatRules)
{
	EXPECT_TRUE(validate_format(stack_format()));
	EventFormat sized = stack_format();
	sized.fields.back().size = 8;
	EXPECT_FALSE(validate_format(sized));
	EventFormat not_last = stack_format();
	std::swap(not_last.fields[4], not_last.fields[5]);
	not_last.fields[5].offset = 16;	// nr after the array
	EXPECT_FALSE(validate_format(not_last));
	EXPECT_EQ(field_type_name(FieldType::RestU64), "rest_u64");
	// It survives a capture file's format table.
	FormatTable t;
	ASSERT_TRUE(t.add(stack_format()));
	Result<FormatTable> back = FormatTable::parse(t.serialize());
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(*back, t);
}

TEST(RestU64, ValuesAndTruncation)
{
	const EventFormat f = stack_format();
	Bytes p = stack_payload(7, {0xffffffff81000010, 0xffffffff81000200});
	Result<FieldValue> v = field_value(f, f.fields.back(), p);
	ASSERT_TRUE(v) << v.error().message();
	EXPECT_EQ(std::get<std::vector<std::uint64_t>>(*v),
		  (std::vector<std::uint64_t>{0xffffffff81000010, 0xffffffff81000200}));
	p.resize(p.size() - 3);	// not a whole number of values
	Result<FieldValue> cut = field_value(f, f.fields.back(), p);
	ASSERT_FALSE(cut);
	EXPECT_EQ(cut.error().errnum(), EPROTO);
	EXPECT_NE(cut.error().message().find("'ips'"), std::string::npos);
}

TEST(StackPrint, TextOneFrameALineSymbolizedWhenPossible)
{
	FormatTable t = builtin_formats();
	ASSERT_TRUE(t.add(stack_format()));
	EventPrinter p(t, ClockMap{1000, 5000000000});
	const Bytes payload = stack_payload(0, {0xffffffff81000123, 0x10});
	EXPECT_EQ(test::text(p, 1, 1000, payload),
		  "          <idle>-0       [001]     5.000000: stack: <stack trace>\n"
		  " => 0xffffffff81000123\n"
		  " => 0x0000000000000010\n");
	p.set_symbolizer([](std::uint64_t ip) {
		return ip == 0xffffffff81000123 ? std::string("do_thing+0x23") : std::string();
	});
	EXPECT_EQ(test::text(p, 1, 1000, payload),
		  "          <idle>-0       [001]     5.000000: stack: <stack trace>\n"
		  " => 0xffffffff81000123 do_thing+0x23\n"
		  " => 0x0000000000000010\n");
	EXPECT_EQ(test::json(p, 1, 1000, payload),
		  "{\"ts_ns\":5000000000,\"ts\":\"5.000000\",\"cpu\":1,\"pid\":0,\"comm\":null,"
		  "\"event\":\"stack\",\"event_ts\":999,\"nr\":2,\"ips\":[18446744071578845475,16]}\n");
}

TEST(TaskFilterCheck, RefusesWhatTheModuleWould)
{
	EXPECT_FALSE(check_task_filter(TaskFilter{}));
	TaskFilter ok;
	ok.pids = std::vector<std::int32_t>{1, 42};
	ok.follow = true;
	EXPECT_TRUE(check_task_filter(ok));
	TaskFilter zero;
	zero.pids = std::vector<std::int32_t>{0};
	EXPECT_NE(check_task_filter(zero).error().message().find("process id 0"), std::string::npos);
	TaskFilter many;
	many.pids = std::vector<std::int32_t>(KTR_FILTER_PIDS_MAX + 1, 5);
	EXPECT_FALSE(check_task_filter(many));
	TaskFilter follow_nothing;
	follow_nothing.pids = std::vector<std::int32_t>{};
	follow_nothing.follow = true;
	EXPECT_FALSE(check_task_filter(follow_nothing));
	TaskFilter long_comm;
	long_comm.comms = std::vector<std::string>{"0123456789abcdef"};
	EXPECT_FALSE(check_task_filter(long_comm));
	TaskFilter empty_comm;
	empty_comm.comms = std::vector<std::string>{""};
	EXPECT_FALSE(check_task_filter(empty_comm));
	TaskFilter clear;
	clear.comms = std::vector<std::string>{};
	EXPECT_TRUE(check_task_filter(clear));
	TaskFilter cpu;
	cpu.cpus = std::vector<std::uint32_t>{KTR_FILTER_CPUS_MAX};
	EXPECT_FALSE(check_task_filter(cpu));
}

nl::MsgPtr filters_reply()
{
	nl::MsgPtr msg{nlmsg_alloc()};
	EXPECT_TRUE(genlmsg_put(msg.get(), 0, 1, 0x20, 0, 0, KTR_CMD_GET_FILTERS, KTR_GENL_VERSION));
	return msg;
}

TEST(FiltersReply, ParsesEveryKindAndFormatsIt)
{
	nl::MsgPtr msg = filters_reply();
	const std::int32_t pids[] = {12, 34};
	nla_put(msg.get(), KTR_ATTR_FILTER_PIDS, sizeof(pids), pids);
	nla_put_u8(msg.get(), KTR_ATTR_FILTER_FOLLOW, 1);
	nla_put_u32(msg.get(), KTR_ATTR_FILTER_TRACKED, 5);
	const char comms[] = "bash\0kworker*";
	nla_put(msg.get(), KTR_ATTR_FILTER_COMMS, sizeof(comms), comms);
	const std::uint64_t cpus[] = {0x5, 0x1};
	nla_put(msg.get(), KTR_ATTR_FILTER_CPUS, sizeof(cpus), cpus);
	nlattr *ev = nla_nest_start(msg.get(), KTR_ATTR_EVENT_FILTER);
	nla_put_u32(msg.get(), KTR_ATTR_EVENT_ID, KTR_EVENT_SCHED_SWITCH);
	nla_put_string(msg.get(), KTR_ATTR_EVENT_NAME, "sched_switch");
	nla_put_string(msg.get(), KTR_ATTR_FILTER_TEXT, "prev_pid == 1");
	nla_put_u8(msg.get(), KTR_ATTR_EVENT_STACK, 1);
	nla_nest_end(msg.get(), ev);

	Result<FilterState> st = parse_filters_reply(msg.get());
	ASSERT_TRUE(st) << st.error().message();
	EXPECT_EQ(*st->pids, (std::vector<std::int32_t>{12, 34}));
	EXPECT_TRUE(st->follow);
	EXPECT_EQ(st->tracked, 5u);
	EXPECT_EQ(*st->comms, (std::vector<std::string>{"bash", "kworker*"}));
	EXPECT_EQ(*st->cpus, (std::vector<std::uint32_t>{0, 2, 64}));
	ASSERT_EQ(st->events.size(), 1u);
	EXPECT_EQ(st->events[0].name, "sched_switch");
	EXPECT_EQ(*st->events[0].filter, "prev_pid == 1");
	EXPECT_TRUE(st->events[0].stack);
	EXPECT_EQ(format_filter_state(*st),
		  "pids: 12 34 and their children (5 processes traced now)\n"
		  "comms: bash kworker*\n"
		  "cpus: 0 2 64\n"
		  "sched_switch: filter 'prev_pid == 1' stack\n");
}

TEST(FiltersReply, EmptyMeansNoFilters)
{
	nl::MsgPtr msg = filters_reply();
	Result<FilterState> st = parse_filters_reply(msg.get());
	ASSERT_TRUE(st);
	EXPECT_TRUE(st->empty());
	EXPECT_EQ(format_filter_state(*st),
		  "no filters: every event of every task on every CPU is recorded\n");
}

TEST(FiltersReply, MalformedIsEproto)
{
	{
		nl::MsgPtr msg = filters_reply();
		const char odd[6] = {};
		nla_put(msg.get(), KTR_ATTR_FILTER_PIDS, sizeof(odd), odd);
		EXPECT_EQ(parse_filters_reply(msg.get()).error().errnum(), EPROTO);
	}
	{
		nl::MsgPtr msg = filters_reply();
		const std::int32_t pid = 3;
		nla_put(msg.get(), KTR_ATTR_FILTER_PIDS, sizeof(pid), &pid);	// no follow/tracked
		EXPECT_EQ(parse_filters_reply(msg.get()).error().errnum(), EPROTO);
	}
	{
		nl::MsgPtr msg = filters_reply();
		nla_put(msg.get(), KTR_ATTR_FILTER_COMMS, 4, "bash");	// no NUL
		EXPECT_EQ(parse_filters_reply(msg.get()).error().errnum(), EPROTO);
	}
	{
		nl::MsgPtr msg = filters_reply();
		nlattr *ev = nla_nest_start(msg.get(), KTR_ATTR_EVENT_FILTER);
		nla_put_u32(msg.get(), KTR_ATTR_EVENT_ID, 2);
		nla_nest_end(msg.get(), ev);	// no name, no stack flag
		EXPECT_EQ(parse_filters_reply(msg.get()).error().errnum(), EPROTO);
	}
}

std::vector<EventInfo> sched_events()
{
	using S = ktr_event_sched_switch;
	EventFormat sw{KTR_EVENT_SCHED_SWITCH, "sched", "sched_switch", test::common_fields()};
	sw.fields.push_back({"prev_pid", FieldType::Int, offsetof(S, prev_pid), 4, true});
	using W = ktr_event_sched_wakeup;
	EventFormat wk{KTR_EVENT_SCHED_WAKEUP, "sched", "sched_wakeup", test::common_fields()};
	wk.fields.push_back({"pid", FieldType::Int, offsetof(W, pid), 4, true});
	EventFormat marker = *builtin_formats().find(KTR_EVENT_MARKER);
	return {{marker, true, true}, {sw, true, false}, {wk, true, false}};
}

TEST(EventFilterRequests, OnePerMatchingEventCompiledForEach)
{
	const auto events = sched_events();
	auto reqs = event_filter_requests(events, "sched_*", "common_pid > 1", true);
	ASSERT_TRUE(reqs) << reqs.error().message();
	ASSERT_EQ(reqs->size(), 2u);
	EXPECT_EQ((*reqs)[0].event, "sched:sched_switch");
	EXPECT_EQ((*reqs)[1].event, "sched:sched_wakeup");
	for (const EventFilterRequest &r : *reqs) {
		EXPECT_EQ(r.action, EventFilterRequest::Program::Set);
		EXPECT_EQ(r.stack, std::optional<bool>{true});
		EXPECT_FALSE(r.program.insns.empty());
	}
	// Stack only: no program.
	auto stack_only = event_filter_requests(events, "sched_switch", std::nullopt, true);
	ASSERT_TRUE(stack_only);
	EXPECT_EQ((*stack_only)[0].action, EventFilterRequest::Program::Keep);
	// A field one matching event lacks: an error naming the problem.
	auto missing = event_filter_requests(events, "sched_*", "prev_pid == 1", std::nullopt);
	ASSERT_FALSE(missing);
	EXPECT_NE(missing.error().message().find("prev_pid"), std::string::npos);
	// Markers cannot be filtered; nothing else matches.
	auto marker = event_filter_requests(events, "marker", "common_pid == 1", std::nullopt);
	ASSERT_FALSE(marker);
	EXPECT_EQ(marker.error().errnum(), EINVAL);
}

} // namespace
} // namespace ktr
