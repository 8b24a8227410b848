// SPDX-License-Identifier: MIT
//
// How `ktr info` shows a ktr::Info: aligned text for people, one JSON object
// for scripts. Both return complete output, newline-terminated.
#ifndef KTR_INFO_FORMAT_H
#define KTR_INFO_FORMAT_H

#include <string>

#include "ktr/info.h"

namespace ktr {

/// "key: value" lines with the values aligned, sizes in KiB/MiB:
///	module version:      0.1.0
///	sub-buffer size:     64 KiB
/// Strings from the kernel are shown on one line, control characters blanked.
std::string format_info_text(const Info &info);

/// One JSON object on one line, keys abi_major, abi_minor, module_version,
/// cpus_possible, cpus_online, subbuf_size (bytes), nr_subbufs,
/// kernel_release. Strings are escaped as JSON (see json_quote()).
std::string format_info_json(const Info &info);

} // namespace ktr

#endif // KTR_INFO_FORMAT_H
