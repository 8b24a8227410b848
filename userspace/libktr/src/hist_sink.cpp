// SPDX-License-Identifier: MIT
#include "ktr/hist_sink.h"

#include <cerrno>

#include "ktr/decode.h"
#include "ktr/event_print.h"
#include "ktr/json_writer.h"
#include "ktr/syscall_names.h"

namespace ktr {

Result<const EventFormat *> find_event(const FormatTable &formats, std::string_view name)
{
	if (const EventFormat *f = formats.find(name))
		return f;
	return Error{ENOENT, "event '" + std::string(name) +
				     "' is not in the trace (its formats: 'ktr list', or 'ktr "
				     "report --stat' of a capture, show which are)"};
}

Result<const FieldFormat *> find_field(const EventFormat &event, std::string_view name,
				       bool integer)
{
	const FieldFormat *f = event.field(name);
	if (!f)
		f = event.field("common_" + std::string(name));
	if (!f) {
		std::string names;
		for (const FieldFormat &x : event.fields)
			names += (names.empty() ? "" : ", ") + x.name;
		return Error{ENOENT, "event " + event.name + " has no field '" + std::string(name) +
					     "' (its fields: " + names + ")"};
	}
	if (f->type == FieldType::RestU64 || (integer && f->type != FieldType::Int))
		return Error{EINVAL, "field '" + f->name + "' of event " + event.name +
					     " is not an integer"};
	return f;
}

std::string key_text(const EventFormat &event, const FieldFormat &field,
		     const FieldValue &value)
{
	std::string name = field.name.starts_with("common_") ? field.name.substr(7) : field.name;
	std::string out = name + "=";
	if (const auto *s = std::get_if<std::int64_t>(&value))
		out += std::to_string(*s);
	else if (const auto *u = std::get_if<std::uint64_t>(&value))
		out += std::to_string(*u);
	else if (const auto *t = std::get_if<std::string>(&value))
		out += escape_text(*t);
	if (event.system == "raw_syscalls" && field.name == "id") {
		std::int64_t nr = -1;
		if (const auto *s = std::get_if<std::int64_t>(&value))
			nr = *s;
		else if (const auto *u = std::get_if<std::uint64_t>(&value))
			nr = static_cast<std::int64_t>(*u);
		if (const std::string_view sc = syscall_name(nr); !sc.empty())
			out += " " + std::string(sc);
	}
	return out;
}

Result<void> HistSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	formats_ = info.formats;
	Result<const EventFormat *> ev = find_event(formats_, opt_.event);
	if (!ev)
		return ev.error();
	event_ = *ev;
	Result<const FieldFormat *> f = find_field(*event_, opt_.field, true);
	if (!f)
		return f.error();
	field_ = *f;
	if (!opt_.by.empty()) {
		Result<const FieldFormat *> by = find_field(*event_, opt_.by, false);
		if (!by)
			return by.error();
		by_ = *by;
	}
	if (!opt_.filter.empty()) {
		Result<EventFilter> flt = EventFilter::compile(*event_, opt_.filter);
		if (!flt)
			return flt.error();
		filter_.emplace(std::move(flt).value());
	}
	return {};
}

Result<void> HistSink::event(const MergedEvent &ev)
{
	Result<EventView> view = decode_event(ev.payload);
	if (!view || view->id != event_->id)
		return {};
	seen_++;
	if (filter_ && !filter_->matches(ev.payload))
		return {};
	kept_++;
	Result<FieldValue> v = field_value(*event_, *field_, ev.payload);
	FieldValue key = std::uint64_t{0};
	if (by_) {
		Result<FieldValue> k = field_value(*event_, *by_, ev.payload);
		if (!k) {
			bad_++;
			return {};
		}
		key = std::move(*k);
	}
	if (!v) {
		bad_++;
		return {};
	}
	hists_.try_emplace(std::move(key), opt_.spec).first->second.add(*v);
	return {};
}

std::string HistSink::text() const
{
	std::string out;
	const std::string title = "@" + event_->name + "." + field_->name;
	for (const auto &[key, hist] : hists_) {
		out += title;
		if (by_)
			out += "[" + key_text(*event_, *by_, key) + "]";
		out += ":\n" + hist.text() + "\n";
	}
	if (hists_.empty())
		out += title + ":\nno values\n\n";
	out += event_->name + ": " + std::to_string(seen_) + " events";
	if (filter_)
		out += ", " + std::to_string(kept_) + " kept by the filter";
	if (bad_)
		out += ", " + std::to_string(bad_) + " unreadable";
	if (lost_)
		out += "; " + std::to_string(lost_) + " events lost in the trace";
	out += "\n";
	return out;
}

std::string HistSink::json() const
{
	JsonWriter w;
	w.begin_object().key("event").value(event_->system + ":" + event_->name);
	w.key("field").value(field_->name).key("by");
	if (by_)
		w.value(by_->name);
	else
		w.null();
	w.key("histograms").begin_array();
	for (const auto &[key, hist] : hists_) {
		w.begin_object();
		if (by_)
			w.key("key").value(key_text(*event_, *by_, key));
		w.key("histogram");
		hist.json(w);
		w.end_object();
	}
	w.end_array().key("events").value(seen_).key("kept");
	if (filter_)
		w.value(kept_);
	else
		w.null();
	w.key("unreadable").value(bad_).key("lost").value(lost_).end_object();
	return w.str() + "\n";
}

Result<void> HistSink::end(const std::vector<ReadStats> &)
{
	if (!event_)
		return {};
	out_.put(json_ ? json() : text());
	out_.flush();
	return {};
}

} // namespace ktr
