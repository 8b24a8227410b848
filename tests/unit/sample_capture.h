// SPDX-License-Identifier: MIT
//
// Test helper: the header of a small two-CPU capture (4 KiB sub-buffers,
// local clock 1000 ns = CLOCK_MONOTONIC 5 s) whose format table has the
// built-in formats and test:sample (id 100: one u32 field "value").
#ifndef KTR_TEST_SAMPLE_CAPTURE_H
#define KTR_TEST_SAMPLE_CAPTURE_H

#include <stdexcept>

#include "ktr/capture.h"
#include "ktr/event_format.h"

namespace ktr::test {

inline CaptureInfo sample_capture_info()
{
	CaptureInfo info;
	info.page_size = 4096;
	info.nr_cpus = 2;
	info.subbuf_size = 4096;
	info.abi_major = 1;
	info.abi_minor = 2;
	info.module_version = "0.1.0";
	info.clock_local_ns = 1000;
	info.clock_mono_ns = 5000000000;
	info.formats = builtin_formats();
	if (!info.formats.add(EventFormat{100, "test", "sample",
					  {{"common_id", FieldType::Int, 0, 2, false},
					   {"common_flags", FieldType::Int, 2, 2, false},
					   {"common_pid", FieldType::Int, 4, 4, true},
					   {"value", FieldType::Int, 8, 4, false}}}))
		throw std::logic_error("test:sample does not fit the built-in formats");
	return info;
}

} // namespace ktr::test

#endif // KTR_TEST_SAMPLE_CAPTURE_H
