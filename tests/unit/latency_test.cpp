// SPDX-License-Identifier: MIT
//
// Wakeup latency in user space (KTR_CMD_GET_LATENCY, ABI minor 8): the
// dump's messages and the notice built here as the module sends them, then
// parsed and assembled (bad and inconsistent ones refused, naming what);
// what `ktr latency` prints (the histogram lines of funclat, the worst-case
// trace as ktr-read lines, JSON) and how a notice and the failures read.
#include <cerrno>
#include <cstdint>
#include <cstring>
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
#include "ktr/histogram.h"
#include "ktr/latency.h"
#include "nl_handles.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

constexpr int family_id = 0x1d;
constexpr std::uint64_t kLocal = 1000;
constexpr std::uint64_t kMono = 5000000000;	// 5 s

void check(int rc)
{
	if (rc < 0)
		throw std::runtime_error("building a test message failed: " + std::to_string(rc));
}

nl::MsgPtr new_msg(std::uint8_t cmd = KTR_CMD_GET_LATENCY)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, family_id, 0, 0, cmd, KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");
	return msg;
}

// The first message of the dump.
struct SummaryMessage {
	std::uint64_t seq = 2;
	std::uint64_t buckets[KTR_LAT_BUCKETS]{};
	std::size_t hist_bytes = sizeof(buckets);
	std::set<int> omit;

	SummaryMessage()
	{
		buckets[10] = 3;	// [1K, 2K)
		buckets[12] = 1;	// [4K, 8K)
	}

	[[nodiscard]] nl::MsgPtr build() const
	{
		nl::MsgPtr msg = new_msg();
		nl_msg *m = msg.get();
		const auto u64 = [&](int type, std::uint64_t v) {
			if (!omit.contains(type))
				check(nla_put_u64(m, type, v));
		};
		if (!omit.contains(KTR_ATTR_LAT_TRACER))
			check(nla_put_string(m, KTR_ATTR_LAT_TRACER, "wakeup_rt"));
		u64(KTR_ATTR_LAT_SEQ, seq);
		u64(KTR_ATTR_LAT_THRESHOLD_NS, 0);
		u64(KTR_ATTR_LAT_COUNT, 4);
		u64(KTR_ATTR_LAT_SUM_NS, 10000);
		u64(KTR_ATTR_LAT_LOST, 1);
		if (!omit.contains(KTR_ATTR_LAT_HIST))
			check(nla_put(m, KTR_ATTR_LAT_HIST, static_cast<int>(hist_bytes), buckets));
		if (!seq)
			return msg;
		u64(KTR_ATTR_LAT_MAX_NS, 5000);
		if (!omit.contains(KTR_ATTR_LAT_PID))
			check(nla_put_u32(m, KTR_ATTR_LAT_PID, 1234));
		if (!omit.contains(KTR_ATTR_LAT_COMM))
			check(nla_put_string(m, KTR_ATTR_LAT_COMM, "sleeper"));
		if (!omit.contains(KTR_ATTR_LAT_PRIO))
			check(nla_put_u32(m, KTR_ATTR_LAT_PRIO, 49));
		if (!omit.contains(KTR_ATTR_CPU))
			check(nla_put_u32(m, KTR_ATTR_CPU, 1));
		u64(KTR_ATTR_LAT_WAKE_TS, kLocal);
		u64(KTR_ATTR_LAT_SWITCH_TS, kLocal + 5000);
		return msg;
	}
};

test::Bytes wakeup_payload(std::int32_t waker, std::string_view comm, std::int32_t pid,
			   std::int32_t prio, std::int32_t cpu)
{
	ktr_event_sched_wakeup e{};
	e.common.id = KTR_EVENT_SCHED_WAKEUP;
	e.common.pid = waker;
	std::memcpy(e.comm, comm.data(), std::min(comm.size(), sizeof(e.comm)));
	e.pid = pid;
	e.prio = prio;
	e.target_cpu = cpu;
	return test::as_bytes(e);
}

test::Bytes switch_payload(std::int32_t prev, std::string_view next_comm, std::int32_t next,
			   std::int32_t next_prio)
{
	ktr_event_sched_switch e{};
	e.common.id = KTR_EVENT_SCHED_SWITCH;
	e.common.pid = prev;
	std::memcpy(e.prev_comm, "swapper/1", 9);
	e.prev_pid = prev;
	e.prev_prio = 120;
	std::memcpy(e.next_comm, next_comm.data(), std::min(next_comm.size(), sizeof(e.next_comm)));
	e.next_pid = next;
	e.next_prio = next_prio;
	return test::as_bytes(e);
}

