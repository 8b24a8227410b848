// SPDX-License-Identifier: MIT
//
// The CTF output (ktr/ctf_sink.h, src/ctf/): LTTng's names, the packet
// writer's packets and losses, and a whole trace from a small capture
// checked byte for byte (tests/data/ctf/sample.metadata, the streams built
// here by hand from the CTF layout the metadata declares); ktr report's
// --format/-o checks. ctf_babeltrace_test.cpp reads traces with babeltrace2.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <sys/stat.h>

#include "ctf/ctf_layout.h"
#include "ctf/ctf_names.h"
#include "ctf/ctf_packet.h"
#include "ctf_capture.h"
#include "ktr/capture_source.h"
#include "ktr/ctf_sink.h"
#include "ktr/pipeline.h"
#include "ktr/version.h"
#include "run_tool.h"
#include "temp_path.h"

namespace ktr {
namespace {

using test::Bytes;

constexpr ctf::Uuid kUuid = {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0x4d, 0xef,
			     0x80, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07};

// A byte string built field by field, as the metadata declares them.
struct Out {
	Bytes b;
	template <typename T>
	Out &put(T v)
	{
		const auto *p = reinterpret_cast<const std::byte *>(&v);
		b.insert(b.end(), p, p + sizeof(v));
		return *this;
	}
	Out &text(std::string_view s, std::size_t size)	// a char array
	{
		for (std::size_t i = 0; i < size; i++)
			b.push_back(i < s.size() ? static_cast<std::byte>(s[i]) : std::byte{0});
		return *this;
	}
	Out &str(std::string_view s)	// a CTF string
	{
		return text(s, s.size() + 1);
	}
	Out &append(const Bytes &o)
	{
		b.insert(b.end(), o.begin(), o.end());
		return *this;
	}
};

// The packet header and context of a packet of @size bytes.
Bytes packet_head(std::uint32_t cpu, std::uint64_t begin, std::uint64_t end, std::size_t size,
		  std::uint64_t seq, std::uint64_t discarded)
{
	Out o;
	o.put(std::uint32_t{0xc1fc1fc1});
	for (const std::uint8_t u : kUuid)
		o.put(u);
	o.put(std::uint32_t{0}).put(std::uint64_t{cpu});
	o.put(begin).put(end).put(std::uint64_t{size * 8}).put(std::uint64_t{size * 8});
	o.put(seq).put(discarded).put(cpu);
	return o.b;
}

TEST(CtfNames, LttngNames)
{
	EXPECT_EQ(ctf::event_name("sched", "sched_switch"), "sched_switch");
	EXPECT_EQ(ctf::event_name("irq", "softirq_entry"), "irq_softirq_entry");
	EXPECT_EQ(ctf::event_name("kmem", "kmalloc"), "kmem_kmalloc");
	EXPECT_EQ(ctf::event_name("exceptions", "page_fault_user"),
		  "x86_exceptions_page_fault_user");
	EXPECT_EQ(ctf::event_name("raw", "softirq_entry"), "softirq_entry");
	EXPECT_EQ(ctf::event_name("ktr", "marker"), "marker");
	EXPECT_EQ(ctf::syscall_kind("raw_syscalls", "sys_enter"), ctf::SyscallKind::Entry);
	EXPECT_EQ(ctf::syscall_kind("raw_syscalls", "sys_exit"), ctf::SyscallKind::Exit);
	EXPECT_EQ(ctf::syscall_kind("raw", "sys_enter"), ctf::SyscallKind::None);
	EXPECT_EQ(ctf::syscall_event_name(ctf::SyscallKind::Entry, 257), "syscall_entry_openat");
	EXPECT_EQ(ctf::syscall_event_name(ctf::SyscallKind::Exit, 0), "syscall_exit_read");
	EXPECT_EQ(ctf::syscall_event_name(ctf::SyscallKind::Exit, -1), "syscall_exit_unknown");
	EXPECT_EQ(ctf::field_name("sched", "sched_switch", "prev_pid"), "prev_tid");
	EXPECT_EQ(ctf::field_name("sched", "sched_switch", "next_pid"), "next_tid");
	EXPECT_EQ(ctf::field_name("sched", "sched_wakeup", "pid"), "tid");
	EXPECT_EQ(ctf::field_name("sched", "sched_process_exec", "old_pid"), "old_tid");
	EXPECT_EQ(ctf::field_name("probes", "p", "pid"), "pid");
}

TEST(CtfLayout, SyscallClassesOnDemand)
{
	ctf::Layout layout(test::ctf_capture_info().formats);
	const std::size_t base = layout.classes().size();
	EXPECT_EQ(base, layout.formats().size());
	const EventFormat *enter = layout.formats().find("sys_enter");
	ASSERT_NE(enter, nullptr);
	const ctf::EventClass &a = layout.classify(*enter, test::enter_payload(1, 257));
	const ctf::EventClass &b = layout.classify(*enter, test::enter_payload(1, 257));
	const ctf::EventClass &c = layout.classify(*enter, test::enter_payload(1, 5000));
	EXPECT_EQ(&a, &b);
	EXPECT_EQ(a.name, "syscall_entry_openat");
	EXPECT_EQ(a.id, base);
	EXPECT_EQ(c.name, "syscall_entry_unknown");
	EXPECT_LT(c.id, base);
	EXPECT_EQ(layout.classes().size(), base + 1);
	// The common header is not a field; the others keep payload order.
	ASSERT_EQ(a.fields.size(), 7U);
	EXPECT_EQ(a.fields[0].name, "id");
	EXPECT_EQ(a.fields[6].name, "args5");
}

TEST(CtfLayout, FieldOutsideThePayloadIsRefused)
{
	ctf::Layout layout(test::ctf_capture_info().formats);
	const EventFormat *sw = layout.formats().find("sched_switch");
	ASSERT_NE(sw, nullptr);
	Bytes p = test::switch_payload("a", 1, 0, "b", 2);
	p.resize(20);
	std::vector<std::byte> out;
	const Result<void> r = layout.encode(layout.classify(*sw, p), p, out);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().code().value(), EPROTO);
	EXPECT_NE(r.error().message().find("outside"), std::string::npos) << r.error().message();
}

struct Packets {
	std::vector<Bytes> list;
	ctf::PacketWriter::Output output()
	{
		return [this](std::span<const std::byte> p) -> Result<void> {
			list.emplace_back(p.begin(), p.end());
			return {};
		};
	}
};

TEST(CtfPacket, EventsLossesAndSplits)
{
	Packets pk;
	// Room for the header and two 16-byte events.
	ctf::PacketWriter w(3, kUuid, ctf::packet_header_size + 32, pk.output());
	const Bytes body{std::byte{1}, std::byte{2}, std::byte{3}, std::byte{4}};
	ASSERT_TRUE(w.event(7, 100, body));
	ASSERT_TRUE(w.event(8, 110, body));
	ASSERT_TRUE(w.event(9, 120, body));	// does not fit: a new packet
	ASSERT_TRUE(w.lost(130, 4));		// closes it
	ASSERT_TRUE(w.lost(140, 1));		// an empty packet holds the first loss
	ASSERT_TRUE(w.event(7, 150, body));
	ASSERT_TRUE(w.finish());
	ASSERT_EQ(pk.list.size(), 4U);
	const auto ev = [&](std::uint32_t id, std::uint64_t ts) {
		return Out().put(id).put(ts).append(body).b;
	};
	const std::size_t h = ctf::packet_header_size;
	EXPECT_EQ(pk.list[0], Out().append(packet_head(3, 100, 110, h + 32, 0, 0))
				      .append(ev(7, 100)).append(ev(8, 110)).b);
	EXPECT_EQ(pk.list[1], Out().append(packet_head(3, 120, 120, h + 16, 1, 0))
				      .append(ev(9, 120)).b);
	EXPECT_EQ(pk.list[2], packet_head(3, 130, 130, h, 2, 4));
	EXPECT_EQ(pk.list[3], Out().append(packet_head(3, 140, 150, h + 16, 3, 5))
				      .append(ev(7, 150)).b);
	EXPECT_EQ(w.packets(), 4U);
}

TEST(CtfPacket, LossFirstGetsAPacketBeforeIt)
{
	Packets pk;
	ctf::PacketWriter w(0, kUuid, 1 << 16, pk.output());
	ASSERT_TRUE(w.lost(50, 2));
	ASSERT_TRUE(w.finish());
	ASSERT_EQ(pk.list.size(), 2U);
	EXPECT_EQ(pk.list[0], packet_head(0, 50, 50, ctf::packet_header_size, 0, 0));
	EXPECT_EQ(pk.list[1], packet_head(0, 50, 50, ctf::packet_header_size, 1, 2));
}

std::string read_text(const std::string &path)
{
	std::ifstream in(path);
	std::stringstream ss;
	ss << in.rdbuf();
	return ss.str();
}

class CtfTrace : public ::testing::Test {
protected:
	void SetUp() override
	{
		capture_ = dir_.path("trace.ktr");
		ASSERT_TRUE(test::write_ctf_capture(capture_));
	}

