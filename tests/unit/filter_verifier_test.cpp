// SPDX-License-Identifier: MIT
//
// The module's filter verifier (ktr_fprog_verify(), kmod/probes/
// ktr_filter_prog.c, built for the host by userspace/filter-host) against
// programs that break each invariant it promises the VM: it must refuse
// every one, and say why. Then mutated compiled programs: whatever the
// verifier accepts, the VM runs within the payload (ASan builds check it).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <ktr.h>

#include "filter_host.h"
#include "ktr/event_format.h"
#include "ktr/filter_compile.h"
#include "print_helpers.h"

namespace ktr {
namespace {

using namespace std::string_literals;
using Insns = std::vector<ktr_filter_insn>;

// prev_comm 8/16, prev_pid 24/4 (s32), prev_state 28/4, next_comm 32/16,
// odd 48/3, ips 56 (a list of u64).
const EventFormat &event()
{
	static const EventFormat ev = [] {
		EventFormat e{11, "test", "ev", test::common_fields()};
		const std::vector<FieldFormat> fields = {
			{"prev_comm", FieldType::CharArray, 8, 16, false},
			{"prev_pid", FieldType::Int, 24, 4, true},
			{"prev_state", FieldType::Int, 28, 4, false},
			{"next_comm", FieldType::CharArray, 32, 16, false},
			{"odd", FieldType::Int, 48, 3, false},	// no such int in the module
			{"ips", FieldType::RestU64, 56, 0, false},
		};
		e.fields.insert(e.fields.end(), fields.begin(), fields.end());
		return e;
	}();
	return ev;
}

const EventFormat &rest_event()
{
	static const EventFormat ev = [] {
		EventFormat e{12, "test", "exec", test::common_fields()};
		e.fields.push_back({"pid", FieldType::Int, 8, 4, true});
		e.fields.push_back({"filename", FieldType::RestString, 12, 0, false});
		return e;
	}();
	return ev;
}

// A probe event: pid 8/4, path 12/4 (a string location), name 16/4 (an
// integer of the same size, not a location).
const EventFormat &loc_event()
{
	static const EventFormat ev = [] {
		EventFormat e{13, "kprobes", "myopen", test::common_fields()};
		e.fields.push_back({"pid", FieldType::Int, 8, 4, true});
		e.fields.push_back({"path", FieldType::StringLoc, 12, 4, false});
		e.fields.push_back({"name", FieldType::Int, 16, 4, false});
		return e;
	}();
	return ev;
}

ktr_filter_insn insn(std::uint16_t op, std::uint32_t offset = 0, std::uint32_t size = 0,
		     std::uint64_t value = 0)
{
	ktr_filter_insn in{};
	in.op = op;
	in.offset = offset;
	in.size = size;
	in.value = value;
	return in;
}

const ktr_filter_insn pid_eq_1 = insn(KTR_FOP_EQ, 24, 4, 1);
const ktr_filter_insn state_gt_0 = insn(KTR_FOP_GT, 28, 4, 0);
const ktr_filter_insn AND = insn(KTR_FOP_AND);
const ktr_filter_insn OR = insn(KTR_FOP_OR);
const ktr_filter_insn NOT = insn(KTR_FOP_NOT);

ktr_fprog_err verify(const Insns &p, const std::string &strings = "",
		     const EventFormat &ev = event())
{
	return test::HostFilter(ev, p, strings).error();
}

#define EXPECT_REFUSED(err, ...) \
	EXPECT_EQ(test::fprog_err_name(verify(__VA_ARGS__)), test::fprog_err_name(err))

TEST(FilterVerifier, TakesWellFormedPrograms)
{
	EXPECT_REFUSED(KTR_FPROG_OK, {pid_eq_1});
	EXPECT_REFUSED(KTR_FPROG_OK, {pid_eq_1, state_gt_0, AND, NOT});
	EXPECT_REFUSED(KTR_FPROG_OK, {insn(KTR_FOP_GLOB, 8, 16, 0), pid_eq_1, OR}, "b*\0"s);
	EXPECT_REFUSED(KTR_FPROG_OK, {insn(KTR_FOP_STR_EQ, 12, 0, 2)}, "a\0b\0"s,
		       rest_event());
	// Common fields are fields of every event.
	EXPECT_REFUSED(KTR_FPROG_OK, {insn(KTR_FOP_BAND, 2, 2, 1)});
	// The limits themselves: 64 instructions, 8 globs of 63 bytes.
	Insns many = {pid_eq_1};
	while (many.size() < KTR_FILTER_INSNS_MAX)
		many.push_back(NOT);
	EXPECT_REFUSED(KTR_FPROG_OK, many);
	const std::string pattern(KTR_FILTER_GLOB_LEN_MAX - 1, '*');
	Insns globs = {insn(KTR_FOP_GLOB, 8, 16, 0)};
	for (unsigned i = 1; i < KTR_FILTER_GLOBS_MAX; i++) {
		globs.push_back(insn(KTR_FOP_NGLOB, 32, 16, 0));
		globs.push_back(AND);
	}
	EXPECT_REFUSED(KTR_FPROG_OK, globs, pattern + '\0');
}

TEST(FilterVerifier, RefusesTruncatedOrOversizePrograms)
{
	EXPECT_REFUSED(KTR_FPROG_ELEN, Insns{});
	const Insns two = {pid_eq_1, state_gt_0, AND};
	// A program cut inside an instruction.
	for (std::size_t len : {std::size_t{1}, sizeof(ktr_filter_insn) - 1,
				sizeof(ktr_filter_insn) + 4, 3 * sizeof(ktr_filter_insn) - 8}) {
		const test::HostFilter h(event(), two.data(), len, "");
		EXPECT_EQ(h.error(), KTR_FPROG_ELEN) << len;
	}
	// A program cut between instructions: the last AND is missing.
	const test::HostFilter cut(event(), two.data(), 2 * sizeof(ktr_filter_insn), "");
	EXPECT_EQ(cut.error(), KTR_FPROG_ERESULT);
	EXPECT_EQ(cut.bad(), 1U);
	Insns many = {pid_eq_1};
	while (many.size() <= KTR_FILTER_INSNS_MAX)
		many.push_back(NOT);
	EXPECT_REFUSED(KTR_FPROG_ELEN, many);
	EXPECT_EQ(ktr_fprog_count(KTR_FILTER_INSNS_MAX * sizeof(ktr_filter_insn)),
		  unsigned{KTR_FILTER_INSNS_MAX});
	EXPECT_EQ(ktr_fprog_count((KTR_FILTER_INSNS_MAX + 1) * sizeof(ktr_filter_insn)), 0U);
}

TEST(FilterVerifier, RefusesUnknownOps)
{
	for (const std::uint16_t op : std::vector<std::uint16_t>{0, 4, 5, 7, 15, 20, 0x100, 0xffff}) {
		const test::HostFilter h(event(), Insns{pid_eq_1, insn(op, 24, 4, 1), AND}, "");
		EXPECT_EQ(h.error(), KTR_FPROG_EOP) << op;
		EXPECT_EQ(h.bad(), 1U);
	}
}

TEST(FilterVerifier, RefusesStackUnderflowAndNotOneResult)
{
	EXPECT_REFUSED(KTR_FPROG_EUNDERFLOW, {AND});
	EXPECT_REFUSED(KTR_FPROG_EUNDERFLOW, {NOT, pid_eq_1});
	EXPECT_REFUSED(KTR_FPROG_EUNDERFLOW, {pid_eq_1, OR});
	EXPECT_REFUSED(KTR_FPROG_EUNDERFLOW, {pid_eq_1, state_gt_0, AND, AND});
	EXPECT_REFUSED(KTR_FPROG_ERESULT, {pid_eq_1, state_gt_0});
	EXPECT_REFUSED(KTR_FPROG_ERESULT, {pid_eq_1, pid_eq_1, pid_eq_1, AND});
}

TEST(FilterVerifier, RefusesReservedBits)
{
	ktr_filter_insn flags = pid_eq_1;
	flags.flags = 1;
	EXPECT_REFUSED(KTR_FPROG_ERESERVED, {flags});
	ktr_filter_insn reserved = pid_eq_1;
	reserved.reserved = 0x80000000;
	EXPECT_REFUSED(KTR_FPROG_ERESERVED, {reserved});
	EXPECT_REFUSED(KTR_FPROG_ERESERVED, {pid_eq_1, pid_eq_1, insn(KTR_FOP_AND, 24)});
	EXPECT_REFUSED(KTR_FPROG_ERESERVED, {pid_eq_1, pid_eq_1, insn(KTR_FOP_OR, 0, 4)});
	EXPECT_REFUSED(KTR_FPROG_ERESERVED, {pid_eq_1, insn(KTR_FOP_NOT, 0, 0, 1)});
}

TEST(FilterVerifier, RefusesWhatIsNotAFieldOfTheEvent)
{
	// Past the payload, inside a field, the right offset with another size.
	for (const auto &[offset, size] : std::vector<std::pair<std::uint32_t, std::uint32_t>>{
		     {64, 4}, {0xfffffffc, 4}, {0xffffffff, 8}, {26, 2}, {24, 8}, {24, 2},
		     {24, 0}, {8, 8}, {12, 0}}) {
		EXPECT_REFUSED(KTR_FPROG_EFIELD, {insn(KTR_FOP_EQ, offset, size, 1)})
			<< offset << "/" << size;
		EXPECT_REFUSED(KTR_FPROG_EFIELD, {insn(KTR_FOP_STR_EQ, offset, size, 0)}, "a\0"s)
			<< offset << "/" << size;
	}
}

TEST(FilterVerifier, RefusesAFieldOfTheWrongType)
{
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_EQ, 8, 16, 1)});	// int op, char array
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_GLOB, 24, 4, 0)}, "a\0"s);	// text op, int
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_STR_NE, 56, 0, 0)}, "a\0"s);	// u64 list
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_EQ, 56, 0, 0)});
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_LT, 12, 0, 0)}, "", rest_event());
	// An integer the VM cannot load (3 bytes) is not an integer to it.
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_EQ, 48, 3, 0)});
}

