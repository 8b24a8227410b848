// SPDX-License-Identifier: MIT
//
// ktr report FILE [--json] [--cpu LIST]: the events of a capture file (.ktr),
// merged by time, as text lines or JSON Lines on stdout; per-CPU counts on
// stderr at the end.
//
// The file is read twice: a first pass checks the chunk headers and notes
// where each CPU's sub-buffers are; the second reads them lazily, one CPU
// at a time, holding only what the merge needs (about one sub-buffer per
// CPU). A damaged file still shows every event before the damage, then
// fails with one line saying where.
#include <cerrno>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <ktr.h>

#include "cli_main.h"
#include "commands.h"
#include "ktr/capture.h"
#include "ktr/cpu_list.h"
#include "ktr/decode.h"
#include "ktr/event_print.h"
#include "ktr/merge.h"

namespace ktr::cmd {

namespace {

struct ReportOptions {
	std::string file;
	bool json = false;
	std::string cpus;	// checked by parse_cpu_list()
};

void check(const Result<void> &r)
{
	if (!r)
		throw cli::Failure(r.error());
}

// What the first pass found for one CPU.
struct CpuIndex {
	std::vector<ChunkRef> subbufs;
	std::size_t next = 0;		// next sub-buffer to load
	std::uint64_t end_ts = 0;	// end of the last one loaded
	std::optional<CaptureCpuStats> stats;
	bool selected = true;
};

// Index the chunks. A damaged file gives the chunks before the damage and
// the error.
std::optional<Error> index_chunks(CaptureReader &rd, std::vector<CpuIndex> &cpus)
{
	while (true) {
		Result<std::optional<ChunkRef>> chunk = rd.next();
		if (!chunk)
			return chunk.error();
		if (!*chunk)
			return std::nullopt;
		const ChunkRef &ref = **chunk;
		if (ref.type == ChunkType::End || !cpus[ref.cpu].selected)
			continue;
		if (ref.type == ChunkType::Subbuf) {
			cpus[ref.cpu].subbufs.push_back(ref);
		} else {
			Result<CaptureCpuStats> st = rd.read_stats(ref);
			if (!st)
				return st.error();
			cpus[ref.cpu].stats = *st;
		}
	}
}

class Report {
public:
	Report(std::string file, CaptureReader &rd, std::vector<CpuIndex> &cpus, bool json)
		: file_(std::move(file)), rd_(rd), cpus_(cpus), json_(json),
		  merger_(rd.info().nr_cpus),
		  printer_(rd.info().formats,
			   ClockMap{rd.info().clock_local_ns, rd.info().clock_mono_ns})
	{
	}

	void run()
	{
		const MergeSink sink = [this](const MergedItem &item) { return print(item); };
		for (std::uint32_t cpu = 0; cpu < cpus_.size(); cpu++) {
			if (!cpus_[cpu].subbufs.empty())
				load(cpu);
		}
		// Emit what no CPU with sub-buffers still to load can precede: their
		// next items come at or after the end of their last sub-buffer.
		while (true) {
			std::optional<std::uint32_t> lagging;
			for (std::uint32_t cpu = 0; cpu < cpus_.size(); cpu++) {
				const CpuIndex &c = cpus_[cpu];
				if (c.next < c.subbufs.size() &&
				    (!lagging || c.end_ts < cpus_[*lagging].end_ts))
					lagging = cpu;
			}
			if (!lagging)
				break;
			const std::uint64_t limit = cpus_[*lagging].end_ts;
			if (limit > 0)
				check(merger_.emit_until(limit - 1, sink));
			load(*lagging);
		}
		check(merger_.emit_all(sink));
	}

	[[nodiscard]] const Merger &merger() const noexcept { return merger_; }

private:
	void load(std::uint32_t cpu)
	{
		CpuIndex &c = cpus_[cpu];
		const ChunkRef &ref = c.subbufs[c.next++];
		const std::vector<std::byte> bytes = cli::or_fail(rd_.read_subbuf(ref));
		Result<DecodedSubbuf> sb = decode_subbuf(bytes, cpu, rd_.info().subbuf_size, c.end_ts);
		if (!sb)
			fail(ref, sb.error());
		c.end_ts = sb->end_ts();
		if (Result<void> r = merger_.add(cpu, std::move(*sb)); !r)
			fail(ref, r.error());
	}

