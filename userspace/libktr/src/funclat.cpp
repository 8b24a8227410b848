// SPDX-License-Identifier: MIT
#include "ktr/funclat.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>

#include <fnmatch.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ktr/errors.h"
#include "ktr/json_writer.h"

namespace ktr {

static_assert(sizeof(ktr_funclat_open) == KTR_FUNCLAT_OPEN_SIZE_VER0);
static_assert(sizeof(ktr_funclat_stat) == KTR_FUNCLAT_STAT_SIZE_VER0);

namespace {

std::string name_list(std::size_t n)
{
	return std::to_string(n) + (n == 1 ? " function" : " functions");
}

} // namespace

std::uint32_t lat_unit_ns(LatUnit unit) noexcept
{
	return unit == LatUnit::Us ? 1000U : 1U;
}

std::string_view lat_unit_name(LatUnit unit) noexcept
{
	return unit == LatUnit::Us ? "us" : "ns";
}

Result<void> check_function_name(std::string_view name)
{
	if (name.empty())
		return Error(EINVAL, "an empty function name");
	if (name.size() > funclat_name_max)
		return Error(EINVAL, "function name '" + std::string(name.substr(0, 32)) +
					     "...' is longer than " +
					     std::to_string(funclat_name_max) + " bytes");
	for (const char c : name) {
		const auto u = static_cast<unsigned char>(c);
		if (u <= 0x20 || u == 0x7f)
			return Error(EINVAL, "function name '" + one_line(name) +
						     "' holds a space or a control character");
	}
	return {};
}

Error funclat_open_error(int errnum, std::optional<std::string_view> func, std::int32_t pid)
{
	if (func) {
		const std::string head = "cannot measure " + std::string(*func) + ": ";
		switch (errnum) {
		case ENOENT:
			return {errnum, head + "no such function in the kernel or a loaded "
					       "module (see /proc/kallsyms)"};
		case EOPNOTSUPP:
			return {errnum, head + "the kernel will not probe its return (not a "
					       "function entry, or blacklisted: NOKPROBE, "
					       "kprobes' own code)"};
		case EINVAL:
			return {errnum, head + "the module refused the name (empty, or longer "
					       "than " +
						std::to_string(funclat_name_max) + " bytes)"};
		default:
			return {errnum, head + "the kernel refused the probe: " +
						errno_text(errnum)};
		}
	}
	switch (errnum) {
	case ESRCH:
		return {errnum, "no process " + std::to_string(pid) +
					": -P takes the id of a running process"};
	case EPERM:
	case EACCES:
		return {errnum, "permission denied: measuring functions needs CAP_PERFMON or "
				"CAP_SYS_ADMIN (run as root)"};
	case ENOSPC:
		return {errnum, "too many function latency measurements at once (at most " +
					std::to_string(KTR_FUNCLAT_SETS_MAX) +
					" on the machine, all users together): wait for one to end"};
	case ENOTTY:
		return {errnum, "the loaded ktr module cannot measure function latency (older "
				"than ABI 1.6: use ktr.ko from the same release as this tool)"};
	case EINVAL:
	case E2BIG:
		return {errnum, "the ktr module refused the funclat request (" +
					errno_text(errnum) +
					"): is it from the same release as this tool?"};
	default:
		return {errnum, "cannot measure function latency: " + errno_text(errnum)};
	}
}

Result<FuncLat> FuncLat::open(const Device &dev, std::vector<std::string> funcs,
			      const FuncLatOptions &opts)
{
	if (funcs.empty() || funcs.size() > KTR_FUNCLAT_FUNCS_MAX)
		return Error(E2BIG, "funclat measures 1 to " +
					    std::to_string(KTR_FUNCLAT_FUNCS_MAX) +
					    " functions at once, not " + std::to_string(funcs.size()));
	std::vector<char> names(funcs.size() * KTR_FUNCLAT_NAME_SLOT, '\0');
	for (std::size_t i = 0; i < funcs.size(); i++) {
		if (auto ok = check_function_name(funcs[i]); !ok)
			return ok.error();
		std::memcpy(&names[i * KTR_FUNCLAT_NAME_SLOT], funcs[i].data(), funcs[i].size());
	}
	ktr_funclat_open req{};
	req.size = sizeof(req);
	req.pid = static_cast<std::uint32_t>(opts.pid);
	req.nr_funcs = static_cast<std::uint32_t>(funcs.size());
	req.names = reinterpret_cast<std::uintptr_t>(names.data());
	req.maxactive = opts.maxactive;
	req.unit_ns = lat_unit_ns(opts.unit);
	req.stat_size = sizeof(ktr_funclat_stat);
	req.failed = KTR_FUNCLAT_NONE;
	const int fd = ::ioctl(dev.fd(), KTR_IOC_FUNCLAT_OPEN, &req);
	if (fd < 0) {
		const int err = errno;
		std::optional<std::string_view> func;
		if (req.failed < funcs.size())
			func = funcs[req.failed];
		return funclat_open_error(err, func, opts.pid);
	}
	return FuncLat(Fd(fd), std::move(funcs));
}

Result<std::vector<FuncStat>> FuncLat::read() const
{
	std::vector<ktr_funclat_stat> raw(funcs_.size());
	const std::size_t want = raw.size() * sizeof(ktr_funclat_stat);
	ssize_t n;
	do
		n = ::read(fd_.get(), raw.data(), want);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return Error(errno, "cannot read the latency histograms: " + errno_text(errno));
	if (static_cast<std::size_t>(n) != want)
		return Error(EPROTO, "the ktr module returned " + std::to_string(n) +
					     " bytes of histograms, not " + std::to_string(want));
	std::vector<FuncStat> out;
	out.reserve(raw.size());
	for (std::size_t i = 0; i < raw.size(); i++) {
		const ktr_funclat_stat &r = raw[i];
		if (r.index != i || r.size < KTR_FUNCLAT_STAT_SIZE_VER0)
			return Error(EPROTO, "the ktr module returned a malformed histogram "
					     "(is it from the same release as this tool?)");
		FuncStat s;
		s.name = funcs_[i];
		s.count = r.count;
		s.sum_ns = r.sum_ns;
		s.min_ns = r.min_ns;
		s.max_ns = r.max_ns;
		s.missed = r.missed;
		std::copy(std::begin(r.buckets), std::end(r.buckets), s.buckets.begin());
		out.push_back(std::move(s));
	}
	return out;
}

bool is_function_glob(std::string_view arg) noexcept
{
	return arg.find_first_of("*?[") != std::string_view::npos;
}

std::vector<std::string> parse_function_list(std::istream &in, FunctionList format)
{
	std::vector<std::string> out;
	std::set<std::string> seen;
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream words(line);
		std::string name;
		if (format == FunctionList::Kallsyms) {
			std::string addr, type;
			if (!(words >> addr >> type >> name))
				continue;
			if (type != "t" && type != "T")
				continue;
			// Padding before a function, and the cold parts that
			// are jumped to, not called: no function entries.
			if (name.starts_with("__pfx_") || name.find(".cold") != std::string::npos)
				continue;
		} else if (!(words >> name)) {
			continue;
		}
		if (seen.insert(name).second)
			out.push_back(std::move(name));
	}
	return out;
}