TEST(FilterVerifier, StringLocationsTakeStringOpsOnly)
{
	for (const std::uint16_t op : {KTR_FOP_STR_EQ, KTR_FOP_STR_NE, KTR_FOP_GLOB, KTR_FOP_NGLOB})
		EXPECT_REFUSED(KTR_FPROG_OK, {insn(op, 12, 4, 0)}, "a*\0"s, loc_event());
	const test::HostFilter h(loc_event(), Insns{insn(KTR_FOP_STR_EQ, 12, 4, 0)}, "a\0"s);
	ASSERT_EQ(h.error(), KTR_FPROG_OK);
	EXPECT_TRUE(h.prog().insn[0].loc);
	EXPECT_FALSE(h.prog().insn[0].rest);
	EXPECT_EQ(h.prog().need, 16U);	// the location itself, not its text
	// Integer ops on a location, string ops on the integer beside it.
	for (const std::uint16_t op : {KTR_FOP_EQ, KTR_FOP_LT, KTR_FOP_BAND})
		EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(op, 12, 4, 0)}, "", loc_event());
	EXPECT_REFUSED(KTR_FPROG_ETYPE, {insn(KTR_FOP_STR_EQ, 16, 4, 0)}, "a\0"s, loc_event());
	// Any other size is not the field.
	EXPECT_REFUSED(KTR_FPROG_EFIELD, {insn(KTR_FOP_STR_EQ, 12, 2, 0)}, "a\0"s, loc_event());
	EXPECT_REFUSED(KTR_FPROG_EFIELD, {insn(KTR_FOP_STR_EQ, 12, 0, 0)}, "a\0"s, loc_event());
}

