// SPDX-License-Identifier: MIT
//
// ktr record [-p TRACER [-l GLOB]... [-n GLOB]... [--opt K=V]...]
//            -e EVENT_OR_GLOB [-f EXPR] [--stack] [-e ...]... [-P PID]...
//            [--children] [-c COMM]... [--cpus LIST] [-b SIZE]
//            [-o FILE|- | --json] [--format FORMAT] [-d DURATION] [-- COMMAND [ARG...]]
//
// Traces like trace-cmd record / perf record: starts from a reset tracer
// (every event off, no filter, an empty buffer: what it shows is only what
// it recorded; refused while another reader streams), sizes the buffer
// (-b), sets the filters, enables the events, streams them in-process like
// ktr-read (the live source through ktr/pipeline.h: text on stdout, --json,
// or a capture file with -o; where, record_output.h decides: with a command
// the trace goes to ktr.ktr unless stdout is asked for) and, with a command,
// runs it and traces it and every process it forks, then stops when it
// exits. -p makes a tracer current for the recording (like trace-cmd's -p;
// -l/-n are the function tracer's filter and notrace globs), set before the
// command starts (and before any -e), back to nop at the end; -e is then
// optional. -f and --stack apply to the -e just before them. At the end the
// events it enabled are disabled again and the filters it set removed.
//
// The command is forked first and held on a pipe until the filters name
// its pid and the events are on: its first instruction is traced.
// GCC 12 at -O2 sees a "potential null pointer dereference" inside
// CLI11's CLI::detail::split() as inlined here (a false positive in
// libstdc++'s string move): silence that one warning for this file only.
#pragma GCC diagnostic ignored "-Wnull-dereference"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli_main.h"
#include "commands.h"
#include "ktr/control.h"
#include "ktr/cpu_list.h"
#include "ktr/duration.h"
#include "ktr/events.h"
#include "ktr/filters.h"
#include "ktr/info.h"
#include "ktr/line_sink.h"
#include "ktr/live_source.h"
#include "ktr/pipeline.h"
#include "ktr/progress.h"
#include "ktr/tracers.h"
#include "ktr/tracing.h"
#include "output_format.h"
#include "record_output.h"
#include "record_run.h"
#include "stop_signals.h"

