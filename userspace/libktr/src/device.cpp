// SPDX-License-Identifier: MIT
#include "ktr/device.h"

#include <atomic>
#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <ktr_event.h>

#include "ktr/errors.h"

namespace ktr {

namespace {

Error permission_error()
{
	return {EPERM, "permission denied: reading ktr buffers needs CAP_PERFMON or "
		       "CAP_SYS_ADMIN (run as root)"};
}

Error stream_error(int errnum, unsigned cpu, std::string_view what)
{
	return {errnum, "CPU " + std::to_string(cpu) + ": " + std::string(what) + ": " +
				errno_text(errnum)};
}

// The meta page as the module wrote it, checked against what this tool
// needs before anything is trusted.
Result<void> check_meta(const ktr_stream_meta &m, unsigned cpu, long page_size)
{
	auto bad = [cpu](const std::string &what) {
		return Error(EPROTO, "CPU " + std::to_string(cpu) +
					     ": the stream's meta page is not valid (" + what +
					     "); is the module from the same release?");
	};
	if (m.abi_major != KTR_ABI_MAJOR)
		return abi_mismatch_error(m.abi_major, m.abi_minor);
	if (m.size < sizeof(ktr_stream_meta))
		return bad("size " + std::to_string(m.size));
	if (m.cpu != cpu)
		return bad("cpu " + std::to_string(m.cpu));
	if (m.subbuf_size < KTR_SUBBUF_SIZE_MIN || m.subbuf_size > KTR_SUBBUF_SIZE_MAX ||
	    (m.subbuf_size & (m.subbuf_size - 1)))
		return bad("sub-buffer size " + std::to_string(m.subbuf_size));
	if (m.nr_subbufs < KTR_NR_SUBBUFS_MIN || m.nr_subbufs > KTR_NR_SUBBUFS_MAX ||
	    m.nr_data_subbufs != m.nr_subbufs + 1)
		return bad("sub-buffer count " + std::to_string(m.nr_subbufs));
	if (m.data_offset != static_cast<std::uint64_t>(page_size) ||
	    m.mmap_size != m.data_offset + std::uint64_t{m.nr_data_subbufs} * m.subbuf_size)
		return bad("mapping size " + std::to_string(m.mmap_size));
	return {};
}

ktr_stream_meta read_meta(const std::byte *page) noexcept
{
	const auto *m = reinterpret_cast<const ktr_stream_meta *>(page);
	// The module bumps update_seq before and after each update: a copy
	// taken between two equal even values is consistent.
	std::atomic_ref<const std::uint32_t> seq(m->update_seq);
	ktr_stream_meta copy;
	for (;;) {
		const std::uint32_t before = seq.load(std::memory_order_acquire);
		if (before & 1U)
			continue;
		std::memcpy(&copy, m, sizeof(copy));
		std::atomic_thread_fence(std::memory_order_acquire);
		if (seq.load(std::memory_order_relaxed) == before)
			return copy;
	}
}

} // namespace

Fd &Fd::operator=(Fd &&o) noexcept
{
	if (this != &o) {
		if (fd_ >= 0)
			::close(fd_);
		fd_ = o.release();
	}
	return *this;
}

Fd::~Fd()
{
	if (fd_ >= 0)
		::close(fd_);
}

Result<Device> Device::open(const char *path)
{
	const int fd = ::open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		const int err = errno;
		if (err == ENOENT)
			return module_not_loaded_error();
		if (err == EPERM || err == EACCES)
			return permission_error();
		return Error(err, std::string("cannot open ") + path + ": " + errno_text(err));
	}
	return Device(Fd(fd));
}

Result<MarkerRefusal> Device::write_marker(std::string_view text) const
{
	if (text.empty() || text.size() > KTR_MARKER_MAX)
		return Error(EINVAL, "a marker holds 1 to " + std::to_string(KTR_MARKER_MAX) +
					     " bytes, not " + std::to_string(text.size()));
	ssize_t n;
	do {
		n = ::write(fd_.get(), text.data(), text.size());
	} while (n < 0 && errno == EINTR);
	if (n >= 0)
		return MarkerRefusal::None;
	switch (errno) {
	case ENOSPC:
		return MarkerRefusal::BufferFull;
	case ENODEV:
		return MarkerRefusal::Disabled;
	case ELOOP:
		return MarkerRefusal::Nested;
	default:
		return Error(errno, "cannot write a marker: " + errno_text(errno));
	}
}

