// SPDX-License-Identifier: MIT
//
// The event list (KTR_CMD_LIST_EVENTS) and event control (KTR_CMD_ENABLE_
// EVENTS / _DISABLE_EVENTS) on the host: messages built here as the module
// would send them, then parsed: good ones to exact formats, and every way
// of spoiling one refused with an error that names the event, the field and
// the attribute. Also the helpers of `ktr list` / `ktr enable`: formats_from,
// glob matching, the text and JSON tables, and the wording of errors.
#include <algorithm>
#include <cerrno>
#include <cstddef>
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

#include "ktr/errors.h"
#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "ktr/events.h"
#include "proto/attrs.h"
#include "nl_handles.h"

namespace ktr {
namespace {

constexpr int family_id = 0x1d;

void check(int rc)
{
	if (rc < 0)
		throw std::runtime_error("building a test message failed: " + std::to_string(rc));
}

// One KTR_ATTR_FIELD as the module sends it; knobs spoil it.
struct FieldAttrs {
	std::string name;
	std::uint32_t type = KTR_FIELD_INT;
	std::uint32_t offset = 0;
	std::uint32_t size = 0;
	std::uint8_t is_signed = 0;
	std::set<int> omit;			// attribute types left out
	std::function<void(nl_msg *)> extra;	// inside the nest, after the rest
};

FieldAttrs int_field(std::string name, std::uint32_t offset, std::uint32_t size, bool is_signed)
{
	return FieldAttrs{std::move(name), KTR_FIELD_INT, offset, size,
			  static_cast<std::uint8_t>(is_signed ? 1 : 0), {}, {}};
}

FieldAttrs chars_field(std::string name, std::uint32_t offset, std::uint32_t size)
{
	return FieldAttrs{std::move(name), KTR_FIELD_CHAR_ARRAY, offset, size, 0, {}, {}};
}

#define SW(m) offsetof(ktr_event_sched_switch, m)

// What ktr_probes_sched.c describes for sched_switch.
std::vector<FieldAttrs> sched_switch_attrs()
{
	return {
		int_field("common_id", 0, 2, false),
		int_field("common_flags", 2, 2, false),
		int_field("common_pid", 4, 4, true),
		chars_field("prev_comm", SW(prev_comm), KTR_COMM_LEN),
		int_field("prev_pid", SW(prev_pid), 4, true),
		int_field("prev_prio", SW(prev_prio), 4, true),
		int_field("prev_state", SW(prev_state), 4, false),
		int_field("preempt", SW(preempt), 4, false),
		chars_field("next_comm", SW(next_comm), KTR_COMM_LEN),
		int_field("next_pid", SW(next_pid), 4, true),
		int_field("next_prio", SW(next_prio), 4, true),
	};
}

// The EventFormat those attributes describe.
EventFormat sched_switch_format()
{
	return EventFormat{
		KTR_EVENT_SCHED_SWITCH,
		"sched",
		"sched_switch",
		{
			{"common_id", FieldType::Int, 0, 2, false},
			{"common_flags", FieldType::Int, 2, 2, false},
			{"common_pid", FieldType::Int, 4, 4, true},
			{"prev_comm", FieldType::CharArray, SW(prev_comm), 16, false},
			{"prev_pid", FieldType::Int, SW(prev_pid), 4, true},
			{"prev_prio", FieldType::Int, SW(prev_prio), 4, true},
			{"prev_state", FieldType::Int, SW(prev_state), 4, false},
			{"preempt", FieldType::Int, SW(preempt), 4, false},
			{"next_comm", FieldType::CharArray, SW(next_comm), 16, false},
			{"next_pid", FieldType::Int, SW(next_pid), 4, true},
			{"next_prio", FieldType::Int, SW(next_prio), 4, true},
		},
	};
}

#undef SW

// One message of the KTR_CMD_LIST_EVENTS dump, sched_switch by default.
struct EventMessage {
	std::uint32_t id = KTR_EVENT_SCHED_SWITCH;
	std::string system = "sched";
	std::string name = "sched_switch";
	std::uint8_t available = 1;
	std::uint8_t enabled = 0;
	std::vector<FieldAttrs> fields = sched_switch_attrs();
	std::uint8_t cmd = KTR_CMD_LIST_EVENTS;
	bool nested_flag = true;		// NLA_F_NESTED, as the kernel sets it
	std::set<int> omit;			// top-level attribute types left out
	std::function<void(nl_msg *)> extra;	// top level, after the rest
	std::function<void(nl_msg *)> extra_in_fields;	// inside KTR_ATTR_EVENT_FIELDS

