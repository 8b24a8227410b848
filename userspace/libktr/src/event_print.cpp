// SPDX-License-Identifier: MIT
#include "ktr/event_print.h"

#include <cerrno>
#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <memory>
#include <limits>
#include <optional>
#include <set>
#include <type_traits>
#include <utility>
#include <vector>

#include <ktr_event.h>

#include "event_text.h"
#include "ktr/decode.h"
#include "ktr/json_writer.h"

namespace ktr {

namespace {

constexpr std::uint64_t ns_per_sec = 1000000000;

// The key names every JSON event object has, in order.
constexpr std::string_view json_fixed_keys[] = {"ts_ns", "ts",	 "ts_diff_ns", "cpu",
						"pid",	 "comm", "event"};

bool in_common_header(const FieldFormat &field) { return field.offset < event_common_size; }

// Raw events (system "raw": tracepoint arguments as register words) read
// best in hex.
bool prints_hex(const EventFormat &format) { return format.system == "raw"; }

std::string value_text(const FieldValue &v, bool hex = false)
{
	if (const auto *i = std::get_if<std::int64_t>(&v))
		return std::to_string(*i);
	if (const auto *u = std::get_if<std::uint64_t>(&v)) {
		if (!hex)
			return std::to_string(*u);
		char buf[24];
		std::snprintf(buf, sizeof(buf), "0x%" PRIx64, *u);
		return buf;
	}
	if (const auto *list = std::get_if<std::vector<std::uint64_t>>(&v)) {
		std::string s = "{";
		char buf[24];
		for (std::size_t i = 0; i < list->size(); i++) {
			std::snprintf(buf, sizeof(buf), "%s0x%" PRIx64, i ? "," : "", (*list)[i]);
			s += buf;
		}
		return s + "}";
	}
	return escape_text(std::get<std::string>(v));
}

// An Int field's value as the bits of its @size bytes (a signed value
// shown in hex is shown as the field holds it: -1 in an s8 is 0xff).
std::uint64_t int_bits(const FieldValue &v, std::uint32_t size)
{
	std::uint64_t bits = 0;
	if (const auto *i = std::get_if<std::int64_t>(&v))
		bits = static_cast<std::uint64_t>(*i);
	else if (const auto *u = std::get_if<std::uint64_t>(&v))
		bits = *u;
	return size >= 8 ? bits : bits & ((std::uint64_t{1} << (size * 8)) - 1);
}

std::string hex_text(std::uint64_t v)
{
	char buf[24];
	std::snprintf(buf, sizeof(buf), "0x%" PRIx64, v);
	return buf;
}

} // namespace

std::uint64_t ClockMap::to_mono(std::uint64_t ts) const noexcept
{
	constexpr std::uint64_t max = std::numeric_limits<std::uint64_t>::max();
	if (ts >= local_ns) {
		const std::uint64_t ahead = ts - local_ns;
		return ahead > max - mono_ns ? max : mono_ns + ahead;
	}
	const std::uint64_t behind = local_ns - ts;
	return behind > mono_ns ? 0 : mono_ns - behind;
}

std::string format_seconds(std::uint64_t ns, int width)
{
	char buf[48];
	std::snprintf(buf, sizeof(buf), "%*" PRIu64 ".%06" PRIu64, width, ns / ns_per_sec,
		      (ns % ns_per_sec) / 1000);
	return buf;
}

std::string escape_text(std::string_view s)
{
	static constexpr char hex[] = "0123456789abcdef";
	std::string out;
	out.reserve(s.size());
	for (const char ch : s) {
		const auto c = static_cast<unsigned char>(ch);
		switch (c) {
		case '\\': out += "\\\\"; break;
		case '\n': out += "\\n"; break;
		case '\t': out += "\\t"; break;
		case '\r': out += "\\r"; break;
		default:
			if (c < 0x20 || c == 0x7f) {
				out += "\\x";
				out += hex[c >> 4];
				out += hex[c & 0xf];
			} else {
				out += ch;
			}
			break;
		}
	}
	return out;
}

void CommTable::remember(std::int32_t pid, std::string_view comm)
{
	auto [it, inserted] = comms_.try_emplace(pid, comm);
	if (!inserted && it->second != comm)
		it->second.assign(comm);
}

const std::string *CommTable::find(std::int32_t pid) const
{
	const auto it = comms_.find(pid);
	return it == comms_.end() ? nullptr : &it->second;
}

void CommTable::remember_first(std::int32_t pid, std::string_view comm)
{
	comms_.try_emplace(pid, comm);
}

const std::string *CommTable::resolve(std::int32_t pid)
{
	if (const std::string *known = find(pid))
		return known;
	// pid 0 is every CPU's idle task (swapper/N): shown as <idle>.
	if (pid <= 0 || !fallback_)
		return nullptr;
	std::optional<std::string> name = fallback_(pid);
	if (!name || name->empty())
		return nullptr;
	return &comms_.try_emplace(pid, std::move(*name)).first->second;
}

CommTable::Lookup table_comm_lookup(CommTable table)
{
	return [t = std::make_shared<const CommTable>(std::move(table))](
		       std::int32_t pid) -> std::optional<std::string> {
		if (const std::string *name = t->find(pid))
			return *name;
		return std::nullopt;
	};
}

CommTable::Lookup proc_comm_lookup(std::string proc_root)
{
	return [root = std::move(proc_root)](std::int32_t pid) -> std::optional<std::string> {
		std::ifstream in(root + "/" + std::to_string(pid) + "/comm");
		std::string name;
		if (!in || !std::getline(in, name) || name.empty())
			return std::nullopt;
		return name;
	};
}

struct EventPrinter::Decoded {
	EventView ev;
	const EventFormat *format = nullptr;
	// The fields after the common header, in format order.
	DecodedFields fields;
	const std::string *comm = nullptr;	// known comm, or nullptr
	const FieldFormat *comm_field = nullptr;	// the event's own comm field
	std::uint64_t ts_diff = 0;	// since the previous event (set_ts_diff)
};

EventPrinter::EventPrinter(const FormatTable &formats, ClockMap clock)
	: formats_(formats), clock_(clock)
{
}

/*
 * Learn task names from the event, as trace-cmd's saved cmdlines do: every
 * "<x>comm" text field names the task of the "<x>pid" field next to it
 * (prev_comm/prev_pid, next_comm/next_pid, parent_comm/parent_pid; a plain
 * "comm" without "pid" is the running task's). A "comm" that is the
 * running task's own is shown as the line's comm, not as a field.
 */
void EventPrinter::remember_comms(Decoded &d, bool first_wins)
{
	// An exec names the task after the file it runs, as the kernel does
	// (the basename, 15 bytes at most): sched_process_exec carries no comm.
	if (d.format->name == "sched_process_exec" && d.ev.pid > 0) {
		for (const auto &[field, value] : d.fields) {
			const auto *file = std::get_if<std::string>(&value);
			if (field->name != "filename" || !file || file->empty())
				continue;
			std::string base = file->substr(file->rfind('/') + 1);
			base.resize(std::min<std::size_t>(base.size(), 15));
			if (base.empty())
				continue;
			if (first_wins)
				comms_.remember_first(d.ev.pid, base);
			else
				comms_.remember(d.ev.pid, base);
		}
	}
	for (const auto &[field, value] : d.fields) {
		if (field->type != FieldType::CharArray || !field->name.ends_with("comm"))
			continue;
		const std::string &comm = std::get<std::string>(value);
		if (comm.empty())
			continue;
		const std::string prefix = field->name.substr(0, field->name.size() - 4);
		std::int64_t pid = d.ev.pid;
		bool found = false;
		for (const auto &[f, v] : d.fields) {
			if (f->type != FieldType::Int || f->name != prefix + "pid")
				continue;
			pid = std::holds_alternative<std::int64_t>(v)
				      ? std::get<std::int64_t>(v)
				      : static_cast<std::int64_t>(std::get<std::uint64_t>(v));
			found = true;
		}
		if (!found && !prefix.empty())
			continue;
		// pid 0 is every CPU's idle task (swapper/N): shown as <idle>.
		if (pid <= 0 || pid > INT32_MAX)
			continue;
		if (first_wins)
			comms_.remember_first(static_cast<std::int32_t>(pid), comm);
		else
			comms_.remember(static_cast<std::int32_t>(pid), comm);
		if (field->name == "comm" && pid == d.ev.pid)
			d.comm_field = field;
	}
}

Result<EventPrinter::Decoded> EventPrinter::decode(std::uint32_t cpu, std::uint64_t ts,
						   std::span<const std::byte> payload, bool learn_only)
{
	const auto fail = [&](const std::string &what) {
		return Error{EPROTO, "CPU " + std::to_string(cpu) + ", event at " +
					     std::to_string(ts) + " ns: " + what};
	};
	Result<EventView> ev = decode_event(payload);
	if (!ev)
		return fail(ev.error().message());
	Decoded d;
	d.ev = *ev;
	d.format = formats_.find(d.ev.id);
	if (!d.format)
		return fail("event id " + std::to_string(d.ev.id) +
			    " is not in the format table (corrupt, or newer than this ktr)");
	for (const FieldFormat &field : d.format->fields) {
		if (in_common_header(field))
			continue;
		Result<FieldValue> v = field_value(*d.format, field, payload);
		if (!v)
			return fail(v.error().message());
		d.fields.emplace_back(&field, std::move(*v));
	}
	remember_comms(d, learn_only);
	if (!learn_only)
		d.comm = comms_.resolve(d.ev.pid);
	if (prev_ts_ && ts > *prev_ts_)
		d.ts_diff = ts - *prev_ts_;
	prev_ts_ = ts;
	return d;
}

Result<void> EventPrinter::learn(std::uint32_t cpu, std::uint64_t ts,
				 std::span<const std::byte> payload)
{
	Result<Decoded> r = decode(cpu, ts, payload, true);
	if (!r)
		return r.error();
	return {};
}

std::string EventPrinter::field_text(const EventFormat &format, const FieldFormat &field,
				     const FieldValue &value) const
{
	if (field.type == FieldType::Int && field.display != FieldDisplay::Default) {
		const std::uint64_t bits = int_bits(value, field.size);
		std::string out = hex_text(bits);
		if (field.display == FieldDisplay::Symbol && symbolizer_ && bits != 0) {
			if (std::string sym = symbolizer_(bits); !sym.empty())
				out = sym;
		}
		return out;
	}
	return value_text(value, prints_hex(format));
}

Result<std::string> EventPrinter::text(std::uint32_t cpu, std::uint64_t ts,
				       std::span<const std::byte> payload)
{
	Result<Decoded> r = decode(cpu, ts, payload);
	if (!r)
		return r.error();
	const Decoded &d = *r;

	std::string comm = d.comm ? escape_text(*d.comm) : d.ev.pid == 0 ? "<idle>" : "<...>";
	char prefix[96];
	std::snprintf(prefix, sizeof(prefix), "%16s-%-7" PRId32 " [%03" PRIu32 "] ", comm.c_str(),
		      d.ev.pid, cpu);
	std::string line = prefix + format_seconds(clock_.to_mono(ts), 5) +
			   (ts_diff_ ? " (+" + format_seconds(d.ts_diff) + ")" : "") + ": " +
			   d.format->name + ":";

	const FieldFormat *text = d.format->field("text");
	if (d.ev.id == KTR_EVENT_MARKER && text && text->type == FieldType::RestString) {
		for (const auto &[field, value] : d.fields) {
			if (field != text)
				continue;
			std::string_view s = std::get<std::string>(value);
			if (s.ends_with('\n'))
				s.remove_suffix(1);
			if (!s.empty()) {
				line += ' ';
				line += escape_text(s);
			}
		}
	} else if (d.ev.id == KTR_EVENT_STACK) {
		// As ftrace shows a stack trace: one return address a line.
		line += " <stack trace>";
		for (const auto &[field, value] : d.fields) {
			const auto *ips = std::get_if<std::vector<std::uint64_t>>(&value);
			if (!ips)
				continue;
			for (const std::uint64_t ip : *ips) {
				char buf[40];
				std::snprintf(buf, sizeof(buf), "\n => 0x%016" PRIx64, ip);
				line += buf;
				if (std::string sym = symbolizer_ ? symbolizer_(ip) : ""; !sym.empty())
					line += " " + sym;
			}
		}
	} else if (std::optional<std::string> t = curated_event_text(*d.format, d.fields)) {
		line += *t;
	} else {
		for (const auto &[field, value] : d.fields) {
			line += ' ';
			line += field->name;
			line += '=';
			line += field_text(*d.format, *field, value);
		}
	}
	line += '\n';
	return line;
}

Result<std::string> EventPrinter::json(std::uint32_t cpu, std::uint64_t ts,
				       std::span<const std::byte> payload)
{
	Result<Decoded> r = decode(cpu, ts, payload);
	if (!r)
		return r.error();
	const Decoded &d = *r;
	const std::uint64_t mono = clock_.to_mono(ts);

	JsonWriter w;
	w.begin_object()
		.key("ts_ns").value(mono)
		.key("ts").value(format_seconds(mono));
	if (ts_diff_)
		w.key("ts_diff_ns").value(d.ts_diff);
	w.key("cpu").value(cpu)
		.key("pid").value(d.ev.pid)
		.key("comm");
	if (d.comm)
		w.value(*d.comm);
	else
		w.null();
	w.key("event").value(d.format->name);

	std::set<std::string, std::less<>> used(std::begin(json_fixed_keys),
						std::end(json_fixed_keys));
	for (const auto &[field, value] : d.fields) {
		if (field == d.comm_field)
			continue;
		std::string key = field->name;
		while (used.contains(key))
			key.insert(key.begin(), '_');
		used.insert(key);
		w.key(key);
		std::visit(
			[&w](const auto &v) {
				if constexpr (std::is_same_v<std::decay_t<decltype(v)>,
							     std::vector<std::uint64_t>>) {
					w.begin_array();
					for (const std::uint64_t x : v)
						w.value(x);
					w.end_array();
				} else {
					w.value(v);
				}
			},
			value);
	}
	if (std::optional<std::string> name = syscall_of(*d.format, d.fields)) {
		std::string key = "syscall";
		while (used.contains(key))
			key.insert(key.begin(), '_');
		w.key(key).value(*name);
	}
	w.end_object();
	return w.str() + "\n";
}

std::string EventPrinter::lost_text(std::uint32_t cpu, std::uint64_t count) const
{
	return "CPU:" + std::to_string(cpu) + " [LOST " + std::to_string(count) + " EVENTS]\n";
}

std::string EventPrinter::lost_json(std::uint32_t cpu, std::uint64_t ts, std::uint64_t count) const
{
	JsonWriter w;
	w.begin_object()
		.key("cpu").value(cpu)
		.key("lost").value(count)
		.key("ts_ns").value(clock_.to_mono(ts))
		.end_object();
	return w.str() + "\n";
}

} // namespace ktr
