// SPDX-License-Identifier: MIT
//
// The protocol layer's one call path. Every control request of libktr is a
// proto::Request (command, attributes, what answer is due) sent through
// Client::call():
//
//	build the request → Transport::exchange() → check each reply message
//	(reply_attrs(): header, command, ABI major) → hand its attributes
//	(Attrs, checked against the one table of attrs.h) to the caller's
//	handler → turn the kernel's failure into one Error
//
// Kernel failures are worded in one place: the request's own wording if it
// has one (word), an "ABI minor too old" check for commands a module may
// lack (since_minor: asks KTR_CMD_GET_INFO), else kernel_error() with the
// attribute the kernel pointed at (extack offset) named from the table.
#ifndef KTR_PROTO_CALL_H
#define KTR_PROTO_CALL_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "ktr/errors.h"
#include "nl_handles.h"
#include "proto/attrs.h"
#include "proto/transport.h"

namespace ktr::proto {

/// What answer a request expects.
enum class Expect {
	ack,	// no reply message, only the acknowledgement
	reply,	// one reply message (missing: "no reply message")
	dump,	// a dump: any number of messages, then NLMSG_DONE
};

/// The (abi_major, abi_minor) of the module, as KTR_CMD_GET_INFO says.
struct ModuleAbi {
	std::uint32_t major = 0;
	std::uint32_t minor = 0;
};

/// A request under construction. Attribute puts that fail (out of memory,
/// message too large) are remembered: call() then fails with "cannot build
/// NAME" (ENOMEM) without sending anything.
class Request {
public:
	/// A request of the ktr family: @cmd, named @name in messages.
	Request(std::uint8_t cmd, std::string_view name, Expect expect);

	/// A request to another family (@family, e.g. GENL_ID_CTRL) whose
	/// reply carries command @reply_cmd and attributes of @space.
	static Request other_family(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
				    std::uint8_t reply_cmd, Space space, std::string_view name,
				    Expect expect);

	Request &u8(int type, std::uint8_t v);
	Request &u32(int type, std::uint32_t v);
	Request &string(int type, std::string_view v);
	Request &bytes(int type, const void *data, std::size_t len);
	/// Open nested attribute @type; attributes up to end_nest() go in it.
	Request &begin_nest(int type);
	Request &end_nest();

	// How kernel failures of this request are worded (see the file
	// comment). @since_minor: the ABI minor that added the command; an
	// "unknown command" answer (EOPNOTSUPP; EINVAL from some kernels) from
	// an older module becomes @too_old (default: "the loaded ktr module
	// (ABI X.Y) lacks NAME: load a newer ktr.ko").
	Request &since_minor(std::uint32_t minor,
			     std::function<Error(const ModuleAbi &)> too_old = {});
	/// @word(answer, default_error): the error for the kernel's @answer
	/// (default_error is kernel_error()'s wording).
	Request &word(std::function<Error(const KernelAnswer &, const Error &)> word);

	[[nodiscard]] std::string_view name() const noexcept { return name_; }
	[[nodiscard]] std::uint8_t cmd() const noexcept { return cmd_; }
	[[nodiscard]] Expect expect() const noexcept { return expect_; }
	/// The message as built so far.
	[[nodiscard]] nl_msg *msg() const noexcept { return msg_.get(); }
	/// Every attribute went in (no nest left open).
	[[nodiscard]] bool built() const noexcept { return ok_ && msg_ && nests_.empty(); }
	[[nodiscard]] std::uint8_t reply_cmd() const noexcept { return reply_cmd_; }
	[[nodiscard]] Space space() const noexcept { return space_; }
	/// The family of another family's request; unset for the ktr family.
	[[nodiscard]] const std::optional<std::uint16_t> &family() const noexcept { return family_; }
	[[nodiscard]] std::uint32_t since_minor() const noexcept { return since_minor_; }
	/// The too_old wording for @abi, if one was given.
	[[nodiscard]] std::optional<Error> too_old(const ModuleAbi &abi) const;
	/// The word wording of @answer, else @fallback.
	[[nodiscard]] Error word_failure(const KernelAnswer &answer, const Error &fallback) const;

private:
	Request() = default;
	void fail() noexcept { ok_ = false; }

