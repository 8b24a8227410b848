// SPDX-License-Identifier: MIT
//
// Capture files (.ktr): a self-describing binary file holding the raw
// sub-buffers a reader received, the event formats needed to decode them,
// the clock mapping and the final per-CPU statistics. docs/capture-format.md
// describes the layout.
//
//	auto w = CaptureWriter::create("trace.ktr", info);
//	w->write_subbuf(cpu, subbuf);	// as often as needed
//	w->write_stats(stats);		// per CPU, at the end
//	w->finish();			// END chunk
//
//	auto r = CaptureReader::open("trace.ktr");
//	while (auto chunk = r->next(); chunk && *chunk)
//		... r->read_payload(**chunk) ...
//
// The reader trusts nothing in the file: every length is checked against
// the file size and sane limits before anything is allocated or read, and
// every error names the file and the byte offset.
#ifndef KTR_CAPTURE_H
#define KTR_CAPTURE_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <ktr_ringbuf.h>

#include "ktr/event_format.h"
#include "ktr/result.h"

namespace ktr {

/// Version of the capture format this ktr writes and reads.
inline constexpr std::uint32_t capture_version = 1;
/// The first 8 bytes of every capture file.
inline constexpr char capture_magic[8] = {'\x89', 'K', 'T', 'R', '\r', '\n', '\x1a', '\n'};
/// Bytes of the fixed part of the file header.
inline constexpr std::uint32_t capture_header_fixed_size = 128;
/// Bytes of a chunk header.
inline constexpr std::uint32_t capture_chunk_header_size = 16;
/// Longest clock name and module version string (a NUL follows in the file).
inline constexpr std::size_t capture_clock_max = 15;
inline constexpr std::size_t capture_module_version_max = 47;

/// What the file header says.
struct CaptureInfo {
	std::uint32_t page_size = 0;
	std::uint32_t nr_cpus = 0;	// chunks name CPUs 0 .. nr_cpus - 1
	std::uint32_t subbuf_size = 0;
	std::uint32_t abi_major = 0;	// of the module that wrote the data
	std::uint32_t abi_minor = 0;
	std::string module_version;
	std::string clock = "local";	// the clock of the record timestamps
	std::uint64_t clock_local_ns = 0;	// a (clock, CLOCK_MONOTONIC) pair
	std::uint64_t clock_mono_ns = 0;
	FormatTable formats;

	bool operator==(const CaptureInfo &) const = default;
};

/// Checks what a header must hold (EINVAL): page size a power of two in
/// 4 KiB..1 MiB, 1..65536 CPUs, sub-buffer size a power of two within
/// KTR_SUBBUF_SIZE_MIN..MAX, clock name and module version short and
/// printable (the clock name not empty).
Result<void> validate_capture_info(const CaptureInfo &info);

enum class ChunkType : std::uint32_t {
	Subbuf = 1,	// one raw sub-buffer of a CPU, subbuf_size bytes
	Stats = 2,	// the final statistics of a CPU
	End = 3,	// the capture finished; nothing follows
};

/// Final statistics of one CPU.
struct CaptureCpuStats {
	std::uint32_t cpu = 0;
	struct ktr_rb_cpu_stats kernel {};	// as the module reported them
	// What the reader wrote to the file for this CPU.
	std::uint64_t subbufs = 0;
	std::uint64_t events = 0;
	std::uint64_t bytes = 0;	// record bytes (sum of hdr.commit)
	std::uint64_t lost = 0;		// sum of the sub-buffers' lost counts
};

class CaptureWriter {
public:
	/// Create (or truncate) @path, mode 0644, and write the header.
	static Result<CaptureWriter> create(const std::string &path, const CaptureInfo &info);
	/// Write to @fd, which stays open and the caller's; @name is for messages.
	static Result<CaptureWriter> to_fd(int fd, const CaptureInfo &info, std::string name);

