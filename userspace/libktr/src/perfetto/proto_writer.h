// SPDX-License-Identifier: MIT
//
// A protobuf encoder for the few wire types a Perfetto trace needs: varint
// fields (int32/int64 as two's complement in 64 bits, uint, bool) and
// length-delimited ones (strings, nested messages). A nested message is
// written into its own Message and then added whole: no back-patching.
#ifndef KTR_PERFETTO_PROTO_WRITER_H
#define KTR_PERFETTO_PROTO_WRITER_H

#include <cstdint>
#include <string>
#include <string_view>

namespace ktr::perfetto {

class Message {
public:
	Message &varint(std::uint32_t field, std::uint64_t v);
	/// Signed int32/int64 fields: negative values take 10 bytes, as in
	/// protobuf.
	Message &sint(std::uint32_t field, std::int64_t v)
	{
		return varint(field, static_cast<std::uint64_t>(v));
	}
	Message &bytes(std::uint32_t field, std::string_view b);
	Message &message(std::uint32_t field, const Message &m) { return bytes(field, m.data_); }

	[[nodiscard]] const std::string &data() const noexcept { return data_; }
	[[nodiscard]] std::size_t size() const noexcept { return data_.size(); }
	void clear() { data_.clear(); }

private:
	void raw_varint(std::uint64_t v);

	std::string data_;
};

} // namespace ktr::perfetto

#endif // KTR_PERFETTO_PROTO_WRITER_H