Result<std::vector<std::string>> load_traceable_functions()
{
	for (const char *path : {"/sys/kernel/tracing/available_filter_functions",
				 "/sys/kernel/debug/tracing/available_filter_functions"}) {
		std::ifstream in(path);
		if (!in)
			continue;
		std::vector<std::string> names = parse_function_list(in, FunctionList::Ftrace);
		if (!names.empty())
			return names;
	}
	std::ifstream in("/proc/kallsyms");
	if (!in)
		return Error(ENOENT, "cannot list the kernel's functions for a glob: neither "
				     "tracefs's available_filter_functions nor /proc/kallsyms "
				     "is readable (name the functions, or mount tracefs)");
	return parse_function_list(in, FunctionList::Kallsyms);
}

Result<std::vector<std::string>> expand_functions(const std::vector<std::string> &args,
						   const std::vector<std::string> &available)
{
	std::vector<std::string> out;
	std::set<std::string> seen;
	auto add = [&](const std::string &name) {
		if (seen.insert(name).second)
			out.push_back(name);
	};
	for (const std::string &arg : args) {
		if (!is_function_glob(arg)) {
			add(arg);
			continue;
		}
		std::size_t matched = 0;
		for (const std::string &name : available) {
			if (fnmatch(arg.c_str(), name.c_str(), 0) == 0) {
				add(name);
				matched++;
			}
		}
		if (matched == 0)
			return Error(EINVAL, "no kernel function matches '" + arg + "'");
		if (matched > KTR_FUNCLAT_FUNCS_MAX)
			return Error(E2BIG, "'" + arg + "' matches " + name_list(matched) +
						    "; funclat measures at most " +
						    std::to_string(KTR_FUNCLAT_FUNCS_MAX) +
						    " (one kretprobe each): narrow the pattern");
	}
	if (out.size() > KTR_FUNCLAT_FUNCS_MAX)
		return Error(E2BIG, "that is " + name_list(out.size()) +
					    "; funclat measures at most " +
					    std::to_string(KTR_FUNCLAT_FUNCS_MAX) +
					    " at once (one kretprobe each): name fewer");
	return out;
}

