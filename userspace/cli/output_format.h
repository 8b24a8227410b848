// SPDX-License-Identifier: MIT
//
// --format / --json / -o of ktr-read, ktr record and ktr report, in one
// place: which sink they ask for, and the sink itself.
//
//	text	text lines on stdout (default without -o)
//	json	JSON Lines on stdout (--json is the same)
//	ktr	a capture file -o FILE (default with -o; not for ktr report)
//	ctf	a CTF trace in the directory -o DIR (babeltrace2, Trace Compass)
//	perfetto a Perfetto trace (protobuf) in the file -o FILE (ui.perfetto.dev)
#ifndef KTR_CLI_OUTPUT_FORMAT_H
#define KTR_CLI_OUTPUT_FORMAT_H

#include <memory>
#include <string>

#include "ktr/line_sink.h"
#include "ktr/sink.h"

namespace ktr::cli {

enum class OutputFormat { Text, Json, Capture, Ctf, Perfetto };

/// The format that @format ("" when not given), @json and @output ask for.
/// Refused (EINVAL, a usage error): an unknown name, --json with another
/// format, a file format without -o, -o with text or JSON, and "ktr" when
/// !@capture_ok.
Result<OutputFormat> output_format(const std::string &format, bool json,
				   const std::string &output, bool capture_ok);

/// "text, json, ktr, ctf or perfetto" (without ktr when !@capture_ok).
std::string output_format_names(bool capture_ok);

/// The sink writing @format to @output (or to @out for text and JSON, with
/// the names of tasks no event named yet from @comm_fallback, if any).
std::unique_ptr<Sink> make_sink(OutputFormat format, const std::string &output, LineOutput &out,
				CommTable::Lookup comm_fallback = {});

} // namespace ktr::cli

#endif // KTR_CLI_OUTPUT_FORMAT_H
