// SPDX-License-Identifier: MIT
#include "ctf_layout.h"

#include <cerrno>
#include <cstring>
#include <variant>

#include "ctf_names.h"

namespace ktr::ctf {

namespace {

bool is_common(const FieldFormat &f)
{
	return f.name.starts_with("common_");
}

void put_bytes(std::vector<std::byte> &out, const void *p, std::size_t n)
{
	const auto *b = static_cast<const std::byte *>(p);
	out.insert(out.end(), b, b + n);
}

} // namespace

Layout::Layout(FormatTable formats) : formats_(std::move(formats))
{
	for (const EventFormat &f : formats_) {
		const SyscallKind sk = syscall_kind(f.system, f.name);
		// sys_enter/sys_exit without a usable number: LTTng's raw form.
		std::string name = sk == SyscallKind::None ? event_name(f.system, f.name)
							   : syscall_event_name(sk, -1);
		by_format_.push_back(add_class(std::move(name), f).id);
	}
}

EventClass &Layout::add_class(std::string name, const EventFormat &format)
{
	auto cls = std::make_unique<EventClass>();
	cls->id = static_cast<std::uint32_t>(classes_.size());
	cls->name = std::move(name);
	cls->format = &format;
	for (const FieldFormat &f : format.fields)
		if (!is_common(f))
			cls->fields.push_back({field_name(format.system, format.name, f.name), &f});
	classes_.push_back(std::move(cls));
	return *classes_.back();
}

const EventClass &Layout::classify(const EventFormat &format, std::span<const std::byte> payload)
{
	const std::size_t index = static_cast<std::size_t>(&format - &*formats_.begin());
	const EventClass &own = *classes_[by_format_.at(index)];
	const SyscallKind sk = syscall_kind(format.system, format.name);
	if (sk == SyscallKind::None)
		return own;
	const FieldFormat *id = format.field("id");
	if (!id || id->type != FieldType::Int)
		return own;
	const Result<FieldValue> v = field_value(format, *id, payload);
	if (!v)
		return own;
	const std::int64_t nr = std::holds_alternative<std::int64_t>(*v)
					? std::get<std::int64_t>(*v)
					: static_cast<std::int64_t>(std::get<std::uint64_t>(*v));
	if (const auto it = syscalls_.find({index, nr}); it != syscalls_.end())
		return *classes_[it->second];
	const std::string name = syscall_event_name(sk, nr);
	if (name == own.name) {	// a number ktr cannot name: the raw form
		syscalls_.emplace(std::pair{index, nr}, own.id);
		return own;
	}
	EventClass &cls = add_class(name, format);
	syscalls_.emplace(std::pair{index, nr}, cls.id);
	return cls;
}

Result<void> Layout::encode(const EventClass &cls, std::span<const std::byte> payload,
			    std::vector<std::byte> &out) const
{
	for (const Field &field : cls.fields) {
		const FieldFormat &f = *field.source;
		if (f.type == FieldType::Int || f.type == FieldType::CharArray) {
			if (std::uint64_t{f.offset} + f.size > payload.size())
				return Error{EPROTO, "event " + cls.format->name + ": field " + f.name +
							     " lies outside its " +
							     std::to_string(payload.size()) + "-byte payload"};
			put_bytes(out, payload.data() + f.offset, f.size);
			continue;
		}
		Result<FieldValue> v = field_value(*cls.format, f, payload);
		if (!v)
			return v.error();
		if (const auto *s = std::get_if<std::string>(&*v)) {
			const std::size_t n = std::min(s->size(), std::strlen(s->c_str()));
			put_bytes(out, s->data(), n);
			out.push_back(std::byte{0});
		} else if (const auto *vals = std::get_if<std::vector<std::uint64_t>>(&*v)) {
			const auto count = static_cast<std::uint32_t>(vals->size());
			put_bytes(out, &count, sizeof(count));
			put_bytes(out, vals->data(), vals->size() * sizeof(std::uint64_t));
		} else {
			return Error{EPROTO, "event " + cls.format->name + ": field " + f.name +
						     " has a value CTF cannot hold"};
		}
	}
	return {};
}

} // namespace ktr::ctf
