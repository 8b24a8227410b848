// SPDX-License-Identifier: MIT
//
// Capture files damaged at every byte (issue 14): each byte of a small
// capture (ctf_capture.h: the file header with its format table, every
// kind of record, a loss, a stack, a probe hit, two CPUs, the statistics
// and end chunks) is replaced by its complement, by +1 and by 0, and the
// file goes through what
// `ktr report` runs (CaptureSource -> pipeline -> text and JSON Lines
// sinks). Each run must end with a result or a one-line error, never
// crash; a damaged file never yields more events than the original holds.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ctf_capture.h"
#include "ktr/capture_source.h"
#include "ktr/line_sink.h"
#include "ktr/pipeline.h"
#include "temp_path.h"

namespace ktr {
namespace {

struct Outcome {
	bool opened = false;
	bool ran = false;
	std::uint64_t events = 0;
};

Outcome report(const std::string &path)
{
	Outcome o;
	Result<CaptureSource> src = CaptureSource::open(path);
	if (!src) {
		EXPECT_EQ(src.error().message().find('\n'), std::string::npos) << src.error().message();
		return o;
	}
	o.opened = true;
	StringOutput text_out, json_out;
	LineSink text(LineFormat::Text, text_out);
	LineSink json(LineFormat::Json, json_out);
	Sink *sinks[] = {&text, &json};
	Result<PipelineResult> r = run_pipeline(*src, sinks);
	if (!r) {
		EXPECT_EQ(r.error().message().find('\n'), std::string::npos) << r.error().message();
		return o;
	}
	o.ran = true;
	for (const ReadStats &s : r->cpus)
		o.events += s.events;
	return o;
}

// Every position of @bytes from @from to @to, three ways; returns how many
// damaged files opened and ran to their end.
std::size_t damage_each_byte(const test::Bytes &bytes, std::size_t from, std::size_t to,
			     std::uint64_t clean_events, test::TempDir &dir)
{
	const std::string p = dir.path("damaged.ktr");
	std::size_t ran = 0;
	for (std::size_t i = from; i < to && i < bytes.size(); i++) {
		for (int how = 0; how < 3; how++) {
			test::Bytes b = bytes;
			const auto v = std::to_integer<unsigned>(b[i]);
			b[i] = std::byte(how == 0 ? ~v & 0xffu : how == 1 ? (v + 1) & 0xffu : 0u);
			if (b[i] == bytes[i])
				continue;
			test::write_file(p, b);
			const Outcome o = report(p);
			if (o.ran) {
				ran++;
				EXPECT_LE(o.events, clean_events) << "byte " << i << " way " << how;
			}
		}
	}
	return ran;
}

TEST(CaptureFuzz, SmallCaptureDamagedAtEveryByte)
{
	test::TempDir dir;
	const std::string path = dir.path("trace.ktr");
	ASSERT_TRUE(test::write_ctf_capture(path));
	const Outcome clean = report(path);
	ASSERT_TRUE(clean.ran);
	ASSERT_GT(clean.events, 0u);
	const test::Bytes bytes = test::read_file(path);
	const std::size_t ran = damage_each_byte(bytes, 0, bytes.size(), clean.events, dir);
	// Most bytes are payload: those damaged files still run (the decoder
	// checks what it reads); headers refuse. Both kinds must have occurred.
	EXPECT_GT(ran, 0u);
	EXPECT_LT(ran, 3 * bytes.size());
	RecordProperty("damaged_files", static_cast<int>(3 * bytes.size()));
}

} // namespace
} // namespace ktr
