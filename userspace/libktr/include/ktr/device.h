// SPDX-License-Identifier: MIT
//
// ktr::Device and ktr::Stream: the data plane, /dev/ktr (see uapi/ktr.h).
//
//	auto dev = ktr::Device::open();
//	auto st = ktr::Stream::open(*dev, cpu, watermark);
//	auto sb = st->get(ktr::Stream::Wait::No);   // std::nullopt: none ready
//	decode(st->subbuf(**sb));                    // in place, zero-copy
//	st->put();
//
// A Stream maps the CPU's meta page and sub-buffers read-only; subbuf()
// spans stay valid until put(). All failures are ktr::Error with one line
// naming what went wrong and what to do.
#ifndef KTR_DEVICE_H
#define KTR_DEVICE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include <ktr.h>

#include "ktr/result.h"

namespace ktr {

/// An owned file descriptor.
class Fd {
public:
	Fd() noexcept = default;
	explicit Fd(int fd) noexcept : fd_(fd) {}
	Fd(Fd &&o) noexcept : fd_(o.release()) {}
	Fd &operator=(Fd &&o) noexcept;
	Fd(const Fd &) = delete;
	Fd &operator=(const Fd &) = delete;
	~Fd();

	[[nodiscard]] int get() const noexcept { return fd_; }
	int release() noexcept
	{
		const int fd = fd_;
		fd_ = -1;
		return fd;
	}

private:
	int fd_ = -1;
};

/// Why a marker write was refused (the event is counted lost in the kernel).
enum class MarkerRefusal { None, BufferFull, Disabled, Nested };

/// /dev/ktr, opened read-write.
class Device {
public:
	/// Open KTR_DEVICE_PATH (or @path, for tests).
	static Result<Device> open(const char *path = KTR_DEVICE_PATH);

	/// Record one marker event with @text (1..KTR_MARKER_MAX bytes).
	/// A refusal the kernel counted as lost is a value, not an Error.
	Result<MarkerRefusal> write_marker(std::string_view text) const;

	[[nodiscard]] int fd() const noexcept { return fd_.get(); }

private:
	explicit Device(Fd fd) noexcept : fd_(std::move(fd)) {}
	Fd fd_;
};

/// A sub-buffer handed out by Stream::get().
struct SubbufRef {
	std::uint32_t id = 0;
	std::uint64_t offset = 0;
	std::uint64_t seq = 0;
};

/// The stream of one CPU's ring.
class Stream {
public:
	enum class Wait { No, Yes };

	/// KTR_IOC_STREAM_OPEN + mmap of the whole stream.
	static Result<Stream> open(const Device &dev, unsigned cpu, std::uint32_t watermark = 1);

	/// Take the oldest complete sub-buffer. With Wait::No, std::nullopt
	/// when none is ready; with Wait::Yes, blocks (EINTR is an Error).
	Result<std::optional<SubbufRef>> get(Wait wait);
	/// Give back the sub-buffer get() returned.
	Result<void> put();
	/// Make the CPU's partly filled sub-buffer ready.
	Result<void> flush();

	/// The bytes of a sub-buffer handed out by get(); valid until put().
	[[nodiscard]] std::span<const std::byte> subbuf(const SubbufRef &ref) const noexcept;

	/// A consistent copy of the meta page (read under update_seq).
	[[nodiscard]] ktr_stream_meta meta() const noexcept;

	[[nodiscard]] unsigned cpu() const noexcept { return cpu_; }
	[[nodiscard]] std::uint32_t subbuf_size() const noexcept { return subbuf_size_; }
	/// For poll(): readable when the watermark is reached or after a flush.
	[[nodiscard]] int fd() const noexcept { return fd_.get(); }

	Stream(Stream &&o) noexcept;
	Stream &operator=(Stream &&o) noexcept;
	Stream(const Stream &) = delete;
	Stream &operator=(const Stream &) = delete;
	~Stream();

private:
	Stream(Fd fd, unsigned cpu, const std::byte *map, std::size_t map_size,
	       std::uint32_t subbuf_size) noexcept
		: fd_(std::move(fd)), cpu_(cpu), map_(map), map_size_(map_size),
		  subbuf_size_(subbuf_size)
	{
	}
	void unmap() noexcept;

	Fd fd_;
	unsigned cpu_ = 0;
	const std::byte *map_ = nullptr;
	std::size_t map_size_ = 0;
	std::uint32_t subbuf_size_ = 0;
};

} // namespace ktr

#endif // KTR_DEVICE_H
