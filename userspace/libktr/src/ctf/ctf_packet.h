// SPDX-License-Identifier: MIT
//
// The binary side of a CTF stream (one per CPU): packets in the layout the
// metadata (tsdl.h) declares, all fields byte-aligned in host byte order:
//
//	packet header	u32 magic 0xc1fc1fc1, u8 uuid[16], u32 stream_id (0),
//			u64 stream_instance_id (the CPU)			32 bytes
//	packet context	u64 timestamp_begin, u64 timestamp_end, u64 content_size
//			and u64 packet_size (bits), u64 packet_seq_num,
//			u64 events_discarded, u32 cpu_id			52 bytes
//	events		u32 class id, u64 timestamp, then the event's context
//			and fields as the caller encoded them
//
// Invariants: timestamps never go backwards within a stream (the caller's
// order); a packet's begin is the time of its first item and its end the
// time of its last; events_discarded is the stream's running total of lost
// events (CTF's snapshot counter), so a loss closes the open packet and the
// next packet carries the new total: readers report the difference between
// two packets as events discarded between them. A stream that starts with a
// loss gets an empty packet first, so that the loss has a packet before it.
#ifndef KTR_CTF_PACKET_H
#define KTR_CTF_PACKET_H

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "ktr/result.h"
#include "tsdl.h"

namespace ktr::ctf {

inline constexpr std::uint32_t packet_magic = 0xc1fc1fc1;
inline constexpr std::size_t packet_header_size = 32 + 52;

class PacketWriter {
public:
	/// Receives each finished packet, in order.
	using Output = std::function<Result<void>(std::span<const std::byte>)>;

	/// A packet is closed when its next event would take it past
	/// @packet_max bytes (one larger event gets a packet of its own).
	PacketWriter(std::uint32_t cpu, const Uuid &uuid, std::size_t packet_max, Output out);

	/// An event of class @id at @ts; @body: its context and fields.
	Result<void> event(std::uint32_t id, std::uint64_t ts, std::span<const std::byte> body);
	/// @count events lost at @ts.
	Result<void> lost(std::uint64_t ts, std::uint64_t count);
	/// Close the open packet, if any.
	Result<void> finish();

	[[nodiscard]] std::uint64_t packets() const noexcept { return seq_; }

private:
	void open(std::uint64_t ts);
	Result<void> close();

	std::uint32_t cpu_;
	Uuid uuid_;
	std::size_t packet_max_;
	Output out_;
	std::vector<std::byte> buf_;	// the open packet; empty: none open
	std::uint64_t begin_ = 0;
	std::uint64_t end_ = 0;
	std::uint64_t seq_ = 0;		// packets written
	std::uint64_t discarded_ = 0;	// running total
};

} // namespace ktr::ctf

#endif // KTR_CTF_PACKET_H
