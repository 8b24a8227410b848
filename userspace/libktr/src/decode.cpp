// SPDX-License-Identifier: MIT
#include "ktr/decode.h"

#include <cerrno>
#include <cstddef>
#include <limits>
#include <string>

#include <ktr_event.h>
#include <ktr_ringbuf.h>

#include "byte_io.h"

namespace ktr {

static_assert(sizeof(struct ktr_rb_subbuf_hdr) == subbuf_hdr_min_size);
static_assert(sizeof(struct ktr_event_common) == event_common_size);

namespace {

using detail::load;

constexpr std::uint32_t rec_align = KTR_RB_RECORD_ALIGN;

std::string num(std::uint64_t v) { return std::to_string(v); }

// Walks the records of one sub-buffer; every failure is an Error naming the
// CPU, the sequence number and the byte offset.
class SubbufDecoder {
public:
	SubbufDecoder(std::span<const std::byte> sb, std::uint32_t cpu) : sb_(sb), cpu_(cpu) {}

	Result<void> header(SubbufHeader &h, std::uint32_t subbuf_size, std::uint64_t not_before);
	Result<void> records(const SubbufHeader &h, std::vector<Record> &out,
			     std::uint32_t &discarded, std::uint64_t &end_ts);
	Result<void> unused_space(const SubbufHeader &h);
	/// Read the records from @copy (same bytes) from now on.
	void rebase(std::span<const std::byte> copy) { sb_ = copy; }

private:
	[[nodiscard]] std::uint32_t word(std::uint32_t off) const
	{
		return load<std::uint32_t>(sb_, off);
	}
	[[nodiscard]] Error corrupt(const std::string &what) const
	{
		return {EPROTO, "corrupt sub-buffer of CPU " + num(cpu_) + " (seq " + num(seq_) +
					"): " + what};
	}
	[[nodiscard]] Error corrupt_at(std::uint32_t off, const std::string &what) const
	{
		return corrupt(what + " at byte " + num(off));
	}