TEST(FilterVerifier, RefusesStringsOutOfBoundsOrUnterminated)
{
	const ktr_filter_insn streq = insn(KTR_FOP_STR_EQ, 8, 16, 0);
	EXPECT_REFUSED(KTR_FPROG_ESTROFF, {streq});	// no strings at all
	EXPECT_REFUSED(KTR_FPROG_ESTROFF, {insn(KTR_FOP_STR_EQ, 8, 16, 2)}, "a\0"s);
	EXPECT_REFUSED(KTR_FPROG_ESTROFF, {insn(KTR_FOP_STR_EQ, 8, 16, 1ULL << 63)}, "a\0"s);
	EXPECT_REFUSED(KTR_FPROG_ESTROFF, {insn(KTR_FOP_STR_EQ, 8, 16, 1ULL << 32)}, "a\0"s);
	EXPECT_REFUSED(KTR_FPROG_ESTRINGS, {streq}, "abc");
	EXPECT_REFUSED(KTR_FPROG_ESTRINGS, {streq}, "a\0bc"s);
	EXPECT_REFUSED(KTR_FPROG_ESTRINGS, {streq}, std::string(KTR_FILTER_STRINGS_MAX + 1, '\0'));
	EXPECT_REFUSED(KTR_FPROG_OK, {streq}, std::string(KTR_FILTER_STRINGS_MAX, '\0'));
}

