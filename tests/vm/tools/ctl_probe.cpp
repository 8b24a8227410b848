// SPDX-License-Identifier: MIT
//
// ktr-ctl-probe: raw checks of the "ktr" generic netlink family for the VM
// tests, below what libktr lets a user send (libnl directly).
//
//   ktr-ctl-probe badinput     every command of the family, sent with
//                              missing, oversized, wrongly typed, unknown and
//                              invalid attributes, fails with an errno and an
//                              extended-ack message, and changes nothing
//                              (GET_INFO, LIST_EVENTS, GET_STATS compared)
//   ktr-ctl-probe nobody       (run unprivileged) every command fails with
//                              EPERM, state changes included
//   ktr-ctl-probe deputy       (run as root) a socket opened by nobody and
//                              passed over SCM_RIGHTS: every command sent
//                              on it by root fails with EPERM (the socket
//                              opener is checked too); the read-only ones
//                              succeed on a socket root opened
//   ktr-ctl-probe notices      a notice arrives on the "notices" group for
//                              enable, disable, stop, start, reset, buffer
//   ktr-ctl-probe tracer-notice SECONDS
//                              join the "notices" group, print "listening",
//                              then print "tracer NAME" for the first
//                              SET_TRACER notice (exit 1 if none came)
//   ktr-ctl-probe halfdump     start a LIST_EVENTS dump and read none of
//                              it, print "dumping", wait for stdin to
//                              close, then read it all: "events N error E"
//   ktr-ctl-probe snapshot     print the state compared by badinput
//   ktr-ctl-probe geometry CPU print a stream's meta page geometry:
//                              "subbuf_size nr_subbufs mode"
//   ktr-ctl-probe hold CPU     open a stream, print "open", wait for stdin
//                              to close (a reader, for the EBUSY checks)
//
// Prints "ok - ..." / "not ok - ..." lines; exit 1 if any check failed.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <fcntl.h>
#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <grp.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ktr.h>
#include <ktr_event.h>

#include "genl_client.h"

using ktr_tools::Answer;
using ktr_tools::die;
using ktr_tools::Fill;
using ktr_tools::Sock;
using ktr_tools::receive_answer;
using ktr_tools::send_request;
using ktr_tools::transact;

namespace {

int failures = 0;

void check(bool cond, const std::string &what)
{
	std::printf("%s - %s\n", cond ? "ok" : "not ok", what.c_str());
	if (!cond)
		failures++;
}

// The attributes of a copied reply, by type.
std::map<int, nlattr *> attrs_of(std::vector<char> &reply)
{
	auto *nlh = reinterpret_cast<nlmsghdr *>(reply.data());
	genlmsghdr *g = genlmsg_hdr(nlh);
	std::map<int, nlattr *> out;
	nlattr *a;
	int rem;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem)
		out[nla_type(a)] = a;
	return out;
}

// GET_INFO's buffer and tracing state, LIST_EVENTS' enabled flags and every
// GET_STATS counter, as text.
std::string snapshot(Sock &s)
{
	std::string out;
	Answer info = transact(s, KTR_CMD_GET_INFO, false, {});
	if (info.err || info.replies.empty())
		die("GET_INFO failed: " + std::to_string(info.err));
	auto ia = attrs_of(info.replies[0]);
	for (int t : {KTR_ATTR_SUBBUF_SIZE, KTR_ATTR_NR_SUBBUFS, KTR_ATTR_BUFFER_MODE})
		out += "info " + std::to_string(t) + "=" +
		       (ia[t] ? std::to_string(nla_get_u32(ia[t])) : "-") + "\n";
	out += "tracing_on=" +
	       (ia[KTR_ATTR_TRACING_ON] ? std::to_string(nla_get_u8(ia[KTR_ATTR_TRACING_ON]))
					: "-") + "\n";
	Answer ev = transact(s, KTR_CMD_LIST_EVENTS, true, {});
	if (ev.err)
		die("LIST_EVENTS failed");
	for (auto &r : ev.replies) {
		auto a = attrs_of(r);
		out += std::string("event ") + nla_get_string(a[KTR_ATTR_EVENT_NAME]) +
		       " enabled=" + std::to_string(nla_get_u8(a[KTR_ATTR_EVENT_ENABLED])) + "\n";
	}
	Answer tr = transact(s, KTR_CMD_LIST_TRACERS, true, {});
	if (tr.err)
		die("LIST_TRACERS failed");
	for (auto &r : tr.replies) {
		auto a = attrs_of(r);
		out += std::string("tracer ") + nla_get_string(a[KTR_ATTR_TRACER_NAME]) +
		       " current=" + std::to_string(nla_get_u8(a[KTR_ATTR_TRACER_CURRENT])) + "\n";
	}
	Answer st = transact(s, KTR_CMD_GET_STATS, true, {});
	if (st.err || st.replies.empty())
		die("GET_STATS failed");
	for (auto &r : st.replies) {
		auto a = attrs_of(r);
		out += "cpu " + std::to_string(nla_get_u32(a[KTR_ATTR_CPU])) + ":";
		nlattr *c;
		int rem;
		nla_for_each_nested(c, a[KTR_ATTR_STATS], rem)
			if (nla_type(c) != KTR_STATS_PAD)
				out += " " + std::to_string(nla_get_u64(c));
		out += "\n";
	}
	Answer fl = transact(s, KTR_CMD_GET_FILTERS, false, {});
	if (fl.err || fl.replies.empty())
		die("GET_FILTERS failed");
	{
		auto *nlh = reinterpret_cast<nlmsghdr *>(fl.replies[0].data());
		genlmsghdr *g = genlmsg_hdr(nlh);
		const auto *p = reinterpret_cast<const unsigned char *>(genlmsg_attrdata(g, 0));
		out += "filters:";
		for (int i = 0; i < genlmsg_attrlen(g, 0); i++)
			out += " " + std::to_string(p[i]);
		out += "\n";
	}
	return out;
}