nl::MsgPtr event_message(std::uint64_t seq, std::uint64_t ts, const test::Bytes &payload,
			 std::set<int> omit = {})
{
	nl::MsgPtr msg = new_msg();
	nl_msg *m = msg.get();
	if (!omit.contains(KTR_ATTR_LAT_SEQ))
		check(nla_put_u64(m, KTR_ATTR_LAT_SEQ, seq));
	if (!omit.contains(KTR_ATTR_CPU))
		check(nla_put_u32(m, KTR_ATTR_CPU, 1));
	if (!omit.contains(KTR_ATTR_LAT_EVENT_TS))
		check(nla_put_u64(m, KTR_ATTR_LAT_EVENT_TS, ts));
	if (!omit.contains(KTR_ATTR_LAT_EVENT))
		check(nla_put(m, KTR_ATTR_LAT_EVENT, static_cast<int>(payload.size()),
			      payload.data()));
	return msg;
}

LatencyMessage parsed(const nl::MsgPtr &msg)
{
	Result<LatencyMessage> r = parse_latency_message(msg.get());
	if (!r)
		throw std::runtime_error(r.error().message());
	return *r;
}

// The formats of the two scheduler events, as the module lists them.
const FormatTable &sched_formats()
{
	static const FormatTable table = [] {
		FormatTable t = builtin_formats();
		EXPECT_TRUE(t.add(test::sched_switch_format()));
		using W = ktr_event_sched_wakeup;
		EventFormat wk{KTR_EVENT_SCHED_WAKEUP, "sched", "sched_wakeup", test::common_fields()};
		wk.fields.insert(wk.fields.end(), {
			{"comm", FieldType::CharArray, offsetof(W, comm), KTR_COMM_LEN, false},
			{"pid", FieldType::Int, offsetof(W, pid), 4, true},
			{"prio", FieldType::Int, offsetof(W, prio), 4, true},
			{"target_cpu", FieldType::Int, offsetof(W, target_cpu), 4, true},
		});
		EXPECT_TRUE(t.add(wk));
		return t;
	}();
	return table;
}

// A whole dump: the summary, the wakeup of 1234 and the switch onto it.
std::vector<LatencyMessage> sample_dump()
{
	return {parsed(SummaryMessage{}.build()),
		parsed(event_message(2, kLocal, wakeup_payload(0, "sleeper", 1234, 49, 1))),
		parsed(event_message(2, kLocal + 5000, switch_payload(0, "sleeper", 1234, 49)))};
}

TEST(LatencyMessage, ParsesTheSummary)
{
	LatencyMessage m = parsed(SummaryMessage{}.build());
	ASSERT_TRUE(std::holds_alternative<LatencyReport>(m));
	const LatencyReport &r = std::get<LatencyReport>(m);
	EXPECT_EQ(r.tracer, "wakeup_rt");
	EXPECT_EQ(r.seq, 2u);
	EXPECT_EQ(r.count, 4u);
	EXPECT_EQ(r.sum_ns, 10000u);
	EXPECT_EQ(r.lost, 1u);
	EXPECT_EQ(r.buckets[10], 3u);
	EXPECT_EQ(r.buckets[12], 1u);
	ASSERT_TRUE(r.max);
	EXPECT_EQ(*r.max, (LatencyMax{5000, 1234, "sleeper", 49, 1, kLocal, kLocal + 5000}));
	EXPECT_TRUE(r.trace.empty());
}

TEST(LatencyMessage, NoMaximumYet)
{
	SummaryMessage s;
	s.seq = 0;
	LatencyMessage m = parsed(s.build());
	ASSERT_TRUE(std::holds_alternative<LatencyReport>(m));
	EXPECT_FALSE(std::get<LatencyReport>(m).max);
}

TEST(LatencyMessage, RefusesIncompleteSummaries)
{
	for (int type : {KTR_ATTR_LAT_SEQ, KTR_ATTR_LAT_COUNT, KTR_ATTR_LAT_HIST, KTR_ATTR_LAT_PID,
			 KTR_ATTR_LAT_COMM, KTR_ATTR_CPU, KTR_ATTR_LAT_MAX_NS}) {
		SummaryMessage s;
		s.omit = {type};
		nl::MsgPtr msg = s.build();
		Result<LatencyMessage> r = parse_latency_message(msg.get());
		ASSERT_FALSE(r) << type;
		EXPECT_EQ(r.error().errnum(), EPROTO);
		EXPECT_NE(r.error().message().find("KTR_CMD_GET_LATENCY"), std::string::npos);
	}
	SummaryMessage shorter;
	shorter.hist_bytes = 8 * 10;
	nl::MsgPtr msg = shorter.build();
	Result<LatencyMessage> r = parse_latency_message(msg.get());
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("KTR_ATTR_LAT_HIST is 80 bytes, expected 512"),
		  std::string::npos)
		<< r.error().message();
}