namespace {

// A duration in ns, in @unit: integer ns, or us with three decimals.
std::string in_unit(std::uint64_t ns, LatUnit unit)
{
	if (unit == LatUnit::Ns)
		return std::to_string(ns) + " ns";
	char buf[48];
	std::snprintf(buf, sizeof(buf), "%llu.%03llu us",
		      static_cast<unsigned long long>(ns / 1000),
		      static_cast<unsigned long long>(ns % 1000));
	return buf;
}

void format_one(std::string &out, const FuncStat &s, LatUnit unit)
{
	out += s.name + " (" + std::string(lat_unit_name(unit)) + "):\n";
	if (s.count == 0) {
		out += "no calls  missed " + std::to_string(s.missed) + "\n";
		return;
	}
	out += log2_bucket_lines(s.buckets);
	out += "count " + std::to_string(s.count) + "  avg " + in_unit(s.sum_ns / s.count, unit) +
	       "  min " + in_unit(s.min_ns, unit) + "  max " + in_unit(s.max_ns, unit) +
	       "  missed " + std::to_string(s.missed) + "\n";
}

} // namespace

std::string format_funclat_text(const std::vector<FuncStat> &stats, LatUnit unit)
{
	std::string out;
	for (std::size_t i = 0; i < stats.size(); i++) {
		if (i)
			out += "\n";
		format_one(out, stats[i], unit);
	}
	return out;
}

std::string format_funclat_json(const std::vector<FuncStat> &stats, LatUnit unit,
				std::chrono::nanoseconds elapsed, std::int32_t pid)
{
	JsonWriter w;
	w.begin_object().key("unit").value(lat_unit_name(unit));
	w.key("elapsed_ns").value(static_cast<std::int64_t>(elapsed.count()));
	w.key("pid");
	if (pid)
		w.value(pid);
	else
		w.null();
	w.key("functions").begin_array();
	for (const FuncStat &s : stats) {
		w.begin_object().key("name").value(s.name);
		w.key("count").value(s.count).key("sum_ns").value(s.sum_ns);
		w.key("avg_ns").value(s.count ? s.sum_ns / s.count : 0);
		w.key("min_ns").value(s.min_ns).key("max_ns").value(s.max_ns);
		w.key("missed").value(s.missed);
		w.key("hist");
		log2_bucket_json(w, s.buckets);
		w.end_object();
	}
	w.end_array().end_object();
	return w.str() + "\n";
}

} // namespace ktr
