// SPDX-License-Identifier: MIT
#include "ktr/pair_sink.h"

#include <cerrno>

#include "ktr/decode.h"
#include "ktr/hist_sink.h"
#include "ktr/json_writer.h"

namespace ktr {

Result<void> PairSink::begin(const CaptureInfo &info, const Symbolizer &)
{
	if (opt_.keys.empty())
		return Error{EINVAL, "a pair needs at least one key field (--key pid,id)"};
	formats_ = info.formats;
	Result<const EventFormat *> s = find_event(formats_, opt_.start);
	if (!s)
		return s.error();
	Result<const EventFormat *> e = find_event(formats_, opt_.end);
	if (!e)
		return e.error();
	start_ = *s;
	end_ = *e;
	if (start_ == end_)
		return Error{EINVAL, "a pair needs two different events, not " + start_->name +
					     " twice"};
	for (const std::string &k : opt_.keys) {
		Result<const FieldFormat *> fs = find_field(*start_, k, false);
		if (!fs)
			return fs.error();
		Result<const FieldFormat *> fe = find_field(*end_, k, false);
		if (!fe)
			return fe.error();
		if (((*fs)->type == FieldType::Int) != ((*fe)->type == FieldType::Int))
			return Error{EINVAL, "key field '" + k + "' is an integer in one event and "
								 "text in the other"};
		start_keys_.push_back(*fs);
		end_keys_.push_back(*fe);
	}
	if (!opt_.by.empty()) {
		Result<const FieldFormat *> by = find_field(*start_, opt_.by, false);
		if (!by)
			return by.error();
		by_ = *by;
	}
	if (!opt_.filter.empty()) {
		Result<EventFilter> flt = EventFilter::compile(*start_, opt_.filter);
		if (!flt)
			return flt.error();
		filter_.emplace(std::move(flt).value());
	}
	return {};
}

std::optional<PairSink::Key> PairSink::read_key(const EventFormat &ev,
						const std::vector<const FieldFormat *> &fields,
						std::span<const std::byte> payload)
{
	Key key;
	for (const FieldFormat *f : fields) {
		Result<FieldValue> v = field_value(ev, *f, payload);
		if (!v)
			return std::nullopt;
		// Signed and unsigned fields of the same value are the same key.
		if (const auto *sv = std::get_if<std::int64_t>(&*v))
			*v = static_cast<std::uint64_t>(*sv);
		key.push_back(std::move(*v));
	}
	return key;
}

Result<void> PairSink::event(const MergedEvent &ev)
{
	Result<EventView> view = decode_event(ev.payload);
	if (!view || (view->id != start_->id && view->id != end_->id))
		return {};
	const bool is_start = view->id == start_->id;
	std::optional<Key> key =
		read_key(is_start ? *start_ : *end_, is_start ? start_keys_ : end_keys_, ev.payload);
	if (!key) {
		counts_.unreadable++;
		return {};
	}
	if (is_start) {
		Open o;
		o.ts = ev.ts;
		if (filter_ && !filter_->matches(ev.payload)) {
			o.kept = false;
			counts_.filtered++;
		}
		if (by_) {
			Result<FieldValue> g = field_value(*start_, *by_, ev.payload);
			if (!g) {
				counts_.unreadable++;
				return {};
			}
			o.group = {std::move(*g)};
		} else {
			o.group = *key;
		}
		auto [it, added] = open_.try_emplace(std::move(*key), o);
		if (!added) {
			if (it->second.kept)
				counts_.restarted++;
			it->second = std::move(o);
		}
		return {};
	}
	const auto it = open_.find(*key);
	if (it == open_.end()) {
		counts_.unmatched_ends++;
		return {};
	}
	if (it->second.kept) {
		const std::uint64_t d = ev.ts >= it->second.ts ? ev.ts - it->second.ts : 0;
		hists_.try_emplace(it->second.group, opt_.spec).first->second.add(d);
		counts_.pairs++;
	}
	open_.erase(it);
	return {};
}

std::string PairSink::group_text(const Key &group) const
{
	std::string out;
	if (by_)
		return key_text(*start_, *by_, group.at(0));
	for (std::size_t i = 0; i < group.size(); i++)
		out += (i ? ", " : "") + key_text(*start_, *start_keys_[i], group[i]);
	return out;
}

std::string PairSink::text() const
{
	std::string out;
	const std::string title = "@" + start_->name + ":" + end_->name;
	for (const auto &[group, hist] : hists_)
		out += title + "[" + group_text(group) + "] (ns):\n" + hist.text(" ns") + "\n";
	if (hists_.empty())
		out += title + " (ns):\nno pairs\n\n";
	std::uint64_t open = 0;
	for (const auto &[key, o] : open_)
		open += o.kept ? 1 : 0;
	out += std::to_string(counts_.pairs) + " pairs; unmatched: " +
	       std::to_string(counts_.unmatched_ends) + " " + end_->name + " without " +
	       start_->name + ", " + std::to_string(counts_.restarted) + " " + start_->name +
	       " followed by another, " + std::to_string(ended_ ? counts_.open_at_end : open) +
	       " still open at the end";
	if (filter_)
		out += "; " + std::to_string(counts_.filtered) + " " + start_->name +
		       " dropped by the filter";
	if (counts_.unreadable)
		out += "; " + std::to_string(counts_.unreadable) + " unreadable";
	if (counts_.lost)
		out += "; " + std::to_string(counts_.lost) +
		       " events lost in the trace (pairs across them may be missing)";
	out += "\n";
	return out;
}

std::string PairSink::json() const
{
	std::uint64_t open = 0;
	for (const auto &[key, o] : open_)
		open += o.kept ? 1 : 0;
	JsonWriter w;
	w.begin_object().key("start").value(start_->system + ":" + start_->name);
	w.key("end").value(end_->system + ":" + end_->name).key("unit").value("ns");
	w.key("histograms").begin_array();
	for (const auto &[group, hist] : hists_) {
		w.begin_object().key("key").value(group_text(group)).key("histogram");
		hist.json(w);
		w.end_object();
	}
	w.end_array().key("pairs").value(counts_.pairs);
	w.key("unmatched_ends").value(counts_.unmatched_ends);
	w.key("restarted").value(counts_.restarted);
	w.key("open_at_end").value(ended_ ? counts_.open_at_end : open).key("filtered");
	if (filter_)
		w.value(counts_.filtered);
	else
		w.null();
	w.key("unreadable").value(counts_.unreadable).key("lost").value(counts_.lost);
	w.end_object();
	return w.str() + "\n";
}

Result<void> PairSink::end(const std::vector<ReadStats> &)
{
	if (!start_)
		return {};
	counts_.open_at_end = 0;
	for (const auto &[key, o] : open_)
		counts_.open_at_end += o.kept ? 1 : 0;
	ended_ = true;
	out_.put(json_ ? json() : text());
	out_.flush();
	return {};
}

} // namespace ktr