Result<Stream> Stream::open(const Device &dev, unsigned cpu, std::uint32_t watermark)
{
	ktr_stream_open req{};
	req.size = sizeof(req);
	req.cpu = cpu;
	req.watermark = watermark;
	const int fd = ::ioctl(dev.fd(), KTR_IOC_STREAM_OPEN, &req);
	if (fd < 0) {
		const int err = errno;
		if (err == EBUSY)
			return Error(err, "CPU " + std::to_string(cpu) +
						  " is already being streamed by another reader "
						  "(one reader per CPU)");
		if (err == EINVAL)
			return Error(err, "cannot stream CPU " + std::to_string(cpu) +
						  ": no such CPU, or watermark " +
						  std::to_string(watermark) +
						  " larger than the sub-buffer count");
		if (err == ENOTTY)
			return Error(err, "the loaded ktr module cannot stream (module "
					  "older than this tool?)");
		return stream_error(err, cpu, "cannot open a stream");
	}
	Fd sfd(fd);

	const long page = ::sysconf(_SC_PAGESIZE);
	void *p = ::mmap(nullptr, static_cast<std::size_t>(page), PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return stream_error(errno, cpu, "cannot map the meta page");
	const ktr_stream_meta m = read_meta(static_cast<const std::byte *>(p));
	::munmap(p, static_cast<std::size_t>(page));
	if (auto ok = check_meta(m, cpu, page); !ok)
		return ok.error();

	const auto size = static_cast<std::size_t>(m.mmap_size);
	p = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		return stream_error(errno, cpu, "cannot map the stream");
	return Stream(std::move(sfd), cpu, static_cast<const std::byte *>(p), size, m.subbuf_size);
}

Result<std::optional<SubbufRef>> Stream::get(Wait wait)
{
	ktr_stream_subbuf a{};
	a.size = sizeof(a);
	a.flags = wait == Wait::No ? KTR_GET_NONBLOCK : 0;
	if (::ioctl(fd_.get(), KTR_IOC_GET_SUBBUF, &a) < 0) {
		if (errno == EAGAIN)
			return std::optional<SubbufRef>{};
		return stream_error(errno, cpu_, "cannot get a sub-buffer");
	}
	if (a.offset == 0 || a.offset + subbuf_size_ > map_size_)
		return Error(EPROTO, "CPU " + std::to_string(cpu_) +
					     ": the module handed out a sub-buffer outside the mapping");
	return std::optional<SubbufRef>{SubbufRef{a.id, a.offset, a.seq}};
}

Result<void> Stream::put()
{
	if (::ioctl(fd_.get(), KTR_IOC_PUT_SUBBUF) < 0)
		return stream_error(errno, cpu_, "cannot put the sub-buffer back");
	return {};
}

Result<void> Stream::flush()
{
	if (::ioctl(fd_.get(), KTR_IOC_FLUSH) < 0)
		return stream_error(errno, cpu_, "cannot flush");
	return {};
}

std::span<const std::byte> Stream::subbuf(const SubbufRef &ref) const noexcept
{
	return {map_ + ref.offset, subbuf_size_};
}

ktr_stream_meta Stream::meta() const noexcept
{
	return read_meta(map_);
}

void Stream::unmap() noexcept
{
	if (map_)
		::munmap(const_cast<std::byte *>(map_), map_size_);
	map_ = nullptr;
}

Stream::Stream(Stream &&o) noexcept
	: fd_(std::move(o.fd_)), cpu_(o.cpu_), map_(o.map_), map_size_(o.map_size_),
	  subbuf_size_(o.subbuf_size_)
{
	o.map_ = nullptr;
}

Stream &Stream::operator=(Stream &&o) noexcept
{
	if (this != &o) {
		unmap();
		fd_ = std::move(o.fd_);
		cpu_ = o.cpu_;
		map_ = o.map_;
		map_size_ = o.map_size_;
		subbuf_size_ = o.subbuf_size_;
		o.map_ = nullptr;
	}
	return *this;
}

Stream::~Stream()
{
	unmap();
}

} // namespace ktr
