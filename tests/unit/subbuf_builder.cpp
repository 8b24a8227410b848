// SPDX-License-Identifier: MIT
#include "subbuf_builder.h"

#include <algorithm>
#include <cassert>

#include <ktr_event.h>
#include <ktr_ringbuf.h>

namespace ktr::test {

Bytes pattern(std::size_t n, unsigned seed)
{
	Bytes b(n);
	for (std::size_t i = 0; i < n; i++)
		b[i] = static_cast<std::byte>((seed + i * 7) & 0xff);
	return b;
}

void put_u32(Bytes &b, std::size_t off, std::uint32_t v) { std::memcpy(b.data() + off, &v, 4); }
void put_u64(Bytes &b, std::size_t off, std::uint64_t v) { std::memcpy(b.data() + off, &v, 8); }

std::uint32_t get_u32(const Bytes &b, std::size_t off)
{
	std::uint32_t v;
	std::memcpy(&v, b.data() + off, 4);
	return v;
}

Bytes event_payload(std::uint16_t id, std::int32_t pid, std::span<const std::byte> fields)
{
	ktr_event_common c{id, 0, pid};
	Bytes b(sizeof(c));
	std::memcpy(b.data(), &c, sizeof(c));
	b.insert(b.end(), fields.begin(), fields.end());
	return b;
}

Bytes marker_payload(std::int32_t pid, std::int32_t tgid, std::string_view comm,
		     std::string_view text)
{
	ktr_event_marker m{};
	m.common.id = KTR_EVENT_MARKER;
	m.common.pid = pid;
	m.tgid = tgid;
	std::memcpy(m.comm, comm.data(), std::min(comm.size(), sizeof(m.comm)));
	Bytes b(sizeof(m));
	std::memcpy(b.data(), &m, sizeof(m));
	const auto t = std::as_bytes(std::span(text.data(), text.size()));
	b.insert(b.end(), t.begin(), t.end());
	return b;
}

SubbufBuilder::SubbufBuilder(std::uint32_t cpu, std::uint64_t seq, std::uint64_t time_stamp,
			     std::uint32_t subbuf_size)
	: cpu_(cpu), seq_(seq), time_stamp_(time_stamp), subbuf_size_(subbuf_size)
{
}

void SubbufBuilder::put(std::uint32_t w)
{
	const auto *p = reinterpret_cast<const std::byte *>(&w);
	records_.insert(records_.end(), p, p + 4);
}

void SubbufBuilder::put_bytes(std::span<const std::byte> b)
{
	records_.insert(records_.end(), b.begin(), b.end());
	records_.resize((records_.size() + 3) & ~std::size_t{3}, std::byte{0});
}

SubbufBuilder &SubbufBuilder::event(std::uint32_t delta, std::span<const std::byte> payload)
{
	const std::size_t len = payload.size();
	if (len == 0 || len % 4 != 0 || len / 4 > KTR_RB_TYPE_DATA_MAX)
		return long_event(delta, payload);
	put(KTR_RB_RECORD_HEADER(static_cast<std::uint32_t>(len / 4), delta));
	put_bytes(payload);
	events_++;
	return *this;
}

SubbufBuilder &SubbufBuilder::long_event(std::uint32_t delta, std::span<const std::byte> payload)
{
	put(KTR_RB_RECORD_HEADER(std::uint32_t{KTR_RB_TYPE_DATA_LEN}, delta));
	put(static_cast<std::uint32_t>(payload.size()));
	put_bytes(payload);
	events_++;
	return *this;
}

SubbufBuilder &SubbufBuilder::discarded(std::uint32_t delta, std::uint32_t payload_len)
{
	// The size of the event it was: short form when the length allows.
	const bool short_form = payload_len != 0 && payload_len % 4 == 0 &&
				payload_len / 4 <= KTR_RB_TYPE_DATA_MAX;
	const std::uint32_t size = short_form ? 4 + payload_len : 8 + ((payload_len + 3) & ~3U);
	put(KTR_RB_RECORD_HEADER(std::uint32_t{KTR_RB_TYPE_PADDING}, delta));
	put(size);
	records_.resize(records_.size() + size - 8, std::byte{0xdd});
	return *this;
}

SubbufBuilder &SubbufBuilder::time_extend(std::uint64_t delta)
{
	put(KTR_RB_RECORD_HEADER(std::uint32_t{KTR_RB_TYPE_TIME_EXTEND},
				 static_cast<std::uint32_t>(delta & KTR_RB_TIME_DELTA_MAX)));
	put(static_cast<std::uint32_t>(delta >> KTR_RB_TIME_DELTA_BITS));
	return *this;
}

SubbufBuilder &SubbufBuilder::time_stamp(std::uint64_t ts)
{
	put(KTR_RB_RECORD_HEADER(std::uint32_t{KTR_RB_TYPE_TIME_STAMP}, 0U));
	put(static_cast<std::uint32_t>(ts));
	put(static_cast<std::uint32_t>(ts >> 32));
	return *this;
}

SubbufBuilder &SubbufBuilder::word(std::uint32_t w)
{
	put(w);
	return *this;
}

Bytes SubbufBuilder::build() const
{
	Bytes b(subbuf_size_, std::byte{0xee});
	assert(hdr_size_ + records_.size() <= subbuf_size_);
	ktr_rb_subbuf_hdr h{};
	h.size = hdr_size_;
	h.flags = flags_;
	h.seq = seq_;
	h.time_stamp = time_stamp_;
	h.commit = static_cast<std::uint32_t>(records_.size());
	h.entries = entries_set_ ? entries_ : events_;
	h.lost = lost_;
	h.cpu = cpu_;
	h.subbuf_size = subbuf_size_;
	std::fill(b.begin(), b.begin() + hdr_size_, std::byte{0});
	std::memcpy(b.data(), &h, sizeof(h));
	std::copy(records_.begin(), records_.end(), b.begin() + hdr_size_);
	const std::uint32_t end = hdr_size_ + h.commit;
	const std::uint32_t rest = subbuf_size_ - end;
	if (rest >= 4)
		put_u32(b, end, KTR_RB_RECORD_HEADER(std::uint32_t{KTR_RB_TYPE_PADDING}, 0U));
	if (rest >= 8)
		put_u32(b, end + 4, rest);
	return b;
}

} // namespace ktr::test
