// SPDX-License-Identifier: MIT
//
// The event formats of dynamic probes (ABI minor 5) in user space: string
// locations (FieldType::StringLoc) decoded within the payload's bounds,
// integer displays (hex, symbol) in text and JSON, both surviving a
// capture file's format table, and random locations that never make the
// printer read out of bounds (this test also runs under ASan/UBSan).
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_event.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "print_helpers.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;

constexpr std::uint16_t kId = KTR_EVENT_PROBE_FIRST;

// kprobes:myopen: dfd s32 @8, path string @12, flags x64 @16, caller
// symbol @24, mode x16 @32 (signed); text from byte 36.
EventFormat probe_format()
{
	std::vector<FieldFormat> fields = test::common_fields();
	fields.push_back({"dfd", FieldType::Int, 8, 4, true});
	fields.push_back({"path", FieldType::StringLoc, 12, 4, false});
	fields.push_back({"flags", FieldType::Int, 16, 8, false, FieldDisplay::Hex});
	fields.push_back({"caller", FieldType::Int, 24, 8, false, FieldDisplay::Symbol});
	fields.push_back({"mode", FieldType::Int, 32, 2, true, FieldDisplay::Hex});
	return EventFormat{kId, "kprobes", "myopen", std::move(fields)};
}

std::uint32_t loc(std::uint32_t offset, std::uint32_t len)
{
	return offset | (len << 16);
}

// A payload of probe_format() with @text (NUL included when @nul) at byte
// 36 and the location @where (default: that text).
Bytes probe_payload(std::string_view text, bool nul = true, std::int64_t where = -1,
		    std::uint64_t caller = 0xffffffff81000123ULL)
{
	Bytes fields(28);	// bytes 8..36
	const std::int32_t dfd = -100;
	const std::uint64_t flags = 0x8241;
	const std::int16_t mode = -1;
	const auto len = static_cast<std::uint32_t>(text.size() + (nul ? 1 : 0));
	const std::uint32_t l = where >= 0 ? static_cast<std::uint32_t>(where) : loc(36, len);
	std::memcpy(fields.data(), &dfd, 4);
	std::memcpy(fields.data() + 4, &l, 4);
	std::memcpy(fields.data() + 8, &flags, 8);
	std::memcpy(fields.data() + 16, &caller, 8);
	std::memcpy(fields.data() + 24, &mode, 2);
	for (const char c : text)
		fields.push_back(static_cast<std::byte>(c));
	if (nul)
		fields.push_back(std::byte{0});
	while (fields.size() % 4)
		fields.push_back(std::byte{0});
	return test::event_payload(kId, 42, fields);
}

Result<FieldValue> path_of(const Bytes &payload)
{
	const EventFormat f = probe_format();
	return field_value(f, *f.field("path"), payload);
}

TEST(StringLoc, ValidationWantsFourBytesAndNoDisplayOnText)
{
	EventFormat f = probe_format();
	EXPECT_TRUE(validate_format(f));
	f.fields[4].size = 2;
	Result<void> r = validate_format(f);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("'path' is a string location of 2 bytes (must be 4)"),
		  std::string::npos)
		<< r.error().message();
	f = probe_format();
	f.fields[4].display = FieldDisplay::Hex;
	EXPECT_FALSE(validate_format(f));
	f = probe_format();
	f.fields[5].display = static_cast<FieldDisplay>(3);
	r = validate_format(f);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().message().find("unknown display 3"), std::string::npos);
	EXPECT_EQ(field_type_name(FieldType::StringLoc), "string_loc");
	EXPECT_EQ(field_display_name(FieldDisplay::Symbol), "symbol");
}

TEST(StringLoc, DecodesTheTextItLocates)
{
	Result<FieldValue> v = path_of(probe_payload("/etc/passwd"));
	ASSERT_TRUE(v) << v.error().message();
	EXPECT_EQ(std::get<std::string>(*v), "/etc/passwd");

	// A NUL inside the length ends the text.
	v = path_of(probe_payload(std::string_view("ab\0cd", 5), false, loc(36, 5)));
	ASSERT_TRUE(v);
	EXPECT_EQ(std::get<std::string>(*v), "ab");
}

