// SPDX-License-Identifier: MIT
//
// ktr::Error and ktr::Result<T>: how libktr reports failure.
//
// Every libktr call that can fail returns a Result<T>: either a value or an
// Error. An Error is an errno value (positive, as in <cerrno>) plus a one-line
// human message that names what went wrong and, where possible, what to do.
// The message carries no program prefix: the CLI prints "ktr: <message>".
// (std::expected would do this, but it is C++23 and not in g++ 12.)
#ifndef KTR_RESULT_H
#define KTR_RESULT_H

#include <cassert>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

namespace ktr {

class Error {
public:
	Error(int errnum, std::string message)
		: errnum_(errnum), message_(std::move(message)) {}

	/// The errno value (positive), e.g. ENOENT, EPERM, EPROTO.
	[[nodiscard]] int errnum() const noexcept { return errnum_; }
	[[nodiscard]] std::error_code code() const noexcept
	{
		return {errnum_, std::generic_category()};
	}
	/// One line, no trailing newline, no program prefix.
	[[nodiscard]] const std::string &message() const noexcept { return message_; }

private:
	int errnum_;
	std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
public:
	Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
	Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

	[[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
	explicit operator bool() const noexcept { return has_value(); }

	[[nodiscard]] T &value() & { assert(has_value()); return std::get<0>(v_); }
	[[nodiscard]] const T &value() const & { assert(has_value()); return std::get<0>(v_); }
	[[nodiscard]] T &&value() && { assert(has_value()); return std::get<0>(std::move(v_)); }
	T &operator*() & { return value(); }
	const T &operator*() const & { return value(); }
	T *operator->() { return &value(); }
	const T *operator->() const { return &value(); }

	[[nodiscard]] const Error &error() const { assert(!has_value()); return std::get<1>(v_); }

private:
	std::variant<T, Error> v_;
};

/// Result<void>: success, or an Error.
template <>
class [[nodiscard]] Result<void> {
public:
	Result() = default;
	Result(Error error) : v_(std::in_place_index<1>, std::move(error)) {}

	[[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
	explicit operator bool() const noexcept { return has_value(); }
	[[nodiscard]] const Error &error() const { assert(!has_value()); return std::get<1>(v_); }

private:
	std::variant<std::monostate, Error> v_;
};

} // namespace ktr

#endif // KTR_RESULT_H