	std::span<const std::byte> sb_;
	std::uint32_t cpu_;
	std::uint64_t seq_ = 0;
};

const char *type_name(std::uint32_t type_len)
{
	switch (type_len) {
	case KTR_RB_TYPE_TIME_EXTEND: return "TIME_EXTEND";
	case KTR_RB_TYPE_TIME_STAMP: return "TIME_STAMP";
	case KTR_RB_TYPE_PADDING: return "discarded event";
	default: return "event";
	}
}

Result<void> SubbufDecoder::header(SubbufHeader &h, std::uint32_t subbuf_size,
				   std::uint64_t not_before)
{
	h.size = load<std::uint32_t>(sb_, offsetof(ktr_rb_subbuf_hdr, size));
	h.flags = load<std::uint32_t>(sb_, offsetof(ktr_rb_subbuf_hdr, flags));
	h.seq = load<std::uint64_t>(sb_, offsetof(ktr_rb_subbuf_hdr, seq));
	h.time_stamp = load<std::uint64_t>(sb_, offsetof(ktr_rb_subbuf_hdr, time_stamp));
	h.commit = load<std::uint32_t>(sb_, offsetof(ktr_rb_subbuf_hdr, commit));
	h.entries = load<std::uint32_t>(sb_, offsetof(ktr_rb_subbuf_hdr, entries));
	h.lost = load<std::uint64_t>(sb_, offsetof(ktr_rb_subbuf_hdr, lost));
	h.cpu = load<std::uint32_t>(sb_, offsetof(ktr_rb_subbuf_hdr, cpu));
	h.subbuf_size = load<std::uint32_t>(sb_, offsetof(ktr_rb_subbuf_hdr, subbuf_size));
	seq_ = h.seq;

	if (h.size < subbuf_hdr_min_size)
		return corrupt("header size " + num(h.size) + " is below the " +
			       num(subbuf_hdr_min_size) + "-byte minimum (byte 0)");
	if (h.size > subbuf_size)
		return corrupt("header size " + num(h.size) + " is larger than the " +
			       num(subbuf_size) + "-byte sub-buffer (byte 0)");
	if (h.size % rec_align != 0)
		return corrupt("header size " + num(h.size) + " is not a multiple of 4 (byte 0)");
	if (h.subbuf_size != subbuf_size)
		return corrupt("header says sub-buffer size " + num(h.subbuf_size) +
			       ", expected " + num(subbuf_size) + " (byte " +
			       num(offsetof(ktr_rb_subbuf_hdr, subbuf_size)) + ")");
	if (h.cpu != cpu_)
		return corrupt("header says CPU " + num(h.cpu) + " (byte " +
			       num(offsetof(ktr_rb_subbuf_hdr, cpu)) + ")");
	if (h.commit % rec_align != 0)
		return corrupt("commit " + num(h.commit) + " is not a multiple of 4 (byte " +
			       num(offsetof(ktr_rb_subbuf_hdr, commit)) + ")");
	if (std::uint64_t{h.size} + h.commit > subbuf_size)
		return corrupt("commit " + num(h.commit) + " runs past the end: records would end at byte " +
			       num(std::uint64_t{h.size} + h.commit) + " of " + num(subbuf_size) +
			       " (byte " + num(offsetof(ktr_rb_subbuf_hdr, commit)) + ")");
	if (h.time_stamp < not_before)
		return corrupt("time goes backwards: the sub-buffer starts at " + num(h.time_stamp) +
			       " ns, the previous one of this CPU ended at " + num(not_before) +
			       " ns (byte " + num(offsetof(ktr_rb_subbuf_hdr, time_stamp)) + ")");
	return {};
}

Result<void> SubbufDecoder::records(const SubbufHeader &h, std::vector<Record> &out,
				    std::uint32_t &discarded, std::uint64_t &end_ts)
{
	const std::uint32_t end = h.size + h.commit;
	std::uint64_t ts = h.time_stamp;
	std::uint32_t off = h.size;
	// A time record was just read (at time_off): the next record must be
	// an event or a discarded event with time delta 0.
	bool after_time = false;
	std::uint32_t time_off = 0, time_type = 0;

	const auto advance = [&](std::uint64_t delta, std::uint32_t at) -> Result<void> {
		if (delta > std::numeric_limits<std::uint64_t>::max() - ts)
			return corrupt_at(at, "time overflows 64 bits (" + num(ts) + " ns + " +
						      num(delta) + " ns)");
		ts += delta;
		return {};
	};

	while (off < end) {
		const std::uint32_t left = end - off;	// >= 4: both are aligned
		const std::uint32_t w = word(off);
		const std::uint32_t type = KTR_RB_RECORD_TYPE_LEN(w);
		const std::uint32_t delta = KTR_RB_RECORD_TIME_DELTA(w);
		const bool time_record = type == KTR_RB_TYPE_TIME_EXTEND ||
					 type == KTR_RB_TYPE_TIME_STAMP;
		// Bytes the record needs before its size is known.
		const std::uint32_t head = type == KTR_RB_TYPE_TIME_STAMP ? KTR_RB_TIME_STAMP_SIZE
					   : (type == KTR_RB_TYPE_DATA_LEN || type >= KTR_RB_TYPE_PADDING)
						   ? 8U
						   : 4U;

		if (off == h.size && delta != 0)
			return corrupt_at(off, "first record has time delta " + num(delta) +
						       " (must be 0: it is at the sub-buffer's time stamp)");
		if (after_time && time_record)
			return corrupt_at(off, std::string(type_name(time_type)) + " at byte " +
						       num(time_off) + " is followed by a " +
						       type_name(type) + ", not an event");
		if (after_time && delta != 0)
			return corrupt_at(off, std::string(type_name(type)) + " after the " +
						       type_name(time_type) + " at byte " + num(time_off) +
						       " has time delta " + num(delta) + " (must be 0)");
		if (head > left)
			return corrupt_at(off, std::string(type_name(type)) + " of at least " +
						       num(head) + " bytes runs past the committed data (" +
						       num(left) + " bytes left)");

		std::uint64_t size = 0;
		if (type == KTR_RB_TYPE_TIME_EXTEND) {
			const std::uint64_t ext = delta | (std::uint64_t{word(off + 4)}
							   << KTR_RB_TIME_DELTA_BITS);
			if (auto r = advance(ext, off); !r)
				return r;
			size = KTR_RB_TIME_EXTEND_SIZE;
		} else if (type == KTR_RB_TYPE_TIME_STAMP) {
			if (delta != 0)
				return corrupt_at(off, "TIME_STAMP has time delta " + num(delta) +
							       " (must be 0)");
			const std::uint64_t abs = word(off + 4) |
						  (std::uint64_t{word(off + 8)} << 32);
			if (abs < ts)
				return corrupt_at(off, "time goes backwards: TIME_STAMP " + num(abs) +
							       " ns after " + num(ts) + " ns");
			ts = abs;
			size = KTR_RB_TIME_STAMP_SIZE;
		} else if (type == KTR_RB_TYPE_PADDING) {
			size = word(off + 4);
			if (size == 0 || size % rec_align != 0 || size < 8)
				return corrupt_at(off, "discarded event has invalid length " +
							       num(size) +
							       " (a multiple of 4, at least 8)");
			if (size > left)
				return corrupt_at(off, "discarded event of " + num(size) +
							       " bytes runs past the committed data (" +
							       num(left) + " bytes left)");
			if (auto r = advance(delta, off); !r)
				return r;
			discarded++;
		} else {
			std::uint32_t len;
			std::uint32_t data;
			if (type == KTR_RB_TYPE_DATA_LEN) {
				len = word(off + 4);
				data = off + 8;
				size = 8 + ((std::uint64_t{len} + 3) & ~std::uint64_t{3});
			} else {
				len = type * 4;
				data = off + 4;
				size = 4 + len;
			}
			if (size > left)
				return corrupt_at(off, "event with " + num(len) +
							       " bytes of payload runs past the committed data (" +
							       num(left) + " bytes left)");
			if (auto r = advance(delta, off); !r)
				return r;
			out.push_back(Record{ts, sb_.subspan(data, len),
					     type == KTR_RB_TYPE_DATA_LEN, off});
		}
		after_time = time_record;
		if (time_record) {
			time_off = off;
			time_type = type;
		}
		off += static_cast<std::uint32_t>(size);
	}
	if (after_time)
		return corrupt_at(time_off, std::string(type_name(time_type)) +
						    " is the last record: no event follows it");
	if (out.size() != h.entries)
		return corrupt("header says " + num(h.entries) + " events (byte " +
			       num(offsetof(ktr_rb_subbuf_hdr, entries)) + "), the records hold " +
			       num(out.size()));
	end_ts = ts;
	return {};
}

// Past the committed records, a PADDING record with time delta 0 tiles the
// rest of the sub-buffer (a lone word when only 4 bytes are left).
Result<void> SubbufDecoder::unused_space(const SubbufHeader &h)
{
	const std::uint32_t end = h.size + h.commit;
	const auto rest = static_cast<std::uint32_t>(sb_.size()) - end;
	if (rest == 0)
		return {};
	if (rest < 4)
		return corrupt_at(end, "unused space of " + num(rest) + " bytes (not a multiple of 4)");
	const std::uint32_t w = word(end);
	if (KTR_RB_RECORD_TYPE_LEN(w) != KTR_RB_TYPE_PADDING || KTR_RB_RECORD_TIME_DELTA(w) != 0)
		return corrupt_at(end, "unused space after the committed data does not start with "
				       "a PADDING record of time delta 0");
	if (rest >= 8 && word(end + 4) != rest)
		return corrupt_at(end, "end PADDING says " + num(word(end + 4)) + " bytes, " +
					       num(rest) + " are left");
	return {};
}

} // namespace

Result<DecodedSubbuf> decode_subbuf(std::span<const std::byte> subbuf, std::uint32_t cpu,
				    std::uint32_t subbuf_size, std::uint64_t not_before)
{
	if (subbuf_size < subbuf_hdr_min_size || subbuf_size % rec_align != 0)
		return Error{EINVAL, "invalid sub-buffer size " + num(subbuf_size) +
					     " (a multiple of 4, at least " +
					     num(subbuf_hdr_min_size) + ")"};
	if (subbuf.size() != subbuf_size)
		return Error{EINVAL, "sub-buffer of CPU " + num(cpu) + " has " + num(subbuf.size()) +
					     " bytes, expected " + num(subbuf_size)};

	SubbufDecoder dec(subbuf, cpu);
	DecodedSubbuf out;
	if (auto r = dec.header(out.hdr_, subbuf_size, not_before); !r)
		return r.error();

	// Decode from the copy, so that the payload spans point into it.
	const std::uint32_t used = out.hdr_.size + out.hdr_.commit;
	out.bytes_.assign(subbuf.begin(), subbuf.begin() + used);
	dec.rebase(out.bytes_);
	if (auto r = dec.records(out.hdr_, out.records_, out.discarded_, out.end_ts_); !r)
		return r.error();
	dec.rebase(subbuf);
	if (auto r = dec.unused_space(out.hdr_); !r)
		return r.error();
	return out;
}

Result<EventView> decode_event(std::span<const std::byte> payload)
{
	if (payload.size() < event_common_size)
		return Error{EPROTO, "event payload of " + num(payload.size()) +
					     " bytes is shorter than the " + num(event_common_size) +
					     "-byte common header"};
	EventView ev;
	ev.id = load<std::uint16_t>(payload, offsetof(ktr_event_common, id));
	ev.flags = load<std::uint16_t>(payload, offsetof(ktr_event_common, flags));
	ev.pid = load<std::int32_t>(payload, offsetof(ktr_event_common, pid));
	ev.payload = payload;
	if (ev.id == KTR_EVENT_RESERVED)
		return Error{EPROTO, "event with the reserved id 0 (never written)"};
	return ev;
}

} // namespace ktr