struct Cmd {
	int cmd;
	const char *name;
	bool dump;
};

const Cmd all_cmds[] = {
	{KTR_CMD_GET_INFO, "GET_INFO", false},
	{KTR_CMD_SELFTEST, "SELFTEST", false},
	{KTR_CMD_LIST_EVENTS, "LIST_EVENTS", true},
	{KTR_CMD_ENABLE_EVENTS, "ENABLE_EVENTS", false},
	{KTR_CMD_DISABLE_EVENTS, "DISABLE_EVENTS", false},
	{KTR_CMD_START, "START", false},
	{KTR_CMD_STOP, "STOP", false},
	{KTR_CMD_RESET, "RESET", false},
	{KTR_CMD_GET_STATS, "GET_STATS", true},
	{KTR_CMD_WRITE_MARKER, "WRITE_MARKER", false},
	{KTR_CMD_SET_BUFFER, "SET_BUFFER", false},
	{KTR_CMD_LIST_TRACERS, "LIST_TRACERS", true},
	{KTR_CMD_SET_TRACER, "SET_TRACER", false},
	{KTR_CMD_ADD_PROBE, "ADD_PROBE", false},
	{KTR_CMD_DEL_PROBE, "DEL_PROBE", false},
	{KTR_CMD_LIST_PROBES, "LIST_PROBES", true},
	{KTR_CMD_SET_TASK_FILTER, "SET_TASK_FILTER", false},
	{KTR_CMD_SET_EVENT_FILTER, "SET_EVENT_FILTER", false},
	{KTR_CMD_GET_FILTERS, "GET_FILTERS", false},
	{KTR_CMD_CLEAR_FILTERS, "CLEAR_FILTERS", false},
	{KTR_CMD_ATTACH_RAW, "ATTACH_RAW", false},
	{KTR_CMD_DETACH_RAW, "DETACH_RAW", false},
	{KTR_CMD_GET_LATENCY, "GET_LATENCY", true},
};

struct Bad {
	const char *what;
	Fill fill;
	int want = 0;	// 0: any errno
};

Fill put_u32(int type, std::uint32_t v)
{
	return [=](nl_msg *m) { nla_put_u32(m, type, v); };
}

Fill put_bytes(int type, std::size_t n, char c = 'x')
{
	return [=](nl_msg *m) {
		std::string s(n, c);
		nla_put(m, type, static_cast<int>(n), s.data());
	};
}

Fill put_buffer(const std::vector<std::pair<int, std::uint32_t>> &vals)
{
	return [=](nl_msg *m) {
		nlattr *nest = nla_nest_start(m, KTR_ATTR_BUFFER);
		for (auto [t, v] : vals)
			nla_put_u32(m, t, v);
		nla_nest_end(m, nest);
	};
}

Fill put_pids(const std::vector<std::int32_t> &pids)
{
	return [=](nl_msg *m) {
		nla_put(m, KTR_ATTR_FILTER_PIDS, static_cast<int>(pids.size() * 4), pids.data());
	};
}

Fill put_name(const char *name)
{
	return [=](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_NAME, name); };
}

// An event filter request for sched_switch with @insns (and text "x").
Fill put_prog(const std::vector<ktr_filter_insn> &insns, const char *strings = nullptr,
	      bool text = true)
{
	return [=](nl_msg *m) {
		nla_put_string(m, KTR_ATTR_EVENT_NAME, "sched_switch");
		nla_put(m, KTR_ATTR_FILTER_PROG, static_cast<int>(insns.size() * sizeof(insns[0])),
			insns.data());
		if (strings)
			nla_put(m, KTR_ATTR_FILTER_STRINGS, static_cast<int>(std::strlen(strings) + 1),
				strings);
		if (text)
			nla_put_string(m, KTR_ATTR_FILTER_TEXT, "x");
	};
}