TEST(StringLoc, LengthZeroIsNoText)
{
	Result<FieldValue> v = path_of(probe_payload("junk", true, loc(36, 0)));
	ASSERT_TRUE(v) << v.error().message();
	EXPECT_EQ(std::get<std::string>(*v), "");
	// Even with an offset far outside: length 0 reads nothing.
	v = path_of(probe_payload("", true, loc(0xffff, 0)));
	ASSERT_TRUE(v);
	EXPECT_EQ(std::get<std::string>(*v), "");
}

TEST(StringLoc, MissingNulIsBoundedByTheLength)
{
	// "abcd" without a NUL, followed by padding that is not part of it.
	Bytes p = probe_payload("abcdXYZ", false, loc(36, 4));
	Result<FieldValue> v = path_of(p);
	ASSERT_TRUE(v) << v.error().message();
	EXPECT_EQ(std::get<std::string>(*v), "abcd");
}

TEST(StringLoc, LocationOutsideThePayloadIsAnError)
{
	const Bytes base = probe_payload("abc");	// 36 + 4 = 40 bytes
	ASSERT_EQ(base.size(), 40U);
	for (const std::uint32_t bad : {loc(36, 5), loc(40, 1), loc(0xffff, 1), loc(39, 0xffff),
					loc(0xffff, 0xffff)}) {
		Result<FieldValue> v = path_of(probe_payload("abc", true, bad));
		ASSERT_FALSE(v) << std::hex << bad;
		EXPECT_EQ(v.error().errnum(), EPROTO);
		EXPECT_NE(v.error().message().find("string field 'path' locates bytes"),
			  std::string::npos)
			<< v.error().message();
		EXPECT_NE(v.error().message().find("outside the 40-byte payload"), std::string::npos)
			<< v.error().message();
	}
	// Exactly to the end is inside.
	EXPECT_TRUE(path_of(probe_payload("abc", true, loc(36, 4))));
}

TEST(ProbeFormat, TableRoundTripKeepsTypeAndDisplay)
{
	FormatTable t = builtin_formats();
	ASSERT_TRUE(t.add(probe_format()));
	const std::vector<std::byte> bytes = t.serialize();
	Result<FormatTable> back = FormatTable::parse(bytes);
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(*back, t);
	const EventFormat *f = back->find(kId);
	ASSERT_NE(f, nullptr);
	EXPECT_EQ(f->field("path")->type, FieldType::StringLoc);
	EXPECT_EQ(f->field("flags")->display, FieldDisplay::Hex);
	EXPECT_EQ(f->field("caller")->display, FieldDisplay::Symbol);
}

// The field records' layout (docs/capture-format.md): name, u8 type, u8
// is_signed, u8 display, u8 reserved, u32 offset, u32 size.
std::size_t display_byte_of_last_field(const std::vector<std::byte> &bytes,
				       std::string_view name)
{
	// The last field is the last 12 bytes + its name: find its name.
	const auto *p = reinterpret_cast<const char *>(bytes.data());
	const std::string_view all(p, bytes.size());
	const std::size_t at = all.rfind(name);
	return at + name.size() + 2;	// after type and is_signed
}

TEST(ProbeFormat, TablesOfOlderToolsStillParseAndBadDisplaysAreRefused)
{
	// An older table: the display byte was part of a zero reserved u16.
	FormatTable t;
	EventFormat f = probe_format();
	f.fields.resize(6);	// up to flags (hex), the last field
	f.fields.back().display = FieldDisplay::Default;
	ASSERT_TRUE(t.add(f));
	std::vector<std::byte> bytes = t.serialize();
	const std::size_t display = display_byte_of_last_field(bytes, "flags");
	ASSERT_EQ(bytes[display], std::byte{0});
	Result<FormatTable> back = FormatTable::parse(bytes);
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(back->find(kId)->field("flags")->display, FieldDisplay::Default);

	bytes[display] = std::byte{1};
	back = FormatTable::parse(bytes);
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(back->find(kId)->field("flags")->display, FieldDisplay::Hex);

	bytes[display] = std::byte{3};
	back = FormatTable::parse(bytes);
	ASSERT_FALSE(back);
	EXPECT_NE(back.error().message().find("invalid flag bytes"), std::string::npos);
	bytes[display] = std::byte{0};
	bytes[display + 1] = std::byte{1};	// reserved
	EXPECT_FALSE(FormatTable::parse(bytes));
}

