// SPDX-License-Identifier: MIT
//
// Histograms of integer values, printed as bpftrace prints hist() (log2
// buckets) and lhist() (linear buckets): one line per bucket from the
// lowest to the highest non-empty one, its range, its count and a bar of
// '@' scaled to the largest count, then a summary line:
//
//	[0]                        3 |@@@@@@@@@@@                                         |
//	[1]                        0 |                                                    |
//	[2, 4)                    14 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@|
//	[1K, 2K)                   2 |@@@@@@@                                             |
//	count 19  avg 113  min 0  max 1500
//
// Log2 buckets: (..., 0) for negative values, [0], [1], then [2^(k-1), 2^k)
// with bounds shown 1K = 2^10 ... 16E = 2^64. Linear buckets of STEP:
// [k*STEP, (k+1)*STEP), negative ones included. Empty buckets between two
// non-empty ones are shown, unless that would take more than
// hist_lines_max lines: then only the non-empty ones are.
#ifndef KTR_HISTOGRAM_H
#define KTR_HISTOGRAM_H

#include <cstdint>
#include <limits>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "ktr/event_format.h"

namespace ktr {

/// 2^@k (@k <= 64) as bpftrace prints bucket bounds: "1", "512", "1K",
/// "2M", "16E" (K = 2^10 ... E = 2^60).
std::string pow2_text(unsigned k);

/// Width of the bar between the '|' (bpftrace's).
inline constexpr std::size_t hist_bar_width = 52;
/// Most bucket lines of one histogram that include empty buckets.
inline constexpr std::size_t hist_lines_max = 1000;

/// One bucket line: @range left-aligned in 20 columns, @count in 8, the
/// bar of @count relative to @top (the largest count), '\n' included.
std::string hist_line(std::string_view range, std::uint64_t count, std::uint64_t top);

/// The bucket lines of a log2 histogram counted elsewhere (the kernel's
/// funclat and latency histograms): bucket i holds [2^i, 2^(i+1)), bucket
/// 0 also 0; one line per bucket from the lowest to the highest non-empty
/// one ("" when all are empty).
std::string log2_bucket_lines(std::span<const std::uint64_t> buckets);

class JsonWriter;	// ktr/json_writer.h
/// The same buckets as a JSON array of {"low","high","count"}, non-empty
/// buckets only ("high" of the last bucket, 2^64, is null).
void log2_bucket_json(JsonWriter &w, std::span<const std::uint64_t> buckets);

struct HistSpec {
	/// 0: log2 buckets; else linear buckets of this width.
	std::uint64_t step = 0;
};

class Histogram {
public:
	explicit Histogram(HistSpec spec = {}) : spec_(spec) {}

	void add(std::int64_t value);
	void add(std::uint64_t value);
	/// An Int field's value (as field_value() gives it); other kinds are
	/// not added (false).
	bool add(const FieldValue &value);

	[[nodiscard]] std::uint64_t count() const noexcept { return count_; }
	[[nodiscard]] bool empty() const noexcept { return count_ == 0; }
	/// Total count in the buckets, by bucket (key: see bucket_of()).
	[[nodiscard]] const std::map<std::int64_t, std::uint64_t> &buckets() const noexcept
	{
		return buckets_;
	}

	/// The bucket lines and the summary line ("count N  avg A  min M  max
	/// X", integers; @unit after each value when not empty, e.g. " ns").
	/// An empty histogram gives "no values\n".
	[[nodiscard]] std::string text(std::string_view unit = {}) const;
	/// The same as a JSON object: {"count", "avg", "min", "max" (integers,
	/// null when empty), "buckets": [{"range" as text() shows it, "low",
	/// "high" (bounds, high excluded; null where unbounded), "count"}]},
	/// non-empty buckets only.
	void json(JsonWriter &w) const;
	/// The bounds of @bucket in decimal, "" where unbounded (log2: below
	/// 0, and above 2^64).
	[[nodiscard]] std::pair<std::string, std::string> bounds(std::int64_t bucket) const;

	/// The bucket key of @value: log2: -1 for negative values, 0 for 0,
	/// k for [2^(k-1), 2^k); linear: floor(value / step) (values above
	/// INT64_MAX in the last bucket below it).
	[[nodiscard]] std::int64_t bucket_of(std::int64_t value) const noexcept;
	[[nodiscard]] std::int64_t bucket_of(std::uint64_t value) const noexcept;
	/// "[2, 4)", "[0]", "(..., 0)", "[100, 110)".
	[[nodiscard]] std::string range_text(std::int64_t bucket) const;

private:
	void count_value(std::int64_t bucket, long double value);

	HistSpec spec_;
	std::map<std::int64_t, std::uint64_t> buckets_;
	std::uint64_t count_ = 0;
	long double sum_ = 0;
	long double min_ = std::numeric_limits<long double>::max();
	long double max_ = std::numeric_limits<long double>::lowest();
};

} // namespace ktr

#endif // KTR_HISTOGRAM_H