TEST(LatencyMessage, ParsesAndRefusesEvents)
{
	const test::Bytes wk = wakeup_payload(7, "sleeper", 1234, 49, 1);
	LatencyMessage m = parsed(event_message(2, 42, wk));
	ASSERT_TRUE(std::holds_alternative<LatencyTraceMessage>(m));
	const LatencyTraceMessage &t = std::get<LatencyTraceMessage>(m);
	EXPECT_EQ(t.seq, 2u);
	EXPECT_EQ(t.event.cpu, 1u);
	EXPECT_EQ(t.event.ts, 42u);
	ASSERT_EQ(t.event.payload.size(), wk.size());
	EXPECT_EQ(std::memcmp(t.event.payload.data(), wk.data(), wk.size()), 0);

	nl::MsgPtr no_ts = event_message(2, 42, wk, {KTR_ATTR_LAT_EVENT_TS});
	EXPECT_FALSE(parse_latency_message(no_ts.get()));
	nl::MsgPtr tiny = event_message(2, 42, test::Bytes(4, std::byte{0}));
	Result<LatencyMessage> r = parse_latency_message(tiny.get());
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("shorter than an event header"), std::string::npos);
	nl::MsgPtr other = new_msg(KTR_CMD_LIST_TRACERS);
	EXPECT_FALSE(parse_latency_message(other.get()));
}

TEST(LatencyAssemble, SummaryThenItsEvents)
{
	Result<LatencyReport> r = assemble_latency(sample_dump());
	ASSERT_TRUE(r) << r.error().message();
	ASSERT_EQ(r->trace.size(), 2u);
	EXPECT_EQ(r->trace[0].ts, kLocal);
	EXPECT_EQ(r->trace[1].ts, kLocal + 5000);
}

TEST(LatencyAssemble, RefusesInconsistentDumps)
{
	EXPECT_FALSE(assemble_latency({}));
	std::vector<LatencyMessage> d = sample_dump();
	std::swap(d[0], d[1]);
	Result<LatencyReport> r = assemble_latency(d);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("does not start with its summary"), std::string::npos);

	d = sample_dump();
	d.push_back(d[0]);
	r = assemble_latency(d);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("a second summary"), std::string::npos);

	d = sample_dump();
	d.push_back(parsed(event_message(3, 1, wakeup_payload(0, "x", 9, 120, 0))));
	r = assemble_latency(d);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("an event of maximum #3 in the dump of maximum #2"),
		  std::string::npos)
		<< r.error().message();
}

TEST(LatencyPrint, Text)
{
	Result<LatencyReport> r = assemble_latency(sample_dump());
	ASSERT_TRUE(r);
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	const std::string bar3(hist_bar_width, '@');
	const std::string bar1(hist_bar_width / 3, '@');
	EXPECT_EQ(format_latency_text(*r, p),
		  "tracer: wakeup_rt  (threshold 0 ns)\n"
		  "max latency: 5000 ns  sleeper-1234 prio 49 CPU 1  (#2)\n"
		  "\n"
		  "latency (ns):\n" +
			  log2_bucket_lines(r->buckets) +
			  "count 4  avg 2500 ns  lost 1\n"
			  "\n"
			  "worst-case trace (CPU 1, 2 events):\n"
			  "          <idle>-0       [001]     5.000000: sched_wakeup: comm=sleeper "
			  "pid=1234 prio=49 target_cpu=1\n"
			  "          <idle>-0       [001]     5.000005: sched_switch: "
			  "prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=0 preempt=0 "
			  "next_comm=sleeper next_pid=1234 next_prio=49\n");
	// The lines of funclat's histograms: [1K, 2K) with the longest bar.
	const std::string lines = log2_bucket_lines(r->buckets);
	EXPECT_EQ(lines, hist_line("[1K, 2K)", 3, 3) + hist_line("[2K, 4K)", 0, 3) +
				 hist_line("[4K, 8K)", 1, 3));
}

TEST(LatencyPrint, TextWithoutMaximum)
{
	SummaryMessage s;
	s.seq = 0;
	std::fill(std::begin(s.buckets), std::end(s.buckets), 0);
	Result<LatencyReport> r = assemble_latency({parsed(s.build())});
	ASSERT_TRUE(r);
	r->count = 0;
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_EQ(format_latency_text(*r, p), "tracer: wakeup_rt  (threshold 0 ns)\n"
					      "max latency: none yet (no wakeup measured)\n"
					      "\n"
					      "latency (ns):\n"
					      "no wakeups measured  lost 1\n");
}

