// SPDX-License-Identifier: MIT
#include "ktr/histogram.h"

#include <algorithm>
#include <bit>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <variant>

#include "ktr/json_writer.h"

namespace ktr {

namespace {
// 128-bit arithmetic for linear bucket bounds (k * step may not fit 64).
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;
} // namespace

std::string pow2_text(unsigned k)
{
	static constexpr const char *suffix[] = {"", "K", "M", "G", "T", "P", "E"};
	const unsigned s = std::min(k / 10, 6U);
	return std::to_string(std::uint64_t{1} << (k - 10 * s)) + suffix[s];
}

std::string hist_line(std::string_view range, std::uint64_t count, std::uint64_t top)
{
	// The bar in floating point: count x 52 overflows no integer.
	const std::size_t bar =
		top == 0 ? 0
			 : std::min(hist_bar_width,
				    static_cast<std::size_t>(static_cast<double>(count) *
							     hist_bar_width / static_cast<double>(top)));
	char head[96];
	std::snprintf(head, sizeof(head), "%-20.*s %8" PRIu64 " |", static_cast<int>(range.size()),
		      range.data(), count);
	std::string out = head;
	out += std::string(bar, '@') + std::string(hist_bar_width - bar, ' ') + "|\n";
	return out;
}

std::string log2_bucket_lines(std::span<const std::uint64_t> buckets)
{
	std::size_t lo = buckets.size(), hi = 0;
	std::uint64_t top = 0;
	for (std::size_t i = 0; i < buckets.size(); i++) {
		if (!buckets[i])
			continue;
		lo = std::min(lo, i);
		hi = std::max(hi, i);
		top = std::max(top, buckets[i]);
	}
	std::string out;
	for (std::size_t i = lo; i <= hi && lo < buckets.size(); i++) {
		const std::string low = i == 0 ? "0" : pow2_text(static_cast<unsigned>(i));
		out += hist_line("[" + low + ", " + pow2_text(static_cast<unsigned>(i + 1)) + ")",
				 buckets[i], top);
	}
	return out;
}

void log2_bucket_json(JsonWriter &w, std::span<const std::uint64_t> buckets)
{
	w.begin_array();
	for (std::size_t i = 0; i < buckets.size(); i++) {
		if (!buckets[i])
			continue;
		w.begin_object().key("low").value(i ? std::uint64_t{1} << i : 0);
		w.key("high");
		if (i + 1 < buckets.size())
			w.value(std::uint64_t{1} << (i + 1));
		else
			w.null();
		w.key("count").value(buckets[i]).end_object();
	}
	w.end_array();
}

std::int64_t Histogram::bucket_of(std::int64_t value) const noexcept
{
	if (value >= 0)
		return bucket_of(static_cast<std::uint64_t>(value));
	if (spec_.step == 0)
		return -1;
	const auto step = static_cast<std::int64_t>(
		std::min<std::uint64_t>(spec_.step, std::numeric_limits<std::int64_t>::max()));
	// Floor division: -1 with step 10 is in [-10, 0).
	return (value + 1) / step - 1;
}

std::int64_t Histogram::bucket_of(std::uint64_t value) const noexcept
{
	if (spec_.step == 0)
		return static_cast<std::int64_t>(std::bit_width(value));
	return static_cast<std::int64_t>(
		std::min<std::uint64_t>(value / spec_.step, std::numeric_limits<std::int64_t>::max()));
}

void Histogram::count_value(std::int64_t bucket, long double value)
{
	buckets_[bucket]++;
	count_++;
	sum_ += value;
	min_ = std::min(min_, value);
	max_ = std::max(max_, value);
}

void Histogram::add(std::int64_t value)
{
	count_value(bucket_of(value), static_cast<long double>(value));
}

void Histogram::add(std::uint64_t value)
{
	count_value(bucket_of(value), static_cast<long double>(value));
}

bool Histogram::add(const FieldValue &value)
{
	if (const auto *s = std::get_if<std::int64_t>(&value)) {
		add(*s);
		return true;
	}
	if (const auto *u = std::get_if<std::uint64_t>(&value)) {
		add(*u);
		return true;
	}
	return false;
}

namespace {

std::string i128_text(i128 v)
{
	std::string s;
	const bool neg = v < 0;
	u128 u = neg ? static_cast<u128>(-v) : static_cast<u128>(v);
	do {
		s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
		u /= 10;
	} while (u != 0);
	return neg ? "-" + s : s;
}

} // namespace

std::pair<std::string, std::string> Histogram::bounds(std::int64_t bucket) const
{
	if (spec_.step == 0) {
		if (bucket < 0)
			return {"", "0"};
		if (bucket <= 1)
			return {std::to_string(bucket), std::to_string(bucket + 1)};
		const auto k = static_cast<unsigned>(bucket);
		return {i128_text(i128{1} << (k - 1)), i128_text(i128{1} << k)};
	}
	const i128 lo = static_cast<i128>(bucket) * spec_.step;
	return {i128_text(lo), i128_text(lo + spec_.step)};
}

std::string Histogram::range_text(std::int64_t bucket) const
{
	if (spec_.step == 0) {
		if (bucket < 0)
			return "(..., 0)";
		if (bucket <= 1)
			return "[" + std::to_string(bucket) + "]";
		const auto k = static_cast<unsigned>(bucket);
		return "[" + pow2_text(k - 1) + ", " + pow2_text(k) + ")";
	}
	// In 128 bits: k * step may not fit 64.
	const auto [lo, hi] = bounds(bucket);
	return "[" + lo + ", " + hi + ")";
}

namespace {

std::string integer_text(long double v)
{
	char buf[64];
	std::snprintf(buf, sizeof(buf), "%.0Lf", v);
	return buf;
}

} // namespace

std::string Histogram::text(std::string_view unit) const
{
	if (count_ == 0)
		return "no values\n";
	std::uint64_t top = 0;
	for (const auto &[bucket, n] : buckets_)
		top = std::max(top, n);
	const std::int64_t lo = buckets_.begin()->first, hi = buckets_.rbegin()->first;
	const bool with_empty =
		static_cast<u128>(static_cast<i128>(hi) - lo) < hist_lines_max;
	std::string out;
	if (with_empty) {
		for (std::int64_t b = lo;; b++) {
			const auto it = buckets_.find(b);
			out += hist_line(range_text(b), it == buckets_.end() ? 0 : it->second, top);
			if (b == hi)
				break;
		}
	} else {
		for (const auto &[bucket, n] : buckets_)
			out += hist_line(range_text(bucket), n, top);
	}
	const std::string u(unit);
	out += "count " + std::to_string(count_) + "  avg " +
	       integer_text(std::floor(sum_ / static_cast<long double>(count_))) + u + "  min " +
	       integer_text(min_) + u + "  max " + integer_text(max_) + u + "\n";
	return out;
}

void Histogram::json(JsonWriter &w) const
{
	w.begin_object().key("count").value(count_);
	const auto put = [&](const char *name, long double v) {
		w.key(name);
		if (count_ == 0)
			w.null();
		else
			w.number(integer_text(v));
	};
	put("avg", count_ ? std::floor(sum_ / static_cast<long double>(count_)) : 0);
	put("min", min_);
	put("max", max_);
	w.key("buckets").begin_array();
	for (const auto &[bucket, n] : buckets_) {
		const auto [lo, hi] = bounds(bucket);
		w.begin_object().key("range").value(range_text(bucket)).key("low");
		if (lo.empty())
			w.null();
		else
			w.number(lo);
		w.key("high");
		// 2^64, the top of the last log2 bucket, is written as a number
		// too: JSON integers have no width.
		if (hi.empty())
			w.null();
		else
			w.number(hi);
		w.key("count").value(n).end_object();
	}
	w.end_array().end_object();
}

} // namespace ktr
