// SPDX-License-Identifier: MIT
//
// Filters evaluated in user space (ktr/event_filter.h) against the module's
// own filter core (kmod/probes/ktr_filter_prog.c, built for the host): the
// glob and whole programs must give the same answer on the same input,
// over hand-picked and random cases.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "filter_host.h"
#include "ktr/event_filter.h"
#include "print_helpers.h"

namespace ktr {
namespace {

using Bytes = std::vector<std::byte>;

TEST(FilterGlob, HandPicked)
{
	EXPECT_TRUE(filter_glob_match("ba*", "bash"));
	EXPECT_TRUE(filter_glob_match("*", ""));
	EXPECT_TRUE(filter_glob_match("k?orker*", "kworker/0:1"));
	EXPECT_TRUE(filter_glob_match("[a-c]x", "bx"));
	EXPECT_FALSE(filter_glob_match("[!a-c]x", "bx"));
	EXPECT_FALSE(filter_glob_match("[^a-c]x", "bx"));
	EXPECT_TRUE(filter_glob_match("[]]", "]"));
	EXPECT_TRUE(filter_glob_match("a[", "a["));	// unclosed: a literal
	EXPECT_TRUE(filter_glob_match("a\\b", "a\\b"));	// no escapes
	EXPECT_FALSE(filter_glob_match("ba", "bash"));
	EXPECT_FALSE(filter_glob_match("", "x"));
}

// Random patterns and texts over an alphabet full of glob syntax: the same
// answer as the module's ktr_glob_n().
TEST(FilterGlob, SameAsTheModule)
{
	std::mt19937 rng(15);
	const std::string alpha = "ab*?[]!^-";
	const auto word = [&](std::size_t max) {
		std::string s(rng() % (max + 1), ' ');
		for (char &c : s)
			c = alpha[rng() % alpha.size()];
		return s;
	};
	for (int i = 0; i < 20000; i++) {
		const std::string pat = word(8), text = word(8);
		ASSERT_EQ(filter_glob_match(pat, text), ktr_glob_n(pat.c_str(), text.data(), text.size()))
			<< "pattern [" << pat << "] text [" << text << "]";
	}
}

// Offsets: prev_comm 8, prev_pid 24, prev_state 28, next_comm 32, nice 48
// (s8), prio 49 (u8), s16f 50, u16f 52, big 56 (u64), loc 64 (string_loc),
// filename 68 (rest string).
EventFormat test_event()
{
	EventFormat ev{11, "test", "mixed", test::common_fields()};
	const std::vector<FieldFormat> f = {
		{"prev_comm", FieldType::CharArray, 8, 16, false},
		{"prev_pid", FieldType::Int, 24, 4, true},
		{"prev_state", FieldType::Int, 28, 4, false},
		{"next_comm", FieldType::CharArray, 32, 16, false},
		{"nice", FieldType::Int, 48, 1, true},
		{"prio", FieldType::Int, 49, 1, false},
		{"s16f", FieldType::Int, 50, 2, true},
		{"u16f", FieldType::Int, 52, 2, false},
		{"big", FieldType::Int, 56, 8, false},
		{"loc", FieldType::StringLoc, 64, 4, false},
		{"filename", FieldType::RestString, 68, 0, false},
	};
	ev.fields.insert(ev.fields.end(), f.begin(), f.end());
	return ev;
}

TEST(EventFilter, SameAsTheModuleOnRandomPayloads)
{
	const EventFormat ev = test_event();
	const std::vector<std::string> exprs = {
		"prev_pid == 1",
		"prev_pid < -5 || prev_pid >= 100",
		"nice >= -3 && prio > 100",
		"prev_comm ~ \"ba*\"",
		"!(next_comm == \"ab\") || prev_state & 2",
		"next_comm !~ \"[a-c]?*\" && prev_comm != \"b\"",
		"u16f <= 40000 && s16f > -100",
		"big > 0x8000000000000000",
		"loc == \"ab\" || loc ~ \"*b\"",
		"filename ~ \"/a*\" && !(filename == \"/ab\")",
	};
	std::mt19937 rng(42);
	const auto text = [&](std::size_t max) {
		std::string s(rng() % (max + 1), 'a');
		for (char &c : s)
			c = "ab/c"[rng() % 4];
		return s;
	};
	for (const std::string &expr : exprs) {
		Result<EventFilter> mine = EventFilter::compile(ev, expr);
		ASSERT_TRUE(mine) << mine.error().message();
		const test::HostFilter theirs(ev, mine->program());
		ASSERT_EQ(theirs.error(), KTR_FPROG_OK) << expr;
		int kept = 0;
		for (int i = 0; i < 3000; i++) {
			Bytes p(68);
			for (std::size_t b = 24; b < 64; b++)
				p[b] = static_cast<std::byte>(rng() % 4 == 0 ? rng() : rng() % 3);
			const std::string c1 = text(16), c2 = text(16), name = text(6), loc = text(4);
			std::memcpy(p.data() + 8, c1.data(), c1.size());	// maybe no NUL
			std::memcpy(p.data() + 32, c2.data(), c2.size());
			p.resize(68 + name.size());
			std::memcpy(p.data() + 68, name.data(), name.size());
			// The location: inside, empty, or (sometimes) outside the payload.
			const std::uint32_t at = static_cast<std::uint32_t>(p.size());
			p.resize(p.size() + loc.size());
			std::memcpy(p.data() + at, loc.data(), loc.size());
			std::uint32_t len = static_cast<std::uint32_t>(loc.size());
			if (rng() % 8 == 0)
				len += 3;
			const std::uint32_t word = at | len << 16;
			std::memcpy(p.data() + 64, &word, 4);
			const bool a = mine->matches(p);
			ASSERT_EQ(a, theirs.run(p)) << expr << " payload " << i;
			kept += a;
		}
		EXPECT_GT(kept, 0) << expr;	// the cases test both answers
		EXPECT_LT(kept, 3000) << expr;
	}
}

TEST(EventFilter, ShortPayloadIsNotKept)
{
	const EventFormat ev = test_event();
	Result<EventFilter> f = EventFilter::compile(ev, "big != 1");
	ASSERT_TRUE(f);
	EXPECT_FALSE(f->matches(Bytes(40)));
	EXPECT_TRUE(f->matches(Bytes(68)));
}

TEST(EventFilter, CompileErrorsAreTheCompilers)
{
	const EventFormat ev = test_event();
	Result<EventFilter> f = EventFilter::compile(ev, "nosuch == 1");
	ASSERT_FALSE(f);
	EXPECT_EQ(f.error().message(), compile_filter(ev, "nosuch == 1").error().message());
}

} // namespace
} // namespace ktr
