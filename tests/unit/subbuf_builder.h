// SPDX-License-Identifier: MIT
//
// Test helpers: sub-buffers built by hand, record by record, in the format
// of uapi/ktr_ringbuf.h (so that golden and corrupt cases can be written
// exactly), and event payloads in the format of uapi/ktr_event.h.
#ifndef KTR_TEST_SUBBUF_BUILDER_H
#define KTR_TEST_SUBBUF_BUILDER_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ktr::test {

using Bytes = std::vector<std::byte>;

/// @n bytes of a recognizable pattern starting at @seed.
Bytes pattern(std::size_t n, unsigned seed = 1);

/// Overwrite the u32/u64 at byte @off of @b (host byte order).
void put_u32(Bytes &b, std::size_t off, std::uint32_t v);
void put_u64(Bytes &b, std::size_t off, std::uint64_t v);
std::uint32_t get_u32(const Bytes &b, std::size_t off);

/// A marker payload: common header (id 1), tgid, comm (NUL-padded to 16,
/// truncated), text.
Bytes marker_payload(std::int32_t pid, std::int32_t tgid, std::string_view comm,
		     std::string_view text);
/// Any event: common header (@id, flags 0, @pid) then @fields.
Bytes event_payload(std::uint16_t id, std::int32_t pid, std::span<const std::byte> fields = {});

class SubbufBuilder {
public:
	SubbufBuilder(std::uint32_t cpu, std::uint64_t seq, std::uint64_t time_stamp,
		      std::uint32_t subbuf_size = 4096);

	/// An event: type_len 1..28 when the length allows, else the length word.
	SubbufBuilder &event(std::uint32_t delta, std::span<const std::byte> payload);
	/// An event with the length word (type_len 0), whatever its length.
	SubbufBuilder &long_event(std::uint32_t delta, std::span<const std::byte> payload);
	/// A discarded event of @payload_len bytes (short form size).
	SubbufBuilder &discarded(std::uint32_t delta, std::uint32_t payload_len);
	SubbufBuilder &time_extend(std::uint64_t delta);
	SubbufBuilder &time_stamp(std::uint64_t ts);
	/// A raw word (corrupt records).
	SubbufBuilder &word(std::uint32_t w);

	SubbufBuilder &lost(std::uint64_t n) { lost_ = n; return *this; }
	SubbufBuilder &flags(std::uint32_t f) { flags_ = f; return *this; }
	/// The header's entry count (default: the events added).
	SubbufBuilder &entries(std::uint32_t n) { entries_ = n; entries_set_ = true; return *this; }
	/// A header larger than 64 bytes (a newer module).
	SubbufBuilder &header_size(std::uint32_t n) { hdr_size_ = n; return *this; }

	/// Offset the next record will have.
	[[nodiscard]] std::uint32_t offset() const
	{
		return hdr_size_ + static_cast<std::uint32_t>(records_.size());
	}
	[[nodiscard]] std::uint32_t events() const { return events_; }

	/// The whole sub-buffer: header, records, end PADDING.
	[[nodiscard]] Bytes build() const;

private:
	void put(std::uint32_t w);
	void put_bytes(std::span<const std::byte> b);

	std::uint32_t cpu_;
	std::uint64_t seq_;
	std::uint64_t time_stamp_;
	std::uint32_t subbuf_size_;
	std::uint32_t hdr_size_ = 64;
	std::uint64_t lost_ = 0;
	std::uint32_t flags_ = 0;
	std::uint32_t events_ = 0;
	std::uint32_t entries_ = 0;
	bool entries_set_ = false;
	Bytes records_;
};

} // namespace ktr::test

#endif // KTR_TEST_SUBBUF_BUILDER_H