	[[nodiscard]] nl::MsgPtr build() const
	{
		nl::MsgPtr msg{nlmsg_alloc()};
		if (!msg || !genlmsg_put(msg.get(), 0, 1, family_id, 0, NLM_F_MULTI, cmd,
					 KTR_GENL_VERSION))
			throw std::runtime_error("genlmsg_put failed");
		nl_msg *m = msg.get();
		const int nested = nested_flag ? NLA_F_NESTED : 0;
		if (!omit.contains(KTR_ATTR_EVENT_ID))
			check(nla_put_u32(m, KTR_ATTR_EVENT_ID, id));
		if (!omit.contains(KTR_ATTR_EVENT_SYSTEM))
			check(nla_put_string(m, KTR_ATTR_EVENT_SYSTEM, system.c_str()));
		if (!omit.contains(KTR_ATTR_EVENT_NAME))
			check(nla_put_string(m, KTR_ATTR_EVENT_NAME, name.c_str()));
		if (!omit.contains(KTR_ATTR_EVENT_AVAILABLE))
			check(nla_put_u8(m, KTR_ATTR_EVENT_AVAILABLE, available));
		if (!omit.contains(KTR_ATTR_EVENT_ENABLED))
			check(nla_put_u8(m, KTR_ATTR_EVENT_ENABLED, enabled));
		if (!omit.contains(KTR_ATTR_EVENT_FIELDS)) {
			nlattr *list = nla_nest_start(m, KTR_ATTR_EVENT_FIELDS | nested);
			if (!list)
				throw std::runtime_error("nla_nest_start failed");
			for (const FieldAttrs &f : fields) {
				nlattr *one = nla_nest_start(m, KTR_ATTR_FIELD | nested);
				if (!one)
					throw std::runtime_error("nla_nest_start failed");
				const auto u32 = [&](int type, std::uint32_t v) {
					if (!f.omit.contains(type))
						check(nla_put_u32(m, type, v));
				};
				if (!f.omit.contains(KTR_ATTR_FIELD_NAME))
					check(nla_put_string(m, KTR_ATTR_FIELD_NAME, f.name.c_str()));
				u32(KTR_ATTR_FIELD_TYPE, f.type);
				u32(KTR_ATTR_FIELD_OFFSET, f.offset);
				u32(KTR_ATTR_FIELD_SIZE, f.size);
				if (!f.omit.contains(KTR_ATTR_FIELD_SIGNED))
					check(nla_put_u8(m, KTR_ATTR_FIELD_SIGNED, f.is_signed));
				if (f.extra)
					f.extra(m);
				check(nla_nest_end(m, one));
			}
			if (extra_in_fields)
				extra_in_fields(m);
			check(nla_nest_end(m, list));
		}
		if (extra)
			extra(m);
		return msg;
	}
};

// The marker as the module lists it (the same as builtin_formats()).
EventMessage marker_message()
{
	EventMessage m;
	m.id = KTR_EVENT_MARKER;
	m.system = "ktr";
	m.name = "marker";
	m.enabled = 1;
	m.fields = {
		int_field("common_id", 0, 2, false),
		int_field("common_flags", 2, 2, false),
		int_field("common_pid", 4, 4, true),
		int_field("tgid", offsetof(ktr_event_marker, tgid), 4, true),
		chars_field("comm", offsetof(ktr_event_marker, comm), KTR_COMM_LEN),
		FieldAttrs{"text", KTR_FIELD_REST_STRING, sizeof(ktr_event_marker), 0, 0, {}, {}},
	};
	return m;
}

Result<EventInfo> parse(const EventMessage &m)
{
	auto msg = m.build();
	return parse_event_message(msg.get());
}

// The error of parsing @m; a test failure if it parsed.
std::string error_of(const EventMessage &m)
{
	Result<EventInfo> ev = parse(m);
	if (ev) {
		ADD_FAILURE() << "parsed fine";
		return "(parsed fine)";
	}
	EXPECT_EQ(ev.error().errnum(), EPROTO);
	return ev.error().message();
}

bool contains(const std::string &text, std::string_view needle)
{
	return text.find(needle) != std::string::npos;
}

constexpr std::string_view prefix = "invalid reply from the ktr module to KTR_CMD_LIST_EVENTS: ";

// --- good messages ---------------------------------------------------------

TEST(EventMessage, ParsesSchedSwitchExactly)
{
	Result<EventInfo> ev = parse(EventMessage{});
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->format, sched_switch_format());
	EXPECT_TRUE(ev->available);
	EXPECT_FALSE(ev->enabled);
	EXPECT_EQ(*ev, (EventInfo{sched_switch_format(), true, false}));
}

TEST(EventMessage, ParsesMarkerLikeTheBuiltinFormat)
{
	Result<EventInfo> ev = parse(marker_message());
	ASSERT_TRUE(ev) << ev.error().message();
	const EventFormat *builtin = builtin_formats().find(KTR_EVENT_MARKER);
	ASSERT_NE(builtin, nullptr);
	EXPECT_EQ(ev->format, *builtin);
	EXPECT_TRUE(ev->available);
	EXPECT_TRUE(ev->enabled);
	EXPECT_EQ(ev->format.fields.back().type, FieldType::RestString);
}

TEST(EventMessage, StateFlags)
{
	for (const std::uint8_t available : {std::uint8_t{0}, std::uint8_t{1}}) {
		for (const std::uint8_t enabled : {std::uint8_t{0}, std::uint8_t{1}}) {
			EventMessage m;
			m.available = available;
			m.enabled = enabled;
			Result<EventInfo> ev = parse(m);
			ASSERT_TRUE(ev) << ev.error().message();
			EXPECT_EQ(ev->available, available == 1);
			EXPECT_EQ(ev->enabled, enabled == 1);
		}
	}
}

TEST(EventMessage, NestedFlagIsOptional)
{
	EventMessage m;
	m.nested_flag = false;
	Result<EventInfo> ev = parse(m);
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->format, sched_switch_format());
}

TEST(EventMessage, RestStringOfANonMarkerEvent)
{
	EventMessage m;
	m.id = KTR_EVENT_SCHED_PROCESS_EXEC;
	m.name = "sched_process_exec";
	m.fields = {
		int_field("common_id", 0, 2, false),
		int_field("common_flags", 2, 2, false),
		int_field("common_pid", 4, 4, true),
		int_field("pid", 8, 4, true),
		int_field("old_pid", 12, 4, true),
		FieldAttrs{"filename", KTR_FIELD_REST_STRING, 16, 0, 0, {}, {}},
	};
	Result<EventInfo> ev = parse(m);
	ASSERT_TRUE(ev) << ev.error().message();
	ASSERT_EQ(ev->format.fields.size(), 6U);
	EXPECT_EQ(ev->format.fields[5],
		  (FieldFormat{"filename", FieldType::RestString, 16, 0, false}));
	EXPECT_EQ(ev->format.fields[4], (FieldFormat{"old_pid", FieldType::Int, 12, 4, true}));
}