// Bad requests every command must refuse.
std::vector<Bad> generic_bad()
{
	return {
		{"unknown attribute", put_u32(KTR_ATTR_MAX + 1, 1), EINVAL},
		{"unknown attribute type 0x3fff", put_u32(0x3fff, 1), EINVAL},
		{"reply-only attribute KTR_ATTR_ABI_MAJOR", put_u32(KTR_ATTR_ABI_MAJOR, 1), 0},
		{"oversized reply-only attribute (4000 bytes)",
		 put_bytes(KTR_ATTR_KERNEL_RELEASE, 4000), 0},
		{"KTR_ATTR_EVENT_GLOB wrongly typed (u32, no NUL)",
		 put_u32(KTR_ATTR_EVENT_GLOB, 0x41414141), 0},
		{"KTR_ATTR_SELFTEST_DURATION_MS wrongly typed (u8)",
		 [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_SELFTEST_DURATION_MS, 1); }, 0},
		{"KTR_ATTR_BUFFER not nested", put_u32(KTR_ATTR_BUFFER, 1), 0},
		{"KTR_ATTR_MARKER_TEXT flagged nested",
		 [](nl_msg *m) {
			 nlattr *n = nla_nest_start(m, KTR_ATTR_MARKER_TEXT);
			 nla_put_u32(m, 1, 1);
			 nla_nest_end(m, n);
		 },
		 0},
	};
}

