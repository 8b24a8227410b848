// SPDX-License-Identifier: MIT
#include "ktr/perfetto_sink.h"

#include <cerrno>
#include <cstring>
#include <string_view>

#include <fcntl.h>
#include <unistd.h>

#include "atrace.h"
#include "ktr/decode.h"
#include "proto_fields.h"
#include "proto_writer.h"

namespace ktr {

namespace {

using perfetto::Message;
namespace pb = perfetto::pb;

constexpr std::size_t bundle_max = 1 << 16;

const pb::EventNumbers *numbers_of(const EventFormat &f)
{
	for (const pb::EventNumbers &e : pb::events)
		if (f.system == e.system && f.name == e.name)
			return &e;
	return nullptr;
}

std::string text_of(const std::string &s)
{
	return s.substr(0, s.find('\0'));
}

// Integer fields of @f in @payload by name, for the thread names.
std::optional<std::int64_t> int_field(const EventFormat &f, std::string_view name,
				      std::span<const std::byte> payload)
{
	const FieldFormat *field = f.field(name);
	if (!field || field->type != FieldType::Int)
		return std::nullopt;
	Result<FieldValue> v = field_value(f, *field, payload);
	if (!v)
		return std::nullopt;
	if (const auto *i = std::get_if<std::int64_t>(&*v))
		return *i;
	return static_cast<std::int64_t>(std::get<std::uint64_t>(*v));
}

} // namespace

struct PerfettoSink::Bundle {
	Message events;
	bool lost = false;
};

PerfettoSink::PerfettoSink(std::string path) : path_(std::move(path)) {}

PerfettoSink::~PerfettoSink()
{
	if (fd_ >= 0)
		::close(fd_);
}

Result<void> PerfettoSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd_ < 0)
		return Error{errno, "cannot create " + path_ + ": " + std::strerror(errno)};
	formats_ = info.formats;
	clock_ = ClockMap{info.clock_local_ns, info.clock_mono_ns};
	return {};
}

