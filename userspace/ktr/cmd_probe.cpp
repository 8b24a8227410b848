// SPDX-License-Identifier: MIT
//
// ktr probe add 'DEF'
// ktr probe list [--json]
// ktr probe del NAME | --all
// Dynamic probes (KTR_CMD_ADD_PROBE / _LIST_PROBES / _DEL_PROBE, ABI minor
// 5): a kprobe, kretprobe, uprobe or uretprobe defined by one line of
// ftrace's kprobe_events / uprobe_events grammar (uprobes also as
// /PATH:SYMBOL, resolved here) becomes an event (enabled at once) that ktr records, filters and
// lists like any other; list shows each probe's kind, state, mechanism and
// hit/miss counters; del removes one probe or all of them.
#include <cerrno>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/elf_symbol.h"
#include "ktr/errors.h"
#include "ktr/probe_def.h"
#include "ktr/probes.h"

namespace ktr::cmd {

namespace {

// Where the kernel says which kprobes it optimized into jumps.
constexpr const char *kprobes_list_path = "/sys/kernel/debug/kprobes/list";

struct ProbeOptions {
	std::string def;
	std::string name;
	bool all = false;
	bool json = false;
};

/*
 * The definition the module gets: a uprobe's PATH:SYMBOL turned into
 * PATH:0xOFFSET (ktr/elf_symbol.h), checked by the module's own parser
 * (ktr/probe_def.h) so that a mistake is shown, with a caret under the bad
 * character (printed above the one-line error), without a module.
 */
std::string validate_definition(std::string_view text)
{
	const std::string def = cli::or_fail(resolve_uprobe_symbol(text));
	auto parsed = parse_probe_def(def);
	if (const auto *e = std::get_if<ProbeDefError>(&parsed)) {
		std::cerr << render_probe_def_error(def, *e) << '\n';
		throw cli::Failure(Error{EINVAL, "bad probe definition at column " +
							 std::to_string(e->pos + 1) + ": " +
							 e->message},
				   cli::exit_usage);
	}
	return def;
}

// The int3 probes the kernel optimized, when debugfs says so (root, debugfs
// mounted); otherwise none.
std::set<std::uint64_t> optimized_addrs(const std::vector<ProbeInfo> &probes)
{
	bool any_int3 = false;
	for (const ProbeInfo &p : probes)
		any_int3 = any_int3 || p.mech == ProbeMech::Breakpoint;
	if (!any_int3)
		return {};
	std::ifstream in(kprobes_list_path);
	if (!in)
		return {};
	std::string text, line;
	while (std::getline(in, line))
		text += line + '\n';
	return optimized_kprobe_addrs(text);
}

void run_add(const ProbeOptions &opt)
{
	const std::string def = validate_definition(opt.def);
	Control ctl = cli::or_fail(Control::open());
	const ProbeAdded added = cli::or_fail(ctl.add_probe(def));
	std::cout << "added " << added.system << ':' << added.name << " (id " << added.id << ")\n";
}

void run_list(const ProbeOptions &opt)
{
	Control ctl = cli::or_fail(Control::open());
	const std::vector<ProbeInfo> probes = cli::or_fail(ctl.list_probes());
	const std::set<std::uint64_t> optimized = optimized_addrs(probes);
	std::cout << (opt.json ? format_probes_json(probes, optimized)
			       : format_probes_text(probes, optimized));
}

void run_del(const ProbeOptions &opt)
{
	if (opt.all == !opt.name.empty())
		throw cli::Failure(Error{EINVAL, "give a probe NAME or --all (exactly one of them)"},
				   cli::exit_usage);
	Control ctl = cli::or_fail(Control::open());
	const std::uint32_t n = cli::or_fail(opt.all ? ctl.del_all_probes()
						     : ctl.del_probe(opt.name));
	std::cout << "removed " << n << (n == 1 ? " probe" : " probes") << '\n';
}

} // namespace

void setup_probe(CLI::App &app)
{
	auto opt = std::make_shared<ProbeOptions>();
	CLI::App *probe = app.add_subcommand(
		"probe", "Add, list or delete dynamic probes (kprobes, kretprobes, uprobes, "
			 "uretprobes): events defined at run time on a kernel or user function");
	probe->require_subcommand(1);

	CLI::App *add = probe->add_subcommand(
		"add", "Add a probe from one line of ftrace's kprobe_events or uprobe_events "
		       "grammar; its event is enabled at once (e.g. 'p:myopen do_sys_openat2 "
		       "dfd=%di:s32 path=+0(%si):ustring', 'r:myret vfs_read ret=$retval:s64', "
		       "'p:rl /bin/bash:readline')");
	add->add_option("definition", opt->def,
			"p[:[GRP/]EVENT] [MOD:]SYMBOL[+OFFS]|ADDR [FETCHARGS], "
			"r[MAXACTIVE][:[GRP/]EVENT] [MOD:]SYMBOL [FETCHARGS], or "
			"p|r[:[GRP/]EVENT] /PATH:SYMBOL[+OFFS]|/PATH:OFFSET [FETCHARGS] (quote it)")
		->type_name("DEF")
		->required();
	add->callback([opt] { run_add(*opt); });

	CLI::App *list = probe->add_subcommand(
		"list", "List the probes: name, kind, state, mechanism (ftrace, int3, optimized, "
			"uprobe), hits, missed hits and definition");
	list->add_flag("--json", opt->json,
		       "Print one JSON object per probe (JSON Lines), every field included");
	list->callback([opt] { run_list(*opt); });

	CLI::App *del = probe->add_subcommand(
		"del", "Delete a probe (NAME or SYSTEM:NAME, as 'ktr probe list' shows it) or, "
		       "with --all, every probe");
	CLI::Option *name =
		del->add_option("name", opt->name, "The probe's event: NAME or SYSTEM:NAME")
			->type_name("NAME")
			->check(cli::validator(
				[](const std::string &n) { return check_probe_name(n); }));
	del->add_flag("--all", opt->all, "Delete every probe")->excludes(name);
	del->callback([opt] { run_del(*opt); });
}

} // namespace ktr::cmd