// Bad requests specific to @cmd (missing, oversized, invalid values).
std::vector<Bad> specific_bad(int cmd)
{
	switch (cmd) {
	case KTR_CMD_SELFTEST:
		return {
			{"duration out of range", put_u32(KTR_ATTR_SELFTEST_DURATION_MS, 1000000),
			 ERANGE},
			{"mode 7", put_u32(KTR_ATTR_SELFTEST_MODE, 7), 0},
			{"sub-buffer size not a power of two",
			 put_u32(KTR_ATTR_SELFTEST_SUBBUF_SIZE, 5000), EINVAL},
		};
	case KTR_CMD_ENABLE_EVENTS:
	case KTR_CMD_DISABLE_EVENTS:
		return {
			{"glob missing", {}, EINVAL},
			{"glob of 200 bytes",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_EVENT_GLOB, std::string(200, 'a').c_str());
			 },
			 EINVAL},
			{"glob matching nothing",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "no_such_event*"); },
			 ENOENT},
			{"glob naming only the marker",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "marker"); },
			 EOPNOTSUPP},
		};
	case KTR_CMD_WRITE_MARKER:
		return {
			{"text missing", {}, EINVAL},
			{"text empty", put_bytes(KTR_ATTR_MARKER_TEXT, 0), EINVAL},
			{"text of KTR_MARKER_MAX + 1 bytes",
			 put_bytes(KTR_ATTR_MARKER_TEXT, KTR_MARKER_MAX + 1), ERANGE},
		};
	case KTR_CMD_SET_BUFFER:
		return {
			{"KTR_ATTR_BUFFER missing", {}, EINVAL},
			{"KTR_ATTR_BUFFER empty",
			 [](nl_msg *m) { nla_put(m, KTR_ATTR_BUFFER | NLA_F_NESTED, 0, nullptr); },
			 EINVAL},
			{"sub-buffer size 2048 (below the minimum)",
			 put_buffer({{KTR_BUFFER_SUBBUF_SIZE, 2048}}), ERANGE},
			{"sub-buffer size 8 MiB (above the maximum)",
			 put_buffer({{KTR_BUFFER_SUBBUF_SIZE, 8u << 20}}), ERANGE},
			{"sub-buffer size 12288 (not a power of two)",
			 put_buffer({{KTR_BUFFER_SUBBUF_SIZE, 12288}}), EINVAL},
			{"3 sub-buffers (not a power of two)",
			 put_buffer({{KTR_BUFFER_NR_SUBBUFS, 3}}), EINVAL},
			{"8192 sub-buffers (above the maximum)",
			 put_buffer({{KTR_BUFFER_NR_SUBBUFS, 8192}}), ERANGE},
			{"4 MiB x 4096 sub-buffers (too large per CPU)",
			 put_buffer({{KTR_BUFFER_SUBBUF_SIZE, 4u << 20},
				     {KTR_BUFFER_NR_SUBBUFS, 4096}}),
			 EINVAL},
			{"mode 2", put_buffer({{KTR_BUFFER_MODE, 2}}), ERANGE},
			{"unknown attribute in the nest", put_buffer({{KTR_BUFFER_MAX + 1, 1}}),
			 EINVAL},
			{"sub-buffer size as u8",
			 [](nl_msg *m) {
				 nlattr *nest = nla_nest_start(m, KTR_ATTR_BUFFER);
				 nla_put_u8(m, KTR_BUFFER_SUBBUF_SIZE, 1);
				 nla_nest_end(m, nest);
			 },
			 0},
		};
	case KTR_CMD_SET_TASK_FILTER: {
		std::vector<std::uint64_t> far(128, 0);
		far[4000 / 64] = 1ULL << (4000 % 64);
		return {
			{"no filter given", {}, EINVAL},
			{"pids of 6 bytes", put_bytes(KTR_ATTR_FILTER_PIDS, 6), EINVAL},
			{"pid 0", put_pids({0}), EINVAL},
			{"pid -5", put_pids({-5}), EINVAL},
			{"257 pids", put_pids(std::vector<std::int32_t>(257, 1)), 0},
			{"follow 2", [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_FILTER_FOLLOW, 2); },
			 ERANGE},
			{"follow without pids",
			 [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_FILTER_FOLLOW, 1); }, EINVAL},
			{"comm without its NUL", put_bytes(KTR_ATTR_FILTER_COMMS, 4), EINVAL},
			{"comm of 16 bytes",
			 [](nl_msg *m) {
				 nla_put(m, KTR_ATTR_FILTER_COMMS, 17, "0123456789abcdef");
			 },
			 EINVAL},
			{"empty comm name", [](nl_msg *m) { nla_put(m, KTR_ATTR_FILTER_COMMS, 1, ""); },
			 EINVAL},
			{"cpus of 4 bytes", put_bytes(KTR_ATTR_FILTER_CPUS, 4), EINVAL},
			{"cpus naming CPU 4000",
			 [far](nl_msg *m) {
				 nla_put(m, KTR_ATTR_FILTER_CPUS, static_cast<int>(far.size() * 8),
					 far.data());
			 },
			 EINVAL},
			{"cpus with no CPU", put_bytes(KTR_ATTR_FILTER_CPUS, 8, '\0'), EINVAL},
			{"a good pid list with a bad comm (all or nothing)",
			 [](nl_msg *m) {
				 const std::int32_t pid = 1;
				 nla_put(m, KTR_ATTR_FILTER_PIDS, 4, &pid);
				 nla_put(m, KTR_ATTR_FILTER_COMMS, 4, "abcd");
			 },
			 EINVAL},
		};
	}
	case KTR_CMD_SET_EVENT_FILTER: {
		const std::uint32_t prev_pid = 8 + 16;	// struct ktr_event_sched_switch
		return {
			{"event name missing", {}, EINVAL},
			{"unknown event", put_name("no_such_event"), ENOENT},
			{"the marker", [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_EVENT_NAME, "marker");
				 nla_put_u8(m, KTR_ATTR_EVENT_STACK, 1);
			 }, EOPNOTSUPP},
			{"nothing to set", put_name("sched_switch"), EINVAL},
			{"stack 2", [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_EVENT_NAME, "sched_switch");
				 nla_put_u8(m, KTR_ATTR_EVENT_STACK, 2);
			 }, ERANGE},
			{"program of 5 bytes",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_EVENT_NAME, "sched_switch");
				 nla_put(m, KTR_ATTR_FILTER_PROG, 5, "xxxxx");
				 nla_put_string(m, KTR_ATTR_FILTER_TEXT, "x");
			 },
			 EINVAL},
			{"unknown op", put_prog({{99, 0, prev_pid, 4, 0, 1}}), EINVAL},
			{"not a field (offset 1000)", put_prog({{KTR_FOP_EQ, 0, 1000, 4, 0, 1}}),
			 EINVAL},
			{"a field with the wrong size", put_prog({{KTR_FOP_EQ, 0, prev_pid, 8, 0, 1}}),
			 EINVAL},
			{"text op on an integer field",
			 put_prog({{KTR_FOP_STR_EQ, 0, prev_pid, 4, 0, 0}}, "a"), EINVAL},
			{"integer op on a text field", put_prog({{KTR_FOP_EQ, 0, 8, 16, 0, 1}}), EINVAL},
			{"string offset outside the strings",
			 put_prog({{KTR_FOP_STR_EQ, 0, 8, 16, 0, 7}}, "a"), EINVAL},
			{"stack underflow", put_prog({{KTR_FOP_AND, 0, 0, 0, 0, 0}}), EINVAL},
			{"two values left",
			 put_prog({{KTR_FOP_EQ, 0, prev_pid, 4, 0, 1}, {KTR_FOP_EQ, 0, prev_pid, 4, 0, 2}}),
			 EINVAL},
			{"reserved bits set", put_prog({{KTR_FOP_EQ, 1, prev_pid, 4, 0, 1}}), EINVAL},
			{"a program without its text",
			 put_prog({{KTR_FOP_EQ, 0, prev_pid, 4, 0, 1}}, nullptr, false), EINVAL},
			{"a glob pattern of 64 bytes",
			 put_prog({{KTR_FOP_GLOB, 0, 8, 16, 0, 0}},
				  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
			 EINVAL},
			{"strings without a program", [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_EVENT_NAME, "sched_switch");
				 nla_put(m, KTR_ATTR_FILTER_STRINGS, 2, "a");
			 }, EINVAL},
		};
	}
	case KTR_CMD_ATTACH_RAW:
		return {
			{"tracepoint missing", {}, EINVAL},
			{"no such tracepoint",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_RAW_TRACEPOINT, "no_such_tp"); },
			 ENOENT},
			{"7 arguments",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_RAW_TRACEPOINT, "sched_switch");
				 nla_put_u32(m, KTR_ATTR_RAW_NARGS, 7);
			 },
			 ERANGE},
		};
	case KTR_CMD_DETACH_RAW:
		return {
			{"tracepoint missing", {}, EINVAL},
			{"not attached",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_RAW_TRACEPOINT, "sched_switch"); },
			 ENOENT},
		};
	case KTR_CMD_ADD_PROBE:
		return {
			{"definition missing", {}, EINVAL},
			{"definition of 1100 bytes",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_PROBE_DEF, std::string(1100, 'p').c_str());
			 },
			 EINVAL},
			{"bad definition",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_PROBE_DEF, "p:x vfs_read a=%zz"); },
			 EINVAL},
			{"unknown symbol",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_PROBE_DEF, "p:x no_such_fn_ktr"); },
			 ENOENT},
		};
	case KTR_CMD_DEL_PROBE:
		return {
			{"neither name nor all", {}, EINVAL},
			{"name and all",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_PROBE_NAME, "x");
				 nla_put_u8(m, KTR_ATTR_PROBE_ALL, 1);
			 },
			 EINVAL},
			{"all = 2", [](nl_msg *m) { nla_put_u8(m, KTR_ATTR_PROBE_ALL, 2); }, ERANGE},
			{"no such probe",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_PROBE_NAME, "no_such_probe"); },
			 ENOENT},
		};
	case KTR_CMD_SET_TRACER: {
		const auto set = [](const char *name, std::string settings, bool raw = false) {
			if (!raw)
				settings.push_back('\0');
			return [=](nl_msg *m) {
				nla_put_string(m, KTR_ATTR_TRACER_NAME, name);
				nla_put(m, KTR_ATTR_TRACER_SETTINGS, static_cast<int>(settings.size()),
					settings.data());
			};
		};
		return {
			{"name missing", {}, EINVAL},
			{"no such tracer",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_TRACER_NAME, "no_such_tracer"); },
			 ENOENT},
			{"name of 40 bytes",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_TRACER_NAME, std::string(40, 'n').c_str());
			 },
			 0},
			{"function unfiltered (no all=1)",
			 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_TRACER_NAME, "function"); }, EINVAL},
			{"function, a filter matching nothing", set("function", "filter=no_such_fn_ktr*"),
			 EINVAL},
			{"function, unknown option", set("function", "bogus=1"), EINVAL},
			{"function, all=maybe", set("function", "all=maybe"), EINVAL},
			{"function, an option twice",
			 set("function", std::string("filter=vfs_read") + '\0' + "filter=vfs_write"),
			 EINVAL},
			{"settings without a final NUL", set("function", "filter=vfs_read", true), EINVAL},
			{"a setting without '='", set("function", "filter"), EINVAL},
			{"a setting without a key", set("function", "=vfs_read"), EINVAL},
			{"17 settings",
			 [](nl_msg *m) {
				 nla_put_string(m, KTR_ATTR_TRACER_NAME, "function");
				 std::string b;
				 for (int i = 0; i < 17; i++)
					 b += std::string("filter=vfs_read") + '\0';
				 nla_put(m, KTR_ATTR_TRACER_SETTINGS, static_cast<int>(b.size()),
					 b.data());
			 },
			 EINVAL},
			{"nop with an option", set("nop", "x=1"), EINVAL},
			{"settings of 5000 bytes", set("function", std::string(4999, 'a')), 0},
		};
	}
	default:
		return {};
	}
}

