// SPDX-License-Identifier: MIT
//
// Decoding one sub-buffer of a ktr ring buffer (uapi/ktr_ringbuf.h) into
// timestamped records, and the common header of an event's payload
// (uapi/ktr_event.h).
//
// Sub-buffers come from the kernel through mmap or from a capture file and
// are never trusted: every offset is checked before it is read and every
// invariant of the format is verified. Corrupt input is an Error (EPROTO)
// whose message names what is wrong and at which byte of the sub-buffer;
// arguments that cannot be right (a span of the wrong size) are EINVAL.
//
//	auto sb = decode_subbuf(bytes, cpu, subbuf_size, last_end_ts);
//	for (const Record &r : sb->records())
//		use(r.ts, r.payload);
//
// The header's flags and reserved words are not checked: a newer module may
// use them, and they do not change how the records decode.
#ifndef KTR_DECODE_H
#define KTR_DECODE_H

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "ktr/result.h"

namespace ktr {

/// sizeof(struct ktr_rb_subbuf_hdr): the smallest header a writer writes.
inline constexpr std::uint32_t subbuf_hdr_min_size = 64;

/// The fields of struct ktr_rb_subbuf_hdr (see uapi/ktr_ringbuf.h).
struct SubbufHeader {
	std::uint32_t size = 0;		// offset of the first record
	std::uint32_t flags = 0;	// KTR_RB_SB_*
	std::uint64_t seq = 0;
	std::uint64_t time_stamp = 0;	// ns, local clock of the CPU
	std::uint32_t commit = 0;	// bytes of records after the header
	std::uint32_t entries = 0;	// events
	std::uint64_t lost = 0;		// events lost just before this sub-buffer
	std::uint32_t cpu = 0;
	std::uint32_t subbuf_size = 0;

	bool operator==(const SubbufHeader &) const = default;
};

/// One event of a sub-buffer.
struct Record {
	std::uint64_t ts = 0;			// ns, local clock of the CPU
	std::span<const std::byte> payload;	// 4-byte aligned in the sub-buffer
	bool long_form = false;			// type_len 0: length in a word
	std::uint32_t offset = 0;		// of the record header in the sub-buffer
};

/// A decoded sub-buffer. It owns a copy of the header and the committed
/// records, so the original can go back to the kernel at once; the records'
/// payload spans point into that copy. Move-only, so that they stay valid.
class DecodedSubbuf {
public:
	DecodedSubbuf(DecodedSubbuf &&) noexcept = default;
	DecodedSubbuf &operator=(DecodedSubbuf &&) noexcept = default;
	DecodedSubbuf(const DecodedSubbuf &) = delete;
	DecodedSubbuf &operator=(const DecodedSubbuf &) = delete;
	~DecodedSubbuf() = default;

	[[nodiscard]] const SubbufHeader &header() const noexcept { return hdr_; }
	/// The events in stream order (padding, discarded events and time
	/// records are not events).
	[[nodiscard]] const std::vector<Record> &records() const noexcept { return records_; }
	/// Discarded events (reservations their writer cancelled) skipped.
	[[nodiscard]] std::uint32_t discarded() const noexcept { return discarded_; }
	/// The time reached after the last record (hdr.time_stamp when there is
	/// none): the next sub-buffer of the CPU cannot start before it.
	[[nodiscard]] std::uint64_t end_ts() const noexcept { return end_ts_; }
	/// The bytes kept: the header and the committed records.
	[[nodiscard]] std::span<const std::byte> bytes() const noexcept { return bytes_; }

private:
	friend Result<DecodedSubbuf> decode_subbuf(std::span<const std::byte>, std::uint32_t,
						   std::uint32_t, std::uint64_t);
	DecodedSubbuf() = default;

	SubbufHeader hdr_;
	std::vector<std::byte> bytes_;
	std::vector<Record> records_;
	std::uint32_t discarded_ = 0;
	std::uint64_t end_ts_ = 0;
};

/// Decode the sub-buffer @subbuf (all @subbuf_size bytes of it, host byte
/// order) of CPU @cpu. @not_before: the end_ts() of the previous sub-buffer
/// of that CPU (0 for the first): time may not go backwards across them.
///
/// Refused (EPROTO): a header size below 64, unaligned or past the end; a
/// sub-buffer size or CPU other than expected; a commit that is unaligned or
/// past the end; a record or a length word running past the committed data;
/// a discarded event whose length is 0, unaligned, shorter than 8 or past
/// the end; a first record with a time delta; a time record not followed by
/// an event or discarded event with time delta 0; a TIME_STAMP with a delta;
/// time going backwards or overflowing; an entry count other than the events
/// found; unused space that does not start with a PADDING record tiling it.
Result<DecodedSubbuf> decode_subbuf(std::span<const std::byte> subbuf, std::uint32_t cpu,
				    std::uint32_t subbuf_size, std::uint64_t not_before = 0);

/// sizeof(struct ktr_event_common).
inline constexpr std::size_t event_common_size = 8;

/// An event payload with its common header read out.
struct EventView {
	std::uint16_t id = 0;			// enum ktr_event_id
	std::uint16_t flags = 0;
	std::int32_t pid = 0;
	std::span<const std::byte> payload;	// the whole payload, common header included
};

/// The common header of @payload. Refused (EPROTO): a payload shorter than
/// struct ktr_event_common, or the reserved event id 0.
Result<EventView> decode_event(std::span<const std::byte> payload);

} // namespace ktr

#endif // KTR_DECODE_H
