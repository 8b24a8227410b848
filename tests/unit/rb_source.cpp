// SPDX-License-Identifier: MIT
#include "rb_source.h"

#include <cerrno>
#include <cstring>

// kmod/ringbuf/ktr_rb.h is C: a function named like a struct shadows its
// implicit C++ constructor, which -Wshadow reports.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wshadow"
extern "C" {
#include "ktr_rb.h"
#include "ktr_rb_host.h"
}
#pragma GCC diagnostic pop

namespace ktr::test {

std::uint64_t RingSource::read_clock(void *ctx) { return static_cast<RingSource *>(ctx)->now_; }

RingSource::RingSource(std::uint32_t subbuf_size, std::uint32_t nr_subbufs, std::uint32_t mode,
		       unsigned ncpus)
	: subbuf_size_(subbuf_size)
{
	ktr_rb_host_set_nr_cpus(ncpus);
	ktr_rb_host_set_cpu(0);
	ktr_rb_host_set_step_hook(nullptr, nullptr);
	ktr_rb_host_set_clock(&RingSource::read_clock, this);
	ktr_rb_config cfg{subbuf_size, nr_subbufs, mode};
	ktr_rb *rb = ktr_rb_create(&cfg);
	if (ktr_rb_host_ptr_err(rb) == 0)
		rb_ = rb;
}

RingSource::~RingSource()
{
	if (rb_)
		ktr_rb_free(rb_);
	ktr_rb_host_set_clock(nullptr, nullptr);
}

std::optional<std::uint64_t> RingSource::write(unsigned cpu, std::uint64_t ts,
					       std::span<const std::byte> payload, bool discard)
{
	ktr_rb_host_set_cpu(cpu);
	now_ = ts;
	ktr_rb_event ev{};
	if (ktr_rb_reserve(rb_, &ev, static_cast<u32>(payload.size())) != 0)
		return std::nullopt;
	if (!payload.empty())
		std::memcpy(ev.data, payload.data(), payload.size());
	if (discard)
		ktr_rb_discard(&ev);
	else
		ktr_rb_commit(&ev);
	return ev.ts;
}

std::vector<Bytes> RingSource::drain(unsigned cpu, bool flush)
{
	std::vector<Bytes> out;
	if (flush) {
		ktr_rb_host_set_cpu(cpu);
		ktr_rb_flush(rb_);
	}
	ktr_rb_read rd{};
	while (ktr_rb_get_subbuf(rb_, cpu, &rd) == 0) {
		const auto *p = reinterpret_cast<const std::byte *>(rd.hdr);
		out.emplace_back(p, p + subbuf_size_);
		ktr_rb_put_subbuf(rb_, cpu);
	}
	return out;
}

ktr_rb_cpu_stats RingSource::stats(unsigned cpu) const
{
	ktr_rb_cpu_stats st{};
	ktr_rb_get_stats(rb_, cpu, &st);
	return st;
}

void RingSource::clock_map(std::uint64_t &local_ns, std::uint64_t &mono_ns) const
{
	u64 l = 0, m = 0;
	ktr_rb_clock_map(rb_, &l, &m);
	local_ns = l;
	mono_ns = m;
}

} // namespace ktr::test