// A probe event as the module lists it (ABI minor 5): STRING_LOC and
// display hints.
EventMessage probe_event_message()
{
	const auto display = [](std::uint32_t d) {
		return [d](nl_msg *msg) { check(nla_put_u32(msg, KTR_ATTR_FIELD_DISPLAY, d)); };
	};
	EventMessage m;
	m.id = KTR_EVENT_PROBE_FIRST;
	m.system = "kprobes";
	m.name = "myopen";
	m.enabled = 1;
	FieldAttrs dfd = int_field("dfd", 8, 4, true);
	FieldAttrs flags = int_field("flags", 16, 8, false);
	flags.extra = display(KTR_DISPLAY_HEX);
	FieldAttrs caller = int_field("caller", 24, 8, false);
	caller.extra = display(KTR_DISPLAY_SYMBOL);
	FieldAttrs later = int_field("later", 32, 8, false);
	later.extra = display(77);	// a newer minor's display
	m.fields = {
		int_field("common_id", 0, 2, false),
		int_field("common_flags", 2, 2, false),
		int_field("common_pid", 4, 4, true),
		dfd,
		FieldAttrs{"path", KTR_FIELD_STRING_LOC, 12, 4, 0, {}, {}},
		flags,
		caller,
		later,
	};
	return m;
}

TEST(EventMessage, ProbeEventWithStringLocAndDisplays)
{
	Result<EventInfo> ev = parse(probe_event_message());
	ASSERT_TRUE(ev) << ev.error().message();
	ASSERT_EQ(ev->format.fields.size(), 8U);
	EXPECT_EQ(ev->format.fields[3], (FieldFormat{"dfd", FieldType::Int, 8, 4, true}));
	EXPECT_EQ(ev->format.fields[4], (FieldFormat{"path", FieldType::StringLoc, 12, 4, false}));
	EXPECT_EQ(ev->format.fields[5],
		  (FieldFormat{"flags", FieldType::Int, 16, 8, false, FieldDisplay::Hex}));
	EXPECT_EQ(ev->format.fields[6],
		  (FieldFormat{"caller", FieldType::Int, 24, 8, false, FieldDisplay::Symbol}));
	// Unknown display: shown as by default.
	EXPECT_EQ(ev->format.fields[7].display, FieldDisplay::Default);

	EXPECT_EQ(field_type_text(ev->format.fields[4]), "string");
	EXPECT_EQ(field_type_text(ev->format.fields[5]), "x64");
	EXPECT_EQ(field_type_text(ev->format.fields[6]), "symbol");
	EXPECT_EQ(field_type_text(ev->format.fields[3]), "s32");
	const std::string table = format_events_text({*ev}, true);
	const std::size_t path_line = table.find("\n    path ");
	ASSERT_NE(path_line, std::string::npos) << table;
	const std::string line = table.substr(path_line + 1, table.find('\n', path_line + 1) - path_line);
	EXPECT_NE(line.find(" string "), std::string::npos) << line;
	EXPECT_TRUE(line.ends_with(" 12     4\n")) << line;
	const std::string json = format_events_json({*ev});
	EXPECT_NE(json.find(R"({"name":"path","type":"string_loc","signed":false,"display":"default","offset":12,"size":4})"),
		  std::string::npos)
		<< json;
	EXPECT_NE(json.find(R"("name":"caller","type":"int","signed":false,"display":"symbol")"),
		  std::string::npos)
		<< json;
}

TEST(EventMessage, RefusesABadStringLocOrADisplayOnText)
{
	EventMessage wide = probe_event_message();
	wide.fields[4].size = 8;
	Result<EventInfo> r = parse(wide);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("string location of 8 bytes (must be 4)"),
		  std::string::npos)
		<< r.error().message();

	EventMessage hex_text = probe_event_message();
	hex_text.fields[4].extra = [](nl_msg *msg) {
		check(nla_put_u32(msg, KTR_ATTR_FIELD_DISPLAY, KTR_DISPLAY_HEX));
	};
	r = parse(hex_text);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("'path' has an integer display"), std::string::npos)
		<< r.error().message();
}

TEST(EventMessage, UnknownAttributesAreIgnoredAtEveryLevel)
{
	EventMessage m;
	m.extra = [](nl_msg *msg) {
		check(nla_put_u64(msg, KTR_ATTR_MAX + 1, 42));
		check(nla_put_string(msg, KTR_ATTR_MAX + 9, "from a newer minor"));
		check(nla_put(msg, KTR_ATTR_MAX + 2, 0, nullptr));
		check(nla_put_u32(msg, KTR_ATTR_ABI_MAJOR, 99));	// known, not an event's
	};
	m.extra_in_fields = [](nl_msg *msg) {
		check(nla_put_u32(msg, KTR_ATTR_MAX + 3, 7));	// not a KTR_ATTR_FIELD
	};
	m.fields[4].extra = [](nl_msg *msg) {
		check(nla_put_u16(msg, KTR_ATTR_MAX + 4, 7));
		check(nla_put_string(msg, KTR_ATTR_EVENT_GLOB, "x"));
	};
	Result<EventInfo> ev = parse(m);
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->format, sched_switch_format());
}

TEST(EventMessage, LongestNamesFit)
{
	EventMessage m;
	m.system = std::string(event_string_max - 1, 's');
	m.name = std::string(event_string_max - 1, 'n');
	m.fields.back().name = std::string(event_string_max - 1, 'f');
	Result<EventInfo> ev = parse(m);
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->format.name, m.name);
	EXPECT_EQ(ev->format.fields.back().name, m.fields.back().name);
}

TEST(EventMessage, LargestIdFits)
{
	EventMessage m;
	m.id = 0xffff;
	Result<EventInfo> ev = parse(m);
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->format.id, 0xffff);
}

// --- missing attributes ----------------------------------------------------

