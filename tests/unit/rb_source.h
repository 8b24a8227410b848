// SPDX-License-Identifier: MIT
//
// Test helper: real sub-buffers, written by the ring buffer core of the
// module built for the host (userspace/ringbuf-host) with a clock the test
// sets, then flushed, taken and copied like a reader would.
#ifndef KTR_TEST_RB_SOURCE_H
#define KTR_TEST_RB_SOURCE_H

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include <ktr_ringbuf.h>

#include "subbuf_builder.h"

struct ktr_rb;

namespace ktr::test {

class RingSource {
public:
	/// A buffer of @ncpus CPUs; @mode is enum ktr_rb_mode.
	RingSource(std::uint32_t subbuf_size, std::uint32_t nr_subbufs, std::uint32_t mode,
		   unsigned ncpus = 2);
	~RingSource();
	RingSource(const RingSource &) = delete;
	RingSource &operator=(const RingSource &) = delete;

	/// Write @payload as CPU @cpu at time @ts (discarded if @discard).
	/// Returns the event's timestamp, or nullopt if the ring refused it.
	std::optional<std::uint64_t> write(unsigned cpu, std::uint64_t ts,
					   std::span<const std::byte> payload, bool discard = false);
	/// Flush @cpu (if @flush), then take, copy and give back every
	/// complete sub-buffer.
	std::vector<Bytes> drain(unsigned cpu, bool flush = true);
	[[nodiscard]] ktr_rb_cpu_stats stats(unsigned cpu) const;
	void clock_map(std::uint64_t &local_ns, std::uint64_t &mono_ns) const;
	[[nodiscard]] std::uint32_t subbuf_size() const { return subbuf_size_; }
	[[nodiscard]] bool ok() const { return rb_ != nullptr; }

private:
	static std::uint64_t read_clock(void *ctx);
	ktr_rb *rb_ = nullptr;
	std::uint32_t subbuf_size_;
	std::uint64_t now_ = 0;
};

} // namespace ktr::test

#endif // KTR_TEST_RB_SOURCE_H
