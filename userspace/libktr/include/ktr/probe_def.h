// SPDX-License-Identifier: MIT
// Probe definitions (KTR_CMD_ADD_PROBE, uapi/ktr.h) checked in user space by
// the module's own parser: kmod/probes/ktr_probe_def.c (GPL-2.0 OR MIT) is
// compiled into libktr unchanged, so a tool refuses exactly what the module
// refuses, and points at the bad character before anything is sent.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <variant>

#include "ktr/result.h"

extern "C" {
#include "ktr_probe_def.h"
}

namespace ktr {

/// Why a definition was refused: the index of the first bad character in
/// the text (the text's length when something is missing at its end) and
/// the parser's message ("unknown type").
struct ProbeDefError {
	std::size_t pos;
	std::string message;
};

/// Parses one definition ("p:grp/ev vfs_read+4 count=%dx:u32").
std::variant<ktr_probe_def, ProbeDefError> parse_probe_def(std::string_view text);

/// Three lines, no trailing newline:
///   definition:
///     <text>
///     <padding>^ <message>
/// The caret sits under the bad character: tabs of the text are kept in the
/// padding, other control characters shown as '?'.
std::string render_probe_def_error(std::string_view text, const ProbeDefError &e);

/// parse_probe_def() for callers that want a Result: EINVAL with one line,
/// "bad probe definition at column N: <message>" (N counted from 1).
Result<ktr_probe_def> check_probe_def(std::string_view text);

} // namespace ktr