TEST(EventMessage, EachMissingEventAttributeIsNamed)
{
	const std::pair<int, const char *> attrs[] = {
		{KTR_ATTR_EVENT_ID, "KTR_ATTR_EVENT_ID"},
		{KTR_ATTR_EVENT_SYSTEM, "KTR_ATTR_EVENT_SYSTEM"},
		{KTR_ATTR_EVENT_NAME, "KTR_ATTR_EVENT_NAME"},
		{KTR_ATTR_EVENT_AVAILABLE, "KTR_ATTR_EVENT_AVAILABLE"},
		{KTR_ATTR_EVENT_ENABLED, "KTR_ATTR_EVENT_ENABLED"},
		{KTR_ATTR_EVENT_FIELDS, "KTR_ATTR_EVENT_FIELDS"},
	};
	for (const auto &[type, name] : attrs) {
		SCOPED_TRACE(name);
		EventMessage m;
		m.omit = {type};
		const std::string e = error_of(m);
		EXPECT_TRUE(e.starts_with(prefix)) << e;
		EXPECT_TRUE(contains(e, std::string(name) + " missing")) << e;
		EXPECT_EQ(proto::attr_name(proto::Space::ktr, type), name);
	}
	// Once the id and names are known, the event is named.
	EventMessage m;
	m.omit = {KTR_ATTR_EVENT_ENABLED};
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 2): KTR_ATTR_EVENT_ENABLED missing");
	m.omit = {KTR_ATTR_EVENT_NAME};
	EXPECT_EQ(error_of(m), std::string(prefix) + "event 2: KTR_ATTR_EVENT_NAME missing");
	m.omit = {KTR_ATTR_EVENT_ID};
	EXPECT_EQ(error_of(m), std::string(prefix) + "KTR_ATTR_EVENT_ID missing");
}

TEST(EventMessage, EachMissingFieldAttributeIsNamed)
{
	const std::pair<int, const char *> attrs[] = {
		{KTR_ATTR_FIELD_NAME, "KTR_ATTR_FIELD_NAME"},
		{KTR_ATTR_FIELD_TYPE, "KTR_ATTR_FIELD_TYPE"},
		{KTR_ATTR_FIELD_OFFSET, "KTR_ATTR_FIELD_OFFSET"},
		{KTR_ATTR_FIELD_SIZE, "KTR_ATTR_FIELD_SIZE"},
		{KTR_ATTR_FIELD_SIGNED, "KTR_ATTR_FIELD_SIGNED"},
	};
	for (const auto &[type, name] : attrs) {
		SCOPED_TRACE(name);
		EventMessage m;
		m.fields[3].omit = {type};
		const std::string e = error_of(m);
		EXPECT_TRUE(contains(e, "event sched:sched_switch (id 2): field 3")) << e;
		EXPECT_TRUE(contains(e, std::string(name) + " missing")) << e;
		EXPECT_EQ(proto::attr_name(proto::Space::ktr, type), name);
	}
	EventMessage m;
	m.fields[3].omit = {KTR_ATTR_FIELD_SIZE};
	EXPECT_EQ(error_of(m), std::string(prefix) + "event sched:sched_switch (id 2): field 3 "
						     "('prev_comm'): KTR_ATTR_FIELD_SIZE missing");
}

TEST(EventMessage, NoFieldsIsRefused)
{
	// The kernel keeps an empty nest (libnl would drop it: put it by hand).
	EventMessage m;
	m.omit = {KTR_ATTR_EVENT_FIELDS};
	m.extra = [](nl_msg *msg) { check(nla_put(msg, KTR_ATTR_EVENT_FIELDS, 0, nullptr)); };
	EXPECT_TRUE(contains(error_of(m), "event sched:sched_switch (id 2): its first fields are "
					  "not the common header"))
		<< error_of(m);
}

// --- wrong sizes and types -------------------------------------------------

TEST(EventMessage, OversizedAndShortNumbersAreNamed)
{
	struct Case {
		int type;
		std::function<void(nl_msg *)> put;
		std::string want;
	};
	const Case cases[] = {
		{KTR_ATTR_EVENT_ID, [](nl_msg *m) { check(nla_put_u64(m, KTR_ATTR_EVENT_ID, 2)); },
		 "KTR_ATTR_EVENT_ID is 8 bytes, expected a 4-byte u32"},
		{KTR_ATTR_EVENT_ID, [](nl_msg *m) { check(nla_put_u16(m, KTR_ATTR_EVENT_ID, 2)); },
		 "KTR_ATTR_EVENT_ID is 2 bytes, expected a 4-byte u32"},
		{KTR_ATTR_EVENT_AVAILABLE,
		 [](nl_msg *m) { check(nla_put_u32(m, KTR_ATTR_EVENT_AVAILABLE, 1)); },
		 "event sched:sched_switch (id 2): KTR_ATTR_EVENT_AVAILABLE is 4 bytes, expected "
		 "a 1-byte u8"},
		{KTR_ATTR_EVENT_ENABLED,
		 [](nl_msg *m) { check(nla_put(m, KTR_ATTR_EVENT_ENABLED, 0, nullptr)); },
		 "KTR_ATTR_EVENT_ENABLED is 0 bytes, expected a 1-byte u8"},
		{KTR_ATTR_EVENT_ENABLED,
		 [](nl_msg *m) { check(nla_put_u8(m, KTR_ATTR_EVENT_ENABLED, 2)); },
		 "KTR_ATTR_EVENT_ENABLED is 2, expected 0 or 1"},
	};
	for (const Case &c : cases) {
		SCOPED_TRACE(c.want);
		EventMessage m;
		m.omit = {c.type};
		m.extra = c.put;
		const std::string e = error_of(m);
		EXPECT_TRUE(contains(e, c.want)) << e;
	}
}

