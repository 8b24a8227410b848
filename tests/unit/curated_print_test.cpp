// SPDX-License-Identifier: MIT
//
// Printing the curated events of ABI minor 4 (raw_syscalls, irq, block,
// net, kmem, exceptions) through EventPrinter with the formats the module
// reports (kmod/probes/ktr_probes_*.c): ftrace-like text with syscall
// names, JSON with every field (and the syscall name), and the generic
// name=value form when a format lacks a field the text needs.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <ktr_event.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/syscall_names.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;

constexpr std::uint64_t kLocal = 1000;
constexpr std::uint64_t kMono = 5000000000;	// 5 s

template <typename S, typename M>
FieldFormat int_field(std::string name, M S::* /*member: its size*/, std::size_t offset,
		      bool is_signed)
{
	return {std::move(name), FieldType::Int, static_cast<std::uint32_t>(offset), sizeof(M),
		is_signed};
}

#define INT(S, m, sgn) int_field(#m, &S::m, offsetof(S, m), sgn)
#define CHARS(S, m) FieldFormat{#m, FieldType::CharArray, offsetof(S, m), sizeof(S::m), false}

void add(FormatTable &t, std::uint16_t id, const char *sys, const char *name,
	 std::vector<FieldFormat> fields)
{
	EventFormat f{id, sys, name, test::common_fields()};
	f.fields.insert(f.fields.end(), fields.begin(), fields.end());
	EXPECT_TRUE(t.add(std::move(f)));
}

// The formats as kmod/probes/ktr_probes_{syscalls,irq,block,net,kmem,fault}.c
// describe them.
const FormatTable &curated_formats()
{
	static const FormatTable table = [] {
		FormatTable t = builtin_formats();
		using SE = ktr_event_sys_enter;
		std::vector<FieldFormat> enter{INT(SE, id, true)};
		for (unsigned i = 0; i < 6; i++)
			enter.push_back({"args" + std::to_string(i), FieldType::Int,
					 static_cast<std::uint32_t>(offsetof(SE, args) + 8 * i), 8,
					 false});
		add(t, KTR_EVENT_SYS_ENTER, "raw_syscalls", "sys_enter", enter);
		using SX = ktr_event_sys_exit;
		add(t, KTR_EVENT_SYS_EXIT, "raw_syscalls", "sys_exit",
		    {INT(SX, id, true), INT(SX, ret, true)});
		using IE = ktr_event_irq_handler_entry;
		add(t, KTR_EVENT_IRQ_HANDLER_ENTRY, "irq", "irq_handler_entry",
		    {INT(IE, irq, true), {"name", FieldType::RestString, sizeof(IE), 0, false}});
		using IX = ktr_event_irq_handler_exit;
		add(t, KTR_EVENT_IRQ_HANDLER_EXIT, "irq", "irq_handler_exit",
		    {INT(IX, irq, true), INT(IX, ret, true)});
		using SI = ktr_event_softirq;
		add(t, KTR_EVENT_SOFTIRQ_ENTRY, "irq", "softirq_entry", {INT(SI, vec, false)});
		add(t, KTR_EVENT_SOFTIRQ_EXIT, "irq", "softirq_exit", {INT(SI, vec, false)});
		using BI = ktr_event_block_rq_issue;
		add(t, KTR_EVENT_BLOCK_RQ_ISSUE, "block", "block_rq_issue",
		    {INT(BI, sector, false), INT(BI, dev, false), INT(BI, nr_sector, false),
		     INT(BI, bytes, false), CHARS(BI, rwbs), CHARS(BI, comm)});
		using BC = ktr_event_block_rq_complete;
		add(t, KTR_EVENT_BLOCK_RQ_COMPLETE, "block", "block_rq_complete",
		    {INT(BC, sector, false), INT(BC, dev, false), INT(BC, nr_sector, false),
		     INT(BC, error, true), CHARS(BC, rwbs)});
		using NX = ktr_event_net_dev_xmit;
		add(t, KTR_EVENT_NET_DEV_XMIT, "net", "net_dev_xmit",
		    {INT(NX, skbaddr, false), INT(NX, len, false), INT(NX, rc, true),
		     CHARS(NX, name)});
		using NR = ktr_event_netif_receive_skb;
		add(t, KTR_EVENT_NETIF_RECEIVE_SKB, "net", "netif_receive_skb",
		    {INT(NR, skbaddr, false), INT(NR, len, false), CHARS(NR, name)});
		using KM = ktr_event_kmalloc;
		add(t, KTR_EVENT_KMALLOC, "kmem", "kmalloc",
		    {INT(KM, call_site, false), INT(KM, ptr, false), INT(KM, bytes_req, false),
		     INT(KM, bytes_alloc, false), INT(KM, gfp_flags, false), INT(KM, node, true)});
		using KF = ktr_event_kfree;
		add(t, KTR_EVENT_KFREE, "kmem", "kfree",
		    {INT(KF, call_site, false), INT(KF, ptr, false)});
		using PF = ktr_event_page_fault;
		const std::vector<FieldFormat> pf{INT(PF, address, false), INT(PF, ip, false),
						  INT(PF, error_code, false)};
		add(t, KTR_EVENT_PAGE_FAULT_USER, "exceptions", "page_fault_user", pf);
		add(t, KTR_EVENT_PAGE_FAULT_KERNEL, "exceptions", "page_fault_kernel", pf);
		return t;
	}();
	return table;
}

