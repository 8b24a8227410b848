// SPDX-License-Identifier: MIT
#include "ktr/folded_sink.h"

#include <algorithm>
#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include <ktr_event.h>

namespace ktr {

namespace {

std::string hex(std::uint64_t addr)
{
	char buf[24];
	std::snprintf(buf, sizeof(buf), "0x%" PRIx64, addr);
	return buf;
}

std::uint64_t as_u64(const FieldValue &v)
{
	if (const auto *u = std::get_if<std::uint64_t>(&v))
		return *u;
	if (const auto *s = std::get_if<std::int64_t>(&v))
		return static_cast<std::uint64_t>(*s);
	return 0;
}

Result<void> need_field(const EventFormat &ev, const char *name, FieldType type,
			const FieldFormat *&to)
{
	to = ev.field(name);
	if (!to || to->type != type)
		return Error{EPROTO, "event " + ev.system + ":" + ev.name + " has no field '" +
					     name + "' of the expected type (a trace of another ktr?)"};
	return {};
}

} // namespace

std::string kernel_frame(const Symbolizer &ksym, std::uint64_t addr)
{
	std::string sym = ksym ? ksym(addr) : "";
	if (sym.empty())
		return hex(addr);
	// "name+0xoff" or "name+0xoff [module]": drop the offset.
	const std::size_t plus = sym.find('+');
	if (plus == std::string::npos)
		return sym;
	const std::size_t end = sym.find(' ', plus);
	return sym.substr(0, plus) + (end == std::string::npos ? "" : sym.substr(end));
}

std::vector<std::string> sample_frames(const ProfileSample &s, const Symbolizer &ksym,
				       const UserSymbolizer &usym)
{
	std::vector<std::string> frames;
	frames.push_back(s.comm.empty() ? "[unknown]" : s.comm);
	for (std::size_t i = s.ustack.size(); i-- > 0;) {
		// A return address may lie just past its function (a call as
		// its last instruction): name the call, one byte before.
		const std::uint64_t at = i == 0 ? s.ustack[i] : s.ustack[i] - 1;
		std::string name = usym ? usym(s.tgid, s.comm, at) : "";
		frames.push_back(name.empty() ? hex(s.ustack[i]) : name);
	}
	if (!s.user && s.kstack) {
		// The timer interrupt's own frames come first: cut at the ip.
		const std::vector<std::uint64_t> &k = *s.kstack;
		auto inner = std::find(k.begin(), k.end(), s.ip);
		if (inner == k.end())
			inner = k.begin();
		for (auto it = k.rbegin(); it != std::make_reverse_iterator(inner); ++it)
			frames.push_back(kernel_frame(ksym, *it));
	} else if (!s.user && s.ip) {
		frames.push_back(kernel_frame(ksym, s.ip));
	}
	return frames;
}

Result<void> FoldedSink::begin(const CaptureInfo &info, const Symbolizer &symbolizer)
{
	formats_ = info.formats;
	ksym_ = given_ksym_ ? given_ksym_ : symbolizer;
	f_ = {};
	f_.sample = formats_.find("profile:sample");
	if (!f_.sample)
		return Error{ENOENT, "the trace has no profile:sample events (record them with "
				     "'ktr profile', or 'ktr record -p profile -e profile:sample "
				     "--stack')"};
	const EventFormat &s = *f_.sample;
	const struct {
		const EventFormat *ev;
		const char *name;
		FieldType type;
		const FieldFormat **to;
	} need[] = {
		{&s, "tgid", FieldType::Int, &f_.tgid},
		{&s, "tid", FieldType::Int, &f_.tid},
		{&s, "comm", FieldType::CharArray, &f_.comm},
		{&s, "user", FieldType::Int, &f_.user},
		{&s, "ip", FieldType::Int, &f_.ip},
		{&s, "ustack", FieldType::RestU64, &f_.ustack},
	};
	for (const auto &n : need)
		if (Result<void> r = need_field(*n.ev, n.name, n.type, *n.to); !r)
			return r;
	f_.stack = formats_.find(static_cast<std::uint16_t>(KTR_EVENT_STACK));
	if (f_.stack) {
		if (Result<void> r = need_field(*f_.stack, "event_ts", FieldType::Int, f_.event_ts);
		    !r)
			return r;
		if (Result<void> r = need_field(*f_.stack, "ips", FieldType::RestU64, f_.ips); !r)
			return r;
	}
	pending_.assign(info.nr_cpus, std::nullopt);
	return {};
}

Result<ProfileSample> FoldedSink::read_sample(std::span<const std::byte> payload) const
{
	const EventFormat &fmt = *f_.sample;
	const FieldFormat *const fields[] = {f_.tgid, f_.tid, f_.comm, f_.user, f_.ip, f_.ustack};
	std::vector<FieldValue> v;
	for (const FieldFormat *f : fields) {
		Result<FieldValue> r = field_value(fmt, *f, payload);
		if (!r)
			return r.error();
		v.push_back(std::move(*r));
	}
	ProfileSample s;
	s.tgid = static_cast<std::int32_t>(as_u64(v[0]));
	s.tid = static_cast<std::int32_t>(as_u64(v[1]));
	s.comm = std::get<std::string>(v[2]);
	s.user = as_u64(v[3]) != 0;
	s.ip = as_u64(v[4]);
	s.ustack = std::get<std::vector<std::uint64_t>>(std::move(v[5]));
	return s;
}

void FoldedSink::fold(const ProfileSample &s)
{
	if (s.kstack)
		kstacks_++;
	if (s.ustack.size() > 1)
		ustacks_++;
	const std::vector<std::string> frames = sample_frames(s, ksym_, usym_);
	stacks_.add(frames);
}

Result<void> FoldedSink::event(const MergedEvent &ev)
{
	if (ev.payload.size() < sizeof(std::uint16_t))
		return {};
	std::uint16_t id;
	std::memcpy(&id, ev.payload.data(), sizeof(id));
	if (ev.cpu >= pending_.size())
		pending_.resize(ev.cpu + 1);
	std::optional<Pending> &p = pending_[ev.cpu];
	if (id == f_.sample->id) {
		Result<ProfileSample> s = read_sample(ev.payload);
		if (!s)
			return s.error();
		if (p)
			fold(p->sample);	// its stack never came
		p = Pending{ev.ts, std::move(*s)};
		if (!f_.stack) {
			fold(p->sample);
			p.reset();
		}
	} else if (f_.stack && id == f_.stack->id && p) {
		Result<FieldValue> ts = field_value(*f_.stack, *f_.event_ts, ev.payload);
		if (!ts)
			return ts.error();
		if (as_u64(*ts) != p->ts)
			return {};
		Result<FieldValue> ips = field_value(*f_.stack, *f_.ips, ev.payload);
		if (!ips)
			return ips.error();
		p->sample.kstack = std::get<std::vector<std::uint64_t>>(std::move(*ips));
		fold(p->sample);
		p.reset();
	}
	return {};
}

Result<void> FoldedSink::end(const std::vector<ReadStats> &)
{
	for (std::optional<Pending> &p : pending_) {
		if (p)
			fold(p->sample);
		p.reset();
	}
	if (out_) {
		out_->put(stacks_.text());
		out_->flush();
	}
	return {};
}

} // namespace ktr