TEST(EventMessage, BadFieldNumbersAreNamed)
{
	EventMessage m;
	m.fields[4].omit = {KTR_ATTR_FIELD_OFFSET};
	m.fields[4].extra = [](nl_msg *msg) { check(nla_put_u64(msg, KTR_ATTR_FIELD_OFFSET, 24)); };
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 2): field 4 ('prev_pid'): "
				       "KTR_ATTR_FIELD_OFFSET is 8 bytes, expected a 4-byte u32");

	m = EventMessage{};
	m.fields[4].omit = {KTR_ATTR_FIELD_SIGNED};
	m.fields[4].extra = [](nl_msg *msg) { check(nla_put_u8(msg, KTR_ATTR_FIELD_SIGNED, 0xff)); };
	EXPECT_TRUE(contains(error_of(m), "field 4 ('prev_pid'): KTR_ATTR_FIELD_SIGNED is 255, "
					  "expected 0 or 1"));
}

TEST(EventMessage, WrongTypedAttributesAreNamed)
{
	// A string where a u32 is due, and a u32 where a string is due.
	EventMessage m;
	m.fields[5].omit = {KTR_ATTR_FIELD_TYPE};
	m.fields[5].extra = [](nl_msg *msg) {
		check(nla_put_string(msg, KTR_ATTR_FIELD_TYPE, "signed"));
	};
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 2): field 5 ('prev_prio'): "
				       "KTR_ATTR_FIELD_TYPE is 7 bytes, expected a 4-byte u32");

	m = EventMessage{};
	m.omit = {KTR_ATTR_EVENT_NAME};
	m.extra = [](nl_msg *msg) { check(nla_put_u32(msg, KTR_ATTR_EVENT_NAME, 0x41414141)); };
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event 2: KTR_ATTR_EVENT_NAME is not a NUL-terminated string");

	m = EventMessage{};
	m.fields[0].omit = {KTR_ATTR_FIELD_NAME};
	m.fields[0].extra = [](nl_msg *msg) { check(nla_put_u32(msg, KTR_ATTR_FIELD_NAME, 0x41414141)); };
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 2): field 0: KTR_ATTR_FIELD_NAME "
				       "is not a NUL-terminated string");
}

TEST(EventMessage, BadStringsAreNamed)
{
	EventMessage m;
	m.system = std::string(event_string_max, 's');	// + NUL: one too many
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event 2: KTR_ATTR_EVENT_SYSTEM is longer than 64 bytes");

	m = EventMessage{};
	m.omit = {KTR_ATTR_EVENT_SYSTEM};
	m.extra = [](nl_msg *msg) { check(nla_put(msg, KTR_ATTR_EVENT_SYSTEM, 0, nullptr)); };
	EXPECT_TRUE(contains(error_of(m), "KTR_ATTR_EVENT_SYSTEM is not a NUL-terminated string"));

	m.extra = [](nl_msg *msg) { check(nla_put(msg, KTR_ATTR_EVENT_SYSTEM, 6, "sch\0d")); };
	EXPECT_TRUE(contains(error_of(m), "KTR_ATTR_EVENT_SYSTEM has a NUL byte before its end"))
		<< error_of(m);

	m = EventMessage{};
	m.fields[2].name = std::string(event_string_max, 'f');
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 2): field 2: KTR_ATTR_FIELD_NAME "
				       "is longer than 64 bytes");
}

TEST(EventMessage, IdBeyond16BitsIsRefused)
{
	EventMessage m;
	m.id = 0x10000;
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 65536): KTR_ATTR_EVENT_ID 65536 "
				       "does not fit the 16-bit id of struct ktr_event_common");
}

TEST(EventMessage, UnknownFieldTypeIsNamed)
{
	EventMessage m;
	m.fields[3].type = 9;
	EXPECT_EQ(error_of(m), std::string(prefix) +
				       "event sched:sched_switch (id 2): field 3 ('prev_comm'): "
				       "KTR_ATTR_FIELD_TYPE 9 is not a known field type (module newer "
				       "than this tool?)");
}

TEST(EventMessage, FieldTypesMapToFormats)
{
	EventMessage m = marker_message();
	Result<EventInfo> ev = parse(m);
	ASSERT_TRUE(ev) << ev.error().message();
	EXPECT_EQ(ev->format.fields[2].type, FieldType::Int);
	EXPECT_TRUE(ev->format.fields[2].is_signed);
	EXPECT_FALSE(ev->format.fields[0].is_signed);
	EXPECT_EQ(ev->format.fields[4].type, FieldType::CharArray);
	EXPECT_EQ(ev->format.fields[5].type, FieldType::RestString);
}

TEST(EventMessage, TruncatedFieldListIsRefused)
{
	EventMessage m;
	m.omit = {KTR_ATTR_EVENT_FIELDS};
	m.extra = [](nl_msg *msg) {
		// A nest whose content ends in the middle of an attribute header.
		const unsigned char junk[6] = {8, 0, KTR_ATTR_FIELD, 0, 1, 2};
		check(nla_put(msg, KTR_ATTR_EVENT_FIELDS, sizeof(junk), junk));
	};
	EXPECT_TRUE(contains(error_of(m), "KTR_ATTR_EVENT_FIELDS: truncated attribute"))
		<< error_of(m);
}

// --- formats validate_format() and the common header refuse ----------------

