// SPDX-License-Identifier: MIT
//
// Where `ktr record` writes the trace.
//
// With a command, standard output is shared: the command inherits it and
// writes its own output there, so trace lines would interleave with it.
// The trace then goes to a capture file, ktr.ktr in the current directory
// (as trace-cmd record writes trace.dat; `ktr report ktr.ktr` shows it),
// unless standard output is asked for: `-o -` (text) or --json (JSON
// Lines). Without a command, standard output is the trace's: text, or JSON
// Lines with --json; `-o FILE` writes a capture file either way.
#ifndef KTR_CMD_RECORD_OUTPUT_H
#define KTR_CMD_RECORD_OUTPUT_H

#include <string>

#include "ktr/result.h"

namespace ktr::cmd {

/// The capture file `ktr record -- COMMAND` writes when given no -o.
inline constexpr const char *record_default_file = "ktr.ktr";

struct RecordOutput {
	enum class Kind { Text, Json, Capture };
	Kind kind = Kind::Text;
	std::string path;	// Capture: the file
	bool defaulted = false;	// Capture: chosen because stdout is shared
};

/// The destination for -o @output ("" when not given, "-" for stdout),
/// --json and whether a command runs. Refused (EINVAL): --json with -o FILE,
/// an empty -o.
Result<RecordOutput> record_output(bool has_command, const std::string &output, bool json);

} // namespace ktr::cmd

#endif // KTR_CMD_RECORD_OUTPUT_H
