// SPDX-License-Identifier: MIT
//
// The new-maximum notices of the latency tracers (KTR_CMD_GET_LATENCY on
// the "notices" multicast group, ABI minor 8; uapi/ktr.h), as `ktr latency
// --watch` prints them: a socket that joined the group, and a wait that
// hands each latency notice to a callback (other notices are skipped).
#ifndef KTR_LATENCY_WATCH_H
#define KTR_LATENCY_WATCH_H

#include <chrono>
#include <functional>
#include <memory>

#include "ktr/latency.h"
#include "ktr/result.h"

namespace ktr {

class LatencyWatch {
public:
	/// A socket in the "notices" group (module_not_loaded_error() when the
	/// module is not loaded; EPERM on kernels where joining needs
	/// CAP_SYS_ADMIN).
	static Result<LatencyWatch> open();

	LatencyWatch(LatencyWatch &&) noexcept;
	LatencyWatch &operator=(LatencyWatch &&) noexcept;
	~LatencyWatch();

	/// Wait at most @timeout (interrupted by a signal: returns) and hand
	/// each latency notice that arrived to @on. ENOBUFS: notices were lost
	/// (the socket overflowed); the watch goes on.
	Result<void> wait(std::chrono::milliseconds timeout,
			  const std::function<void(const LatencyNotice &)> &on);

private:
	struct Impl;
	explicit LatencyWatch(std::unique_ptr<Impl> impl) noexcept;
	std::unique_ptr<Impl> impl_;
};

} // namespace ktr

#endif // KTR_LATENCY_WATCH_H