	[[noreturn]] void fail(const ChunkRef &ref, const Error &e)
	{
		throw cli::Failure(Error{e.errnum(), file_ + ": SUBBUF chunk at offset " +
							     std::to_string(ref.offset) + ": " +
							     e.message()});
	}

	Result<void> print(const MergedItem &item)
	{
		if (const auto *lost = std::get_if<MergedLost>(&item)) {
			std::cout << (json_ ? printer_.lost_json(lost->cpu, lost->ts, lost->count)
					    : printer_.lost_text(lost->cpu, lost->count));
			return {};
		}
		const auto &ev = std::get<MergedEvent>(item);
		Result<std::string> line = json_ ? printer_.json(ev.cpu, ev.ts, ev.payload)
						 : printer_.text(ev.cpu, ev.ts, ev.payload);
		if (!line)
			return line.error();
		std::cout << *line;
		return {};
	}

	std::string file_;
	CaptureReader &rd_;
	std::vector<CpuIndex> &cpus_;
	bool json_;
	Merger merger_;
	EventPrinter printer_;
};

void print_stats(const std::vector<CpuIndex> &cpus, const Merger &merger)
{
	for (std::uint32_t cpu = 0; cpu < cpus.size(); cpu++) {
		const CpuIndex &c = cpus[cpu];
		const MergeCounters &n = merger.counters(cpu);
		if (!c.selected || (c.subbufs.empty() && !c.stats))
			continue;
		std::cerr << "CPU " << cpu << ": " << n.events << " events, " << n.bytes << " bytes, "
			  << n.lost << " lost";
		if (c.stats && c.stats->kernel.size != 0) {
			const ktr_rb_cpu_stats &k = c.stats->kernel;
			std::cerr << " (kernel: " << k.written << " written, "
				  << k.lost_full + k.lost_overwritten + k.lost_nesting +
					     k.lost_disabled
				  << " lost)";
		}
		std::cerr << "\n";
	}
}

void run_report(const ReportOptions &opt)
{
	CaptureReader rd = cli::or_fail(CaptureReader::open(opt.file));
	if (rd.info().abi_major != KTR_ABI_MAJOR)
		throw cli::Failure(Error{EPROTO, opt.file + " was recorded by a ktr module of ABI " +
							 std::to_string(rd.info().abi_major) + "." +
							 std::to_string(rd.info().abi_minor) +
							 "; this ktr reads ABI " +
							 std::to_string(KTR_ABI_MAJOR) + ".x data only"});
	const std::uint32_t ncpus = rd.info().nr_cpus;
	std::vector<CpuIndex> cpus(ncpus);
	if (!opt.cpus.empty()) {
		const std::vector<unsigned> list = cli::or_fail(parse_cpu_list(opt.cpus));
		for (CpuIndex &c : cpus)
			c.selected = false;
		for (const unsigned cpu : list) {
			if (cpu >= ncpus)
				throw cli::Failure(Error{EINVAL, "--cpu " + opt.cpus + ": the capture has CPUs 0-" +
									 std::to_string(ncpus - 1) +
									 " only"});
			cpus[cpu].selected = true;
		}
	}

	const std::optional<Error> damage = index_chunks(rd, cpus);
	Report report(opt.file, rd, cpus, opt.json);
	report.run();
	std::cout.flush();
	print_stats(cpus, report.merger());
	if (damage)
		throw cli::Failure(*damage);
}

} // namespace

void setup_report(CLI::App &app)
{
	auto opt = std::make_shared<ReportOptions>();
	CLI::App *sub = app.add_subcommand(
		"report", "Show the events of a capture file (.ktr) merged by time, as text or JSON "
			  "Lines; per-CPU counts go to stderr");
	sub->add_option("file", opt->file, "The capture file")->required()->type_name("FILE");
	sub->add_flag("--json", opt->json, "Print one JSON object per line instead of text");
	sub->add_option("--cpu", opt->cpus, "Show only the CPUs in LIST, e.g. 0-3,8 (default: all)")
		->type_name("LIST")
		->check(cli::validator(parse_cpu_list));
	sub->callback([opt] { run_report(*opt); });
}

} // namespace ktr::cmd
