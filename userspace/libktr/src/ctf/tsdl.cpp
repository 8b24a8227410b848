// SPDX-License-Identifier: MIT
#include "tsdl.h"

#include <bit>
#include <cstdio>

namespace ktr::ctf {

namespace {

// A TSDL string literal: quotes, backslashes and control bytes escaped.
std::string literal(std::string_view s)
{
	std::string out = "\"";
	for (const char c : s) {
		const auto u = static_cast<unsigned char>(c);
		if (c == '"' || c == '\\') {
			out += '\\';
			out += c;
		} else if (u < 0x20 || u == 0x7f) {
			char buf[8];
			std::snprintf(buf, sizeof(buf), "\\x%02x", u);
			out += buf;
		} else {
			out += c;
		}
	}
	return out + "\"";
}

std::string integer(const FieldFormat &f)
{
	std::string s = "integer { size = " + std::to_string(f.size * 8) +
			"; align = 8; signed = " + (f.is_signed ? "true" : "false");
	s += f.display == FieldDisplay::Default ? "; base = 10; }" : "; base = 16; }";
	return s;
}

// One field of an event class. Every name gets TSDL's '_' prefix, which
// readers remove: no field name can clash with a TSDL keyword.
std::string field_decl(const Field &field)
{
	const FieldFormat &f = *field.source;
	const std::string name = "_" + field.name;
	switch (f.type) {
	case FieldType::Int:
		return integer(f) + " " + name + ";";
	case FieldType::CharArray:
		return "integer { size = 8; align = 8; signed = false; encoding = UTF8; base = 10; } " +
		       name + "[" + std::to_string(f.size) + "];";
	case FieldType::RestString:
	case FieldType::StringLoc:
		return "string " + name + ";";
	case FieldType::RestU64:
		return "uint32_t _" + name + "_length;\n\t\t"
		       "integer { size = 64; align = 8; signed = false; base = 16; } " +
		       name + "[_" + name + "_length];";
	}
	return "";
}

constexpr const char *header = R"(/* CTF 1.8 */

typealias integer { size = 8; align = 8; signed = false; } := uint8_t;
typealias integer { size = 32; align = 8; signed = false; } := uint32_t;
typealias integer { size = 64; align = 8; signed = false; } := uint64_t;

)";

constexpr const char *clock_and_stream = R"(
typealias integer { size = 64; align = 8; signed = false; map = clock.monotonic.value; } := uint64_clock_monotonic_t;

stream {
	id = 0;
	packet.context := struct {
		uint64_clock_monotonic_t timestamp_begin;
		uint64_clock_monotonic_t timestamp_end;
		uint64_t content_size;
		uint64_t packet_size;
		uint64_t packet_seq_num;
		uint64_t events_discarded;
		uint32_t cpu_id;
	};
	event.header := struct {
		uint32_t id;
		uint64_clock_monotonic_t timestamp;
	};
	event.context := struct {
		integer { size = 32; align = 8; signed = true; base = 10; } _tid;
	};
};
)";

} // namespace

std::string uuid_text(const Uuid &uuid)
{
	std::string s;
	for (std::size_t i = 0; i < uuid.size(); i++) {
		char buf[4];
		std::snprintf(buf, sizeof(buf), "%02x", uuid[i]);
		s += buf;
		if (i == 3 || i == 5 || i == 7 || i == 9)
			s += '-';
	}
	return s;
}

std::string tsdl(const Layout &layout, const Uuid &uuid, const Env &env)
{
	const std::string id = literal(uuid_text(uuid));
	std::string s = header;
	s += "trace {\n\tmajor = 1;\n\tminor = 8;\n\tuuid = " + id + ";\n\tbyte_order = ";
	s += std::endian::native == std::endian::little ? "le" : "be";
	s += ";\n\tpacket.header := struct {\n\t\tuint32_t magic;\n\t\tuint8_t uuid[16];\n"
	     "\t\tuint32_t stream_id;\n\t\tuint64_t stream_instance_id;\n\t};\n};\n\n";

	s += "env {\n\tdomain = \"kernel\";\n\tsysname = \"Linux\";\n";
	s += "\ttracer_name = \"ktr\";\n";
	s += "\ttracer_version = " + literal(env.tool_version) + ";\n";
	s += "\thostname = " + literal(env.hostname) + ";\n";
	s += "\tktr_module_version = " + literal(env.module_version) + ";\n";
	s += "\tktr_abi_major = " + std::to_string(env.abi_major) + ";\n";
	s += "\tktr_abi_minor = " + std::to_string(env.abi_minor) + ";\n};\n\n";

	s += "clock {\n\tname = \"monotonic\";\n";
	s += "\tdescription = \"CLOCK_MONOTONIC of the traced machine\";\n";
	s += "\tfreq = 1000000000;\n\tprecision = 1;\n\toffset_s = 0;\n\toffset = 0;\n"
	     "\tabsolute = false;\n};\n";
	s += clock_and_stream;

	for (const auto &cls : layout.classes()) {
		s += "\nevent {\n\tname = " + literal(cls->name) + ";\n\tid = " +
		     std::to_string(cls->id) + ";\n\tstream_id = 0;\n";
		if (cls->fields.empty()) {	// only the common header
			s += "\tfields := struct { };\n};\n";
			continue;
		}
		s += "\tfields := struct {\n";
		for (const Field &f : cls->fields)
			s += "\t\t" + field_decl(f) + "\n";
		s += "\t};\n};\n";
	}
	return s;
}

} // namespace ktr::ctf