int run_badinput()
{
	Sock s;
	const std::string before = snapshot(s);
	for (const Cmd &c : all_cmds) {
		std::vector<Bad> cases = generic_bad();
		for (Bad &b : specific_bad(c.cmd))
			cases.push_back(std::move(b));
		for (const Bad &b : cases) {
			const Answer a = transact(s, c.cmd, c.dump, b.fill);
			const bool errno_ok = a.err > 0 && (!b.want || a.err == b.want);
			check(errno_ok && !a.msg.empty(),
			      std::string(c.name) + ", " + b.what + ": " +
				      (a.err > 0 ? std::strerror(a.err) : "success") + " \"" + a.msg +
				      "\"" + (b.want ? std::string(" (want ") + std::strerror(b.want) + ")" : ""));
		}
		const std::string now = snapshot(s);
		check(now == before, std::string(c.name) + ": state unchanged");
		if (now != before)
			std::printf("# before:\n%s# after:\n%s", before.c_str(), now.c_str());
	}
	return failures ? 1 : 0;
}

int run_nobody()
{
	Sock s;
	const struct {
		int cmd;
		bool dump;
		Fill fill;
	} reqs[] = {
		{KTR_CMD_GET_INFO, false, {}},
		{KTR_CMD_SELFTEST, false, put_u32(KTR_ATTR_SELFTEST_DURATION_MS, 10)},
		{KTR_CMD_LIST_EVENTS, true, {}},
		{KTR_CMD_ENABLE_EVENTS, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "sched_switch"); }},
		{KTR_CMD_DISABLE_EVENTS, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "*"); }},
		{KTR_CMD_START, false, {}},
		{KTR_CMD_STOP, false, {}},
		{KTR_CMD_RESET, false, {}},
		{KTR_CMD_GET_STATS, true, {}},
		{KTR_CMD_WRITE_MARKER, false, put_bytes(KTR_ATTR_MARKER_TEXT, 5)},
		{KTR_CMD_SET_BUFFER, false, put_buffer({{KTR_BUFFER_NR_SUBBUFS, 4}})},
		{KTR_CMD_LIST_TRACERS, true, {}},
		{KTR_CMD_SET_TRACER, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_TRACER_NAME, "nop"); }},
		{KTR_CMD_ADD_PROBE, false, {}},
		{KTR_CMD_DEL_PROBE, false, {}},
		{KTR_CMD_LIST_PROBES, true, {}},
		{KTR_CMD_SET_TASK_FILTER, false, put_pids({1})},
		{KTR_CMD_SET_EVENT_FILTER, false,
		 [](nl_msg *m) {
			 nla_put_string(m, KTR_ATTR_EVENT_NAME, "sched_switch");
			 nla_put_u8(m, KTR_ATTR_EVENT_STACK, 1);
		 }},
		{KTR_CMD_GET_FILTERS, false, {}},
		{KTR_CMD_CLEAR_FILTERS, false, {}},
		{KTR_CMD_ATTACH_RAW, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_RAW_TRACEPOINT, "sched_switch"); }},
		{KTR_CMD_DETACH_RAW, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_RAW_TRACEPOINT, "sched_switch"); }},
		{KTR_CMD_GET_LATENCY, true, {}},
	};
	for (const auto &r : reqs) {
		const Answer a = transact(s, r.cmd, r.dump, r.fill);
		check(a.err == EPERM, "command " + std::to_string(r.cmd) + " as an unprivileged user: " +
					      (a.err ? std::strerror(a.err) : "success") + " \"" + a.msg +
					      "\"");
	}
	return failures ? 1 : 0;
}

