// SPDX-License-Identifier: MIT
#include "ktr/capture.h"
#include "ktr/decode.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include <ktr.h>

#include "byte_io.h"
#include "ktr/buffer_geometry.h"
#include "ktr/errors.h"

namespace ktr {

namespace {

using detail::ByteSink;
using detail::load;

constexpr std::uint32_t byte_order_mark = 0x01020304;
constexpr std::uint32_t byte_order_swapped = 0x04030201;

// Offsets in the fixed part of the file header (docs/capture-format.md).
constexpr std::size_t off_byte_order = 8;
constexpr std::size_t off_version = 12;
constexpr std::size_t off_header_size = 16;
constexpr std::size_t off_flags = 20;
constexpr std::size_t off_page_size = 24;
constexpr std::size_t off_nr_cpus = 28;
constexpr std::size_t off_subbuf_size = 32;
constexpr std::size_t off_abi_major = 36;
constexpr std::size_t off_abi_minor = 40;
constexpr std::size_t off_formats_size = 44;
constexpr std::size_t off_clock_local = 48;
constexpr std::size_t off_clock_mono = 56;
constexpr std::size_t off_clock = 64;
constexpr std::size_t off_module_version = 80;
constexpr std::size_t clock_field = capture_clock_max + 1;
constexpr std::size_t module_version_field = capture_module_version_max + 1;
static_assert(off_clock + clock_field == off_module_version);
static_assert(off_module_version + module_version_field == capture_header_fixed_size);

// Limits: nothing larger is allocated or read on the word of a file.
constexpr std::uint32_t header_size_max = 16U << 20;
constexpr std::uint32_t chunk_max = KTR_SUBBUF_SIZE_MAX;
constexpr std::uint32_t stats_part_max = 4096;	// each of the two parts of STATS
constexpr std::uint32_t reader_stats_size = 4 * sizeof(std::uint64_t);
constexpr std::uint32_t nr_cpus_max = 65536;

// The writer hands the kernel this much at once.
constexpr std::size_t write_buffer_size = 1U << 20;

std::string num(std::uint64_t v) { return std::to_string(v); }

std::uint64_t align8(std::uint64_t n) { return (n + 7) & ~std::uint64_t{7}; }


const char *type_name(ChunkType type)
{
	switch (type) {
	case ChunkType::Subbuf: return "SUBBUF";
	case ChunkType::Stats: return "STATS";
	case ChunkType::End: return "END";
	}
	return "unknown";
}

bool printable(std::string_view s)
{
	return std::all_of(s.begin(), s.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

Result<void> write_all(int fd, std::span<const std::byte> data, const std::string &name)
{
	while (!data.empty()) {
		const ssize_t n = ::write(fd, data.data(), data.size());
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return Error{errno, "cannot write capture file " + name + ": " + errno_text(errno)};
		if (n == 0)
			return Error{EIO, "cannot write capture file " + name + ": no progress"};
		data = data.subspan(static_cast<std::size_t>(n));
	}
	return {};
}

// A NUL-terminated string in a fixed field, or nullopt if there is no NUL.
std::optional<std::string> fixed_string(std::span<const std::byte> field)
{
	const auto *p = reinterpret_cast<const char *>(field.data());
	const std::size_t len = strnlen(p, field.size());
	if (len == field.size())
		return std::nullopt;
	return std::string(p, len);
}

} // namespace

Result<void> validate_capture_info(const CaptureInfo &info)
{
	const auto bad = [](const std::string &what) {
		return Error{EINVAL, "invalid capture header: " + what};
	};
	if (!std::has_single_bit(info.page_size) || info.page_size < 4096 ||
	    info.page_size > (1U << 20))
		return bad("page size " + num(info.page_size) +
			   " (a power of two from 4096 to 1048576)");
	if (info.nr_cpus == 0 || info.nr_cpus > nr_cpus_max)
		return bad(num(info.nr_cpus) + " CPUs (1 to " + num(nr_cpus_max) + ")");
	if (Result<void> ok = check_subbuf_size(info.subbuf_size, info.page_size); !ok)
		return bad(ok.error().message());
	if (info.clock.empty() || info.clock.size() > capture_clock_max || !printable(info.clock))
		return bad("clock name '" + one_line(info.clock) + "' (1 to " +
			   num(capture_clock_max) + " printable characters)");
	if (info.module_version.size() > capture_module_version_max ||
	    !printable(info.module_version))
		return bad("module version '" + one_line(info.module_version) + "' (at most " +
			   num(capture_module_version_max) + " printable characters)");
	return {};
}

// ---- writer -----------------------------------------------------------------

CaptureWriter::CaptureWriter(int fd, bool own, std::string name, CaptureInfo info)
	: fd_(fd), own_(own), name_(std::move(name)), info_(std::move(info))
{
}

CaptureWriter::CaptureWriter(CaptureWriter &&other) noexcept
	: fd_(std::exchange(other.fd_, -1)), own_(std::exchange(other.own_, false)),
	  finished_(other.finished_), failed_(other.failed_), name_(std::move(other.name_)),
	  info_(std::move(other.info_)), buf_(std::move(other.buf_)), written_(other.written_)
{
}

CaptureWriter::~CaptureWriter()
{
	if (own_ && fd_ >= 0) {
		if (!finished_ && !failed_)
			(void)write_all(fd_, buf_, name_);	// keep what was captured
		::close(fd_);
	}
}

Result<CaptureWriter> CaptureWriter::create(const std::string &path, const CaptureInfo &info)
{
	if (auto r = validate_capture_info(info); !r)
		return r.error();
	const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return Error{errno, "cannot create capture file " + path + ": " + errno_text(errno)};
	CaptureWriter w(fd, true, path, info);
	if (auto r = w.start(); !r)
		return r.error();
	return w;
}

Result<CaptureWriter> CaptureWriter::to_fd(int fd, const CaptureInfo &info, std::string name)
{
	if (auto r = validate_capture_info(info); !r)
		return r.error();
	CaptureWriter w(fd, false, std::move(name), info);
	if (auto r = w.start(); !r)
		return r.error();
	return w;
}

Result<void> CaptureWriter::start()
{
	const std::vector<std::byte> formats = info_.formats.serialize();
	if (formats.size() > header_size_max - capture_header_fixed_size)
		return Error{EINVAL, "event format table too large for a capture file (" +
					     num(formats.size()) + " bytes)"};
	const std::uint64_t header_size = align8(capture_header_fixed_size + formats.size());

	ByteSink h;
	h.bytes(std::as_bytes(std::span(capture_magic)));
	h.put(byte_order_mark).put(capture_version);
	h.put(static_cast<std::uint32_t>(header_size)).put(std::uint32_t{0});
	h.put(info_.page_size).put(info_.nr_cpus).put(info_.subbuf_size);
	h.put(info_.abi_major).put(info_.abi_minor);
	h.put(static_cast<std::uint32_t>(formats.size()));
	h.put(info_.clock_local_ns).put(info_.clock_mono_ns);
	h.fixed_string(info_.clock, clock_field);
	h.fixed_string(info_.module_version, module_version_field);
	h.bytes(formats);
	h.zeros(header_size - h.size());
	buf_ = std::move(h.data());
	return flush();
}

Result<void> CaptureWriter::usable() const
{
	if (finished_)
		return Error{EINVAL, "capture file " + name_ + " is already finished"};
	if (failed_)
		return Error{EIO, "capture file " + name_ + " is incomplete: an earlier write failed"};
	return {};
}

Result<void> CaptureWriter::flush()
{
	if (failed_)
		return usable();
	if (buf_.empty())
		return {};
	if (auto r = write_all(fd_, buf_, name_); !r) {
		failed_ = true;
		return r;
	}
	written_ += buf_.size();
	buf_.clear();
	return {};
}

Result<void> CaptureWriter::chunk(ChunkType type, std::uint32_t cpu,
				  std::span<const std::byte> payload)
{
	if (auto r = usable(); !r)
		return r;
	ByteSink h;
	h.put(static_cast<std::uint32_t>(type)).put(cpu);
	h.put(static_cast<std::uint32_t>(payload.size())).put(std::uint32_t{0});
	buf_.insert(buf_.end(), h.data().begin(), h.data().end());
	buf_.insert(buf_.end(), payload.begin(), payload.end());
	buf_.resize(align8(buf_.size()), std::byte{0});
	if (buf_.size() >= write_buffer_size)
		return flush();
	return {};
}

namespace {

// How much of @subbuf a SUBBUF chunk keeps: the header and the committed
// records when the rest is exactly the PADDING record read_subbuf() writes
// back; otherwise all of it, so that the decoder still sees what was wrong.
std::size_t stored_subbuf_bytes(std::span<const std::byte> subbuf)
{
	if (subbuf.size() < subbuf_hdr_min_size)
		return subbuf.size();
	const std::uint32_t size = load<std::uint32_t>(subbuf, 0);
	const std::uint32_t commit = load<std::uint32_t>(subbuf, 24);
	if (size < subbuf_hdr_min_size || size % 4 != 0 || commit % 4 != 0 ||
	    std::uint64_t{size} + commit > subbuf.size())
		return subbuf.size();
	const std::size_t used = std::size_t{size} + commit;
	const std::size_t rest = subbuf.size() - used;
	if (rest >= 4 && load<std::uint32_t>(subbuf, used) !=
				 KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING, 0U))
		return subbuf.size();
	if (rest >= 8 && load<std::uint32_t>(subbuf, used + 4) != rest)
		return subbuf.size();
	return used;
}

} // namespace

Result<void> CaptureWriter::write_subbuf(std::uint32_t cpu, std::span<const std::byte> subbuf)
{
	if (cpu >= info_.nr_cpus)
		return Error{EINVAL, "capture file " + name_ + ": CPU " + num(cpu) +
					     " is out of range (" + num(info_.nr_cpus) + " CPUs)"};
	if (subbuf.size() != info_.subbuf_size)
		return Error{EINVAL, "capture file " + name_ + ": a sub-buffer of " +
					     num(subbuf.size()) + " bytes, expected " +
					     num(info_.subbuf_size)};
	return chunk(ChunkType::Subbuf, cpu, subbuf.first(stored_subbuf_bytes(subbuf)));
}

Result<void> CaptureWriter::write_stats(const CaptureCpuStats &stats)
{
	if (stats.cpu >= info_.nr_cpus)
		return Error{EINVAL, "capture file " + name_ + ": statistics of CPU " +
					     num(stats.cpu) + ", out of range (" +
					     num(info_.nr_cpus) + " CPUs)"};
	// A kernel part whose size is 0 means "no kernel statistics".
	const bool have_kernel = stats.kernel.size != 0;
	if (have_kernel && stats.kernel.cpu != stats.cpu)
		return Error{EINVAL, "capture file " + name_ + ": kernel statistics of CPU " +
					     num(stats.kernel.cpu) + " given for CPU " +
					     num(stats.cpu)};
	ktr_rb_cpu_stats kernel = stats.kernel;
	kernel.size = sizeof(kernel);
	const std::uint32_t kernel_size = have_kernel ? sizeof(kernel) : 0;

	ByteSink p;
	p.put(kernel_size).put(reader_stats_size);
	if (have_kernel)
		p.bytes(std::as_bytes(std::span(&kernel, 1)));
	p.put(stats.subbufs).put(stats.events).put(stats.bytes).put(stats.lost);
	return chunk(ChunkType::Stats, stats.cpu, p.data());
}

Result<void> CaptureWriter::finish()
{
	if (auto r = chunk(ChunkType::End, 0, {}); !r)
		return r;
	if (auto r = flush(); !r)
		return r;
	finished_ = true;
	if (own_) {
		own_ = false;
		if (::close(std::exchange(fd_, -1)) != 0)
			return Error{errno, "cannot write capture file " + name_ + ": " +
						    errno_text(errno)};
	}
	return {};
}

// ---- reader -----------------------------------------------------------------

CaptureReader::CaptureReader(int fd, std::string name, std::uint64_t size)
	: fd_(fd), name_(std::move(name)), size_(size)
{
}

CaptureReader::CaptureReader(CaptureReader &&other) noexcept
	: fd_(std::exchange(other.fd_, -1)), name_(std::move(other.name_)), size_(other.size_),
	  pos_(other.pos_), ended_(other.ended_), info_(std::move(other.info_))
{
}

CaptureReader::~CaptureReader()
{
	if (fd_ >= 0)
		::close(fd_);
}

Error CaptureReader::corrupt(std::uint64_t offset, const std::string &what) const
{
	return {EPROTO, name_ + ": corrupt capture file at offset " + num(offset) + ": " + what};
}

Error CaptureReader::truncated(std::uint64_t offset, const std::string &what) const
{
	return {EPROTO, name_ + ": file is truncated at offset " + num(offset) + " (" + what + ")"};
}

Result<void> CaptureReader::read_at(std::uint64_t offset, std::span<std::byte> out,
				    const char *what) const
{
	std::size_t done = 0;
	while (done < out.size()) {
		const ssize_t n = ::pread(fd_, out.data() + done, out.size() - done,
					  static_cast<off_t>(offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return Error{errno, "cannot read " + name_ + ": " + errno_text(errno)};
		if (n == 0)
			return truncated(offset + done, std::string("the file shrank while reading ") +
								what);
		done += static_cast<std::size_t>(n);
	}
	return {};
}

Result<CaptureReader> CaptureReader::open(const std::string &path)
{
	const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return Error{errno, "cannot open " + path + ": " + errno_text(errno)};
	struct stat st {};
	if (::fstat(fd, &st) != 0) {
		const int e = errno;
		::close(fd);
		return Error{e, "cannot open " + path + ": " + errno_text(e)};
	}
	if (!S_ISREG(st.st_mode)) {
		::close(fd);
		return Error{EINVAL, path + " is not a regular file (a capture file is needed)"};
	}
	CaptureReader r(fd, path, static_cast<std::uint64_t>(st.st_size));
	if (auto h = r.read_header(); !h)
		return h.error();
	return r;
}

Result<void> CaptureReader::read_header()
{
	std::vector<std::byte> fixed(std::min<std::uint64_t>(size_, capture_header_fixed_size));
	if (auto r = read_at(0, fixed, "the file header"); !r)
		return r;
	const std::span<const std::byte> magic = std::as_bytes(std::span(capture_magic));
	if (size_ == 0)
		return Error{EPROTO, name_ + " is empty: not a ktr capture file"};
	if (!std::equal(fixed.begin(), fixed.begin() + static_cast<std::ptrdiff_t>(
							       std::min(fixed.size(), magic.size())),
			magic.begin()))
		return Error{EPROTO, name_ + " is not a ktr capture file (wrong magic bytes)"};
	if (size_ < off_version + 4)
		return truncated(size_, "inside the file header");

	const auto order = load<std::uint32_t>(fixed, off_byte_order);
	const char *host = std::endian::native == std::endian::little ? "little" : "big";
	const char *other = std::endian::native == std::endian::little ? "big" : "little";
	if (order == byte_order_swapped)
		return Error{EPROTO, name_ + " was written on a " + std::string(other) +
					     "-endian machine; this ktr reads " + host +
					     "-endian capture files only (read it on a " + other +
					     "-endian machine)"};
	if (order != byte_order_mark)
		return corrupt(off_byte_order, "invalid byte-order mark " + num(order));
	const auto version = load<std::uint32_t>(fixed, off_version);
	if (version == 0)
		return corrupt(off_version, "format version 0");
	if (version > capture_version)
		return Error{EPROTO, name_ + " is a version " + num(version) +
					     " capture file; this ktr reads version " +
					     num(capture_version) + " only: use a newer ktr"};
	if (size_ < capture_header_fixed_size)
		return truncated(size_, "inside the " + num(capture_header_fixed_size) +
						"-byte file header");

	const auto header_size = load<std::uint32_t>(fixed, off_header_size);
	const auto flags = load<std::uint32_t>(fixed, off_flags);
	const auto formats_size = load<std::uint32_t>(fixed, off_formats_size);
	if (flags != 0)
		return corrupt(off_flags, "unknown header flags " + num(flags));
	if (header_size > header_size_max || formats_size > header_size_max)
		return corrupt(off_header_size, "absurd header size " + num(header_size) +
							" (format table " + num(formats_size) + " bytes)");
	if (header_size % 8 != 0 || header_size < align8(capture_header_fixed_size + formats_size))
		return corrupt(off_header_size, "header size " + num(header_size) +
							" does not hold the " + num(formats_size) +
							"-byte format table");
	if (header_size > size_)
		return truncated(size_, "inside the " + num(header_size) + "-byte file header");

	info_.page_size = load<std::uint32_t>(fixed, off_page_size);
	info_.nr_cpus = load<std::uint32_t>(fixed, off_nr_cpus);
	info_.subbuf_size = load<std::uint32_t>(fixed, off_subbuf_size);
	info_.abi_major = load<std::uint32_t>(fixed, off_abi_major);
	info_.abi_minor = load<std::uint32_t>(fixed, off_abi_minor);
	info_.clock_local_ns = load<std::uint64_t>(fixed, off_clock_local);
	info_.clock_mono_ns = load<std::uint64_t>(fixed, off_clock_mono);
	const auto clock = fixed_string(std::span(fixed).subspan(off_clock, clock_field));
	if (!clock)
		return corrupt(off_clock, "clock name not NUL-terminated");
	info_.clock = *clock;
	const auto module =
		fixed_string(std::span(fixed).subspan(off_module_version, module_version_field));
	if (!module)
		return corrupt(off_module_version, "module version not NUL-terminated");
	info_.module_version = *module;
	if (auto r = validate_capture_info(info_); !r)
		return corrupt(0, r.error().message());

	std::vector<std::byte> formats(formats_size);
	if (auto r = read_at(capture_header_fixed_size, formats, "the format table"); !r)
		return r;
	Result<FormatTable> table = FormatTable::parse(formats);
	if (!table)
		return corrupt(capture_header_fixed_size, table.error().message());
	info_.formats = std::move(*table);
	pos_ = header_size;
	return {};
}

Result<std::optional<ChunkRef>> CaptureReader::next()
{
	if (ended_)
		return std::optional<ChunkRef>{};
	if (pos_ == size_)
		return truncated(pos_, "no END chunk: the capture did not finish");
	if (size_ - pos_ < capture_chunk_header_size)
		return truncated(pos_, "inside a chunk header");

	std::byte h[capture_chunk_header_size];
	if (auto r = read_at(pos_, h, "a chunk header"); !r)
		return r.error();
	ChunkRef ref;
	const auto type = load<std::uint32_t>(h, 0);
	ref.cpu = load<std::uint32_t>(h, 4);
	ref.length = load<std::uint32_t>(h, 8);
	const auto reserved = load<std::uint32_t>(h, 12);
	ref.offset = pos_;
	if (type < static_cast<std::uint32_t>(ChunkType::Subbuf) ||
	    type > static_cast<std::uint32_t>(ChunkType::End))
		return corrupt(pos_, "unknown chunk type " + num(type));
	ref.type = static_cast<ChunkType>(type);
	const std::string what = std::string(type_name(ref.type)) + " chunk";
	if (reserved != 0)
		return corrupt(pos_, what + " with a non-zero reserved word");
	if (ref.length > chunk_max)
		return corrupt(pos_, what + " claims " + num(ref.length) +
					     " bytes, more than any chunk holds (" + num(chunk_max) + ")");
	if (ref.type != ChunkType::End && ref.cpu >= info_.nr_cpus)
		return corrupt(pos_, what + " of CPU " + num(ref.cpu) + ", but the capture has " +
					     num(info_.nr_cpus) + " CPUs");
	switch (ref.type) {
	case ChunkType::Subbuf:
		if (ref.length < subbuf_hdr_min_size || ref.length > info_.subbuf_size ||
		    ref.length % 4 != 0)
			return corrupt(pos_, what + " of " + num(ref.length) +
						     " bytes (a multiple of 4 from " +
						     num(subbuf_hdr_min_size) + " to the sub-buffer size " +
						     num(info_.subbuf_size) + ")");
		break;
	case ChunkType::Stats:
		if (ref.length < 8 || ref.length > 8 + 2 * stats_part_max)
			return corrupt(pos_, what + " of " + num(ref.length) + " bytes (8 to " +
						     num(8 + 2 * stats_part_max) + ")");
		break;
	case ChunkType::End:
		if (ref.length != 0 || ref.cpu != 0)
			return corrupt(pos_, what + " with a length or CPU");
		break;
	}
	const std::uint64_t end = pos_ + capture_chunk_header_size + align8(ref.length);
	if (end > size_)
		return truncated(pos_, "the " + what + " there needs " +
					       num(end - pos_) + " bytes, the file ends " +
					       num(size_ - pos_) + " bytes after it");
	pos_ = end;
	if (ref.type == ChunkType::End) {
		ended_ = true;
		if (pos_ != size_)
			return corrupt(pos_, num(size_ - pos_) + " bytes after the END chunk");
	}
	return std::optional<ChunkRef>{ref};
}

Result<std::vector<std::byte>> CaptureReader::read_payload(const ChunkRef &ref) const
{
	if (ref.length > chunk_max || ref.offset + capture_chunk_header_size + ref.length > size_)
		return Error{EINVAL, name_ + ": no chunk of " + num(ref.length) + " bytes at offset " +
					     num(ref.offset)};
	std::vector<std::byte> data(ref.length);
	if (auto r = read_at(ref.offset + capture_chunk_header_size, data, "a chunk"); !r)
		return r.error();
	return data;
}

Result<std::vector<std::byte>> CaptureReader::read_subbuf(const ChunkRef &ref) const
{
	if (ref.type != ChunkType::Subbuf)
		return Error{EINVAL, name_ + ": the chunk at offset " + num(ref.offset) +
					     " is not a SUBBUF chunk"};
	Result<std::vector<std::byte>> data = read_payload(ref);
	if (!data)
		return data.error();
	std::vector<std::byte> sb = std::move(data).value();
	const std::size_t used = sb.size();
	if (used > info_.subbuf_size || used % 4 != 0)
		return corrupt(ref.offset, "SUBBUF chunk of " + num(used) + " bytes");
	// The PADDING record the kernel leaves after the records, as
	// uapi/ktr_ringbuf.h describes it: a lone word, or a word and the
	// length of the rest.
	sb.resize(info_.subbuf_size, std::byte{0});
	const std::size_t rest = info_.subbuf_size - used;
	if (rest >= 4) {
		const std::uint32_t word = KTR_RB_RECORD_HEADER(KTR_RB_TYPE_PADDING, 0U);
		std::memcpy(sb.data() + used, &word, 4);
	}
	if (rest >= 8) {
		const auto len = static_cast<std::uint32_t>(rest);
		std::memcpy(sb.data() + used + 4, &len, 4);
	}
	return sb;
}

Result<CaptureCpuStats> CaptureReader::read_stats(const ChunkRef &ref) const
{
	if (ref.type != ChunkType::Stats)
		return Error{EINVAL, name_ + ": the chunk at offset " + num(ref.offset) +
					     " is not a STATS chunk"};
	Result<std::vector<std::byte>> data = read_payload(ref);
	if (!data)
		return data.error();
	const std::span<const std::byte> p = *data;
	const auto kernel_size = load<std::uint32_t>(p, 0);
	const auto reader_size = load<std::uint32_t>(p, 4);
	if (kernel_size > stats_part_max || reader_size > stats_part_max ||
	    kernel_size % 8 != 0 || reader_size % 8 != 0 ||
	    std::uint64_t{8} + kernel_size + reader_size != p.size())
		return corrupt(ref.offset, "STATS chunk of " + num(p.size()) + " bytes says " +
						   num(kernel_size) + " + " + num(reader_size) +
						   " bytes of statistics");
	CaptureCpuStats st;
	st.cpu = ref.cpu;
	std::memcpy(&st.kernel, p.data() + 8, std::min<std::size_t>(kernel_size, sizeof(st.kernel)));
	if (kernel_size != 0 && (st.kernel.size != kernel_size || st.kernel.cpu != ref.cpu))
		return corrupt(ref.offset, "STATS chunk of CPU " + num(ref.cpu) +
						   " holds kernel statistics of size " +
						   num(st.kernel.size) + " for CPU " +
						   num(st.kernel.cpu));
	std::uint64_t reader[4] = {};
	std::memcpy(reader, p.data() + 8 + kernel_size,
		    std::min<std::size_t>(reader_size, sizeof(reader)));
	st.subbufs = reader[0];
	st.events = reader[1];
	st.bytes = reader[2];
	st.lost = reader[3];
	return st;
}

} // namespace ktr
