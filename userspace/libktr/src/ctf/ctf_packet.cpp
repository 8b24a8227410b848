// SPDX-License-Identifier: MIT
#include "ctf_packet.h"

#include <cstring>

namespace ktr::ctf {

namespace {

template <typename T>
void put(std::vector<std::byte> &b, T v)
{
	const auto *p = reinterpret_cast<const std::byte *>(&v);
	b.insert(b.end(), p, p + sizeof(v));
}

template <typename T>
void put_at(std::vector<std::byte> &b, std::size_t off, T v)
{
	std::memcpy(b.data() + off, &v, sizeof(v));
}

// Offsets of the context fields filled in when the packet closes.
constexpr std::size_t off_begin = 32;
constexpr std::size_t off_end = 40;
constexpr std::size_t off_content = 48;
constexpr std::size_t off_packet = 56;

} // namespace

PacketWriter::PacketWriter(std::uint32_t cpu, const Uuid &uuid, std::size_t packet_max,
			   Output out)
	: cpu_(cpu), uuid_(uuid), packet_max_(packet_max), out_(std::move(out))
{
}

void PacketWriter::open(std::uint64_t ts)
{
	buf_.clear();
	put(buf_, packet_magic);
	for (const std::uint8_t b : uuid_)
		put(buf_, b);
	put(buf_, std::uint32_t{0});		// stream_id
	put(buf_, std::uint64_t{cpu_});		// stream_instance_id
	put(buf_, ts);				// timestamp_begin
	put(buf_, ts);				// timestamp_end
	put(buf_, std::uint64_t{0});		// content_size
	put(buf_, std::uint64_t{0});		// packet_size
	put(buf_, seq_);			// packet_seq_num
	put(buf_, discarded_);			// events_discarded
	put(buf_, cpu_);			// cpu_id
	begin_ = end_ = ts;
}

Result<void> PacketWriter::close()
{
	if (buf_.empty())
		return {};
	const std::uint64_t bits = std::uint64_t{buf_.size()} * 8;
	put_at(buf_, off_begin, begin_);
	put_at(buf_, off_end, end_);
	put_at(buf_, off_content, bits);
	put_at(buf_, off_packet, bits);
	seq_++;
	Result<void> r = out_(buf_);
	buf_.clear();
	return r;
}

Result<void> PacketWriter::event(std::uint32_t id, std::uint64_t ts,
				 std::span<const std::byte> body)
{
	const std::size_t size = sizeof(id) + sizeof(ts) + body.size();
	if (!buf_.empty() && buf_.size() > packet_header_size && buf_.size() + size > packet_max_) {
		if (Result<void> r = close(); !r)
			return r;
	}
	if (buf_.empty())
		open(ts);
	put(buf_, id);
	put(buf_, ts);
	buf_.insert(buf_.end(), body.begin(), body.end());
	end_ = ts;
	return {};
}

Result<void> PacketWriter::lost(std::uint64_t ts, std::uint64_t count)
{
	if (buf_.empty() && seq_ == 0)
		open(ts);	// the packet before the loss
	if (Result<void> r = close(); !r)
		return r;
	discarded_ += count;
	open(ts);
	return {};
}

Result<void> PacketWriter::finish()
{
	return close();
}

} // namespace ktr::ctf