TEST(EventMessage, FormatsThatValidateFormatRefuses)
{
	struct Case {
		const char *what;
		std::function<void(EventMessage &)> spoil;
		std::string want;
	};
	const Case cases[] = {
		{"duplicate field", [](EventMessage &m) { m.fields[6].name = "prev_pid"; },
		 "field 'prev_pid' appears twice"},
		{"3-byte integer", [](EventMessage &m) { m.fields[4].size = 3; },
		 "field 'prev_pid' is an integer of 3 bytes (1, 2, 4 or 8)"},
		{"empty char array", [](EventMessage &m) { m.fields[3].size = 0; },
		 "field 'prev_comm' is a char array of 0 bytes"},
		{"signed char array", [](EventMessage &m) { m.fields[3].is_signed = 1; },
		 "field 'prev_comm' is signed but not an integer"},
		{"rest string not last",
		 [](EventMessage &m) {
			 m.fields[3] = FieldAttrs{"prev_comm", KTR_FIELD_REST_STRING, 8, 0, 0, {}, {}};
		 },
		 "field 'prev_comm' runs to the end of the payload but is not the last field"},
		{"rest string with a size",
		 [](EventMessage &m) {
			 m.fields.push_back(FieldAttrs{"tail", KTR_FIELD_REST_STRING, 60, 4, 0, {}, {}});
		 },
		 "field 'tail' runs to the end of the payload but has size 4 (must be 0)"},
		{"bad field name", [](EventMessage &m) { m.fields[4].name = "prev-pid"; },
		 "has an invalid name"},
		{"bad event name", [](EventMessage &m) { m.name = "sched switch"; },
		 "invalid system or event name"},
		{"id 0", [](EventMessage &m) { m.id = 0; }, "has the reserved id 0"},
		{"beyond the payload limit", [](EventMessage &m) { m.fields[10].offset = 1U << 20; },
		 "beyond the 1048576-byte limit"},
	};
	for (const Case &c : cases) {
		SCOPED_TRACE(c.what);
		EventMessage m;
		c.spoil(m);
		const std::string e = error_of(m);
		EXPECT_TRUE(e.starts_with(prefix)) << e;
		EXPECT_TRUE(contains(e, c.want)) << e;
	}
}

TEST(EventMessage, CommonHeaderIsRequiredFirst)
{
	const std::string want = std::string(prefix) +
				 "event sched:sched_switch (id 2): its first fields are not the "
				 "common header (common_id u16 at 0, common_flags u16 at 2, "
				 "common_pid s32 at 4)";
	EventMessage m;
	m.fields.erase(m.fields.begin() + 1);	// no common_flags
	EXPECT_EQ(error_of(m), want);
	m = EventMessage{};
	m.fields[2].is_signed = 0;	// common_pid unsigned
	EXPECT_EQ(error_of(m), want);
	m = EventMessage{};
	std::swap(m.fields[0], m.fields[1]);
	EXPECT_EQ(error_of(m), want);
}

TEST(EventMessage, HeaderProblems)
{
	EventMessage m;
	m.cmd = KTR_CMD_GET_INFO;
	EXPECT_EQ(error_of(m), std::string(prefix) + "unexpected command 1");

	nl::MsgPtr bare{nlmsg_alloc_simple(family_id, 0)};
	ASSERT_TRUE(bare);
	Result<EventInfo> ev = parse_event_message(bare.get());
	ASSERT_FALSE(ev);
	EXPECT_EQ(ev.error().message(), std::string(prefix) + "truncated generic netlink header");
}

// --- enable / disable replies ----------------------------------------------

nl::MsgPtr count_reply(std::uint8_t cmd, const std::function<void(nl_msg *)> &attrs)
{
	nl::MsgPtr msg{nlmsg_alloc()};
	if (!msg || !genlmsg_put(msg.get(), 0, 1, family_id, 0, 0, cmd, KTR_GENL_VERSION))
		throw std::runtime_error("genlmsg_put failed");
	attrs(msg.get());
	return msg;
}

TEST(EventCountReply, ParsesCount)
{
	for (const std::uint8_t cmd : {KTR_CMD_ENABLE_EVENTS, KTR_CMD_DISABLE_EVENTS}) {
		auto msg = count_reply(cmd, [](nl_msg *m) {
			check(nla_put_u32(m, KTR_ATTR_EVENT_COUNT, 6));
			check(nla_put_u64(m, KTR_ATTR_MAX + 1, 1));	// newer minor
		});
		Result<std::uint32_t> n = parse_event_count_reply(msg.get(), cmd);
		ASSERT_TRUE(n) << n.error().message();
		EXPECT_EQ(*n, 6U);
	}
}

TEST(EventCountReply, RefusesBadReplies)
{
	auto missing = count_reply(KTR_CMD_ENABLE_EVENTS, [](nl_msg *) {});
	Result<std::uint32_t> n = parse_event_count_reply(missing.get(), KTR_CMD_ENABLE_EVENTS);
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().errnum(), EPROTO);
	EXPECT_EQ(n.error().message(), "invalid reply from the ktr module to KTR_CMD_ENABLE_EVENTS: "
				       "KTR_ATTR_EVENT_COUNT missing");

	auto wide = count_reply(KTR_CMD_DISABLE_EVENTS, [](nl_msg *m) {
		check(nla_put_u64(m, KTR_ATTR_EVENT_COUNT, 6));
	});
	n = parse_event_count_reply(wide.get(), KTR_CMD_DISABLE_EVENTS);
	ASSERT_FALSE(n);
	EXPECT_EQ(n.error().message(), "invalid reply from the ktr module to KTR_CMD_DISABLE_EVENTS: "
				       "KTR_ATTR_EVENT_COUNT is 8 bytes, expected a 4-byte u32");

	// An enable reply to a disable request.
	auto other = count_reply(KTR_CMD_ENABLE_EVENTS, [](nl_msg *m) {
		check(nla_put_u32(m, KTR_ATTR_EVENT_COUNT, 1));
	});
	n = parse_event_count_reply(other.get(), KTR_CMD_DISABLE_EVENTS);
	ASSERT_FALSE(n);
	EXPECT_TRUE(contains(n.error().message(), "unexpected command 4")) << n.error().message();
}

TEST(EventAttrName, NamesRequestAttributes)
{
	// From the one attribute table of the protocol layer.
	const auto name = [](int type) { return proto::attr_name(proto::Space::ktr, type); };
	EXPECT_EQ(name(KTR_ATTR_EVENT_GLOB), "KTR_ATTR_EVENT_GLOB");
	EXPECT_EQ(name(KTR_ATTR_EVENT_COUNT), "KTR_ATTR_EVENT_COUNT");
	EXPECT_EQ(name(KTR_ATTR_FIELD), "KTR_ATTR_FIELD");
	EXPECT_EQ(name(KTR_ATTR_MAX + 1), "");
}

