// SPDX-License-Identifier: MIT
//
// Integers in host byte order into and out of byte buffers: ByteSink appends,
// ByteSource reads with a bounds check on every read (a read past the end
// fails and leaves the source where it was). memcpy only, so any alignment
// is fine. Internal to libktr (event formats, capture files, decoder).
#ifndef KTR_BYTE_IO_H
#define KTR_BYTE_IO_H

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace ktr::detail {

/// The T at byte @off of @bytes. The caller has checked the bounds.
template <typename T>
	requires std::is_trivially_copyable_v<T>
T load(std::span<const std::byte> bytes, std::size_t off)
{
	T v;
	std::memcpy(&v, bytes.data() + off, sizeof(v));
	return v;
}

class ByteSink {
public:
	template <typename T>
		requires std::is_integral_v<T>
	ByteSink &put(T v)
	{
		const auto *p = reinterpret_cast<const std::byte *>(&v);
		out_.insert(out_.end(), p, p + sizeof(v));
		return *this;
	}
	ByteSink &bytes(std::span<const std::byte> b)
	{
		out_.insert(out_.end(), b.begin(), b.end());
		return *this;
	}
	/// @s as a u16 length followed by its bytes (no NUL).
	ByteSink &string16(std::string_view s)
	{
		put(static_cast<std::uint16_t>(s.size()));
		return bytes(std::as_bytes(std::span(s.data(), s.size())));
	}
	/// @s in a NUL-padded field of @width bytes (truncated to width - 1).
	ByteSink &fixed_string(std::string_view s, std::size_t width)
	{
		const std::size_t n = std::min(s.size(), width - 1);
		bytes(std::as_bytes(std::span(s.data(), n)));
		out_.insert(out_.end(), width - n, std::byte{0});
		return *this;
	}
	ByteSink &zeros(std::size_t n)
	{
		out_.insert(out_.end(), n, std::byte{0});
		return *this;
	}
	[[nodiscard]] std::size_t size() const noexcept { return out_.size(); }
	[[nodiscard]] std::vector<std::byte> &data() noexcept { return out_; }

private:
	std::vector<std::byte> out_;
};

class ByteSource {
public:
	explicit ByteSource(std::span<const std::byte> data) : data_(data) {}

	template <typename T>
		requires std::is_integral_v<T>
	[[nodiscard]] bool get(T &v)
	{
		if (remaining() < sizeof(T))
			return false;
		v = load<T>(data_, pos_);
		pos_ += sizeof(T);
		return true;
	}
	/// A u16 length and that many bytes.
	[[nodiscard]] bool string16(std::string &s)
	{
		const std::size_t start = pos_;
		std::uint16_t len = 0;
		if (!get(len) || remaining() < len) {
			pos_ = start;
			return false;
		}
		s.assign(reinterpret_cast<const char *>(data_.data() + pos_), len);
		pos_ += len;
		return true;
	}
	[[nodiscard]] bool skip(std::size_t n)
	{
		if (remaining() < n)
			return false;
		pos_ += n;
		return true;
	}
	[[nodiscard]] std::size_t offset() const noexcept { return pos_; }
	[[nodiscard]] std::size_t remaining() const noexcept { return data_.size() - pos_; }

private:
	std::span<const std::byte> data_;
	std::size_t pos_ = 0;
};

} // namespace ktr::detail

#endif // KTR_BYTE_IO_H