TEST(FilterVerifier, RefusesGlobsBeyondTheirBounds)
{
	// A pattern of KTR_FILTER_GLOB_LEN_MAX bytes (NUL not counted).
	const std::string longer(KTR_FILTER_GLOB_LEN_MAX, '?');
	EXPECT_REFUSED(KTR_FPROG_EGLOBLEN, {insn(KTR_FOP_GLOB, 8, 16, 0)}, longer + '\0');
	EXPECT_REFUSED(KTR_FPROG_EGLOBLEN, {insn(KTR_FOP_NGLOB, 8, 16, 2)},
		       "x\0"s + longer + '\0');
	// ==/!= are not globs: any length.
	EXPECT_REFUSED(KTR_FPROG_OK, {insn(KTR_FOP_STR_EQ, 8, 16, 0)}, longer + '\0');
	Insns globs = {insn(KTR_FOP_GLOB, 8, 16, 0)};
	for (unsigned i = 0; i < KTR_FILTER_GLOBS_MAX; i++) {
		globs.push_back(insn(KTR_FOP_GLOB, 32, 16, 0));
		globs.push_back(OR);
	}
	const test::HostFilter h(event(), globs, "a*\0"s);
	EXPECT_EQ(h.error(), KTR_FPROG_EGLOBS);
	EXPECT_EQ(h.bad(), 2U * KTR_FILTER_GLOBS_MAX - 1);
}

// The same checks reach the programs libktr compiles: flip bits of valid
// ones; what the verifier still takes runs within the payload and says so.
TEST(FilterVerifier, MutatedProgramsAreRefusedOrSafe)
{
	const EventFormat &ev = event();
	const char *const exprs[] = {
		"prev_pid == 1 && prev_comm ~ \"ba*\"",
		"!(prev_state & 2) || next_comm != x",
		"prev_comm == a || next_comm !~ [a-c]* && common_pid > 5",
	};
	std::mt19937 rng(3);
	std::vector<std::byte> payload(56);
	unsigned taken = 0, refused = 0;
	for (int i = 0; i < 30000; i++) {
		Result<FilterProgram> p = compile_filter(ev, exprs[i % 3]);
		ASSERT_TRUE(p);
		auto *bytes = reinterpret_cast<unsigned char *>(p->insns.data());
		const std::size_t len = p->insns.size() * sizeof(ktr_filter_insn);
		const auto flips = static_cast<unsigned>(1 + rng() % 3);
		for (unsigned k = 0; k < flips; k++)
			bytes[rng() % len] ^= static_cast<unsigned char>(1U << (rng() % 8));
		const test::HostFilter h(ev, *p);
		if (h.error() != KTR_FPROG_OK) {
			refused++;
			continue;
		}
		taken++;
		ASSERT_LE(h.prog().need, payload.size());
		for (std::byte &b : payload)
			b = static_cast<std::byte>(rng());
		(void)h.run(payload);
	}
	EXPECT_GT(refused, 10000U);
	EXPECT_GT(taken, 100U);
}

// Whatever a location says, the VM reads only inside the payload: random
// locations over payloads of every length up to the text's end (ASan
// builds check the reads; the payload is a vector of its exact size).
TEST(FilterVerifier, RandomLocationsStayInsideThePayload)
{
	const test::HostFilter eq(loc_event(), Insns{insn(KTR_FOP_STR_EQ, 12, 4, 0)}, "ab\0"s);
	const test::HostFilter glob(loc_event(), Insns{insn(KTR_FOP_GLOB, 12, 4, 0)}, "*b*\0"s);
	ASSERT_EQ(eq.error(), KTR_FPROG_OK);
	ASSERT_EQ(glob.error(), KTR_FPROG_OK);
	std::mt19937 rng(11);
	unsigned matched = 0;
	for (int i = 0; i < 20000; i++) {
		std::vector<std::byte> payload(16 + rng() % 48);
		for (std::byte &b : payload)
			b = static_cast<std::byte>("abc\0"[rng() % 4]);
		const auto where = static_cast<std::uint32_t>(
			rng() % 2 ? rng() : (16 + rng() % 40) | ((rng() % 40) << 16));
		std::memcpy(payload.data() + 12, &where, 4);
		const bool e = eq.run(payload), g = glob.run(payload);
		matched += (e ? 1U : 0U) + (g ? 1U : 0U);
		if (e) {	// "ab" matches "*b*" too
			EXPECT_TRUE(g);
		}
	}
	EXPECT_GT(matched, 100U);
}

} // namespace
} // namespace ktr