template <typename T>
Bytes payload(T e, std::uint16_t id, std::int32_t pid, std::string_view rest = {})
{
	e.common.id = id;
	e.common.pid = pid;
	Bytes b(sizeof(e));
	std::memcpy(b.data(), &e, sizeof(e));
	for (const char c : rest)
		b.push_back(static_cast<std::byte>(c));
	return b;
}

template <std::size_t N>
void set_chars(char (&dst)[N], std::string_view s)
{
	std::memcpy(dst, s.data(), std::min(s.size(), N));
}

std::string text(const Bytes &b, std::uint32_t cpu = 1)
{
	EventPrinter p(curated_formats(), ClockMap{kLocal, kMono});
	Result<std::string> r = p.text(cpu, kLocal, b);
	EXPECT_TRUE(r) << r.error().message();
	return r ? *r : r.error().message();
}

std::string json(const Bytes &b)
{
	EventPrinter p(curated_formats(), ClockMap{kLocal, kMono});
	Result<std::string> r = p.json(1, kLocal, b);
	EXPECT_TRUE(r) << r.error().message();
	return r ? *r : r.error().message();
}

constexpr std::string_view kPrefix = "           <...>-42      [001]     5.000000: ";

Bytes sys_enter(std::int64_t nr, std::initializer_list<std::uint64_t> args)
{
	ktr_event_sys_enter e{};
	e.id = nr;
	std::copy(args.begin(), args.end(), e.args);
	return payload(e, KTR_EVENT_SYS_ENTER, 42);
}

Bytes sys_exit(std::int64_t nr, std::int64_t ret)
{
	ktr_event_sys_exit e{};
	e.id = nr;
	e.ret = ret;
	return payload(e, KTR_EVENT_SYS_EXIT, 42);
}

TEST(SyscallNames, FromTheInstalledHeader)
{
	EXPECT_EQ(syscall_name(0), "read");
	EXPECT_EQ(syscall_name(1), "write");
	EXPECT_EQ(syscall_name(3), "close");
	EXPECT_EQ(syscall_name(110), "getppid");
	EXPECT_EQ(syscall_name(231), "exit_group");
	EXPECT_EQ(syscall_name(257), "openat");
	EXPECT_EQ(syscall_name(-1), "");
	EXPECT_EQ(syscall_name(100000), "");
	EXPECT_EQ(syscall_name(INT64_MIN), "");
	EXPECT_EQ(syscall_name(INT64_MAX), "");
}

TEST(CuratedPrint, SysEnterWithNameAndHexArgs)
{
	EXPECT_EQ(text(sys_enter(257, {static_cast<std::uint64_t>(-100), 0x7ffd8e0a1b30, 0, 0, 0, 0})),
		  std::string(kPrefix) +
			  "sys_enter: NR 257 openat (ffffffffffffff9c, 7ffd8e0a1b30, 0, 0, 0, 0)\n");
	EXPECT_EQ(text(sys_enter(0, {3, 0x1000, 64, 0, 0, 0})),
		  std::string(kPrefix) + "sys_enter: NR 0 read (3, 1000, 40, 0, 0, 0)\n");
	// Unknown numbers (or ia32 numbers above the table) print as the number.
	EXPECT_EQ(text(sys_enter(99999, {1, 2, 3, 4, 5, 6})),
		  std::string(kPrefix) + "sys_enter: NR 99999 (1, 2, 3, 4, 5, 6)\n");
	EXPECT_EQ(text(sys_enter(-1, {})),
		  std::string(kPrefix) + "sys_enter: NR -1 (0, 0, 0, 0, 0, 0)\n");
}

TEST(CuratedPrint, SysExitWithNameAndSignedReturn)
{
	EXPECT_EQ(text(sys_exit(257, 3)), std::string(kPrefix) + "sys_exit: NR 257 openat = 3\n");
	EXPECT_EQ(text(sys_exit(257, -2)), std::string(kPrefix) + "sys_exit: NR 257 openat = -2\n");
	EXPECT_EQ(text(sys_exit(1, 5)), std::string(kPrefix) + "sys_exit: NR 1 write = 5\n");
	EXPECT_EQ(text(sys_exit(4242, 0)), std::string(kPrefix) + "sys_exit: NR 4242 = 0\n");
}

