// SPDX-License-Identifier: MIT
//
// The metadata of a ktr CTF trace (CTF 1.8, TSDL text): the trace (uuid,
// byte order, packet header), its environment (LTTng's keys: domain
// "kernel", tracer_name, hostname...), the clock (CLOCK_MONOTONIC of the
// traced machine, in ns), the one stream class (packet context with
// timestamp_begin/end, events_discarded and cpu_id; event header with the
// class id and the time; event context with the task's tid) and one event
// class per class of the Layout. ctf_packet.h writes the matching bytes.
#ifndef KTR_CTF_TSDL_H
#define KTR_CTF_TSDL_H

#include <array>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "ctf_layout.h"

namespace ktr::ctf {

using Uuid = std::array<std::uint8_t, 16>;

/// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx".
std::string uuid_text(const Uuid &uuid);

struct Env {
	std::string hostname;
	std::string module_version;	// of the module that recorded the events
	std::uint32_t abi_major = 0;
	std::uint32_t abi_minor = 0;
	std::string tool_version;	// of the ktr that wrote the trace
};

/// The whole metadata file.
std::string tsdl(const Layout &layout, const Uuid &uuid, const Env &env);

} // namespace ktr::ctf

#endif // KTR_CTF_TSDL_H