TEST(LatencyPrint, UndecodableEventSaysSo)
{
	std::vector<LatencyMessage> d = sample_dump();
	test::Bytes bad = wakeup_payload(0, "x", 9, 120, 0);
	bad[0] = std::byte{0xee};	// an id the table lacks
	d.push_back(parsed(event_message(2, 7, bad)));
	Result<LatencyReport> r = assemble_latency(d);
	ASSERT_TRUE(r);
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	EXPECT_NE(format_latency_text(*r, p).find("(undecodable event: "), std::string::npos);
}

TEST(LatencyPrint, Json)
{
	Result<LatencyReport> r = assemble_latency(sample_dump());
	ASSERT_TRUE(r);
	EventPrinter p(sched_formats(), ClockMap{kLocal, kMono});
	const std::string j = format_latency_json(*r, p);
	EXPECT_EQ(j.rfind("{\"tracer\":\"wakeup_rt\",\"seq\":2,\"threshold_ns\":0,\"count\":4,"
			  "\"sum_ns\":10000,\"avg_ns\":2500,\"lost\":1,\"hist\":[{\"low\":1024,"
			  "\"high\":2048,\"count\":3},{\"low\":4096,\"high\":8192,\"count\":1}],",
			  0),
		  0u)
		<< j;
	EXPECT_NE(j.find("\"max\":{\"latency_ns\":5000,\"pid\":1234,\"comm\":\"sleeper\",\"prio\":49,"
			 "\"cpu\":1,\"wake_ts_ns\":5000000000,\"switch_ts_ns\":5000005000}"),
		  std::string::npos)
		<< j;
	EXPECT_NE(j.find(",\"trace\":[{"), std::string::npos) << j;
	EXPECT_NE(j.find("\"event\":\"sched_switch\""), std::string::npos) << j;
	EXPECT_EQ(j.substr(j.size() - 4), "}]}\n");
	EXPECT_EQ(j.back(), '\n');
	EXPECT_EQ(j.find('\n'), j.size() - 1) << "one line";
}

TEST(LatencyNotice, ParsesAndPrints)
{
	nl::MsgPtr msg = new_msg();
	nl_msg *m = msg.get();
	check(nla_put_string(m, KTR_ATTR_LAT_TRACER, "wakeup"));
	check(nla_put_u64(m, KTR_ATTR_LAT_SEQ, 3));
	check(nla_put_u64(m, KTR_ATTR_LAT_MAX_NS, 98765));
	check(nla_put_u32(m, KTR_ATTR_LAT_PID, 55));
	check(nla_put_string(m, KTR_ATTR_LAT_COMM, "kworker/0:1"));
	check(nla_put_u32(m, KTR_ATTR_LAT_PRIO, 120));
	Result<LatencyNotice> bad = parse_latency_notice(msg.get());
	ASSERT_FALSE(bad) << "KTR_ATTR_CPU is required";
	EXPECT_NE(bad.error().message().find("KTR_ATTR_CPU"), std::string::npos);
	check(nla_put_u32(m, KTR_ATTR_CPU, 0));
	Result<LatencyNotice> n = parse_latency_notice(msg.get());
	ASSERT_TRUE(n) << n.error().message();
	EXPECT_EQ(n->tracer, "wakeup");
	EXPECT_EQ(n->seq, 3u);
	EXPECT_EQ(format_latency_notice(*n, false),
		  "new maximum: 98765 ns  kworker/0:1-55 prio 120 CPU 0  (wakeup, #3)\n");
	EXPECT_EQ(format_latency_notice(*n, true),
		  "{\"tracer\":\"wakeup\",\"seq\":3,\"latency_ns\":98765,\"pid\":55,"
		  "\"comm\":\"kworker/0:1\",\"prio\":120,\"cpu\":0}\n");
}

TEST(LatencyErrors, Wording)
{
	const Error nodata = latency_error(ENODATA, "no latency data: ...");
	EXPECT_EQ(nodata.errnum(), ENODATA);
	EXPECT_NE(nodata.message().find("'ktr tracer set wakeup'"), std::string::npos);
	const Error old = no_latency_error(7);
	EXPECT_EQ(old.errnum(), EOPNOTSUPP);
	EXPECT_NE(old.message().find("ABI minor 7 < 8"), std::string::npos);
	EXPECT_EQ(latency_error(EPERM, "ktr needs CAP_PERFMON").errnum(), EPERM);
}

} // namespace
} // namespace ktr
