// SPDX-License-Identifier: MIT
//
// A fake kernel behind the protocol layer's Transport seam: it answers the
// family lookup and scripted ktr commands, and records every request, so
// that Control's wording of errors and its ABI fallbacks are tested
// without the module.
#ifndef KTR_FAKE_TRANSPORT_H
#define KTR_FAKE_TRANSPORT_H

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ktr/result.h"
#include "nl_handles.h"
#include "proto/attrs.h"
#include "proto/transport.h"

namespace ktr::test {

/// What the fake kernel answers to one request: reply messages, then the
/// end of the exchange (errnum 0: ack / dump done), or a local failure.
struct FakeAnswer {
	std::vector<nl::MsgPtr> replies;
	proto::KernelAnswer end;
	std::optional<Error> local;
};

/// The kernel's error @errnum, with extack @message (optional) pointing at
/// the first attribute of the request when @at_first_attr.
FakeAnswer kernel_fails(int errnum, std::string message = "", bool at_first_attr = false);

/// A reply message of command @cmd whose attributes @put adds.
nl::MsgPtr reply_message(std::uint8_t cmd, const std::function<void(nl_msg *)> &put = {});

/// One request as the fake kernel saw it.
struct SeenRequest {
	std::uint16_t family = 0;
	std::uint8_t cmd = 0;
	std::uint16_t flags = 0;
	nl::MsgPtr msg;	// a copy

	/// Its attributes, as the module would read them.
	[[nodiscard]] proto::Attrs attrs() const;
};

class FakeKernel final : public proto::Transport {
public:
	using Script = std::function<FakeAnswer(const SeenRequest &request)>;

	static constexpr std::uint16_t family_id = 0x1d;

	/// The answer to ktr command @cmd (unscripted commands fail with
	/// EOPNOTSUPP, as generic netlink answers an unknown command).
	void on(std::uint8_t cmd, Script script) { scripts_[cmd] = std::move(script); }
	/// A GET_INFO answer for a module of ABI @major.@minor.
	void module_abi(std::uint32_t major, std::uint32_t minor);

	/// false: the family lookup fails with ENOENT (module not loaded).
	bool loaded = true;

	Result<proto::KernelAnswer> exchange(nl_msg *request, std::string_view name,
					     const proto::MessageSink &sink) override;
	Result<void> set_reply_timeout(std::chrono::milliseconds timeout) override;

	/// Every request seen, in order (the family lookup included).
	std::vector<SeenRequest> seen;
	/// Every timeout set, in order.
	std::vector<std::chrono::milliseconds> timeouts;

	/// The ktr commands seen, in order.
	[[nodiscard]] std::vector<std::uint8_t> commands() const;

private:
	std::map<std::uint8_t, Script> scripts_;
};

} // namespace ktr::test

#endif // KTR_FAKE_TRANSPORT_H