TEST(CuratedPrint, SyscallsAsJsonWithTheName)
{
	EXPECT_EQ(json(sys_exit(257, -2)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":42,"comm":null,)"
		  R"("event":"sys_exit","id":257,"ret":-2,"syscall":"openat"})"
		  "\n");
	EXPECT_EQ(json(sys_enter(1, {1, 0x10, 5, 0, 0, 0})),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":42,"comm":null,)"
		  R"("event":"sys_enter","id":1,"args0":1,"args1":16,"args2":5,"args3":0,)"
		  R"("args4":0,"args5":0,"syscall":"write"})"
		  "\n");
	// No name, no key.
	EXPECT_EQ(json(sys_exit(4242, 0)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":42,"comm":null,)"
		  R"("event":"sys_exit","id":4242,"ret":0})"
		  "\n");
}

TEST(CuratedPrint, IrqEvents)
{
	ktr_event_irq_handler_entry ie{};
	ie.irq = 24;
	EXPECT_EQ(text(payload(ie, KTR_EVENT_IRQ_HANDLER_ENTRY, 0, "virtio0-input.0"), 0),
		  "          <idle>-0       [000]     5.000000: irq_handler_entry: irq=24 "
		  "name=virtio0-input.0\n");
	ktr_event_irq_handler_exit ix{};
	ix.irq = 24;
	ix.ret = 1;
	EXPECT_EQ(text(payload(ix, KTR_EVENT_IRQ_HANDLER_EXIT, 42)),
		  std::string(kPrefix) + "irq_handler_exit: irq=24 ret=handled\n");
	ix.ret = 0;
	EXPECT_EQ(text(payload(ix, KTR_EVENT_IRQ_HANDLER_EXIT, 42)),
		  std::string(kPrefix) + "irq_handler_exit: irq=24 ret=unhandled\n");
	ktr_event_softirq si{};
	si.vec = 1;
	EXPECT_EQ(text(payload(si, KTR_EVENT_SOFTIRQ_ENTRY, 42)),
		  std::string(kPrefix) + "softirq_entry: vec=1 [action=TIMER]\n");
	si.vec = 9;
	EXPECT_EQ(text(payload(si, KTR_EVENT_SOFTIRQ_EXIT, 42)),
		  std::string(kPrefix) + "softirq_exit: vec=9 [action=RCU]\n");
	si.vec = 10;
	EXPECT_EQ(text(payload(si, KTR_EVENT_SOFTIRQ_EXIT, 42)),
		  std::string(kPrefix) + "softirq_exit: vec=10 [action=UNKNOWN]\n");
	EXPECT_EQ(json(payload(ie, KTR_EVENT_IRQ_HANDLER_ENTRY, 0, "eth0")),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":0,"comm":null,)"
		  R"("event":"irq_handler_entry","irq":24,"name":"eth0"})"
		  "\n");
}

TEST(CuratedPrint, BlockEvents)
{
	ktr_event_block_rq_issue bi{};
	bi.dev = (8u << 20) | 16;	// sdb
	bi.sector = 123456789012ULL;
	bi.nr_sector = 8;
	bi.bytes = 4096;
	set_chars(bi.rwbs, "WS");
	set_chars(bi.comm, "kworker/0:1H");
	// Its comm is the running task's: it names the line too.
	EXPECT_EQ(text(payload(bi, KTR_EVENT_BLOCK_RQ_ISSUE, 42)),
		  "    kworker/0:1H-42      [001]     5.000000: "
			  "block_rq_issue: 8,16 WS 4096 () 123456789012 + 8 [kworker/0:1H]\n");
	ktr_event_block_rq_complete bc{};
	bc.dev = (254u << 20) | 0;
	bc.sector = 2048;
	bc.nr_sector = 16;
	bc.error = -5;
	set_chars(bc.rwbs, "R");
	EXPECT_EQ(text(payload(bc, KTR_EVENT_BLOCK_RQ_COMPLETE, 42)),
		  std::string(kPrefix) + "block_rq_complete: 254,0 R () 2048 + 16 [-5]\n");
	EXPECT_EQ(json(payload(bc, KTR_EVENT_BLOCK_RQ_COMPLETE, 42)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":42,"comm":null,)"
		  R"("event":"block_rq_complete","sector":2048,"dev":266338304,"nr_sector":16,)"
		  R"("error":-5,"rwbs":"R"})"
		  "\n");
}

TEST(CuratedPrint, NetEvents)
{
	ktr_event_net_dev_xmit x{};
	x.skbaddr = 0xffff888004a1c000;
	x.len = 98;
	x.rc = 0;
	set_chars(x.name, "lo");
	EXPECT_EQ(text(payload(x, KTR_EVENT_NET_DEV_XMIT, 42)),
		  std::string(kPrefix) +
			  "net_dev_xmit: dev=lo skbaddr=0xffff888004a1c000 len=98 rc=0\n");
	ktr_event_netif_receive_skb r{};
	r.skbaddr = 0xffff888004a1c000;
	r.len = 84;
	set_chars(r.name, "0123456789abcdef");	// all 16 bytes, no NUL
	EXPECT_EQ(text(payload(r, KTR_EVENT_NETIF_RECEIVE_SKB, 42)),
		  std::string(kPrefix) + "netif_receive_skb: dev=0123456789abcdef "
					 "skbaddr=0xffff888004a1c000 len=84\n");
	EXPECT_EQ(json(payload(x, KTR_EVENT_NET_DEV_XMIT, 42)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":42,"comm":null,)"
		  R"("event":"net_dev_xmit","skbaddr":18446612682147741696,"len":98,"rc":0,)"
		  R"("name":"lo"})"
		  "\n");
}

TEST(CuratedPrint, KmemEvents)
{
	ktr_event_kmalloc m{};
	m.call_site = 0xffffffff81234567;
	m.ptr = 0xffff888004a1c000;
	m.bytes_req = 100;
	m.bytes_alloc = 128;
	m.gfp_flags = 0xcc0;
	m.node = -1;
	EXPECT_EQ(text(payload(m, KTR_EVENT_KMALLOC, 42)),
		  std::string(kPrefix) +
			  "kmalloc: call_site=0xffffffff81234567 ptr=0xffff888004a1c000 "
			  "bytes_req=100 bytes_alloc=128 gfp_flags=0xcc0 node=-1\n");
	ktr_event_kfree f{};
	f.call_site = 0xffffffff81234567;
	f.ptr = 0;
	EXPECT_EQ(text(payload(f, KTR_EVENT_KFREE, 42)),
		  std::string(kPrefix) + "kfree: call_site=0xffffffff81234567 ptr=0x0\n");
	EXPECT_EQ(json(payload(m, KTR_EVENT_KMALLOC, 42)),
		  R"({"ts_ns":5000000000,"ts":"5.000000","cpu":1,"pid":42,"comm":null,)"
		  R"("event":"kmalloc","call_site":18446744071581156711,)"
		  R"("ptr":18446612682147741696,"bytes_req":100,"bytes_alloc":128,)"
		  R"("gfp_flags":3264,"node":-1})"
		  "\n");
}

TEST(CuratedPrint, PageFaultEvents)
{
	ktr_event_page_fault pf{};
	pf.address = 0x7f0c1e2a3000;
	pf.ip = 0x401136;
	pf.error_code = 6;
	EXPECT_EQ(text(payload(pf, KTR_EVENT_PAGE_FAULT_USER, 42)),
		  std::string(kPrefix) +
			  "page_fault_user: address=0x7f0c1e2a3000 ip=0x401136 error_code=0x6\n");
	pf.address = 0;
	pf.ip = 0xffffffff81234567;
	pf.error_code = 0;
	EXPECT_EQ(text(payload(pf, KTR_EVENT_PAGE_FAULT_KERNEL, 42)),
		  std::string(kPrefix) +
			  "page_fault_kernel: address=0x0 ip=0xffffffff81234567 error_code=0x0\n");
}

// A module whose format lacks a field the text needs: the generic form.
TEST(CuratedPrint, MissingFieldFallsBackToNameValue)
{
	FormatTable t = builtin_formats();
	using SX = ktr_event_sys_exit;
	add(t, KTR_EVENT_SYS_EXIT, "raw_syscalls", "sys_exit", {INT(SX, id, true)});
	EventPrinter p(t, ClockMap{kLocal, kMono});
	Result<std::string> r = p.text(1, kLocal, sys_exit(257, 3));
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(*r, std::string(kPrefix) + "sys_exit: id=257\n");
}

TEST(CuratedPrint, ShortPayloadIsAnError)
{
	EventPrinter p(curated_formats(), ClockMap{kLocal, kMono});
	Bytes b = sys_enter(1, {});
	b.erase(b.end() - 8, b.end());	// args5 cut off
	const Result<std::string> r = p.text(0, 7, b);
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().message(), "CPU 0, event at 7 ns: event raw_syscalls:sys_enter: field "
				       "'args5' (bytes 56..64) lies outside the 56-byte payload");
}

} // namespace
} // namespace ktr