// A NETLINK_GENERIC socket opened by a child running as nobody (uid and
// gid 65534, no capabilities), received over SCM_RIGHTS.
int socket_of_nobody()
{
	int sv[2];
	if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, sv) != 0)
		die(std::string("socketpair: ") + std::strerror(errno));
	const pid_t pid = fork();
	if (pid < 0)
		die(std::string("fork: ") + std::strerror(errno));
	if (pid == 0) {
		if (setgroups(0, nullptr) != 0 || setgid(65534) != 0 || setuid(65534) != 0)
			_exit(3);
		const int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_GENERIC);
		sockaddr_nl local{};
		local.nl_family = AF_NETLINK;
		if (fd < 0 || bind(fd, reinterpret_cast<sockaddr *>(&local), sizeof(local)) != 0)
			_exit(4);
		char byte = 'f';
		iovec iov{&byte, 1};
		alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int))]{};
		msghdr mh{};
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl;
		mh.msg_controllen = sizeof(ctl);
		cmsghdr *c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		std::memcpy(CMSG_DATA(c), &fd, sizeof(fd));
		_exit(sendmsg(sv[1], &mh, 0) == 1 ? 0 : 5);
	}
	int status = 0;
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		die("the child running as nobody failed: status " + std::to_string(status));
	char byte;
	iovec iov{&byte, 1};
	alignas(cmsghdr) char ctl[CMSG_SPACE(sizeof(int))]{};
	msghdr mh{};
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl;
	mh.msg_controllen = sizeof(ctl);
	if (recvmsg(sv[0], &mh, 0) != 1)
		die(std::string("recvmsg: ") + std::strerror(errno));
	cmsghdr *c = CMSG_FIRSTHDR(&mh);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		die("no descriptor received");
	int fd;
	std::memcpy(&fd, CMSG_DATA(c), sizeof(fd));
	close(sv[0]);
	close(sv[1]);
	return fd;
}

int run_deputy()
{
	if (geteuid() != 0)
		die("deputy: run as root");
	Sock mine;
	Sock theirs(socket_of_nobody());
	const struct {
		int cmd;
		bool dump;
		Fill fill;
		int want_root;	// on root's own socket (-1: not sent there)
	} reqs[] = {
		// Read-only: they leaked the state to the opener.
		{KTR_CMD_GET_INFO, false, {}, 0},
		{KTR_CMD_LIST_EVENTS, true, {}, 0},
		{KTR_CMD_GET_STATS, true, {}, 0},
		{KTR_CMD_GET_FILTERS, false, {}, 0},
		{KTR_CMD_LIST_PROBES, true, {}, 0},
		{KTR_CMD_LIST_TRACERS, true, {}, 0},
		// No latency tracer has run in this boot: no data.
		{KTR_CMD_GET_LATENCY, true, {}, ENODATA},
		// State changes: GENL_ADMIN_PERM checks the opener only when the
		// sender gave no address (libnl always gives one).
		{KTR_CMD_STOP, false, {}, -1},
		{KTR_CMD_RESET, false, {}, -1},
		{KTR_CMD_WRITE_MARKER, false, put_bytes(KTR_ATTR_MARKER_TEXT, 5), -1},
		{KTR_CMD_SET_BUFFER, false, put_buffer({{KTR_BUFFER_NR_SUBBUFS, 4}}), -1},
		{KTR_CMD_ENABLE_EVENTS, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "sched_switch"); }, -1},
		{KTR_CMD_SET_TASK_FILTER, false, put_pids({1}), -1},
		{KTR_CMD_CLEAR_FILTERS, false, {}, -1},
		{KTR_CMD_SET_TRACER, false,
		 [](nl_msg *m) { nla_put_string(m, KTR_ATTR_TRACER_NAME, "nop"); }, -1},
	};
	const std::string before = snapshot(mine);
	for (const auto &r : reqs) {
		const Answer a = transact(theirs, r.cmd, r.dump, r.fill);
		// Before 6.2 (netlink_dump_start() without extack) a dump's start
		// cannot say why.
		const bool says = a.msg.find("opened") != std::string::npos;
		check(a.err == EPERM && (says || (r.dump && a.msg.empty())),
		      "command " + std::to_string(r.cmd) + " by root on a socket nobody opened: " +
			      (a.err ? std::strerror(a.err) : "success") + " \"" + a.msg + "\"" +
			      (a.replies.empty() ? "" : ", " + std::to_string(a.replies.size()) +
							       " replies"));
		if (r.want_root < 0)
			continue;
		const Answer b = transact(mine, r.cmd, r.dump, r.fill);
		check(b.err == r.want_root,
		      "command " + std::to_string(r.cmd) + " by root on its own socket: " +
			      (b.err ? std::strerror(b.err) : "success") + " \"" + b.msg + "\"");
	}
	check(snapshot(mine) == before, "the refused commands changed nothing");
	return failures ? 1 : 0;
}

