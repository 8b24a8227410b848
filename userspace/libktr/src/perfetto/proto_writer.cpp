// SPDX-License-Identifier: MIT
#include "proto_writer.h"

namespace ktr::perfetto {

void Message::raw_varint(std::uint64_t v)
{
	while (v >= 0x80) {
		data_ += static_cast<char>((v & 0x7f) | 0x80);
		v >>= 7;
	}
	data_ += static_cast<char>(v);
}

Message &Message::varint(std::uint32_t field, std::uint64_t v)
{
	raw_varint(std::uint64_t{field} << 3);	// wire type 0
	raw_varint(v);
	return *this;
}

Message &Message::bytes(std::uint32_t field, std::string_view b)
{
	raw_varint((std::uint64_t{field} << 3) | 2);	// wire type 2
	raw_varint(b.size());
	data_ += b;
	return *this;
}

} // namespace ktr::perfetto
