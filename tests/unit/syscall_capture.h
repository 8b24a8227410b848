// SPDX-License-Identifier: MIT
//
// Test helper: a small two-CPU capture of raw_syscalls events for the
// histogram, pairing and statistics sinks (local clock 1000 ns =
// CLOCK_MONOTONIC 5 s, as sample_capture.h):
//
//	local ns  CPU  event                          pairs on (pid, id)
//	    1000    0  sys_enter pid 100 id 0 (read)   opens A
//	    1500    0  sys_enter pid 200 id 1 (write)  opens B
//	    2000    1  (3 events lost)
//	    2000    1  sys_enter pid 200 id 1          reopens B: B's first START counted restarted
//	    2600    1  sys_exit  pid 200 id 1 ret 5    closes B: 600 ns
//	    3000    0  sys_exit  pid 100 id 0 ret 10   closes A: 2000 ns
//	    3100    0  sys_exit  pid 300 id 3 ret 0    an END without START
//	    3200    0  marker    pid 100 "alpha"       names pid 100
//	    4000    1  sys_enter pid 100 id 0          still open at the end
#ifndef KTR_TEST_SYSCALL_CAPTURE_H
#define KTR_TEST_SYSCALL_CAPTURE_H

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include <ktr_event.h>

#include "ktr/capture.h"
#include "ktr/capture_source.h"
#include "ktr/pipeline.h"
#include "sample_capture.h"
#include "subbuf_builder.h"

namespace ktr::test {

inline CaptureInfo syscall_capture_info()
{
	CaptureInfo info = sample_capture_info();
	std::vector<FieldFormat> enter = {{"common_id", FieldType::Int, 0, 2, false},
					  {"common_flags", FieldType::Int, 2, 2, false},
					  {"common_pid", FieldType::Int, 4, 4, true},
					  {"id", FieldType::Int, 8, 8, true}};
	for (std::uint32_t i = 0; i < 6; i++)
		enter.push_back({"args" + std::to_string(i), FieldType::Int, 16 + 8 * i, 8, false});
	EXPECT_TRUE(info.formats.add(EventFormat{KTR_EVENT_SYS_ENTER, "raw_syscalls", "sys_enter",
						 enter}));
	EXPECT_TRUE(info.formats.add(EventFormat{KTR_EVENT_SYS_EXIT, "raw_syscalls", "sys_exit",
						 {{"common_id", FieldType::Int, 0, 2, false},
						  {"common_flags", FieldType::Int, 2, 2, false},
						  {"common_pid", FieldType::Int, 4, 4, true},
						  {"id", FieldType::Int, 8, 8, true},
						  {"ret", FieldType::Int, 16, 8, true}}}));
	return info;
}

inline Bytes sys_enter_payload(std::int32_t pid, std::int64_t id)
{
	Bytes f(56);
	std::memcpy(f.data(), &id, 8);
	return event_payload(KTR_EVENT_SYS_ENTER, pid, f);
}

inline Bytes sys_exit_payload(std::int32_t pid, std::int64_t id, std::int64_t ret)
{
	Bytes f(16);
	std::memcpy(f.data(), &id, 8);
	std::memcpy(f.data() + 8, &ret, 8);
	return event_payload(KTR_EVENT_SYS_EXIT, pid, f);
}

/// Writes the capture above to @path.
inline void write_syscall_capture(const std::string &path)
{
	Result<CaptureWriter> w = CaptureWriter::create(path, syscall_capture_info());
	ASSERT_TRUE(w) << w.error().message();
	const Bytes cpu0 = SubbufBuilder(0, 0, 1000)
				   .event(0, sys_enter_payload(100, 0))
				   .event(500, sys_enter_payload(200, 1))
				   .event(1500, sys_exit_payload(100, 0, 10))
				   .event(100, sys_exit_payload(300, 3, 0))
				   .event(100, marker_payload(100, 100, "alpha", "hi"))
				   .build();
	const Bytes cpu1 = SubbufBuilder(1, 0, 2000)
				   .lost(3)
				   .event(0, sys_enter_payload(200, 1))
				   .event(600, sys_exit_payload(200, 1, 5))
				   .event(1400, sys_enter_payload(100, 0))
				   .build();
	ASSERT_TRUE(w->write_subbuf(0, cpu0));
	ASSERT_TRUE(w->write_subbuf(1, cpu1));
	ASSERT_TRUE(w->finish());
}

/// The capture at @path through @sinks; warnings collected in @warnings.
inline PipelineResult run_capture(const std::string &path, std::span<Sink *const> sinks,
				  std::vector<std::string> *warnings = nullptr)
{
	Result<CaptureSource> src = CaptureSource::open(path);
	EXPECT_TRUE(src) << src.error().message();
	if (!src)
		return {};
	PipelineOptions opt;
	opt.warn = [warnings](const std::string &m) {
		if (warnings)
			warnings->push_back(m);
	};
	Result<PipelineResult> r = run_pipeline(*src, sinks, opt);
	EXPECT_TRUE(r) << r.error().message();
	return r ? std::move(r).value() : PipelineResult{};
}

} // namespace ktr::test

#endif // KTR_TEST_SYSCALL_CAPTURE_H