	nl::MsgPtr msg_;
	std::string name_;
	std::uint8_t cmd_ = 0;
	std::uint8_t reply_cmd_ = 0;
	std::optional<std::uint16_t> family_;	// unset: the ktr family
	Space space_ = Space::ktr;
	Expect expect_ = Expect::reply;
	bool ok_ = true;
	std::vector<nlattr *> nests_;
	std::uint32_t since_minor_ = 0;
	std::function<Error(const ModuleAbi &)> too_old_;
	std::function<Error(const KernelAnswer &, const Error &)> word_;
};

/// Called with the attributes of each reply message; an Error fails the
/// call (the exchange is still read to its end, and the first Error wins).
using Handler = std::function<Result<void>(const Attrs &reply)>;

/// A Transport bound to the ktr family.
class Client {
public:
	/// Resolve the "ktr" family over @transport (module_not_loaded_error()
	/// if the kernel has none).
	static Result<Client> connect(std::unique_ptr<Transport> transport);

	Client(std::unique_ptr<Transport> transport, std::uint16_t family) noexcept
		: transport_(std::move(transport)), family_(family) {}

	/// Send @req and hand each reply message's attributes to @on_reply.
	Result<void> call(Request &req, const Handler &on_reply = {});

	/// KTR_CMD_GET_INFO's ABI numbers (for the since_minor check).
	Result<ModuleAbi> module_abi();

	[[nodiscard]] Transport &transport() noexcept { return *transport_; }
	[[nodiscard]] std::uint16_t family() const noexcept { return family_; }

private:
	Error word_failure(const Request &req, const KernelAnswer &answer);

	std::unique_ptr<Transport> transport_;
	std::uint16_t family_ = 0;
};

/// Client::call() of a request with one reply message, read by @read
/// (const Attrs & → Result<T>): its value, or the first error.
template <typename Read>
auto call_reading(Client &client, Request &req, Read read)
	-> decltype(read(std::declval<const Attrs &>()))
{
	using R = decltype(read(std::declval<const Attrs &>()));
	std::optional<R> out;
	const Result<void> r = client.call(req, [&](const Attrs &a) -> Result<void> {
		R v = read(a);
		if (!v)
			return v.error();
		out.emplace(std::move(v));
		return {};
	});
	if (!r)
		return r.error();
	if (!out)	// an ack where a reply was due
		return bad_reply_error(req.name(), "no reply message");
	return std::move(*out);
}

/// Client::call() of a dump, each message read by @read (const Attrs & →
/// Result<T>): every value in order, or the first error.
template <typename Read>
auto call_reading_all(Client &client, Request &req, Read read)
	-> Result<std::vector<std::remove_cvref_t<decltype(*read(std::declval<const Attrs &>()))>>>
{
	std::vector<std::remove_cvref_t<decltype(*read(std::declval<const Attrs &>()))>> out;
	const Result<void> r = client.call(req, [&](const Attrs &a) -> Result<void> {
		auto v = read(a);
		if (!v)
			return v.error();
		out.push_back(std::move(*v));
		return {};
	});
	if (!r)
		return r.error();
	return out;
}

/// The id of generic netlink family @name over @transport; the kernel's
/// ENOENT comes back as errnum ENOENT. (libnl's genl_ctrl_resolve()
/// reports every failure as NLE_OBJ_NOTFOUND: ktr must tell "module not
/// loaded" apart from the rest.)
Result<std::uint16_t> resolve_family(Transport &transport, std::string_view name);

/// Send @req (of the family it names, or the ktr family @family) over
/// @transport: Client::call() without the since_minor check.
Result<void> call(Transport &transport, std::uint16_t family, Request &req,
		  const Handler &on_reply = {});

} // namespace ktr::proto

#endif // KTR_PROTO_CALL_H
