// SPDX-License-Identifier: MIT
#include "ktr/json_writer.h"

#include <cassert>
#include <cstddef>

namespace ktr {

namespace {

// Length of the valid UTF-8 sequence at the start of @s, or 0 if invalid
// (bad lead byte, truncated, overlong, surrogate, above U+10FFFF).
std::size_t utf8_sequence_length(std::string_view s)
{
	const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
	const unsigned char b0 = byte(0);
	std::size_t len;
	unsigned char lo = 0x80, hi = 0xbf;	// allowed range of the second byte

	if (b0 < 0x80)
		return 1;
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		len = 2;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		len = 3;
		if (b0 == 0xe0)
			lo = 0xa0;	// no overlong forms
		else if (b0 == 0xed)
			hi = 0x9f;	// no UTF-16 surrogates
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		len = 4;
		if (b0 == 0xf0)
			lo = 0x90;	// no overlong forms
		else if (b0 == 0xf4)
			hi = 0x8f;	// nothing above U+10FFFF
	} else {
		return 0;
	}
	if (s.size() < len || byte(1) < lo || byte(1) > hi)
		return 0;
	for (std::size_t i = 2; i < len; i++) {
		if (byte(i) < 0x80 || byte(i) > 0xbf)
			return 0;
	}
	return len;
}

} // namespace

std::string json_quote(std::string_view s)
{
	static constexpr char hex[] = "0123456789abcdef";
	std::string out;
	out.reserve(s.size() + 2);
	out += '"';
	while (!s.empty()) {
		const auto c = static_cast<unsigned char>(s.front());
		std::size_t n = 1;
		switch (c) {
		case '"':  out += "\\\""; break;
		case '\\': out += "\\\\"; break;
		case '\b': out += "\\b"; break;
		case '\f': out += "\\f"; break;
		case '\n': out += "\\n"; break;
		case '\r': out += "\\r"; break;
		case '\t': out += "\\t"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				out += "\\u00";
				out += hex[c >> 4];
				out += hex[c & 0xf];
			} else if ((n = utf8_sequence_length(s)) != 0) {
				out.append(s.substr(0, n));
			} else {
				out += "\\ufffd";
				n = 1;
			}
			break;
		}
		s.remove_prefix(n);
	}
	out += '"';
	return out;
}

void JsonWriter::before_value()
{
	if (stack_.empty()) {
		assert(out_.empty() && "JsonWriter: one top-level value only");
		return;
	}
	Level &level = stack_.back();
	if (level.scope == Scope::object) {
		assert(level.after_key && "JsonWriter: value without key");
		level.after_key = false;
		return;
	}
	if (!level.empty)
		out_ += ',';
	level.empty = false;
}

JsonWriter &JsonWriter::raw(std::string_view token)
{
	before_value();
	out_ += token;
	return *this;
}

JsonWriter &JsonWriter::begin_object()
{
	raw("{");
	stack_.push_back({Scope::object});
	return *this;
}

JsonWriter &JsonWriter::begin_array()
{
	raw("[");
	stack_.push_back({Scope::array});
	return *this;
}

JsonWriter &JsonWriter::close(Scope scope, char c)
{
	assert(!stack_.empty() && stack_.back().scope == scope && !stack_.back().after_key);
	(void)scope;
	stack_.pop_back();
	out_ += c;
	return *this;
}

JsonWriter &JsonWriter::end_object() { return close(Scope::object, '}'); }
JsonWriter &JsonWriter::end_array() { return close(Scope::array, ']'); }

JsonWriter &JsonWriter::key(std::string_view name)
{
	assert(!stack_.empty() && stack_.back().scope == Scope::object && !stack_.back().after_key);
	Level &level = stack_.back();
	if (!level.empty)
		out_ += ',';
	level.empty = false;
	level.after_key = true;
	out_ += json_quote(name);
	out_ += ':';
	return *this;
}

JsonWriter &JsonWriter::value(std::string_view s) { return raw(json_quote(s)); }
JsonWriter &JsonWriter::value(bool b) { return raw(b ? "true" : "false"); }
JsonWriter &JsonWriter::null() { return raw("null"); }

} // namespace ktr