int run_notices()
{
	Sock ctl;
	Sock mon;
	const int grp = genl_ctrl_resolve_grp(mon.sk, KTR_GENL_NAME, KTR_GENL_MCGRP_NOTICES);
	check(grp > 0, "the notices group resolves");
	if (grp <= 0)
		return 1;
	nl_socket_disable_seq_check(mon.sk);
	if (nl_socket_add_membership(mon.sk, grp) < 0)
		die("cannot join the notices group");

	// Every notice is sent before the reply: after the reply it is queued.
	const auto notices = [&] {
		std::vector<std::pair<int, std::map<int, std::string>>> got;
		unsigned char buf[8192];
		for (;;) {
			const ssize_t n = recv(nl_socket_get_fd(mon.sk), buf, sizeof(buf), MSG_DONTWAIT);
			if (n <= 0)
				break;
			int len = static_cast<int>(n);
			for (auto *nlh = reinterpret_cast<nlmsghdr *>(buf); nlmsg_ok(nlh, len);
			     nlh = nlmsg_next(nlh, &len)) {
				std::vector<char> copy(reinterpret_cast<char *>(nlh),
						       reinterpret_cast<char *>(nlh) + nlh->nlmsg_len);
				std::map<int, std::string> attrs;
				for (auto [t, a] : attrs_of(copy)) {
					if (t == KTR_ATTR_EVENT_GLOB)
						attrs[t] = nla_get_string(a);
					else if (t == KTR_ATTR_TRACING_ON)
						attrs[t] = std::to_string(nla_get_u8(a));
					else if (t == KTR_ATTR_TRACER_NAME)
						attrs[t] = nla_get_string(a);
					else if (t == KTR_ATTR_EVENT_COUNT)
						attrs[t] = std::to_string(nla_get_u32(a));
					else if (t == KTR_ATTR_BUFFER) {
						nlattr *c;
						int rem;
						nla_for_each_nested(c, a, rem)
							attrs[1000 + nla_type(c)] =
								std::to_string(nla_get_u32(c));
					}
				}
				got.emplace_back(genlmsg_hdr(nlh)->cmd, attrs);
			}
		}
		return got;
	};
	const auto expect = [&](const char *what, int cmd, const Fill &fill, int want_cmd,
				int key, const std::string &value) {
		const Answer a = transact(ctl, cmd, false, fill);
		check(a.err == 0, std::string(what) + " succeeds " + a.msg);
		auto got = notices();
		check(got.size() == 1 && got[0].first == want_cmd &&
			      got[0].second[key] == value,
		      std::string(what) + ": one notice (" + std::to_string(got.size()) +
			      (got.empty() ? "" : ", cmd " + std::to_string(got[0].first) + ", " +
							  got[0].second[key]) +
			      ")");
	};
	const Fill glob = [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "sched_switch"); };
	expect("enable sched_switch", KTR_CMD_ENABLE_EVENTS, glob, KTR_CMD_ENABLE_EVENTS,
	       KTR_ATTR_EVENT_GLOB, "sched_switch");
	expect("disable sched_switch", KTR_CMD_DISABLE_EVENTS, glob, KTR_CMD_DISABLE_EVENTS,
	       KTR_ATTR_EVENT_COUNT, "1");
	expect("stop", KTR_CMD_STOP, {}, KTR_CMD_STOP, KTR_ATTR_TRACING_ON, "0");
	expect("start", KTR_CMD_START, {}, KTR_CMD_START, KTR_ATTR_TRACING_ON, "1");
	expect("reset", KTR_CMD_RESET, {}, KTR_CMD_RESET, KTR_ATTR_TRACING_ON, "1");
	expect("tracer nop", KTR_CMD_SET_TRACER,
	       [](nl_msg *m) { nla_put_string(m, KTR_ATTR_TRACER_NAME, "nop"); },
	       KTR_CMD_SET_TRACER, KTR_ATTR_TRACER_NAME, "nop");
	expect("buffer: 8 sub-buffers of 16 KiB", KTR_CMD_SET_BUFFER,
	       put_buffer({{KTR_BUFFER_SUBBUF_SIZE, 16384}, {KTR_BUFFER_NR_SUBBUFS, 8}}),
	       KTR_CMD_SET_BUFFER, 1000 + KTR_BUFFER_SUBBUF_SIZE, "16384");
	// A refused request sends nothing.
	const Answer bad = transact(ctl, KTR_CMD_ENABLE_EVENTS, false,
				    [](nl_msg *m) { nla_put_string(m, KTR_ATTR_EVENT_GLOB, "nope"); });
	check(bad.err == ENOENT && notices().empty(), "a refused request sends no notice");
	return failures ? 1 : 0;
}

