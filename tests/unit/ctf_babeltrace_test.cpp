// SPDX-License-Identifier: MIT
//
// CTF traces read by their real consumer: babeltrace2 (Debian's package,
// installed by `make deps`) prints every event of `ktr report --format ctf`
// with the same count, order, times, CPUs, tids and field values as
// `ktr report --json` of the same capture, under LTTng's names, and reports
// the same losses per CPU. Two captures: the small one of ctf_capture.h and
// tests/data/ctf/vm-6.1.ktr, recorded in a 6.1 guest (see
// tests/data/ctf/README.md). Without babeltrace2 the test fails under CI
// (CI set in the environment, as `make check CI=1` runs) and is skipped
// elsewhere.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "ctf_capture.h"
#include "run_tool.h"
#include "temp_path.h"

namespace ktr {
namespace {

// A value as both sides can print it: numbers as decimal text, strings as
// their bytes, arrays as lists.
struct Value {
	enum Kind { Null, Number, String, Array } kind = Null;
	std::string text;
	std::vector<Value> items;

	bool operator==(const Value &) const = default;
};

std::ostream &operator<<(std::ostream &os, const Value &v)
{
	switch (v.kind) {
	case Value::Null: return os << "null";
	case Value::Number: return os << v.text;
	case Value::String: return os << '"' << v.text << '"';
	case Value::Array:
		os << '[';
		for (const Value &i : v.items)
			os << i << ' ';
		return os << ']';
	}
	return os;
}

struct Event {
	std::uint64_t ts = 0;
	std::uint32_t cpu = 0;
	std::int64_t tid = 0;
	std::string name;
	std::map<std::string, Value> fields;
	std::string line;	// for messages
};

class Parser {
public:
	explicit Parser(std::string_view s) : s_(s) {}
	bool eat(std::string_view t)
	{
		if (s_.substr(pos_, t.size()) != t)
			return false;
		pos_ += t.size();
		return true;
	}
	void expect(std::string_view t)
	{
		if (!eat(t))
			throw std::runtime_error("expected '" + std::string(t) + "' at " +
						 std::to_string(pos_) + " of: " + std::string(s_));
	}
	[[nodiscard]] char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }
	[[nodiscard]] bool done() const { return pos_ >= s_.size(); }
	std::string until(std::string_view stops)
	{
		const std::size_t start = pos_;
		while (pos_ < s_.size() && stops.find(s_[pos_]) == std::string_view::npos)
			pos_++;
		return std::string(s_.substr(start, pos_ - start));
	}
	// A quoted string with C/JSON escapes (\uXXXX: below 0x100 only).
	std::string quoted()
	{
		expect("\"");
		std::string out;
		while (!done() && peek() != '"') {
			char c = s_[pos_++];
			if (c != '\\') {
				out += c;
				continue;
			}
			c = s_[pos_++];
			switch (c) {
			case 'n': out += '\n'; break;
			case 't': out += '\t'; break;
			case 'r': out += '\r'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'v': out += '\v'; break;
			case 'a': out += '\a'; break;
			case 'u': {
				out += static_cast<char>(std::stoul(std::string(s_.substr(pos_, 4)), nullptr, 16));
				pos_ += 4;
				break;
			}
			case 'x': {
				out += static_cast<char>(std::stoul(std::string(s_.substr(pos_, 2)), nullptr, 16));
				pos_ += 2;
				break;
			}
			default: out += c; break;
			}
		}
		expect("\"");
		return out;
	}

private:
	std::string_view s_;
	std::size_t pos_ = 0;
};

Value number(std::string text)
{
	if (text.starts_with("0x") || text.starts_with("0X"))
		text = std::to_string(std::stoull(text.substr(2), nullptr, 16));
	return {Value::Number, text, {}};
}

// One value of babeltrace2's text output.
Value bt_value(Parser &p)
{
	if (p.peek() == '"')
		return {Value::String, p.quoted(), {}};
	if (p.eat("[ ")) {
		Value v{Value::Array, "", {}};
		while (!p.eat("]")) {
			p.expect("[");
			p.until("]");
			p.expect("] = ");
			v.items.push_back(bt_value(p));
			p.eat(", ") || p.eat(" ");
		}
		return v;
	}
	return number(p.until(", }"));
}

std::map<std::string, Value> bt_struct(Parser &p)
{
	std::map<std::string, Value> fields;
	p.expect("{ ");
	while (!p.eat("}")) {
		const std::string name = p.until(" ");
		p.expect(" = ");
		fields[name] = bt_value(p);
		p.eat(", ") || p.eat(" ");
	}
	return fields;
}

// "[cycles] (+delta) host name: { cpu_id = C }, { tid = T }, { fields }"
Event bt_event(const std::string &line)
{
	Parser p(line);
	Event ev;
	ev.line = line;
	p.expect("[");
	ev.ts = std::stoull(p.until("]"));
	p.expect("] (");
	p.until(")");
	p.expect(") ");
	p.until(" ");
	p.expect(" ");
	ev.name = p.until(":");
	p.expect(": ");
	ev.cpu = static_cast<std::uint32_t>(std::stoul(bt_struct(p).at("cpu_id").text));
	p.expect(", ");
	ev.tid = std::stoll(bt_struct(p).at("tid").text);
	if (p.eat(", "))
		ev.fields = bt_struct(p);
	return ev;
}

Value json_value(Parser &p)
{
	if (p.peek() == '"')
		return {Value::String, p.quoted(), {}};
	if (p.eat("null"))
		return {};
	if (p.eat("[")) {
		Value v{Value::Array, "", {}};
		while (!p.eat("]")) {
			v.items.push_back(json_value(p));
			p.eat(",");
		}
		return v;
	}
	return number(p.until(",}]"));
}

std::map<std::string, Value> json_object(const std::string &line)
{
	Parser p(line);
	std::map<std::string, Value> obj;
	p.expect("{");
	while (!p.eat("}")) {
		const std::string key = p.quoted();
		p.expect(":");
		obj[key] = json_value(p);
		p.eat(",");
	}
	return obj;
}

// LTTng's names (ctf_names.cpp), written out again as the oracle.
std::string lttng_event(const std::map<std::string, Value> &j)
{
	const std::string name = j.at("event").text;
	const auto sys = j.find("syscall");
	const std::string sc = sys == j.end() ? "unknown" : sys->second.text;
	if (name == "sys_enter")
		return "syscall_entry_" + sc;
	if (name == "sys_exit")
		return "syscall_exit_" + sc;
	static const std::map<std::string, std::string> names{
		{"softirq_entry", "irq_softirq_entry"}, {"softirq_exit", "irq_softirq_exit"},
		{"kmalloc", "kmem_kmalloc"}, {"kfree", "kmem_kfree"},
		{"page_fault_user", "x86_exceptions_page_fault_user"},
		{"page_fault_kernel", "x86_exceptions_page_fault_kernel"}};
	const auto it = names.find(name);
	return it == names.end() ? name : it->second;
}

std::string lttng_field(const std::string &event, const std::string &field)
{
	static const std::map<std::string, std::string> names{
		{"pid", "tid"}, {"prev_pid", "prev_tid"}, {"next_pid", "next_tid"},
		{"parent_pid", "parent_tid"}, {"child_pid", "child_tid"}, {"old_pid", "old_tid"}};
	const auto it = names.find(field);
	return event.starts_with("sched_") && it != names.end() ? it->second : field;
}

struct Trace {
	std::vector<Event> events;
	std::map<std::uint32_t, std::uint64_t> lost;	// per CPU
};

// ktr report --json, as babeltrace2 should show it.
Trace expected(const std::string &json)
{
	static const char *const fixed[] = {"ts_ns", "ts", "cpu", "pid", "comm", "event", "syscall"};
	Trace t;
	std::istringstream in(json);
	for (std::string line; std::getline(in, line);) {
		const std::map<std::string, Value> j = json_object(line);
		const auto cpu = static_cast<std::uint32_t>(std::stoul(j.at("cpu").text));
		if (j.contains("lost")) {
			t.lost[cpu] += std::stoull(j.at("lost").text);
			continue;
		}
		Event ev;
		ev.line = line;
		ev.ts = std::stoull(j.at("ts_ns").text);
		ev.cpu = cpu;
		ev.tid = std::stoll(j.at("pid").text);
		ev.name = lttng_event(j);
		const std::string event = j.at("event").text;
		for (const auto &[key, value] : j) {
			if (std::find(std::begin(fixed), std::end(fixed), key) != std::end(fixed))
				continue;
			std::string name = key;
			// JSON's '_' prefix for a field named like one of its keys.
			while (name.starts_with('_') &&
			       std::find(std::begin(fixed), std::end(fixed), name) == std::end(fixed))
				name.erase(0, 1);
			if (name.empty() ||
			    std::find(std::begin(fixed), std::end(fixed), name) == std::end(fixed))
				name = key;
			Value v = value;
			if (v.kind == Value::String)	// CTF strings end at the first NUL
				v.text = v.text.substr(0, v.text.find('\0'));
			ev.fields[lttng_field(event, name)] = v;
		}
		t.events.push_back(std::move(ev));
	}
	return t;
}

// babeltrace2 --clock-cycles: stdout and stderr (its discarded-events
// warnings).
Trace seen(const std::string &out, const std::string &err)
{
	Trace t;
	std::istringstream in(out);
	for (std::string line; std::getline(in, line);)
		t.events.push_back(bt_event(line));
	std::istringstream warn(err);
	for (std::string line; std::getline(warn, line);) {
		if (!line.starts_with("WARNING: Tracer discarded "))
			continue;
		Parser p(line);
		p.expect("WARNING: Tracer discarded ");
		const std::uint64_t n = std::stoull(p.until(" "));
		const std::size_t at = line.find("/channel0_");
		if (at == std::string::npos)
			throw std::runtime_error("no stream in: " + line);
		t.lost[static_cast<std::uint32_t>(std::stoul(line.substr(at + 10)))] += n;
	}
	return t;
}

std::optional<std::string> find_program(const std::string &name)
{
	const char *path = std::getenv("PATH");
	std::istringstream dirs(path ? path : "/usr/bin:/bin");
	for (std::string dir; std::getline(dirs, dir, ':');) {
		const std::string p = dir + "/" + name;
		if (::access(p.c_str(), X_OK) == 0)
			return p;
	}
	return std::nullopt;
}

void by_time(std::vector<Event> &evs)
{
	std::stable_sort(evs.begin(), evs.end(), [](const Event &a, const Event &b) {
		return a.ts != b.ts ? a.ts < b.ts : a.cpu < b.cpu;
	});
}

// Check every event of @capture as babeltrace2 reads its CTF trace.
void check_capture(const std::string &capture, std::size_t min_events)
{
	const std::optional<std::string> bt = find_program("babeltrace2");
	if (!bt) {
		const char *ci = std::getenv("CI");
		if (ci && *ci)
			FAIL() << "babeltrace2 is not installed: run make deps (Debian package "
				  "babeltrace2)";
		GTEST_SKIP() << "babeltrace2 is not installed (make deps installs it)";
	}
	test::TempDir dir;
	const std::string ctf = dir.path("ctf");
	const test::Outcome json = test::run_tool(KTR_BIN, {"report", "--json", capture});
	ASSERT_EQ(json.status, 0) << json.err;
	const test::Outcome wr = test::run_tool(KTR_BIN, {"report", capture, "--format", "ctf",
							  "-o", ctf});
	ASSERT_EQ(wr.status, 0) << wr.err;
	EXPECT_EQ(wr.out, "");
	const test::Outcome b = test::run_tool(*bt, {"--clock-cycles", ctf});
	ASSERT_EQ(b.status, 0) << b.err;

	Trace want = expected(json.out);
	Trace got = seen(b.out, b.err);
	ASSERT_GE(want.events.size(), min_events) << "fewer events than the capture holds";
	ASSERT_EQ(got.events.size(), want.events.size());
	EXPECT_EQ(got.lost, want.lost);
	// babeltrace2 prints in time order; events of one time on two CPUs may
	// come in either order: compare both sorted by (time, CPU), stably, so
	// that each CPU's own order is compared as it is.
	for (std::size_t i = 1; i < got.events.size(); i++)
		ASSERT_LE(got.events[i - 1].ts, got.events[i].ts) << got.events[i].line;
	by_time(got.events);
	by_time(want.events);
	std::size_t fields = 0;
	for (std::size_t i = 0; i < want.events.size(); i++) {
		const Event &w = want.events[i];
		Event g = got.events[i];
		SCOPED_TRACE("event " + std::to_string(i) + "\n  json: " + w.line +
			     "\n  babeltrace2: " + g.line);
		ASSERT_EQ(g.ts, w.ts);
		ASSERT_EQ(g.cpu, w.cpu);
		EXPECT_EQ(g.tid, w.tid);
		EXPECT_EQ(g.name, w.name);
		// A sequence's length is its own field in CTF.
		for (auto it = g.fields.begin(); it != g.fields.end();) {
			const std::string &k = it->first;
			if (k.starts_with('_') && k.ends_with("_length")) {
				const auto arr = g.fields.find(k.substr(1, k.size() - 8));
				ASSERT_NE(arr, g.fields.end());
				EXPECT_EQ(it->second.text, std::to_string(arr->second.items.size()));
				it = g.fields.erase(it);
			} else {
				++it;
			}
		}
		// JSON names the task from a "comm" field once, in "comm".
		if (g.fields.contains("comm") && !w.fields.contains("comm")) {
			const std::map<std::string, Value> j = json_object(w.line);
			EXPECT_EQ(g.fields.at("comm"), j.at("comm"));
			g.fields.erase("comm");
		}
		EXPECT_EQ(g.fields, w.fields);
		fields += w.fields.size();
	}
	EXPECT_GT(fields, want.events.size()) << "the fields were not compared";
}

TEST(CtfBabeltrace, SmallCapture)
{
	test::TempDir dir;
	const std::string capture = dir.path("trace.ktr");
	ASSERT_TRUE(test::write_ctf_capture(capture));
	check_capture(capture, 9);
}

TEST(CtfBabeltrace, VmCapture)
{
	const std::string capture = KTR_TEST_DATA_DIR "/ctf/vm-6.1.ktr";
	ASSERT_TRUE(std::filesystem::exists(capture)) << capture;
	check_capture(capture, 992);
}

} // namespace
} // namespace ktr