class ProbePrint : public ::testing::Test {
protected:
	void SetUp() override { ASSERT_TRUE(table_.add(probe_format())); }
	FormatTable table_ = builtin_formats();
};

TEST_F(ProbePrint, TextShowsHexAndSymbols)
{
	EventPrinter p(table_, ClockMap{});
	EXPECT_EQ(test::text(p, 1, 0, probe_payload("/tmp/x\n")),
		  "           <...>-42      [001]     0.000000: myopen: dfd=-100 path=/tmp/x\\n "
		  "flags=0x8241 caller=0xffffffff81000123 mode=0xffff\n");
	p.set_symbolizer([](std::uint64_t addr) -> std::string {
		return addr == 0xffffffff81000123ULL ? "do_sys_open+0x13" : "";
	});
	EXPECT_EQ(test::text(p, 1, 0, probe_payload("a")),
		  "           <...>-42      [001]     0.000000: myopen: dfd=-100 path=a "
		  "flags=0x8241 caller=do_sys_open+0x13 mode=0xffff\n");
	// An address the symbolizer cannot name stays hex.
	EXPECT_EQ(test::text(p, 1, 0, probe_payload("", true, -1, 0x1234)),
		  "           <...>-42      [001]     0.000000: myopen: dfd=-100 path= "
		  "flags=0x8241 caller=0x1234 mode=0xffff\n");
}

TEST_F(ProbePrint, JsonKeepsNumbersAndStrings)
{
	EventPrinter p(table_, ClockMap{});
	p.set_symbolizer([](std::uint64_t) { return std::string("never_in_json+0x0"); });
	EXPECT_EQ(test::json(p, 0, 0, probe_payload("/etc/\"x\"")),
		  R"({"ts_ns":0,"ts":"0.000000","cpu":0,"pid":42,"comm":null,"event":"myopen",)"
		  R"("dfd":-100,"path":"/etc/\"x\"","flags":33345,"caller":18446744071578845475,)"
		  R"("mode":-1})"
		  "\n");
}

TEST_F(ProbePrint, BadLocationIsAnEventError)
{
	EventPrinter p(table_, ClockMap{});
	const Result<std::string> r = p.text(3, 7, probe_payload("abc", true, loc(38, 9)));
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EPROTO);
	EXPECT_EQ(r.error().message().find('\n'), std::string::npos);
}

TEST_F(ProbePrint, RandomLocationsNeverReadOutOfBounds)
{
	std::mt19937 rng(5);
	EventPrinter p(table_, ClockMap{});
	int ok = 0, refused = 0;
	for (int i = 0; i < 5000; i++) {
		std::string text(rng() % 40, 'x');
		for (char &c : text)
			c = static_cast<char>(rng() & 0xff);
		std::uint32_t where = static_cast<std::uint32_t>(rng());
		if (rng() % 2)	// near the real text
			where = loc(static_cast<std::uint32_t>(30 + rng() % 20),
				    static_cast<std::uint32_t>(rng() % 50));
		Bytes payload = probe_payload(text, rng() % 2, where);
		payload.resize(payload.size() - (rng() % 3) * 4 * (payload.size() > 40));
		const Result<std::string> t = p.text(0, 0, payload);
		const Result<std::string> j = p.json(0, 0, payload);
		EXPECT_EQ(bool(t), bool(j));
		(t ? ok : refused)++;
	}
	EXPECT_GT(ok, 100);
	EXPECT_GT(refused, 100);
}

} // namespace
} // namespace ktr