// A change of the current tracer that no SET_TRACER of ours made (its
// module unloaded): the notice says which tracer is current now.
int run_tracer_notice(int seconds)
{
	Sock mon;
	const int grp = genl_ctrl_resolve_grp(mon.sk, KTR_GENL_NAME, KTR_GENL_MCGRP_NOTICES);
	if (grp <= 0 || nl_socket_add_membership(mon.sk, grp) < 0)
		die("cannot join the notices group");
	std::puts("listening");
	std::fflush(stdout);
	pollfd p{nl_socket_get_fd(mon.sk), POLLIN, 0};
	unsigned char buf[8192];
	for (int left = seconds * 10; left > 0; left--) {
		if (poll(&p, 1, 100) <= 0)
			continue;
		const ssize_t n = recv(p.fd, buf, sizeof(buf), MSG_DONTWAIT);
		int len = static_cast<int>(n);
		for (auto *nlh = reinterpret_cast<nlmsghdr *>(buf); n > 0 && nlmsg_ok(nlh, len);
		     nlh = nlmsg_next(nlh, &len)) {
			if (genlmsg_hdr(nlh)->cmd != KTR_CMD_SET_TRACER)
				continue;
			std::vector<char> copy(reinterpret_cast<char *>(nlh),
					       reinterpret_cast<char *>(nlh) + nlh->nlmsg_len);
			auto attrs = attrs_of(copy);
			const auto name = attrs.find(KTR_ATTR_TRACER_NAME);
			std::printf("tracer %s\n",
				    name == attrs.end() ? "(none)" : nla_get_string(name->second));
			return 0;
		}
	}
	std::puts("no notice");
	return 1;
}

int open_stream(unsigned cpu)
{
	const int dev = ::open(KTR_DEVICE_PATH, O_RDONLY | O_CLOEXEC);
	if (dev < 0)
		die(std::string("open " KTR_DEVICE_PATH ": ") + std::strerror(errno));
	ktr_stream_open o{};
	o.size = sizeof(o);
	o.cpu = cpu;
	const int fd = ioctl(dev, KTR_IOC_STREAM_OPEN, &o);
	if (fd < 0)
		die(std::string("KTR_IOC_STREAM_OPEN: ") + std::strerror(errno));
	close(dev);
	return fd;
}

int run_geometry(unsigned cpu)
{
	const int fd = open_stream(cpu);
	void *p = mmap(nullptr, static_cast<std::size_t>(sysconf(_SC_PAGESIZE)), PROT_READ,
		       MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die(std::string("mmap: ") + std::strerror(errno));
	const auto *meta = static_cast<const ktr_stream_meta *>(p);
	std::printf("%u %u %u\n", meta->subbuf_size, meta->nr_subbufs, meta->mode);
	return 0;
}

// A dump the kernel has started and the reader has not finished: the
// netlink core holds a reference on the family's module until it ends.
int run_halfdump()
{
	Sock s;
	send_request(s, KTR_CMD_LIST_EVENTS, true, {});
	std::printf("dumping\n");
	std::fflush(stdout);
	char c;
	while (read(0, &c, 1) > 0) {
	}
	const Answer a = receive_answer(s);
	std::printf("events %zu error %d\n", a.replies.size(), a.err);
	return a.err ? 1 : 0;
}

int run_hold(unsigned cpu)
{
	const int fd = open_stream(cpu);
	std::printf("open\n");
	std::fflush(stdout);
	char c;
	while (read(0, &c, 1) > 0) {
	}
	close(fd);
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	const std::string mode = argc > 1 ? argv[1] : "";
	if (mode == "badinput")
		return run_badinput();
	if (mode == "nobody")
		return run_nobody();
	if (mode == "deputy")
		return run_deputy();
	if (mode == "notices")
		return run_notices();
	if (mode == "tracer-notice" && argc > 2)
		return run_tracer_notice(std::atoi(argv[2]));
	if (mode == "halfdump")
		return run_halfdump();
	if (mode == "snapshot") {
		Sock s;
		std::fputs(snapshot(s).c_str(), stdout);
		return 0;
	}
	if ((mode == "geometry" || mode == "hold") && argc > 2) {
		const unsigned cpu = static_cast<unsigned>(std::strtoul(argv[2], nullptr, 10));
		return mode == "geometry" ? run_geometry(cpu) : run_hold(cpu);
	}
	std::fprintf(stderr, "usage: ktr-ctl-probe badinput|nobody|deputy|notices|"
			     "tracer-notice SECONDS|halfdump|snapshot|"
			     "geometry CPU|hold CPU\n");
	return 2;
}