namespace ktr::cmd {

namespace {


// The command ending stops the stream (after its final flushes and drains).
// SA_NOCLDSTOP: a stopped command is not an ended one.
void on_child(int)
{
	cli::request_stop();
}

// Fork and exec @argv after a byte arrives on @hold_fd (EOF: the parent gave
// up and closed @go_fd, the write end, which the child closes at once). The child gets the signal dispositions of a fresh process: record
// ignores SIGPIPE, which exec would otherwise pass on.
pid_t spawn(const std::vector<std::string> &argv, int hold_fd, int go_fd)
{
	const pid_t pid = fork();
	if (pid != 0)
		return pid;
	// Only the parent may hold the write end: else giving up (closing it)
	// never reaches the child as EOF and record waits for it forever.
	close(go_fd);
	signal(SIGPIPE, SIG_DFL);
	char go;
	ssize_t n;
	do
		n = read(hold_fd, &go, 1);
	while (n < 0 && errno == EINTR);
	if (n != 1)
		_exit(127);
	close(hold_fd);
	std::vector<char *> args;
	for (const std::string &a : argv)
		args.push_back(const_cast<char *>(a.c_str()));
	args.push_back(nullptr);
	execvp(args[0], args.data());
	std::fprintf(stderr, "ktr: cannot run %s: %s\n", args[0], std::strerror(errno));
	_exit(127);
}

int wait_for(pid_t pid)
{
	int status = 0;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return status;
}

std::string status_text(int status)
{
	if (WIFEXITED(status))
		return "exited with status " + std::to_string(WEXITSTATUS(status));
	if (WIFSIGNALED(status))
		return std::string("was killed by signal ") + strsignal(WTERMSIG(status));
	return "ended";
}

// Everything record changed, undone in reverse by cleanup().
struct Undo {
	std::vector<std::string> enabled;	// system:name, enabled by record
	std::vector<EventFilterRequest> event_filters;
	TaskFilter task;
	bool task_set = false;
	bool tracer_set = false;	// back to nop
};

void cleanup(Control &ctl, const Undo &u, const std::string &who)
{
	for (const std::string &ev : u.enabled)
		if (auto r = ctl.disable_events(ev); !r)
			std::cerr << who << ": " << r.error().message() << "\n";
	for (EventFilterRequest req : u.event_filters) {
		if (req.action == EventFilterRequest::Program::Set)
			req.action = EventFilterRequest::Program::Clear;
		if (req.stack)
			req.stack = false;
		if (auto r = ctl.set_event_filter(req); !r)
			std::cerr << who << ": " << r.error().message() << "\n";
	}
	if (u.tracer_set)
		if (auto r = ctl.set_tracer("nop"); !r)
			std::cerr << who << ": " << r.error().message() << "\n";
	if (u.task_set)
		if (auto r = ctl.set_task_filter(u.task); !r)
			std::cerr << who << ": " << r.error().message() << "\n";
}

} // namespace

int run_record(const RecordOptions &o, Sink *custom_sink)
{
	auto warn = [&o](const std::string &message) {
		std::cerr << o.who << ": " << message << "\n";
	};
	std::vector<TracerSetting> tracer_settings;
	if (!o.tracer.empty()) {
		Result<std::vector<TracerSetting>> s =
			record_tracer_settings(o.tracer, o.func_filter, o.func_notrace, o.tracer_opts);
		if (!s)
			throw cli::Failure(s.error(), cli::exit_usage);
		if (Result<std::string> blob = encode_tracer_settings(*s); !blob)
			throw cli::Failure(blob.error(), cli::exit_usage);
		tracer_settings = std::move(*s);
	}
	Control ctl = cli::or_fail(Control::open());
	// A clean slate: nothing recorded before, no other event, no filter.
	if (Result<void> r = ctl.reset(); !r)
		throw cli::Failure(Error{r.error().errnum(),
					 "cannot reset the tracer before recording: " +
						 r.error().message()});
	if (!o.buffer_size.empty()) {
		const Info info = cli::or_fail(ctl.get_info());
		const BufferConfig current{info.subbuf_size, info.nr_subbufs,
					   info.buffer_mode.value_or(0)};
		BufferRequest req;
		req.nr_subbufs = cli::or_fail(
			nr_subbufs_for(cli::or_fail(parse_size(o.buffer_size, "-b")),
				       current.subbuf_size));
		if (Result<void> ok = check_buffer_request(req, current); !ok)
			throw cli::Failure(ok.error(), cli::exit_usage);
		cli::or_fail(ctl.set_buffer(req));
	}
	const std::vector<EventInfo> events = cli::or_fail(ctl.list_events());

	std::vector<EventFilterRequest> filters;
	for (std::size_t i = 0; i < o.events.size(); i++) {
		const std::optional<std::string> &expr = o.filter_of_event[i];
		const bool stack = o.stack_of_event[i];
		if (!expr && !stack)
			continue;
		auto reqs = cli::or_fail(event_filter_requests(
			events, o.events[i], expr, stack ? std::optional<bool>{true} : std::nullopt));
		filters.insert(filters.end(), reqs.begin(), reqs.end());
	}
	for (const std::string &name : o.stack_only) {
		auto reqs = cli::or_fail(event_filter_requests(events, name, std::nullopt, true));
		filters.insert(filters.end(), reqs.begin(), reqs.end());
	}

	TaskFilter tf;
	if (!o.pids.empty())
		tf.pids = o.pids;
	if (o.children)
		tf.follow = true;
	if (!o.comms.empty())
		tf.comms = o.comms;
	if (!o.cpus.empty()) {
		std::vector<unsigned> cpus = cli::or_fail(parse_cpu_list(o.cpus));
		tf.cpus = std::vector<std::uint32_t>(cpus.begin(), cpus.end());
	}

	// The command, held until everything is set.
	int go_fd = -1;
	pid_t child = -1;
	if (!o.command.empty()) {
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			throw cli::Failure(Error{errno, "cannot create a pipe"});
		child = spawn(o.command, p[0], p[1]);
		close(p[0]);
		if (child < 0)
			throw cli::Failure(Error{errno, "cannot fork"});
		go_fd = p[1];
		std::vector<std::int32_t> pids = tf.pids.value_or(std::vector<std::int32_t>{});
		pids.push_back(child);
		tf.pids = pids;
		tf.follow = true;
	}

	Undo undo;
	auto fail = [&](const Error &e) {
		if (child > 0) {
			close(go_fd);	// EOF: the held child exits
			wait_for(child);
		}
		cleanup(ctl, undo, o.who);
		throw cli::Failure(e);
	};
	if (tf.pids || tf.follow || tf.comms || tf.cpus) {
		undo.task = TaskFilter{};
		if (tf.pids)
			undo.task.pids = std::vector<std::int32_t>{};
		if (tf.comms)
			undo.task.comms = std::vector<std::string>{};
		if (tf.cpus)
			undo.task.cpus = std::vector<std::uint32_t>{};
		if (auto r = ctl.set_task_filter(tf); !r)
			fail(r.error());
		undo.task_set = true;
	}
	for (const EventFilterRequest &req : filters) {
		if (auto r = ctl.set_event_filter(req); !r)
			fail(r.error());
		undo.event_filters.push_back(req);
	}
	// The tracer first: under TCG, ftrace code patching while another
	// vCPU runs that code hot can wedge it; nothing runs yet.
	if (!o.tracer.empty()) {
		if (auto r = ctl.set_tracer(o.tracer, tracer_settings); !r)
			fail(r.error());
		undo.tracer_set = true;
	}
	std::set<std::string> was_enabled;
	for (const EventInfo &ev : events)
		if (ev.enabled)
			was_enabled.insert(ev.format.system + ":" + ev.format.name);
	for (const std::string &glob : o.events) {
		if (auto r = ctl.enable_events(glob); !r)
			fail(r.error());
		for (const EventInfo &ev : events) {
			const std::string name = ev.format.system + ":" + ev.format.name;
			if (ev.available && ev.format.system != "ktr" &&
			    event_matches(ev.format, glob) && !was_enabled.contains(name)) {
				undo.enabled.push_back(name);
				was_enabled.insert(name);
			}
		}
	}

	// The reader, in-process: the streams are open before the command runs.
	LiveOptions live;
	if (!o.duration.empty())
		live.duration = cli::or_fail(parse_duration(o.duration));
	live.stop = &cli::stop_flag();
	live.note = warn;
	Result<LiveSource> source = LiveSource::open(live);
	if (!source)
		fail(source.error());
	FdOutput out(STDOUT_FILENO);
	if (o.dest.defaulted && !custom_sink)
		std::cerr << "ktr record: the command shares stdout: the trace goes to "
			  << o.dest.path << " ('ktr report " << o.dest.path
			  << "' shows it; -o - prints it on stdout)\n";
	// Tasks named by no event yet: the live system's names.
	std::unique_ptr<Sink> sink;
	if (!custom_sink)
		sink = cli::make_sink(o.output_format, o.dest.path, out, proc_comm_lookup());
	Sink *const sinks[] = {custom_sink ? custom_sink : sink.get()};
	PipelineOptions pipe;
	pipe.warn = warn;

	// Ctrl-C reaches the command and record: it stops the stream, then
	// record waits for the command.
	cli::install_stop_signals();
	if (child > 0) {
		struct sigaction sa {};
		sa.sa_handler = on_child;
		sa.sa_flags = SA_NOCLDSTOP;
		sigemptyset(&sa.sa_mask);
		sigaction(SIGCHLD, &sa, nullptr);
		if (write(go_fd, "g", 1) != 1)
			fail(Error{errno, "cannot start the command"});
		close(go_fd);
	}
	// Writing a file from a terminal: one status line on stderr meanwhile.
	ProgressLine progress(STDERR_FILENO, o.output, !o.output.empty());
	if (progress.active())
		pipe.progress = [&progress](const std::vector<ReadStats> &cpus) {
			progress.update(cpus);
		};
	Result<PipelineResult> res = run_pipeline(*source, sinks, pipe);
	progress.finish();

	int rc = 0;
	if (child > 0) {
		const int status = wait_for(child);
		std::cerr << o.who << ": " << o.command[0] << " " << status_text(status) << "\n";
		if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
			rc = cli::exit_failure;
	}
	if (!res) {
		warn(res.error().message());
		rc = cli::exit_failure;
	} else {
		std::cerr << format_read_stats(o.who, res->cpus);
		if (const std::optional<std::string> failed = res->error_summary()) {
			warn(*failed);
			rc = cli::exit_failure;
		}
	}
	cleanup(ctl, undo, o.who);
	return rc;
}

void setup_record(CLI::App &app)
{
	auto o = std::make_shared<RecordOptions>();
	CLI::App *sub = app.add_subcommand(
		"record", "Trace events (of a command and its children, with -- COMMAND) and "
			  "stream them like ktr-read");
	CLI::Option *ev = sub->add_option("-e,--event", o->events,
					  "Events to record: name, glob or system:glob")
				  ->type_name("EVENT_OR_GLOB")
				  ->allow_extra_args(false)
				  ->check(cli::validator(
					  [](const std::string &t) { return check_event_glob(t); }));
	sub->add_option("-p,--tracer", o->tracer,
			"Make this tracer current while recording (see 'ktr tracer list')")
		->type_name("TRACER");
	sub->add_option("-l,--func", o->func_filter,
			"With -p function: trace these functions (glob; repeat it)")
		->type_name("GLOB");
	sub->add_option("-n,--notrace", o->func_notrace,
			"With -p function: never these functions (glob; repeat it)")
		->type_name("GLOB");
	sub->add_option("--opt", o->tracer_opts, "An option of the -p tracer: KEY=VALUE")
		->type_name("K=V");
	CLI::Option *flt = sub->add_option("-f,--filter", o->filters,
					   "Filter for the -e before it (ftrace syntax: "
					   "'id == 257 && args1 != 0')")
				   ->type_name("EXPR")
				   ->allow_extra_args(false);
	CLI::Option *stk = sub->add_flag("--stack", o->stack,
					 "Record the kernel stack of the -e before it");
	sub->add_option("-P,--pid", o->pids, "Only these processes (all their threads)")
		->type_name("PID")
		->allow_extra_args(false);
	sub->add_flag("--children", o->children, "With -P: also the processes they fork");
	sub->add_option("-c,--comm", o->comms, "Only tasks whose command name matches (glob)")
		->type_name("COMM")
		->allow_extra_args(false);
	sub->add_option("--cpus", o->cpus, "Only events on these CPUs (\"0-3,6\")")
		->type_name("LIST");
	sub->add_option("-b,--buffer-size", o->buffer_size,
			"Buffer size per CPU (\"4M\"), kept after the recording")
		->type_name("SIZE");
	sub->add_option("-o,--output", o->output,
			"Write a capture file (see 'ktr report'), or with --format ctf a CTF "
			"trace into this directory, perfetto a Perfetto trace; '-' prints on "
			"stdout. Default: stdout, or ktr.ktr with a command (it shares stdout)")
		->type_name("FILE");
	sub->add_option("--format", o->format,
			"Output format: text, json, ktr (a capture file, the default with -o) or ctf "
			"(a CTF trace for babeltrace2 and Trace Compass, in the directory -o) or "
			"perfetto (a Perfetto trace, the file -o)")
		->type_name("FORMAT");
	sub->add_flag("--json", o->json, "Print JSON Lines on stdout instead of text");
	sub->add_option("-d,--duration", o->duration,
			"Without a command: stop after this long (\"10s\"); default: Ctrl-C")
		->type_name("DURATION")
		->check(cli::validator(parse_duration));
	sub->add_option("command", o->command, "The command to run and trace (after --)")
		->type_name("COMMAND");
	sub->callback([o, sub, ev, flt, stk] {
		// -f and --stack belong to the -e just before them.
		o->filter_of_event.assign(o->events.size(), std::nullopt);
		o->stack_of_event.assign(o->events.size(), false);
		std::size_t n_ev = 0, n_flt = 0;
		for (const CLI::Option *opt : sub->parse_order()) {
			if (opt == ev) {
				n_ev++;
			} else if (opt == flt || opt == stk) {
				if (n_ev == 0)
					throw cli::Failure(Error{EINVAL, std::string(opt == flt ? "-f"
												: "--stack") +
										 " must follow the -e it is for"},
							   cli::exit_usage);
				if (opt == flt)
					o->filter_of_event[n_ev - 1] = o->filters[n_flt++];
				else
					o->stack_of_event[n_ev - 1] = true;
			}
		}
		if (o->events.empty() && o->tracer.empty())
			throw cli::Failure(Error{EINVAL, "give events to record (-e) or a tracer (-p)"},
					   cli::exit_usage);
		if (o->tracer.empty() &&
		    (!o->func_filter.empty() || !o->func_notrace.empty() || !o->tracer_opts.empty()))
			throw cli::Failure(Error{EINVAL, "-l, -n and --opt are for the -p tracer"},
					   cli::exit_usage);
		// Where the trace goes: record_output() picks stdout or a capture
		// file (ktr.ktr when a command shares stdout); --format names
		// another file format for the same -o.
		Result<RecordOutput> dest = record_output(!o->command.empty(), o->output, o->json);
		if (!dest)
			throw cli::Failure(dest.error(), cli::exit_usage);
		if (!o->format.empty()) {
			// --format names the format, -o where it goes ('-': stdout).
			dest->path = o->output == "-" ? "" : o->output;
			dest->defaulted = false;
		}
		o->dest = *dest;
		Result<cli::OutputFormat> format =
			cli::output_format(o->format, o->json, o->dest.path, true);
		if (!format)
			throw cli::Failure(format.error(), cli::exit_usage);
		o->output_format = *format;
		if (!o->command.empty() && !o->duration.empty())
			throw cli::Failure(Error{EINVAL, "-d is for recording without a command"},
					   cli::exit_usage);
		if (const int rc = run_record(*o); rc != 0)
			throw cli::Failure(Error{ECANCELED, "recording did not complete"}, rc);
	});
}

} // namespace ktr::cmd
