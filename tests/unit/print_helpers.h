// SPDX-License-Identifier: MIT
//
// Shared by the event printing tests: one event through EventPrinter as
// text or JSON, a failure reported by gtest and returned as the message.
#ifndef KTR_TEST_PRINT_HELPERS_H
#define KTR_TEST_PRINT_HELPERS_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <ktr_event.h>

#include "ktr/event_format.h"
#include "ktr/event_print.h"
#include "subbuf_builder.h"

namespace ktr::test {

/// The common fields every event format starts with (struct
/// ktr_event_common), as the module lists them.
inline std::vector<FieldFormat> common_fields()
{
	return {{"common_id", FieldType::Int, 0, 2, false},
		{"common_flags", FieldType::Int, 2, 2, false},
		{"common_pid", FieldType::Int, 4, 4, true}};
}

/// sched:sched_switch as kmod/probes/ktr_probes_sched.c describes it.
inline EventFormat sched_switch_format()
{
	using S = ktr_event_sched_switch;
	EventFormat sw{KTR_EVENT_SCHED_SWITCH, "sched", "sched_switch", common_fields()};
	sw.fields.insert(sw.fields.end(), {
		{"prev_comm", FieldType::CharArray, offsetof(S, prev_comm), KTR_COMM_LEN, false},
		{"prev_pid", FieldType::Int, offsetof(S, prev_pid), 4, true},
		{"prev_prio", FieldType::Int, offsetof(S, prev_prio), 4, true},
		{"prev_state", FieldType::Int, offsetof(S, prev_state), 4, false},
		{"preempt", FieldType::Int, offsetof(S, preempt), 4, false},
		{"next_comm", FieldType::CharArray, offsetof(S, next_comm), KTR_COMM_LEN, false},
		{"next_pid", FieldType::Int, offsetof(S, next_pid), 4, true},
		{"next_prio", FieldType::Int, offsetof(S, next_prio), 4, true},
	});
	return sw;
}

inline std::string text(EventPrinter &p, std::uint32_t cpu, std::uint64_t ts, const Bytes &payload)
{
	Result<std::string> r = p.text(cpu, ts, payload);
	EXPECT_TRUE(r) << r.error().message();
	return r ? *r : r.error().message();
}

inline std::string json(EventPrinter &p, std::uint32_t cpu, std::uint64_t ts, const Bytes &payload)
{
	Result<std::string> r = p.json(cpu, ts, payload);
	EXPECT_TRUE(r) << r.error().message();
	return r ? *r : r.error().message();
}

/// The bytes of a trivially copyable @v.
template <typename T>
Bytes as_bytes(const T &v)
{
	Bytes b(sizeof(v));
	std::memcpy(b.data(), &v, sizeof(v));
	return b;
}

} // namespace ktr::test

#endif // KTR_TEST_PRINT_HELPERS_H
