// SPDX-License-Identifier: MIT
//
// A tiny JSON writer: enough for ktr's output, with correct string escaping,
// so that no external JSON library is needed. Output is compact (no spaces).
//
//	JsonWriter w;
//	w.begin_object().key("cpus").value(4).key("name").value("x").end_object();
//	w.str() == R"({"cpus":4,"name":"x"})"
//
// Misuse (a value where a key is due, unbalanced ends) is a programming
// error and asserts.
#ifndef KTR_JSON_WRITER_H
#define KTR_JSON_WRITER_H

#include <concepts>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ktr {

/// @s as a JSON string literal, quotes included. Escapes '"', '\\' and all
/// control characters (U+0000..U+001F, U+007F); bytes that are not valid
/// UTF-8 become U+FFFD, so the output is always valid JSON.
std::string json_quote(std::string_view s);

class JsonWriter {
public:
	JsonWriter &begin_object();
	JsonWriter &end_object();
	JsonWriter &begin_array();
	JsonWriter &end_array();
	JsonWriter &key(std::string_view name);

	JsonWriter &value(std::string_view s);
	JsonWriter &value(const char *s) { return value(std::string_view{s}); }
	JsonWriter &value(bool b);
	JsonWriter &null();
	template <std::integral T>
		requires(!std::same_as<T, bool>)
	JsonWriter &value(T n)
	{
		return raw(std::to_string(n));
	}

	/// An integer already written in decimal ("-12", "18446744073709551616"):
	/// for values no C++ integer type holds; the caller vouches for @digits.
	JsonWriter &number(std::string_view digits) { return raw(digits); }

	/// The document so far.
	[[nodiscard]] const std::string &str() const noexcept { return out_; }

private:
	enum class Scope : std::uint8_t { object, array };
	struct Level {
		Scope scope;
		bool empty = true;
		bool after_key = false;
	};

	JsonWriter &raw(std::string_view token);
	void before_value();
	JsonWriter &close(Scope scope, char c);

	std::string out_;
	std::vector<Level> stack_;
};

} // namespace ktr

#endif // KTR_JSON_WRITER_H