// --- formats_from ------------------------------------------------------------

TEST(FormatsFrom, BuildsTheTable)
{
	Result<EventInfo> marker = parse(marker_message());
	Result<EventInfo> sw = parse(EventMessage{});
	ASSERT_TRUE(marker && sw);
	Result<FormatTable> t = formats_from({*sw, *marker});
	ASSERT_TRUE(t) << t.error().message();
	EXPECT_EQ(t->size(), 2U);
	ASSERT_NE(t->find(std::uint16_t{KTR_EVENT_SCHED_SWITCH}), nullptr);
	EXPECT_EQ(*t->find(std::uint16_t{KTR_EVENT_SCHED_SWITCH}), sched_switch_format());
	EXPECT_EQ(t->find("sched:sched_switch"), t->find(std::uint16_t{KTR_EVENT_SCHED_SWITCH}));
	EXPECT_EQ(t->begin()->id, KTR_EVENT_MARKER);	// id order
	// The table of a capture file survives the trip.
	Result<FormatTable> back = FormatTable::parse(t->serialize());
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(*back, *t);
}

TEST(FormatsFrom, ParsedFormatsDecodeEvents)
{
	// From the module's messages to a printed line.
	Result<EventInfo> marker = parse(marker_message());
	Result<EventInfo> sw = parse(EventMessage{});
	ASSERT_TRUE(marker && sw);
	Result<FormatTable> t = formats_from({*marker, *sw});
	ASSERT_TRUE(t) << t.error().message();
	ktr_event_sched_switch e{};
	e.common.id = KTR_EVENT_SCHED_SWITCH;
	e.common.pid = 42;
	std::memcpy(e.prev_comm, "make", 4);
	e.prev_pid = 42;
	e.prev_prio = 120;
	e.prev_state = 2;
	std::memcpy(e.next_comm, "cc1", 3);
	e.next_pid = 43;
	e.next_prio = 139;
	std::vector<std::byte> payload(sizeof(e));
	std::memcpy(payload.data(), &e, sizeof(e));
	EventPrinter p(*t, ClockMap{0, 0});
	Result<std::string> line = p.text(0, 1000000, payload);
	ASSERT_TRUE(line) << line.error().message();
	EXPECT_EQ(*line, "            make-42      [000]     0.001000: sched_switch: prev_comm=make "
			 "prev_pid=42 prev_prio=120 prev_state=2 preempt=0 next_comm=cc1 "
			 "next_pid=43 next_prio=139\n");
}

TEST(FormatsFrom, RefusesDuplicates)
{
	const EventInfo sw{sched_switch_format(), true, false};
	EventInfo same_id = sw;
	same_id.format.name = "other";
	Result<FormatTable> t = formats_from({sw, same_id});
	ASSERT_FALSE(t);
	EXPECT_EQ(t.error().errnum(), EEXIST);
	EXPECT_TRUE(contains(t.error().message(), "event id 2 is defined twice")) << t.error().message();

	EventInfo same_name = sw;
	same_name.format.id = 40;
	t = formats_from({sw, same_name});
	ASSERT_FALSE(t);
	EXPECT_TRUE(contains(t.error().message(), "sched:sched_switch is defined twice"))
		<< t.error().message();
	EXPECT_TRUE(formats_from({}));
}

// --- globs, errors, tables ---------------------------------------------------

TEST(EventMatches, NamesGlobsAndSystems)
{
	const EventFormat sw = sched_switch_format();
	const EventFormat marker = *builtin_formats().find(std::uint16_t{KTR_EVENT_MARKER});
	EXPECT_TRUE(event_matches(sw, "sched_switch"));
	EXPECT_TRUE(event_matches(sw, "sched_*"));
	EXPECT_TRUE(event_matches(sw, "*"));
	EXPECT_TRUE(event_matches(sw, "sched_sw?tch"));
	EXPECT_TRUE(event_matches(sw, "sched_[st]witch"));
	EXPECT_TRUE(event_matches(sw, "sched:*"));
	EXPECT_TRUE(event_matches(sw, "sched:sched_switch"));
	EXPECT_TRUE(event_matches(sw, "sched:sched_[!x]witch"));
	EXPECT_TRUE(event_matches(sw, "sched:sched\\_switch"));	// an escaped '_'
	EXPECT_FALSE(event_matches(sw, "*:*switch"));	// the system is a name, not a glob
	EXPECT_FALSE(event_matches(sw, "sch*:sched_switch"));
	EXPECT_FALSE(event_matches(sw, "Sched:sched_switch"));
	EXPECT_FALSE(event_matches(sw, "SCHED_SWITCH"));
	EXPECT_FALSE(event_matches(sw, "sched"));
	EXPECT_FALSE(event_matches(sw, "switch"));
	EXPECT_FALSE(event_matches(sw, "ktr:*"));
	EXPECT_FALSE(event_matches(sw, "sched:"));
	EXPECT_FALSE(event_matches(sw, "sched:sched_switch:x"));
	EXPECT_TRUE(event_matches(marker, "marker"));
	EXPECT_TRUE(event_matches(marker, "ktr:*"));
	EXPECT_FALSE(event_matches(marker, "sched_*"));
}