	// The CTF trace of the capture in @out, through the pipeline.
	void write_ctf(const std::string &out)
	{
		Result<CaptureSource> src = CaptureSource::open(capture_);
		ASSERT_TRUE(src) << src.error().message();
		CtfOptions opt;
		opt.hostname = "lab-1";
		opt.uuid = kUuid;
		CtfSink sink(out, opt);
		Sink *const sinks[] = {&sink};
		Result<PipelineResult> r = run_pipeline(*src, sinks);
		ASSERT_TRUE(r) << r.error().message();
		EXPECT_EQ(r->event_errors, 0U);
	}

	test::TempDir dir_;
	std::string capture_;
};

TEST_F(CtfTrace, MetadataIsGolden)
{
	const std::string out = dir_.path("ctf");
	write_ctf(out);
	std::string want = read_text(KTR_TEST_DATA_DIR "/ctf/sample.metadata");
	ASSERT_FALSE(want.empty());
	const std::string tag = "@TOOL_VERSION@";
	want.replace(want.find(tag), tag.size(), tool_version);
	EXPECT_EQ(read_text(out + "/metadata"), want);
}

TEST_F(CtfTrace, StreamsAreByteExact)
{
	const std::string out = dir_.path("ctf");
	write_ctf(out);
	const std::uint64_t t0 = 5000000000;	// local 1000 ns
	const std::size_t h = ctf::packet_header_size;
	// Class ids: the formats in id order (marker 0, sched_switch 1,
	// sched_process_exec 2, sys_enter 3, sys_exit 4, stack 5, myprobe 6),
	// then the syscalls met (openat entry 7, exit 8).
	const auto hdr = [](std::uint32_t id, std::uint64_t ts, std::int32_t tid) {
		return Out().put(id).put(ts).put(tid);
	};
	Out e0;
	e0.append(hdr(1, t0, 0).text("swapper/0", 16).put(std::int32_t{0}).put(std::int32_t{120})
			  .put(std::uint32_t{0}).put(std::uint32_t{0}).text("bash", 16)
			  .put(std::int32_t{42}).put(std::int32_t{100}).b);
	const auto args = [](Out o) {
		for (std::uint64_t i = 1; i <= 6; i++)
			o.put(std::uint64_t{0x1000} * i);
		return o.b;
	};
	e0.append(args(hdr(7, t0 + 100, 42).put(std::int64_t{257})));
	e0.append(hdr(8, t0 + 300, 42).put(std::int64_t{257}).put(std::int64_t{3}).b);
	e0.append(args(hdr(3, t0 + 350, 42).put(std::int64_t{1000})));
	e0.append(hdr(4, t0 + 400, 42).put(std::int64_t{1000}).put(std::int64_t{-38}).b);
	e0.append(hdr(2, t0 + 700, 42).put(std::int32_t{42}).put(std::int32_t{42})
			  .str("/bin/true").b);
	Out e1 = hdr(6, t0 + 9000, 42).put(std::uint64_t{0xdeadbeef}).str("/etc/passwd")
			 .put(std::int16_t{-7});
	const Bytes cpu0 = Out().append(packet_head(0, t0, t0 + 700, h + e0.b.size(), 0, 0))
				   .append(e0.b)
				   .append(packet_head(0, t0 + 9000, t0 + 9000, h + e1.b.size(), 1, 5))
				   .append(e1.b).b;
	EXPECT_EQ(test::read_file(out + "/channel0_0"), cpu0);

	Out m = hdr(0, t0 + 500, 7).put(std::int32_t{7}).text("writer", 16).str("hi \"there\"\n");
	m.append(hdr(5, t0 + 510, 7).put(std::uint64_t{1500}).put(std::uint32_t{2})
			 .put(std::uint32_t{2}).put(std::uint64_t{0xffffffff81000010})
			 .put(std::uint64_t{0xffffffff81000020}).b);
	const Bytes cpu1 = Out().append(packet_head(1, t0 + 500, t0 + 500, h, 0, 0))
				   .append(packet_head(1, t0 + 500, t0 + 510, h + m.b.size(), 1, 2))
				   .append(m.b).b;
	EXPECT_EQ(test::read_file(out + "/channel0_1"), cpu1);
}

TEST_F(CtfTrace, RefusesADirectoryInUse)
{
	const std::string out = dir_.path("busy");
	ASSERT_EQ(::mkdir(out.c_str(), 0755), 0);
	test::write_file(out + "/keep", Bytes{std::byte{1}});
	const test::Outcome r = test::run_tool(KTR_BIN, {"report", capture_, "--format", "ctf",
							 "-o", out});
	EXPECT_EQ(r.status, 1);
	EXPECT_TRUE(test::is_one_line(r.err, "ktr: " + out + " is not empty"));
	EXPECT_EQ(test::read_file(out + "/keep"), Bytes{std::byte{1}});
}

TEST_F(CtfTrace, ReportFormatChecks)
{
	struct Case {
		std::vector<std::string> args;
		const char *error;
	};
	const std::string out = dir_.path("x");
	const Case cases[] = {
		{{"--format", "ctf"}, "ktr: --format ctf writes a directory: give it with -o DIR"},
		{{"--format", "ktr", "-o", out}, "ktr: --format ktr: unknown format (text, json, ctf or perfetto)"},
		{{"--format", "ctf", "--json", "-o", out}, "ktr: --json and --format ctf exclude"},
		{{"--json", "-o", out}, "ktr: --json and -o exclude each other"},
		{{"-o", out}, "ktr: -o is for --format ctf or perfetto: text goes to stdout"},
		{{"--format", "text", "-o", out}, "ktr: --format text and -o exclude each other"},
	};
	for (const Case &c : cases) {
		std::vector<std::string> args{"report", capture_};
		args.insert(args.end(), c.args.begin(), c.args.end());
		const test::Outcome r = test::run_tool(KTR_BIN, args);
		EXPECT_EQ(r.status, 2) << c.error;
		EXPECT_TRUE(test::is_one_line(r.err, c.error)) << r.err;
		EXPECT_EQ(r.out, "");
		EXPECT_FALSE(std::filesystem::exists(out)) << c.error;
	}
}

// ktr-read and ktr record check --format before they touch the device.
TEST(CtfCli, ReadAndRecordFormatChecks)
{
	const test::Outcome r = test::run_tool(KTR_READ_BIN, {"--format", "ctf"});
	EXPECT_EQ(r.status, 2);
	EXPECT_TRUE(test::is_one_line(r.err, "ktr-read: --format ctf writes a directory: give it "
					     "with -o DIR")) << r.err;
	const test::Outcome j = test::run_tool(KTR_READ_BIN, {"--json", "--format", "ctf", "-o", "x"});
	EXPECT_EQ(j.status, 2);
	EXPECT_TRUE(test::is_one_line(j.err, "ktr-read: --json and --format ctf exclude")) << j.err;
	const test::Outcome u = test::run_tool(KTR_READ_BIN, {"--format", "pcap", "-o", "x"});
	EXPECT_EQ(u.status, 2);
	EXPECT_TRUE(test::is_one_line(u.err, "ktr-read: --format pcap: unknown format (text, "
					     "json, ktr, ctf or perfetto)")) << u.err;
	const test::Outcome rec =
		test::run_tool(KTR_BIN, {"record", "-e", "sched_switch", "--format", "ctf"});
	EXPECT_EQ(rec.status, 2);
	EXPECT_TRUE(test::is_one_line(rec.err, "ktr: --format ctf writes a directory")) << rec.err;
}

} // namespace
} // namespace ktr
