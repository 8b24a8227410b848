// SPDX-License-Identifier: MIT
#include <cstdint>
#include <limits>
#include <string>

#include <gtest/gtest.h>

#include "ktr/json_writer.h"

namespace ktr {
namespace {

TEST(JsonQuote, PlainText)
{
	EXPECT_EQ(json_quote(""), R"("")");
	EXPECT_EQ(json_quote("ktr 0.1.0"), R"("ktr 0.1.0")");
}

TEST(JsonQuote, EscapesQuotesAndBackslash)
{
	EXPECT_EQ(json_quote(R"(say "hi")"), R"("say \"hi\"")");
	EXPECT_EQ(json_quote(R"(C:\dir\)"), R"("C:\\dir\\")");
	EXPECT_EQ(json_quote("/"), R"("/")");
}

TEST(JsonQuote, EscapesControlCharacters)
{
	EXPECT_EQ(json_quote("\b\f\n\r\t"), R"("\b\f\n\r\t")");
	EXPECT_EQ(json_quote(std::string_view("a\0b", 3)), R"("a\u0000b")");
	EXPECT_EQ(json_quote("\x01\x1f\x7f\x1b"), R"("\u0001\u001f\u007f\u001b")");
}

TEST(JsonQuote, KeepsValidUtf8)
{
	EXPECT_EQ(json_quote("\xc3\xa9"), "\"\xc3\xa9\"");			// é
	EXPECT_EQ(json_quote("\xe2\x82\xac"), "\"\xe2\x82\xac\"");		// €
	EXPECT_EQ(json_quote("\xf0\x9f\x98\x80"), "\"\xf0\x9f\x98\x80\"");	// U+1F600
	EXPECT_EQ(json_quote("\xf4\x8f\xbf\xbf"), "\"\xf4\x8f\xbf\xbf\"");	// U+10FFFF
}

TEST(JsonQuote, ReplacesInvalidUtf8)
{
	EXPECT_EQ(json_quote("\xff"), R"("\ufffd")");
	EXPECT_EQ(json_quote("a\x80z"), R"("a\ufffdz")");			// stray continuation
	EXPECT_EQ(json_quote("\xe2\x82"), R"("\ufffd\ufffd")");		// truncated
	EXPECT_EQ(json_quote("\xc0\xaf"), R"("\ufffd\ufffd")");		// overlong '/'
	EXPECT_EQ(json_quote("\xe0\x80\xaf"), R"("\ufffd\ufffd\ufffd")");	// overlong
	EXPECT_EQ(json_quote("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");	// surrogate
	EXPECT_EQ(json_quote("\xf4\x90\x80\x80"), R"("\ufffd\ufffd\ufffd\ufffd")"); // > U+10FFFF
	EXPECT_EQ(json_quote("\xc3("), R"("\ufffd(")");
}

TEST(JsonWriter, WritesNestedStructures)
{
	JsonWriter w;
	w.begin_object()
		.key("a").begin_array().value(1).value(2).begin_object().end_object().end_array()
		.key("b").begin_object().key("c").value("d").end_object()
		.key("e").begin_array().end_array()
		.end_object();
	EXPECT_EQ(w.str(), R"({"a":[1,2,{}],"b":{"c":"d"},"e":[]})");
}

TEST(JsonWriter, WritesNumbersAndLiterals)
{
	JsonWriter w;
	w.begin_array()
		.value(std::numeric_limits<std::uint64_t>::max())
		.value(std::int64_t{-42})
		.value(std::uint8_t{7})
		.value(true)
		.value(false)
		.null()
		.end_array();
	EXPECT_EQ(w.str(), R"([18446744073709551615,-42,7,true,false,null])");
}

TEST(JsonWriter, EscapesKeys)
{
	JsonWriter w;
	w.begin_object().key("a\"b").value("").end_object();
	EXPECT_EQ(w.str(), R"({"a\"b":""})");
}

} // namespace
} // namespace ktr
