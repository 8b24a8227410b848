// SPDX-License-Identifier: MIT
#include "ktr/ctf_sink.h"

#include <cerrno>
#include <cstring>
#include <random>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctf_layout.h"
#include "ctf_packet.h"
#include "ktr/decode.h"
#include "ktr/version.h"
#include "tsdl.h"

namespace ktr {

namespace {

Error sys_error(int err, const std::string &what)
{
	return {err, what + ": " + std::strerror(err)};
}

Result<void> write_all(int fd, std::span<const std::byte> bytes, const std::string &name)
{
	std::size_t off = 0;
	while (off < bytes.size()) {
		const ssize_t n = ::write(fd, bytes.data() + off, bytes.size() - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return sys_error(errno, "cannot write " + name);
		off += static_cast<std::size_t>(n);
	}
	return {};
}

Result<int> create_file(const std::string &path)
{
	const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return sys_error(errno, "cannot create " + path);
	return fd;
}

// Create @dir, or accept an empty one.
Result<void> make_dir(const std::string &dir)
{
	if (::mkdir(dir.c_str(), 0755) == 0)
		return {};
	if (errno != EEXIST)
		return sys_error(errno, "cannot create the directory " + dir);
	DIR *d = ::opendir(dir.c_str());
	if (!d)
		return sys_error(errno, "cannot open " + dir);
	bool empty = true;
	while (const dirent *e = ::readdir(d)) {
		if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0) {
			empty = false;
			break;
		}
	}
	::closedir(d);
	if (!empty)
		return Error{EEXIST, dir + " is not empty: a CTF trace needs a directory of its own"};
	return {};
}

std::string this_hostname()
{
	char buf[256] = {};
	if (::gethostname(buf, sizeof(buf) - 1) != 0)
		return "unknown";
	return buf;
}

std::array<std::uint8_t, 16> random_uuid()
{
	std::random_device rd;
	std::array<std::uint8_t, 16> u{};
	for (std::uint8_t &b : u)
		b = static_cast<std::uint8_t>(rd());
	u[6] = static_cast<std::uint8_t>((u[6] & 0x0f) | 0x40);	// version 4
	u[8] = static_cast<std::uint8_t>((u[8] & 0x3f) | 0x80);	// RFC 4122 variant
	return u;
}

} // namespace

struct CtfSink::Stream {
	std::string path;
	int fd = -1;
	std::unique_ptr<ctf::PacketWriter> writer;

	~Stream()
	{
		if (fd >= 0)
			::close(fd);
	}
};

CtfSink::CtfSink(std::string dir, CtfOptions opt) : dir_(std::move(dir)), opt_(std::move(opt)) {}

CtfSink::~CtfSink() = default;

Result<void> CtfSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	if (Result<void> r = make_dir(dir_); !r)
		return r;
	info_ = info;
	clock_ = ClockMap{info.clock_local_ns, info.clock_mono_ns};
	uuid_ = opt_.uuid ? *opt_.uuid : random_uuid();
	if (opt_.hostname.empty())
		opt_.hostname = this_hostname();
	layout_ = std::make_unique<ctf::Layout>(info.formats);
	return {};
}

Result<CtfSink::Stream *> CtfSink::stream(std::uint32_t cpu)
{
	if (auto it = streams_.find(cpu); it != streams_.end())
		return it->second.get();
	auto s = std::make_unique<Stream>();
	s->path = dir_ + "/channel0_" + std::to_string(cpu);
	Result<int> fd = create_file(s->path);
	if (!fd)
		return fd.error();
	s->fd = *fd;
	Stream *raw = s.get();
	s->writer = std::make_unique<ctf::PacketWriter>(
		cpu, uuid_, opt_.packet_max,
		[raw](std::span<const std::byte> packet) {
			return write_all(raw->fd, packet, raw->path);
		});
	streams_.emplace(cpu, std::move(s));
	return raw;
}

Result<void> CtfSink::event(const MergedEvent &ev)
{
	Result<EventView> view = decode_event(ev.payload);
	if (!view)
		return view.error();
	const EventFormat *format = layout_->formats().find(view->id);
	if (!format)
		return Error{EPROTO, "CPU " + std::to_string(ev.cpu) + ": event id " +
					     std::to_string(view->id) + " is not in the format table"};
	const ctf::EventClass &cls = layout_->classify(*format, ev.payload);
	body_.clear();
	const std::int32_t tid = view->pid;
	const auto *tp = reinterpret_cast<const std::byte *>(&tid);
	body_.insert(body_.end(), tp, tp + sizeof(tid));
	if (Result<void> r = layout_->encode(cls, ev.payload, body_); !r)
		return r;
	Result<Stream *> s = stream(ev.cpu);
	if (!s) {
		failed_ = s.error();
		return s.error();
	}
	if (Result<void> r = (*s)->writer->event(cls.id, clock_.to_mono(ev.ts), body_); !r) {
		failed_ = r.error();
		return r;
	}
	return {};
}

void CtfSink::lost(const MergedLost &lost)
{
	Result<Stream *> s = stream(lost.cpu);
	if (!s) {
		failed_ = s.error();
		return;
	}
	if (Result<void> r = (*s)->writer->lost(clock_.to_mono(lost.ts), lost.count); !r)
		failed_ = r.error();
}

Result<void> CtfSink::flush()
{
	if (failed_)
		return *failed_;
	return {};
}

Result<void> CtfSink::write_metadata()
{
	const ctf::Env env{opt_.hostname, info_.module_version, info_.abi_major, info_.abi_minor,
			   std::string(tool_version)};
	const std::string text = ctf::tsdl(*layout_, uuid_, env);
	const std::string path = dir_ + "/metadata";
	Result<int> fd = create_file(path);
	if (!fd)
		return fd.error();
	Result<void> r = write_all(*fd, std::as_bytes(std::span(text)), path);
	if (::close(*fd) != 0 && r)
		r = sys_error(errno, "cannot write " + path);
	return r;
}

Result<void> CtfSink::end(const std::vector<ReadStats> &)
{
	if (failed_)
		return *failed_;
	if (!layout_)
		return Error{EINVAL, "the CTF sink was not started"};
	for (auto &[cpu, s] : streams_) {
		if (Result<void> r = s->writer->finish(); !r)
			return r;
		if (::close(s->fd) != 0) {
			s->fd = -1;
			return sys_error(errno, "cannot write " + s->path);
		}
		s->fd = -1;
	}
	return write_metadata();
}

} // namespace ktr
