// SPDX-License-Identifier: MIT
//
// ktr profile's user-space half: folding (ktr/folded_stacks.h,
// ktr/folded_sink.h: order, merging identical stacks, the comm root,
// user then kernel frames, the timer interrupt's frames cut off, samples
// paired with their ktr:stack) and the flame graph SVG
// (ktr/flamegraph_svg.h: well-formed XML by a strict checker here and by
// xmllint when the build found it, frame counts adding up, escaping), and
// the command line's refusals.

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>

#include "ktr/flamegraph_svg.h"
#include "ktr/folded_sink.h"
#include "ktr/folded_stacks.h"
#include "ktr/line_sink.h"
#include "ktr/user_symbols.h"
#include "run_tool.h"
#include "temp_path.h"
#include "xml_check.h"

// A function of this binary for UserSymbols to find.
extern "C" __attribute__((noinline)) int ktr_profile_test_marker_fn(int x);
extern "C" __attribute__((noinline)) int ktr_profile_test_marker_fn(int x)
{
	asm volatile("" ::: "memory");
	return x * 3 + 1;
}

namespace ktr {
namespace {

// --- Folding -------------------------------------------------------------

TEST(FoldedStacks, MergesIdenticalStacksAndSortsThem)
{
	FoldedStacks f;
	const std::vector<std::string> a{"spin", "main", "loop"};
	const std::vector<std::string> b{"bash", "main"};
	f.add(a);
	f.add(b, 2);
	f.add(a);
	EXPECT_EQ(f.total(), 4U);
	EXPECT_EQ(f.stacks().size(), 2U);
	EXPECT_EQ(f.text(), "bash;main 2\nspin;main;loop 2\n");
	f.add(std::vector<std::string>{}, 5);	// no frames: nothing
	f.add(a, 0);
	EXPECT_EQ(f.total(), 4U);
}

TEST(FoldedStacks, FramesCannotHoldTheSeparators)
{
	FoldedStacks f;
	f.add(std::vector<std::string>{"a;b", "c\nd", ""});
	EXPECT_EQ(f.text(), "a:b;c d;[unknown] 1\n");
}

Symbolizer fake_kallsyms()
{
	return [](std::uint64_t addr) -> std::string {
		static const std::map<std::uint64_t, std::string> names{
			{0x1000, "asm_sysvec_apic_timer_interrupt+0x16"},
			{0x1100, "hrtimer_interrupt+0xf4"},
			{0x2000, "memset_orig+0x33"},
			{0x2100, "clear_page_erms+0x7"},
			{0x2200, "do_syscall_64+0x3b"},
			{0x2300, "entry_SYSCALL_64_after_hwframe+0x63"},
			{0x3000, "ext4_file_write_iter+0x10 [ext4]"},
		};
		auto it = names.find(addr);
		return it == names.end() ? "" : it->second;
	};
}

TEST(FoldSample, KernelFramesLoseOffsetsKeepModules)
{
	const Symbolizer k = fake_kallsyms();
	EXPECT_EQ(kernel_frame(k, 0x2000), "memset_orig");
	EXPECT_EQ(kernel_frame(k, 0x3000), "ext4_file_write_iter [ext4]");
	EXPECT_EQ(kernel_frame(k, 0xdead), "0xdead");
	EXPECT_EQ(kernel_frame({}, 0x2000), "0x2000");
}

TEST(FoldSample, CommThenUserThenKernelRootFirstWithoutTheInterrupt)
{
	ProfileSample s;
	s.comm = "spin";
	s.tgid = 42;
	s.user = false;
	s.ip = 0x2000;
	s.ustack = {0x401000, 0x401100, 0x401200};	// innermost first
	// Innermost first: the timer interrupt's frames, then the sampled ip.
	s.kstack = std::vector<std::uint64_t>{0x1100, 0x1000, 0x2000, 0x2100, 0x2200, 0x2300};
	const UserSymbolizer u = [](std::int32_t tgid, std::string_view comm,
				    std::uint64_t addr) -> std::string {
		EXPECT_EQ(tgid, 42);
		EXPECT_EQ(comm, "spin");
		return addr == 0x401200 - 1 ? "main" : "";
	};
	EXPECT_EQ(sample_frames(s, fake_kallsyms(), u),
		  (std::vector<std::string>{"spin", "main", "0x401100", "0x401000",
					    "entry_SYSCALL_64_after_hwframe", "do_syscall_64",
					    "clear_page_erms", "memset_orig"}));
}

TEST(FoldSample, UserModeSampleHasNoKernelFrames)
{
	ProfileSample s;
	s.comm = "spin";
	s.user = true;
	s.ip = 0x401000;
	s.ustack = {0x401000, 0x401100};
	s.kstack = std::vector<std::uint64_t>{0x1100, 0x1000};	// the interrupt only
	EXPECT_EQ(sample_frames(s, fake_kallsyms(), {}),
		  (std::vector<std::string>{"spin", "0x401100", "0x401000"}));
}

TEST(FoldSample, KernelStackWithoutTheIpIsKeptWhole)
{
	ProfileSample s;
	s.comm = "kworker/0:1";
	s.ip = 0x9999;
	s.kstack = std::vector<std::uint64_t>{0x2000, 0x2100};
	EXPECT_EQ(sample_frames(s, fake_kallsyms(), {}),
		  (std::vector<std::string>{"kworker/0:1", "clear_page_erms", "memset_orig"}));
	s.kstack.reset();	// no stack recorded: the sampled ip alone
	EXPECT_EQ(sample_frames(s, fake_kallsyms(), {}),
		  (std::vector<std::string>{"kworker/0:1", "0x9999"}));
}

// The payloads the profile tracer and ktr's stack capture write.
constexpr std::uint16_t sample_id = 0x3000;
constexpr std::uint16_t stack_id = 22;	// KTR_EVENT_STACK

CaptureInfo profile_info(bool with_stack_format = true)
{
	CaptureInfo info;
	info.page_size = 4096;
	info.nr_cpus = 2;
	info.subbuf_size = 4096;
	const std::vector<FieldFormat> common{{"common_id", FieldType::Int, 0, 2, false},
					      {"common_flags", FieldType::Int, 2, 2, false},
					      {"common_pid", FieldType::Int, 4, 4, true}};
	std::vector<FieldFormat> sample = common;
	sample.push_back({"tgid", FieldType::Int, 8, 4, true});
	sample.push_back({"tid", FieldType::Int, 12, 4, true});
	sample.push_back({"comm", FieldType::CharArray, 16, 16, false});
	sample.push_back({"user", FieldType::Int, 32, 4, false});
	sample.push_back(
		{"ip", FieldType::Int, 40, 8, false, FieldDisplay::Symbol});
	sample.push_back({"ustack", FieldType::RestU64, 48, 0, false});
	EXPECT_TRUE(info.formats.add(EventFormat{sample_id, "profile", "sample", sample}));
	if (with_stack_format) {
		std::vector<FieldFormat> stack = common;
		stack.push_back({"event_ts", FieldType::Int, 8, 8, false});
		stack.push_back({"nr", FieldType::Int, 16, 4, false});
		stack.push_back({"ips", FieldType::RestU64, 24, 0, false});
		EXPECT_TRUE(info.formats.add(EventFormat{stack_id, "ktr", "stack", stack}));
	}
	return info;
}

template <typename T> void put(std::vector<std::byte> &b, std::size_t off, T v)
{
	if (b.size() < off + sizeof(v))
		b.resize(off + sizeof(v));
	std::memcpy(b.data() + off, &v, sizeof(v));
}

std::vector<std::byte> sample_payload(const char *comm, std::int32_t tgid, bool user,
				      std::uint64_t ip, const std::vector<std::uint64_t> &ustack)
{
	std::vector<std::byte> b(48);
	put<std::uint16_t>(b, 0, sample_id);
	put<std::int32_t>(b, 4, tgid);
	put<std::int32_t>(b, 8, tgid);
	put<std::int32_t>(b, 12, tgid);
	std::memcpy(b.data() + 16, comm, std::min<std::size_t>(std::strlen(comm), 16));
	put<std::uint32_t>(b, 32, user ? 1 : 0);
	put<std::uint64_t>(b, 40, ip);
	for (std::size_t i = 0; i < ustack.size(); i++)
		put<std::uint64_t>(b, 48 + 8 * i, ustack[i]);
	return b;
}

std::vector<std::byte> stack_payload(std::uint64_t event_ts, const std::vector<std::uint64_t> &ips)
{
	std::vector<std::byte> b(24);
	put<std::uint16_t>(b, 0, stack_id);
	put<std::uint64_t>(b, 8, event_ts);
	put<std::uint32_t>(b, 16, static_cast<std::uint32_t>(ips.size()));
	for (std::size_t i = 0; i < ips.size(); i++)
		put<std::uint64_t>(b, 24 + 8 * i, ips[i]);
	return b;
}

TEST(FoldedSink, PairsSamplesWithTheirStacksPerCpu)
{
	StringOutput out;
	FoldedSink sink(&out);
	ASSERT_TRUE(sink.begin(profile_info(), fake_kallsyms()));
	const auto k0 = sample_payload("spin", 7, false, 0x2000, {0x401000, 0x401100});
	const auto u1 = sample_payload("spin", 7, true, 0x401000, {0x401000, 0x401100});
	const auto idle = sample_payload("swapper/0", 0, false, 0x2100, {});
	const auto st0 = stack_payload(100, {0x1100, 0x1000, 0x2000, 0x2200});
	const auto st1 = stack_payload(105, {0x1100, 0x1000});
	const auto wrong = stack_payload(999, {0x2300});
	// Interleaved CPUs; a stack of another time is not the sample's.
	ASSERT_TRUE(sink.event({0, 100, k0}));
	ASSERT_TRUE(sink.event({1, 105, u1}));
	ASSERT_TRUE(sink.event({0, 101, wrong}));
	ASSERT_TRUE(sink.event({1, 106, st1}));
	ASSERT_TRUE(sink.event({0, 102, st0}));
	ASSERT_TRUE(sink.event({1, 200, k0}));
	ASSERT_TRUE(sink.event({1, 201, st0}));	// event_ts 100: not this one
	ASSERT_TRUE(sink.event({0, 300, idle}));	// its stack never comes
	ASSERT_TRUE(sink.end({}));
	EXPECT_EQ(out.text(), "spin;0x401100;0x401000 1\n"
			      "spin;0x401100;0x401000;do_syscall_64;memset_orig 1\n"
			      "spin;0x401100;0x401000;memset_orig 1\n"
			      "swapper/0;clear_page_erms 1\n");
	EXPECT_EQ(sink.samples(), 4U);
	EXPECT_EQ(sink.kernel_stacks(), 2U);
	EXPECT_EQ(sink.user_stacks(), 3U);
}

TEST(FoldedSink, WithoutStackFormatFoldsEachSampleAtOnce)
{
	FoldedSink sink;
	ASSERT_TRUE(sink.begin(profile_info(false), {}));
	ASSERT_TRUE(sink.event({0, 1, sample_payload("a", 1, false, 0x10, {})}));
	ASSERT_TRUE(sink.event({0, 2, sample_payload("a", 1, false, 0x10, {})}));
	EXPECT_EQ(sink.stacks().text(), "a;0x10 2\n");
}

TEST(FoldedSink, RefusesTracesWithoutProfileSamples)
{
	FoldedSink sink;
	CaptureInfo info;
	info.formats = builtin_formats();
	Result<void> r = sink.begin(info, {});
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	EXPECT_TRUE(test::contains(r.error().message(), "profile:sample")) << r.error().message();
}

TEST(FoldedSink, TruncatedSampleIsAnErrorNotAGuess)
{
	FoldedSink sink;
	ASSERT_TRUE(sink.begin(profile_info(), {}));
	auto b = sample_payload("a", 1, false, 0x10, {});
	b.resize(20);
	EXPECT_FALSE(sink.event({0, 1, b}));
	ASSERT_TRUE(sink.end({}));
	EXPECT_EQ(sink.samples(), 0U);
}

TEST(UserSymbols, ParsesExecutableFileMappingsOnly)
{
	const std::vector<UserMapping> m = parse_maps(
		"55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 1234       /usr/bin/spin\n"
		"55d0c0a01000-55d0c0a02000 r-xp 00001000 08:01 1234       /usr/bin/spin\n"
		"7f0000000000-7f0000021000 rw-p 00000000 00:00 0 \n"
		"7ffd1c1f0000-7ffd1c1f2000 r-xp 00000000 00:00 0          [vdso]\n"
		"7f1000000000-7f1000100000 r-xp 00028000 08:01 99         /lib/x86_64-linux-gnu/libc.so.6\n");
	ASSERT_EQ(m.size(), 3U);
	EXPECT_EQ(m[0].start, 0x55d0c0a01000U);
	EXPECT_EQ(m[0].end, 0x55d0c0a02000U);
	EXPECT_EQ(m[0].offset, 0x1000U);
	EXPECT_EQ(m[0].path, "/usr/bin/spin");
	EXPECT_EQ(m[1].path, "[vdso]");
	EXPECT_EQ(m[2].path, "/lib/x86_64-linux-gnu/libc.so.6");
}

TEST(UserSymbols, NamesAFunctionOfThisProcess)
{
	UserSymbols syms;
	const auto addr = reinterpret_cast<std::uintptr_t>(&ktr_profile_test_marker_fn);
	EXPECT_EQ(ktr_profile_test_marker_fn(1), 4);
	EXPECT_EQ(syms.name(getpid(), "t", addr + 1), "ktr_profile_test_marker_fn");
	// In no mapping: nothing (the caller shows hex).
	EXPECT_EQ(syms.name(getpid(), "t", 8), "");
	EXPECT_EQ(syms.name(0, "t", addr), "");
	EXPECT_EQ(ElfSymbols::load("/nonexistent").size(), 0U);
}

// --- The SVG -------------------------------------------------------------

::testing::AssertionResult well_formed(const std::string &x)
{
	const std::string problem = test::xml_problem(x);
	if (problem.empty())
		return ::testing::AssertionSuccess();
	return ::testing::AssertionFailure() << problem;
}

struct Frame {
	std::string title;
	double x, y, w;
	std::uint64_t n;
};

std::vector<Frame> frames_of(const std::string &svg)
{
	std::vector<Frame> out;
	static const std::regex f(
		"<g class=\"f\"><title>([^<]*)</title><rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" "
		"width=\"([0-9.]+)\"[^>]* data-n=\"([0-9]+)\"/>");
	for (auto it = std::sregex_iterator(svg.begin(), svg.end(), f); it != std::sregex_iterator();
	     ++it)
		out.push_back({(*it)[1], std::stod((*it)[2]), std::stod((*it)[3]),
			       std::stod((*it)[4]), std::stoull((*it)[5])});
	return out;
}

FoldedStacks sample_stacks()
{
	FoldedStacks f;
	f.add(std::vector<std::string>{"spin", "main", "burn"}, 60);
	f.add(std::vector<std::string>{"spin", "main", "burn", "sqrt"}, 20);
	f.add(std::vector<std::string>{"spin", "main"}, 5);
	f.add(std::vector<std::string>{"swapper/0", "do_idle", "default_idle"}, 14);
	f.add(std::vector<std::string>{"a<b>&\"c\"", "operator<<"}, 1);
	return f;
}

TEST(FlameGraphSvg, IsWellFormed)
{
	const std::string svg = flamegraph_svg(sample_stacks(), {"Title & <more>", "sub", 1200, 0, 16});
	EXPECT_TRUE(well_formed(svg));
	EXPECT_TRUE(well_formed(flamegraph_svg(FoldedStacks{})));
	EXPECT_FALSE(well_formed("<svg><g></svg>"));	// the checker checks
	EXPECT_FALSE(well_formed("<svg a=\"1\" a=\"2\"/>"));
	EXPECT_FALSE(well_formed("<svg>&</svg>"));
}

#ifdef KTR_XMLLINT
TEST(FlameGraphSvg, XmllintParsesIt)
{
	test::TempDir dir;
	const std::string path = dir.path("fg.svg");
	std::ofstream(path) << flamegraph_svg(sample_stacks(), {"t", "", 1200, 0, 16});
	const test::Outcome o = test::run_tool(KTR_XMLLINT, {"--noout", path});
	EXPECT_EQ(o.status, 0) << o.err;
	std::ofstream(path) << "<svg><g></svg>";
	EXPECT_NE(test::run_tool(KTR_XMLLINT, {"--noout", path}).status, 0);
}
#endif

// A real browser draws it: headless Chromium renders the SVG to a PNG that
// is not blank (tests/unit/svg_render.sh, as for the benchmark charts).
TEST(FlameGraphSvg, ChromiumDrawsIt)
{
	test::TempDir dir;
	const std::string path = dir.path("flamegraph.svg");
	std::ofstream(path) << flamegraph_svg(sample_stacks(), {"ktr profile", "sub", 1200, 0, 16});
	const test::Outcome o =
		test::run_tool("/bin/bash", {KTR_TEST_DATA_DIR "/../unit/svg_render.sh", path});
	EXPECT_EQ(o.status, 0) << o.out << o.err;
	EXPECT_NE(o.out.find("ok   flamegraph:"), std::string::npos) << o.out;
}

TEST(FlameGraphSvg, FrameCountsAddUp)
{
	const FoldedStacks stacks = sample_stacks();
	const std::vector<Frame> fs = frames_of(flamegraph_svg(stacks, {"t", "", 1200, 0, 16}));
	// all, spin, main, burn, sqrt, swapper/0, do_idle, default_idle, and
	// the escaped one with its child.
	ASSERT_EQ(fs.size(), 10U);
	EXPECT_EQ(fs[0].title, "all (100 samples, 100.00%)");
	EXPECT_EQ(fs[0].n, stacks.total());
	// Each level's frames add up to at most their parent's, and the comm
	// level (just above "all") to the total.
	const double root_y = fs[0].y;
	std::uint64_t comms = 0;
	for (const Frame &f : fs)
		if (f.y == root_y - 16)
			comms += f.n;
	EXPECT_EQ(comms, stacks.total());
	for (const Frame &p : fs) {
		std::uint64_t kids = 0;
		for (const Frame &c : fs)
			if (c.y == p.y - 16 && c.x >= p.x - 0.01 && c.x + c.w <= p.x + p.w + 0.01)
				kids += c.n;
		EXPECT_LE(kids, p.n) << p.title;
	}
	// Widths proportional to samples.
	for (const Frame &f : fs)
		EXPECT_NEAR(f.w, 1180.0 * static_cast<double>(f.n) / 100.0, 0.01) << f.title;
	bool burn = false;
	for (const Frame &f : fs)
		if (f.title == "burn (80 samples, 80.00%)")
			burn = true;
	EXPECT_TRUE(burn);
}

TEST(FlameGraphSvg, EscapesNames)
{
	const std::string svg = flamegraph_svg(sample_stacks(), {"t", "", 1200, 0, 16});
	EXPECT_TRUE(test::contains(svg, "<title>a&lt;b&gt;&amp;&quot;c&quot; (1 sample, 1.00%)</title>"))
		<< svg;
	EXPECT_TRUE(test::contains(svg, "<title>operator&lt;&lt; (1 sample, 1.00%)</title>"));
	EXPECT_FALSE(test::contains(svg, "operator<<"));
	EXPECT_EQ(xml_escape("<a href=\"x\">&'</a>\x01"),
		  "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;?");
}

TEST(FlameGraphSvg, NarrowFramesAreLeftOutNotMiscounted)
{
	FoldedStacks f;
	f.add(std::vector<std::string>{"big"}, 100000);
	f.add(std::vector<std::string>{"tiny"}, 1);
	const std::vector<Frame> fs = frames_of(flamegraph_svg(f));	// min_width 0.1 px
	ASSERT_EQ(fs.size(), 2U);
	EXPECT_EQ(fs[0].n, 100001U);
	EXPECT_EQ(fs[1].title, "big (100000 samples, 100.00%)");
}

TEST(FlameGraphSvg, ColorsAreDeterministicByName)
{
	EXPECT_EQ(frame_color("do_idle"), frame_color("do_idle"));
	EXPECT_NE(frame_color("do_idle"), frame_color("memset_orig"));
	const std::regex rgb("rgb\\(([0-9]+),([0-9]+),([0-9]+)\\)");
	std::smatch m;
	const std::string c = frame_color("x");
	ASSERT_TRUE(std::regex_match(c, m, rgb));
	EXPECT_GE(std::stoi(m[1]), 205);
	EXPECT_LE(std::stoi(m[1]), 255);
	// The same name, the same color in the graph.
	const std::string svg = flamegraph_svg(sample_stacks(), {"t", "", 1200, 0, 16});
	EXPECT_TRUE(test::contains(svg, "fill=\"" + frame_color("burn") + "\""));
}

TEST(FlameGraphSvg, HasTheInteractiveParts)
{
	const std::string svg = flamegraph_svg(sample_stacks());
	for (const char *part : {"function zoom(", "function search(", "id=\"unzoom\"",
				 "id=\"search\"", "id=\"details\"", "<![CDATA["})
		EXPECT_TRUE(test::contains(svg, part)) << part;
}

// --- The command line ----------------------------------------------------

TEST(ProfileCli, RefusesMixedModes)
{
	for (const std::vector<std::string> &args :
	     {std::vector<std::string>{"profile", "--input", "x.ktr", "-F", "99"},
	      std::vector<std::string>{"profile", "--input", "x.ktr", "--", "true"},
	      std::vector<std::string>{"profile", "--kallsyms", "/proc/kallsyms"},
	      std::vector<std::string>{"profile", "-d", "1s", "--", "true"},
	      std::vector<std::string>{"profile", "-F", "0"},
	      std::vector<std::string>{"profile", "-F", "10001"}}) {
		const test::Outcome o = test::run_tool(KTR_BIN, args);
		EXPECT_EQ(o.status, 2) << args[2] << ": " << o.err;
		EXPECT_FALSE(o.err.empty());
	}
}

TEST(ProfileCli, InputThatIsNotACaptureFails)
{
	test::TempDir dir;
	const std::string bad = dir.path("bad.ktr");
	std::ofstream(bad) << "not a capture";
	const test::Outcome o =
		test::run_tool(KTR_BIN, {"profile", "--input", bad, "--svg", dir.path("o.svg")});
	EXPECT_EQ(o.status, 1) << o.err;
	EXPECT_TRUE(test::contains(o.err, bad)) << o.err;
	EXPECT_FALSE(std::ifstream(dir.path("o.svg")).good());	// nothing written
}

} // namespace
} // namespace ktr