Result<void> PerfettoSink::write_packet(const std::string &packet)
{
	Message trace;
	trace.bytes(pb::trace_packet, packet);
	const std::string &d = trace.data();
	std::size_t off = 0;
	while (off < d.size()) {
		const ssize_t n = ::write(fd_, d.data() + off, d.size() - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return Error{errno, "cannot write " + path_ + ": " + std::strerror(errno)};
		off += static_cast<std::size_t>(n);
	}
	return {};
}

Result<void> PerfettoSink::write_bundle(std::uint32_t cpu, Bundle &b)
{
	if (b.events.size() == 0 && !b.lost)
		return {};
	Message bundle;
	bundle.varint(pb::bundle_cpu, cpu);
	if (b.lost)
		bundle.varint(pb::bundle_lost_events, 1);
	// The bundle: cpu and lost_events, then the events.
	Message packet;
	packet.bytes(pb::packet_ftrace_events, bundle.data() + b.events.data());
	packet.varint(pb::packet_sequence_id, 1);
	b.events.clear();
	b.lost = false;
	return write_packet(packet.data());
}

Result<void> PerfettoSink::event(const MergedEvent &ev)
{
	Result<EventView> view = decode_event(ev.payload);
	if (!view)
		return view.error();
	const EventFormat *format = formats_.find(view->id);
	if (!format)
		return Error{EPROTO, "CPU " + std::to_string(ev.cpu) + ": event id " +
					     std::to_string(view->id) + " is not in the format table"};
	const std::uint64_t ts = clock_.to_mono(ev.ts);
	last_ts_ = ts;
	const pb::EventNumbers *nums = numbers_of(*format);
	if (!nums) {
		skipped_++;
		return {};
	}
	Message fields;
	for (const pb::FieldNumber &fn : nums->fields) {
		if (!fn.ktr)
			break;
		const FieldFormat *field = format->field(fn.ktr);
		if (!field)
			continue;
		Result<FieldValue> v = field_value(*format, *field, ev.payload);
		if (!v)
			return v.error();
		if (const auto *i = std::get_if<std::int64_t>(&*v))
			fields.sint(fn.number, *i);
		else if (const auto *u = std::get_if<std::uint64_t>(&*v))
			fields.varint(fn.number, *u);
		else if (const auto *s = std::get_if<std::string>(&*v))
			fields.bytes(fn.number, text_of(*s));
	}
	// Thread names: every "<x>comm" with its "<x>pid".
	for (const FieldFormat &f : format->fields) {
		if (f.type != FieldType::CharArray || !f.name.ends_with("comm"))
			continue;
		const std::string prefix = f.name.substr(0, f.name.size() - 4);
		std::optional<std::int64_t> pid = int_field(*format, prefix + "pid", ev.payload);
		if (!pid && prefix.empty())
			pid = view->pid;
		Result<FieldValue> v = field_value(*format, f, ev.payload);
		if (pid && *pid > 0 && v && std::holds_alternative<std::string>(*v))
			comms_[static_cast<std::int32_t>(*pid)] = text_of(std::get<std::string>(*v));
	}
	const FieldFormat *text_field = format->field("text");
	if (nums->event != pb::event_print || !text_field)
		return add_event(ev.cpu, ts, view->pid, nums->event, fields.data());
	// A marker: print events in the atrace form Perfetto draws (atrace.h).
	Result<FieldValue> text = field_value(*format, *text_field, ev.payload);
	if (!text)
		return text.error();
	const auto *str = std::get_if<std::string>(&*text);
	const std::int32_t tgid =
		static_cast<std::int32_t>(int_field(*format, "tgid", ev.payload).value_or(view->pid));
	for (const std::string &buf : perfetto::marker_prints(str ? text_of(*str) : "", tgid)) {
		Message print;
		print.bytes(pb::print_buf, buf);
		if (Result<void> r = add_event(ev.cpu, ts, view->pid, pb::event_print, print.data()); !r)
			return r;
	}
	return {};
}

Result<void> PerfettoSink::add_event(std::uint32_t cpu, std::uint64_t ts, std::int32_t pid,
				     std::uint32_t event, const std::string &fields)
{
	Message e;
	e.varint(pb::event_timestamp, ts);
	e.varint(pb::event_pid, static_cast<std::uint32_t>(pid));
	e.bytes(event, fields);	// an embedded message: its encoded bytes
	auto &b = bundles_[cpu];
	if (!b)
		b = std::make_unique<Bundle>();
	b->events.message(pb::bundle_event, e);
	if (b->events.size() >= bundle_max) {
		if (Result<void> r = write_bundle(cpu, *b); !r) {
			failed_ = r.error();
			return r;
		}
	}
	return {};
}

void PerfettoSink::lost(const MergedLost &lost)
{
	auto &b = bundles_[lost.cpu];
	if (!b)
		b = std::make_unique<Bundle>();
	if (Result<void> r = write_bundle(lost.cpu, *b); !r)
		failed_ = r.error();
	b->lost = true;
}

Result<void> PerfettoSink::flush()
{
	if (failed_)
		return *failed_;
	return {};
}

Result<void> PerfettoSink::end(const std::vector<ReadStats> &)
{
	if (failed_)
		return *failed_;
	if (fd_ < 0)
		return Error{EINVAL, "the Perfetto sink was not started"};
	for (auto &[cpu, b] : bundles_)
		if (Result<void> r = write_bundle(cpu, *b); !r)
			return r;
	if (!comms_.empty()) {
		Message tree;
		for (const auto &[tid, name] : comms_) {
			Message t;
			t.sint(pb::thread_tid, tid).bytes(pb::thread_name, name);
			tree.message(pb::tree_threads, t);
		}
		Message packet;
		packet.message(pb::packet_process_tree, tree);
		packet.varint(pb::packet_timestamp, last_ts_);
		packet.varint(pb::packet_sequence_id, 1);
		if (Result<void> r = write_packet(packet.data()); !r)
			return r;
	}
	const int fd = fd_;
	fd_ = -1;
	if (::close(fd) != 0)
		return Error{errno, "cannot write " + path_ + ": " + std::strerror(errno)};
	return {};
}

} // namespace ktr