TEST(CheckEventGlob, RefusesWhatNoEventCanMatch)
{
	EXPECT_TRUE(check_event_glob("sched_switch"));
	EXPECT_TRUE(check_event_glob("sched:*"));
	EXPECT_TRUE(check_event_glob(std::string(event_glob_max, '*')));
	const auto err = [](std::string_view g) {
		Result<void> r = check_event_glob(g);
		EXPECT_FALSE(r) << g;
		if (r)
			return std::string{};
		EXPECT_EQ(r.error().errnum(), EINVAL);
		return r.error().message();
	};
	EXPECT_EQ(err(""), "empty event name");
	EXPECT_TRUE(contains(err(std::string(event_glob_max + 1, 'x')), "longer than 127 bytes"));
	EXPECT_TRUE(contains(err("a\nb"), "contains control characters"));
	EXPECT_TRUE(contains(err(std::string_view("a\0b", 3)), "contains control characters"));
}

TEST(EventErrors, Wording)
{
	EXPECT_EQ(no_event_list_error().errnum(), EOPNOTSUPP);
	EXPECT_EQ(no_event_list_error().message(),
		  "the loaded ktr module has no event list (module older than this tool?)");
	EXPECT_EQ(no_event_control_error().errnum(), EOPNOTSUPP);
	EXPECT_TRUE(contains(no_event_control_error().message(), "module older than this tool?"));

	Error e = event_request_error(true, "nosuch*", ENOENT, "ktr: no event matches");
	EXPECT_EQ(e.errnum(), ENOENT);
	EXPECT_EQ(e.message(), "no event matches 'nosuch*'");
	e = event_request_error(false, "nosuch", ENOENT, "");
	EXPECT_EQ(e.message(), "no event matches 'nosuch'");
	e = event_request_error(true, "marker", EOPNOTSUPP, "ktr: no matching event can be switched");
	EXPECT_EQ(e.errnum(), EOPNOTSUPP);
	EXPECT_EQ(e.message(), "cannot enable 'marker': no event it matches can be switched on this "
			       "kernel (markers are always recorded; the others lack a tracepoint "
			       "here, or their probed code is gone)");
	e = event_request_error(false, "sched_waking", EOPNOTSUPP, "");
	EXPECT_TRUE(e.message().starts_with("cannot disable 'sched_waking': ")) << e.message();
	e = event_request_error(false, "x", EPERM, "");
	EXPECT_EQ(e.errnum(), EPERM);
	EXPECT_TRUE(contains(e.message(), "CAP_PERFMON")) << e.message();
	e = event_request_error(true, "x", EBUSY, "try later");
	EXPECT_EQ(e.message(), "KTR_CMD_ENABLE_EVENTS failed: Device or resource busy "
			       "[kernel: try later]");
}

std::vector<EventInfo> sample_events()
{
	std::vector<EventInfo> v;
	Result<EventInfo> marker = parse(marker_message());
	EXPECT_TRUE(marker);
	v.push_back(*marker);
	v.push_back(EventInfo{sched_switch_format(), true, false});
	EventInfo exit_ev{sched_switch_format(), false, false};
	exit_ev.format.id = KTR_EVENT_SCHED_PROCESS_EXIT;
	exit_ev.format.name = "sched_process_exit";
	exit_ev.format.fields.resize(4);
	exit_ev.format.fields[3] = FieldFormat{"comm", FieldType::CharArray, 8, 16, false};
	v.push_back(exit_ev);
	return v;
}

TEST(FormatEvents, Text)
{
	EXPECT_EQ(format_events_text(sample_events(), false),
		  "EVENT                     ID  STATE\n"
		  "ktr:marker                 1  enabled\n"
		  "sched:sched_switch         2  disabled\n"
		  "sched:sched_process_exit   7  unavailable\n");
	EXPECT_EQ(format_events_text({}, false), "EVENT  ID  STATE\n");
}

TEST(FormatEvents, TextWithFields)
{
	std::vector<EventInfo> events = sample_events();
	events.resize(1);
	EXPECT_EQ(format_events_text(events, true),
		  "EVENT       ID  STATE\n"
		  "    FIELD         TYPE      OFFSET  SIZE\n"
		  "ktr:marker   1  enabled\n"
		  "    common_id     u16            0     2\n"
		  "    common_flags  u16            2     2\n"
		  "    common_pid    s32            4     4\n"
		  "    tgid          s32            8     4\n"
		  "    comm          char[16]      12    16\n"
		  "    text          string        28     0\n");
	EXPECT_EQ(field_type_text({"x", FieldType::Int, 0, 8, true}), "s64");
	EXPECT_EQ(field_type_text({"x", FieldType::Int, 0, 1, false}), "u8");
}

TEST(FormatEvents, Json)
{
	std::vector<EventInfo> events = sample_events();
	events[2].enabled = true;	// (not available: shown as it is)
	const std::string out = format_events_json(events);
	const std::string marker_line =
		R"({"id":1,"system":"ktr","name":"marker","available":true,"enabled":true,)"
		R"("state":"enabled","fields":[)"
		R"({"name":"common_id","type":"int","signed":false,"display":"default","offset":0,"size":2},)"
		R"({"name":"common_flags","type":"int","signed":false,"display":"default","offset":2,"size":2},)"
		R"({"name":"common_pid","type":"int","signed":true,"display":"default","offset":4,"size":4},)"
		R"({"name":"tgid","type":"int","signed":true,"display":"default","offset":8,"size":4},)"
		R"({"name":"comm","type":"char_array","signed":false,"display":"default","offset":12,"size":16},)"
		R"({"name":"text","type":"rest_string","signed":false,"display":"default","offset":28,"size":0}]})"
		"\n";
	EXPECT_TRUE(out.starts_with(marker_line)) << out;
	// One line per event.
	EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
	EXPECT_TRUE(contains(out, R"("name":"sched_switch","available":true,"enabled":false,)"
				  R"("state":"disabled")"))
		<< out;
	EXPECT_TRUE(contains(out, R"("name":"sched_process_exit","available":false,)"
				  R"("enabled":true,"state":"enabled")"))
		<< out;
	EXPECT_EQ(format_events_json({}), "");
}

} // namespace
} // namespace ktr