	CaptureWriter(CaptureWriter &&other) noexcept;
	CaptureWriter &operator=(CaptureWriter &&) = delete;
	CaptureWriter(const CaptureWriter &) = delete;
	CaptureWriter &operator=(const CaptureWriter &) = delete;
	/// Closes a file of its own; without finish() the file has no END
	/// chunk, so a reader sees it as truncated.
	~CaptureWriter();

	/// A SUBBUF chunk from @subbuf as read (subbuf_size bytes): its header
	/// and committed records are stored, the padding after them is not.
	Result<void> write_subbuf(std::uint32_t cpu, std::span<const std::byte> subbuf);
	/// A STATS chunk for stats.cpu.
	Result<void> write_stats(const CaptureCpuStats &stats);
	/// Write out what is buffered.
	Result<void> flush();
	/// The END chunk, then flush (and close a file of its own).
	Result<void> finish();

	[[nodiscard]] const CaptureInfo &info() const noexcept { return info_; }
	/// Bytes of the file so far, buffered ones included.
	[[nodiscard]] std::uint64_t size() const noexcept { return written_ + buf_.size(); }

private:
	CaptureWriter(int fd, bool own, std::string name, CaptureInfo info);
	Result<void> start();
	Result<void> chunk(ChunkType type, std::uint32_t cpu, std::span<const std::byte> payload);
	Result<void> usable() const;

	int fd_ = -1;
	bool own_ = false;
	bool finished_ = false;
	bool failed_ = false;
	std::string name_;
	CaptureInfo info_;
	std::vector<std::byte> buf_;
	std::uint64_t written_ = 0;
};

/// Where a chunk is in the file.
struct ChunkRef {
	ChunkType type = ChunkType::End;
	std::uint32_t cpu = 0;
	std::uint32_t length = 0;	// bytes of payload
	std::uint64_t offset = 0;	// of the chunk header
};

class CaptureReader {
public:
	/// Open @path (a regular file) and read and check its header. Errors:
	/// not a ktr capture file, other byte order, newer version, truncated
	/// or corrupt header (EPROTO), or the errno of open/read.
	static Result<CaptureReader> open(const std::string &path);

	CaptureReader(CaptureReader &&other) noexcept;
	CaptureReader &operator=(CaptureReader &&) = delete;
	CaptureReader(const CaptureReader &) = delete;
	CaptureReader &operator=(const CaptureReader &) = delete;
	~CaptureReader();

	[[nodiscard]] const CaptureInfo &info() const noexcept { return info_; }
	[[nodiscard]] std::uint64_t file_size() const noexcept { return size_; }

	/// The next chunk in file order, its header checked (type, CPU, length
	/// against the type, the limits and the file size); its payload is not
	/// read. std::nullopt after the END chunk. A file that stops before END
	/// is an error saying it is truncated at which offset; the chunks before
	/// stay readable.
	Result<std::optional<ChunkRef>> next();

	/// The payload of @ref (a chunk next() returned).
	Result<std::vector<std::byte>> read_payload(const ChunkRef &ref) const;
	/// The sub-buffer of a SUBBUF chunk, subbuf_size bytes: the header and
	/// records stored, then the PADDING record the kernel had after them.
	Result<std::vector<std::byte>> read_subbuf(const ChunkRef &ref) const;
	/// The payload of a STATS chunk, checked.
	Result<CaptureCpuStats> read_stats(const ChunkRef &ref) const;

private:
	CaptureReader(int fd, std::string name, std::uint64_t size);
	Result<void> read_header();
	Result<void> read_at(std::uint64_t offset, std::span<std::byte> out, const char *what) const;
	[[nodiscard]] Error corrupt(std::uint64_t offset, const std::string &what) const;
	[[nodiscard]] Error truncated(std::uint64_t offset, const std::string &what) const;

	int fd_ = -1;
	std::string name_;
	std::uint64_t size_ = 0;
	std::uint64_t pos_ = 0;	// next chunk header
	bool ended_ = false;
	CaptureInfo info_;
};

} // namespace ktr

#endif // KTR_CAPTURE_H
