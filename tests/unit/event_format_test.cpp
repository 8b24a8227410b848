// SPDX-License-Identifier: MIT
//
// Event formats: the built-in table, field extraction by format, validation,
// and the byte form that travels in capture files.
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_event.h>

#include "ktr/event_format.h"
#include "subbuf_builder.h"

namespace ktr {
namespace {

using test::Bytes;

// A format with one field of every kind, for extraction tests.
EventFormat sample_format()
{
	return EventFormat{
		100,
		"test",
		"sample",
		{
			{"common_id", FieldType::Int, 0, 2, false},
			{"common_flags", FieldType::Int, 2, 2, false},
			{"common_pid", FieldType::Int, 4, 4, true},
			{"s8", FieldType::Int, 8, 1, true},
			{"u8", FieldType::Int, 9, 1, false},
			{"s16", FieldType::Int, 10, 2, true},
			{"u16", FieldType::Int, 12, 2, false},
			{"s32", FieldType::Int, 14, 4, true},	// unaligned on purpose
			{"u32", FieldType::Int, 18, 4, false},
			{"s64", FieldType::Int, 22, 8, true},
			{"u64", FieldType::Int, 30, 8, false},
			{"name", FieldType::CharArray, 38, 6, false},
			{"rest", FieldType::RestString, 44, 0, false},
		},
	};
}

template <typename T>
void put(Bytes &b, std::size_t off, T v)
{
	std::memcpy(b.data() + off, &v, sizeof(v));
}

Bytes sample_payload(std::string_view name, std::string_view rest)
{
	Bytes b(44);
	put<std::uint16_t>(b, 0, 100);
	put<std::int32_t>(b, 4, -7);
	put<std::int8_t>(b, 8, -2);
	put<std::uint8_t>(b, 9, 250);
	put<std::int16_t>(b, 10, -30000);
	put<std::uint16_t>(b, 12, 65000);
	put<std::int32_t>(b, 14, -2000000000);
	put<std::uint32_t>(b, 18, 4000000000U);
	put<std::int64_t>(b, 22, INT64_MIN + 1);
	put<std::uint64_t>(b, 30, UINT64_MAX - 1);
	std::memcpy(b.data() + 38, name.data(), std::min<std::size_t>(name.size(), 6));
	b.resize(44 + rest.size());
	if (!rest.empty())
		std::memcpy(b.data() + 44, rest.data(), rest.size());
	return b;
}

FieldValue value_of(const EventFormat &f, std::string_view field, const Bytes &payload)
{
	const FieldFormat *ff = f.field(field);
	EXPECT_NE(ff, nullptr) << field;
	Result<FieldValue> v = field_value(f, *ff, payload);
	EXPECT_TRUE(v) << v.error().message();
	return v ? *v : FieldValue{std::string("<error>")};
}

TEST(EventFormat, BuiltinMarker)
{
	const FormatTable &t = builtin_formats();
	ASSERT_EQ(t.size(), 1U);
	const EventFormat *m = t.find(std::uint16_t{KTR_EVENT_MARKER});
	ASSERT_NE(m, nullptr);
	EXPECT_EQ(m->system, "ktr");
	EXPECT_EQ(m->name, "marker");
	EXPECT_EQ(t.find("marker"), m);
	EXPECT_EQ(t.find("ktr:marker"), m);
	EXPECT_EQ(t.find("other:marker"), nullptr);
	EXPECT_EQ(t.find(std::uint16_t{2}), nullptr);
	ASSERT_EQ(m->fields.size(), 6U);
	const std::vector<FieldFormat> want = {
		{"common_id", FieldType::Int, 0, 2, false},
		{"common_flags", FieldType::Int, 2, 2, false},
		{"common_pid", FieldType::Int, 4, 4, true},
		{"tgid", FieldType::Int, 8, 4, true},
		{"comm", FieldType::CharArray, 12, 16, false},
		{"text", FieldType::RestString, 28, 0, false},
	};
	EXPECT_EQ(m->fields, want);
	EXPECT_TRUE(validate_format(*m));

	const Bytes p = test::marker_payload(321, 300, "sh", "hello\n");
	EXPECT_EQ(std::get<std::int64_t>(value_of(*m, "common_pid", p)), 321);
	EXPECT_EQ(std::get<std::uint64_t>(value_of(*m, "common_id", p)), 1U);
	EXPECT_EQ(std::get<std::int64_t>(value_of(*m, "tgid", p)), 300);
	EXPECT_EQ(std::get<std::string>(value_of(*m, "comm", p)), "sh");
	EXPECT_EQ(std::get<std::string>(value_of(*m, "text", p)), "hello\n");
}

TEST(EventFormat, IntegersOfEverySizeAndSign)
{
	const EventFormat f = sample_format();
	ASSERT_TRUE(validate_format(f)) << validate_format(f).error().message();
	const Bytes p = sample_payload("abc", "");
	EXPECT_EQ(std::get<std::int64_t>(value_of(f, "s8", p)), -2);
	EXPECT_EQ(std::get<std::uint64_t>(value_of(f, "u8", p)), 250U);
	EXPECT_EQ(std::get<std::int64_t>(value_of(f, "s16", p)), -30000);
	EXPECT_EQ(std::get<std::uint64_t>(value_of(f, "u16", p)), 65000U);
	EXPECT_EQ(std::get<std::int64_t>(value_of(f, "s32", p)), -2000000000);
	EXPECT_EQ(std::get<std::uint64_t>(value_of(f, "u32", p)), 4000000000U);
	EXPECT_EQ(std::get<std::int64_t>(value_of(f, "s64", p)), INT64_MIN + 1);
	EXPECT_EQ(std::get<std::uint64_t>(value_of(f, "u64", p)), UINT64_MAX - 1);
	EXPECT_EQ(std::get<std::int64_t>(value_of(f, "common_pid", p)), -7);
}

TEST(EventFormat, Strings)
{
	const EventFormat f = sample_format();
	EXPECT_EQ(std::get<std::string>(value_of(f, "name", sample_payload("abc", "xyz"))), "abc");
	// All 6 bytes used: no NUL, still bounded.
	EXPECT_EQ(std::get<std::string>(value_of(f, "name", sample_payload("abcdef", ""))), "abcdef");
	EXPECT_EQ(std::get<std::string>(value_of(f, "rest", sample_payload("", "xyz"))), "xyz");
	EXPECT_EQ(std::get<std::string>(value_of(f, "rest", sample_payload("", ""))), "");
	const std::string with_nul("a\0b", 3);
	EXPECT_EQ(std::get<std::string>(value_of(f, "rest", sample_payload("", with_nul))), with_nul);
}

TEST(EventFormat, FieldOutsideThePayloadIsAnError)
{
	const EventFormat f = sample_format();
	const Bytes p = sample_payload("", "");
	const Bytes cut(p.begin(), p.begin() + 33);
	const Result<FieldValue> v = field_value(f, *f.field("u64"), cut);
	ASSERT_FALSE(v);
	EXPECT_EQ(v.error().errnum(), EPROTO);
	EXPECT_EQ(v.error().message(),
		  "event test:sample: field 'u64' (bytes 30..38) lies outside the 33-byte payload");
	EXPECT_TRUE(field_value(f, *f.field("u32"), cut));
	EXPECT_FALSE(field_value(f, *f.field("rest"), cut));
	EXPECT_FALSE(field_value(f, *f.field("common_id"), Bytes{}));
	const FieldFormat far{"far", FieldType::Int, 0xfffffff0, 8, false};
	EXPECT_FALSE(field_value(f, far, p));
}

// validate_format() refuses @f with EINVAL and a message containing @what.
void expect_invalid(const EventFormat &f, const std::string &what)
{
	const Result<void> r = validate_format(f);
	ASSERT_FALSE(r) << "accepted; expected: " << what;
	EXPECT_EQ(r.error().errnum(), EINVAL);
	EXPECT_NE(r.error().message().find(what), std::string::npos) << r.error().message();
}

TEST(EventFormat, Validation)
{
	EventFormat f = sample_format();
	f.id = 0;
	expect_invalid(f, "test:sample has the reserved id 0");
	f = sample_format();
	f.name = "bad name";
	expect_invalid(f, "invalid system or event name");
	f = sample_format();
	f.system = "";
	expect_invalid(f, "invalid system or event name");
	f = sample_format();
	f.fields[3].size = 3;
	expect_invalid(f, "field 's8' is an integer of 3 bytes (1, 2, 4 or 8)");
	f = sample_format();
	f.fields[11].size = 0;
	expect_invalid(f, "field 'name' is a char array of 0 bytes");
	f = sample_format();
	f.fields[11].is_signed = true;
	expect_invalid(f, "field 'name' is signed but not an integer");
	f = sample_format();
	f.fields[12].size = 4;
	expect_invalid(f, "field 'rest' runs to the end of the payload but has size 4 (must be 0)");
	f = sample_format();
	f.fields.push_back({"after", FieldType::Int, 100, 4, false});
	expect_invalid(f, "field 'rest' runs to the end of the payload but is not the last field");
	f = sample_format();
	f.fields[12].offset = 40;
	expect_invalid(f, "field 'rest' starts at byte 40, inside the fields before it");
	f = sample_format();
	f.fields[4].name = "s8";
	expect_invalid(f, "field 's8' appears twice");
	f = sample_format();
	f.fields[4].name = "";
	expect_invalid(f, "has an invalid name");
	f = sample_format();
	f.fields[4].offset = format_payload_max;
	expect_invalid(f, "field 'u8' ends at byte 1048577, beyond the 1048576-byte limit");
	f = sample_format();
	f.fields[4].type = static_cast<FieldType>(9);
	expect_invalid(f, "field 'u8' has unknown type 9");
	f = sample_format();
	f.fields.resize(format_fields_max + 1, FieldFormat{"x", FieldType::Int, 0, 1, false});
	expect_invalid(f, "fields (at most 256)");
}

TEST(FormatTable, AddFindIterate)
{
	FormatTable t;
	EXPECT_TRUE(t.empty());
	EventFormat b = sample_format();
	b.id = 7;
	b.name = "b";
	EventFormat a = sample_format();
	a.id = 3;
	a.name = "a";
	ASSERT_TRUE(t.add(b));
	ASSERT_TRUE(t.add(a));
	std::vector<std::uint16_t> ids;
	for (const EventFormat &f : t)
		ids.push_back(f.id);
	EXPECT_EQ(ids, (std::vector<std::uint16_t>{3, 7}));
	EXPECT_EQ(t.find("test:a")->id, 3);
	EXPECT_EQ(t.find("b")->id, 7);

	EventFormat dup_id = sample_format();
	dup_id.id = 7;
	const Result<void> r1 = t.add(dup_id);
	ASSERT_FALSE(r1);
	EXPECT_EQ(r1.error().errnum(), EEXIST);
	EXPECT_EQ(r1.error().message(), "event id 7 is defined twice (test:b and test:sample)");
	EventFormat dup_name = sample_format();
	dup_name.id = 9;
	dup_name.name = "a";
	const Result<void> r2 = t.add(dup_name);
	ASSERT_FALSE(r2);
	EXPECT_EQ(r2.error().message(), "event test:a is defined twice (ids 3 and 9)");

	// The same name in two systems: only system:name finds them.
	EventFormat other = sample_format();
	other.id = 11;
	other.system = "other";
	other.name = "a";
	ASSERT_TRUE(t.add(other));
	EXPECT_EQ(t.find("a"), nullptr);
	EXPECT_EQ(t.find("other:a")->id, 11);
	EXPECT_EQ(t.size(), 3U);
}

FormatTable two_formats()
{
	FormatTable t = builtin_formats();
	EXPECT_TRUE(t.add(sample_format()));
	return t;
}

TEST(FormatTable, SerializeRoundTrip)
{
	const FormatTable t = two_formats();
	const std::vector<std::byte> bytes = t.serialize();
	const Result<FormatTable> back = FormatTable::parse(bytes);
	ASSERT_TRUE(back) << back.error().message();
	EXPECT_EQ(*back, t);
	EXPECT_EQ(back->serialize(), bytes);

	const Result<FormatTable> empty = FormatTable::parse(FormatTable{}.serialize());
	ASSERT_TRUE(empty);
	EXPECT_TRUE(empty->empty());
}

// parse() refuses @bytes with EPROTO and a message containing @what.
void expect_corrupt(const std::vector<std::byte> &bytes, const std::string &what)
{
	const Result<FormatTable> r = FormatTable::parse(bytes);
	ASSERT_FALSE(r) << "accepted; expected: " << what;
	EXPECT_EQ(r.error().errnum(), EPROTO);
	EXPECT_NE(r.error().message().find(what), std::string::npos) << r.error().message();
}

TEST(FormatTable, ParseRefusesEveryTruncation)
{
	const std::vector<std::byte> bytes = two_formats().serialize();
	for (std::size_t n = 0; n < bytes.size(); n++) {
		SCOPED_TRACE(n);
		const Result<FormatTable> r =
			FormatTable::parse(std::span(bytes).first(n));
		ASSERT_FALSE(r);
		EXPECT_EQ(r.error().errnum(), EPROTO);
		EXPECT_EQ(r.error().message().rfind("corrupt event format table: ", 0), 0U)
			<< r.error().message();
	}
}

TEST(FormatTable, ParseRefusesCorruptTables)
{
	const std::vector<std::byte> good = builtin_formats().serialize();
	std::vector<std::byte> b = good;
	b.push_back(std::byte{0});
	expect_corrupt(b, "1 bytes left over after 1 formats at byte");

	b = good;
	test::put_u32(b, 0, 0x7fffffff);
	expect_corrupt(b, "2147483647 formats cannot fit in");

	// The first field's type byte: count(4) id(2) nfields(2) "ktr"(2+3)
	// "marker"(2+6) "common_id"(2+9), then the type.
	const std::size_t type_at = 4 + 2 + 2 + 5 + 8 + 11;
	b = good;
	b[type_at] = std::byte{7};
	expect_corrupt(b, "field 'common_id' of event ktr:marker has unknown type 7");
	b = good;
	b[type_at + 1] = std::byte{2};
	expect_corrupt(b, "has invalid flag bytes");

	b = good;
	b[4] = std::byte{0};	// id 0
	expect_corrupt(b, "corrupt event format table: event format ktr:marker has the reserved id 0");

	// Two formats with one id.
	FormatTable t = builtin_formats();
	EventFormat s = sample_format();
	ASSERT_TRUE(t.add(s));
	b = t.serialize();
	b[4] = std::byte{100};	// the marker's id becomes the sample's
	expect_corrupt(b, "event id 100 is defined twice");
}

} // namespace
} // namespace ktr
