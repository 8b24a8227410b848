// SPDX-License-Identifier: MIT
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/info_format.h"
#include "test_messages.h"

namespace ktr {
namespace {

// Fixed values, independent of the ABI this is built against.
Info example()
{
	Info info = test::sample_info();
	info.abi_major = 1;
	info.abi_minor = 0;
	info.buffer_mode.reset();	// ABI 1.0 had no trace buffer
	info.clock.reset();
	info.tracing_on.reset();	// from ABI minor 4
	return info;
}

TEST(InfoText, ShowsTracingStateFromMinor4)
{
	Info info = example();
	info.tracing_on = false;
	EXPECT_NE(format_info_text(info).find("tracing:             off (stopped)\n"),
		  std::string::npos);
	info.tracing_on = true;
	EXPECT_NE(format_info_text(info).find("tracing:             on\n"), std::string::npos);
	EXPECT_NE(format_info_json(info).find(R"("tracing_on":true)"), std::string::npos);
}

std::vector<std::string> lines_of(const std::string &text)
{
	std::vector<std::string> lines;
	std::istringstream in(text);
	for (std::string line; std::getline(in, line);)
		lines.push_back(line);
	return lines;
}

TEST(InfoText, ShowsEveryFieldReadably)
{
	EXPECT_EQ(format_info_text(example()),
		  "module version:      0.1.0\n"
		  "ABI version:         1.0\n"
		  "kernel release:      6.1.0-18-amd64\n"
		  "CPUs possible:       8\n"
		  "CPUs online:         4\n"
		  "sub-buffer size:     64 KiB\n"
		  "sub-buffers per CPU: 8\n"
		  "buffer per CPU:      512 KiB\n");
}

TEST(InfoText, AlignsValues)
{
	Info info = example();
	info.subbuf_size = 4u << 20;
	info.nr_subbufs = 4096;
	std::size_t column = 0;
	for (const std::string &line : lines_of(format_info_text(info))) {
		const std::size_t colon = line.find(':');
		ASSERT_NE(colon, std::string::npos) << line;
		const std::size_t value = line.find_first_not_of(' ', colon + 1);
		if (column == 0)
			column = value;
		EXPECT_EQ(value, column) << line;
	}
	EXPECT_NE(format_info_text(info).find("sub-buffer size:     4 MiB\n"), std::string::npos);
	EXPECT_NE(format_info_text(info).find("buffer per CPU:      16 GiB\n"), std::string::npos);
}

TEST(InfoText, KeepsKernelStringsOnOneLine)
{
	Info info = example();
	info.module_version = "0.1\n\x1b[31mred";
	info.kernel_release = "";
	const std::string text = format_info_text(info);
	EXPECT_EQ(lines_of(text).size(), 8u) << text;
	EXPECT_EQ(text.find('\x1b'), std::string::npos) << text;
	EXPECT_NE(text.find("module version:      0.1 [31mred\n"), std::string::npos) << text;
	EXPECT_NE(text.find("kernel release:      (empty)\n"), std::string::npos) << text;
}

TEST(InfoText, ShowsBufferModeAndClockFromMinor2)
{
	Info info = test::sample_info();
	info.tracing_on.reset();
	const std::vector<std::string> lines = lines_of(format_info_text(info));
	ASSERT_EQ(lines.size(), 10u);
	EXPECT_EQ(lines[8], "buffer mode:         overwrite");
	EXPECT_EQ(lines[9], "record clock:        local_clock(); CLOCK_MONOTONIC = local_clock() + "
			    "123456789 ns");
	info.buffer_mode = 7;
	info.clock = InfoClock{.local_ns = 10, .mono_ns = 4};
	const std::string text = format_info_text(info);
	EXPECT_NE(text.find("buffer mode:         unknown (7)\n"), std::string::npos) << text;
	EXPECT_NE(text.find("CLOCK_MONOTONIC = local_clock() - 6 ns\n"), std::string::npos) << text;
}

TEST(InfoJson, BufferModeAndClockFromMinor2)
{
	Info info = test::sample_info();
	info.tracing_on.reset();
	const std::string json = format_info_json(info);
	EXPECT_NE(json.find(R"("buffer_mode":"overwrite","clock_local_ns":5000000000,)"
			    R"("clock_mono_ns":5123456789})"),
		  std::string::npos)
		<< json;
}

TEST(InfoJson, OneObjectWithSnakeCaseKeys)
{
	EXPECT_EQ(format_info_json(example()),
		  R"({"abi_major":1,"abi_minor":0,"module_version":"0.1.0",)"
		  R"("cpus_possible":8,"cpus_online":4,"subbuf_size":65536,"nr_subbufs":8,)"
		  R"("kernel_release":"6.1.0-18-amd64"})"
		  "\n");
}

TEST(InfoJson, EscapesOddStrings)
{
	Info info = example();
	info.module_version = "1.0 \"beta\" C:\\ktr";
	info.kernel_release = std::string("6.1\n\t\x01\x1f\x7f", 8) + "\xff" + "\xc3\xa9";
	const std::string json = format_info_json(info);
	EXPECT_NE(json.find(R"("module_version":"1.0 \"beta\" C:\\ktr")"), std::string::npos)
		<< json;
	EXPECT_NE(json.find(R"("kernel_release":"6.1\n\t\u0001\u001f\u007f\ufffd)"
			    "\xc3\xa9\"}"),
		  std::string::npos)
		<< json;
	EXPECT_EQ(json.find('\n'), json.size() - 1) << "one line";
}

TEST(InfoJson, FullRangeNumbers)
{
	Info info = example();
	info.subbuf_size = 0xffffffffu;
	info.cpus_possible = 0;
	const std::string json = format_info_json(info);
	EXPECT_NE(json.find(R"("subbuf_size":4294967295,)"), std::string::npos) << json;
	EXPECT_NE(json.find(R"("cpus_possible":0,)"), std::string::npos) << json;
}

} // namespace
} // namespace ktr
