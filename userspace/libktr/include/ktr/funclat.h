// SPDX-License-Identifier: MIT
//
// Function latency histograms aggregated in the kernel (KTR_IOC_FUNCLAT_OPEN,
// ABI minor 6; uapi/ktr.h): one kretprobe per function, a log2 histogram per
// function and CPU, summed when read. No event goes through the buffer.
//
//	auto dev = ktr::Device::open();
//	auto fl = ktr::FuncLat::open(*dev, {"vfs_read"}, {});
//	... sleep ...
//	auto stats = fl->read();
//	std::cout << ktr::format_funclat_text(*stats, ktr::LatUnit::Ns);
//
// Globs ("vfs_*") are expanded here, in user space, against the functions
// the kernel can trace (expand_functions()): Debian's 6.1 kernel has no
// multi-function probe (CONFIG_FPROBE), so every function is a kretprobe of
// its own, at most KTR_FUNCLAT_FUNCS_MAX of them. The formatting and the
// expansion are pure functions, unit-tested on the host.
#ifndef KTR_FUNCLAT_H
#define KTR_FUNCLAT_H

#include <array>
#include <chrono>
#include <cstdint>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <ktr.h>

#include "ktr/device.h"
#include "ktr/histogram.h"	// pow2_text(), the histogram lines
#include "ktr/result.h"

namespace ktr {

/// One function's histogram (struct ktr_funclat_stat) and its name.
struct FuncStat {
	std::string name;
	std::uint64_t count = 0;
	std::uint64_t sum_ns = 0;
	std::uint64_t min_ns = 0;	// 0 when count is 0
	std::uint64_t max_ns = 0;
	std::uint64_t missed = 0;
	/// Bucket i: calls whose duration in the unit is in [2^i, 2^(i+1));
	/// bucket 0 also holds 0.
	std::array<std::uint64_t, KTR_FUNCLAT_BUCKETS> buckets{};
};

/// The histograms' unit (durations are bucketed in it by the kernel).
enum class LatUnit { Ns, Us };

/// Nanoseconds per @unit (1 or 1000), and its name ("ns", "us").
std::uint32_t lat_unit_ns(LatUnit unit) noexcept;
std::string_view lat_unit_name(LatUnit unit) noexcept;

struct FuncLatOptions {
	std::int32_t pid = 0;		// only this process's calls; 0: all
	LatUnit unit = LatUnit::Ns;
	std::uint32_t maxactive = 0;	// 0: the module's default
};

/// Longest function name, NUL excluded.
inline constexpr std::size_t funclat_name_max = KTR_FUNCLAT_NAME_SLOT - 1;

/// A set of measured functions; closing it (destruction) unprobes them.
class FuncLat {
public:
	/// KTR_IOC_FUNCLAT_OPEN on @dev for @funcs (1..KTR_FUNCLAT_FUNCS_MAX
	/// names, each checked by check_function_name()). All or nothing: an
	/// Error names the function the kernel refused.
	static Result<FuncLat> open(const Device &dev, std::vector<std::string> funcs,
				    const FuncLatOptions &opts);

	/// A snapshot of every function, in the order given to open().
	[[nodiscard]] Result<std::vector<FuncStat>> read() const;

	[[nodiscard]] const std::vector<std::string> &functions() const noexcept { return funcs_; }

private:
	FuncLat(Fd fd, std::vector<std::string> funcs) noexcept
		: fd_(std::move(fd)), funcs_(std::move(funcs)) {}
	Fd fd_;
	std::vector<std::string> funcs_;
};

/// A function name funclat can send: 1..funclat_name_max bytes, no
/// whitespace or control characters (EINVAL otherwise).
Result<void> check_function_name(std::string_view name);

/// How KTR_IOC_FUNCLAT_OPEN failed with @errnum: about function @func when
/// the kernel named one (its @failed index), else about the request.
Error funclat_open_error(int errnum, std::optional<std::string_view> func, std::int32_t pid);

/// Whether @arg is a glob (holds '*', '?' or '[').
bool is_function_glob(std::string_view arg) noexcept;

/// The format of a list of functions.
enum class FunctionList {
	Ftrace,		// available_filter_functions: "name" or "name [module]"
	Kallsyms,	// /proc/kallsyms: "addr type name [module]", text only
};

/// The function names of a list, in order, each once. Kallsyms keeps
/// text symbols (t, T) and drops the "__pfx_" padding symbols and ".cold"
/// parts, which are no function entries.
std::vector<std::string> parse_function_list(std::istream &in, FunctionList format);

/// The functions the running kernel can trace: tracefs's
/// available_filter_functions (/sys/kernel/tracing or
/// /sys/kernel/debug/tracing), else /proc/kallsyms's text symbols.
Result<std::vector<std::string>> load_traceable_functions();

/// @args with each glob replaced by the functions of @available it matches
/// (fnmatch(3), in @available's order), every name once, in order. A glob
/// that matches nothing, or more than KTR_FUNCLAT_FUNCS_MAX names in all:
/// EINVAL / E2BIG with a message saying what to do.
Result<std::vector<std::string>> expand_functions(const std::vector<std::string> &args,
						   const std::vector<std::string> &available);

/// Every function: "NAME (UNIT):", the bpftrace-like histogram lines
///	[1K, 2K)                  12 |@@@@@@@@                              |
/// from the lowest to the highest non-empty bucket, and a summary line
///	count 12  avg 1500 ns  min 1100 ns  max 1900 ns  missed 0
/// ("no calls" instead when the count is 0); a blank line between functions.
std::string format_funclat_text(const std::vector<FuncStat> &stats, LatUnit unit);

/// One JSON document: {"unit":"ns","elapsed_ns":N,"pid":P|null,"functions":
/// [{"name","count","sum_ns","avg_ns","min_ns","max_ns","missed",
/// "hist":[{"low","high","count"}...]}]} (non-empty buckets only, bounds in
/// the unit; "high" of the last bucket, 2^64, is null).
std::string format_funclat_json(const std::vector<FuncStat> &stats, LatUnit unit,
				std::chrono::nanoseconds elapsed, std::int32_t pid);

} // namespace ktr

#endif // KTR_FUNCLAT_H
