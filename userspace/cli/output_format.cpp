// SPDX-License-Identifier: MIT
#include "output_format.h"

#include <cerrno>

#include "ktr/capture_sink.h"
#include "ktr/ctf_sink.h"
#include "ktr/perfetto_sink.h"

namespace ktr::cli {

Result<OutputFormat> output_format(const std::string &format, bool json,
				   const std::string &output, bool capture_ok)
{
	OutputFormat f;
	if (format.empty())
		f = json ? OutputFormat::Json
			 : (!output.empty() && capture_ok ? OutputFormat::Capture : OutputFormat::Text);
	else if (format == "text")
		f = OutputFormat::Text;
	else if (format == "json")
		f = OutputFormat::Json;
	else if (format == "ktr" && capture_ok)
		f = OutputFormat::Capture;
	else if (format == "ctf")
		f = OutputFormat::Ctf;
	else if (format == "perfetto")
		f = OutputFormat::Perfetto;
	else
		return Error{EINVAL, "--format " + format + ": unknown format (" +
					     output_format_names(capture_ok) + ")"};
	if (json && f != OutputFormat::Json)
		return Error{EINVAL, "--json and --format " + format + " exclude each other"};
	const bool to_file = f == OutputFormat::Capture || f == OutputFormat::Ctf ||
			     f == OutputFormat::Perfetto;
	if (to_file && output.empty())
		return Error{EINVAL, f == OutputFormat::Ctf
					     ? "--format ctf writes a directory: give it with -o DIR"
					     : "--format " + format + " writes a file: give it with -o FILE"};
	if (!to_file && !output.empty())
		return Error{EINVAL, json ? "--json and -o exclude each other: JSON goes to stdout"
				   : format.empty()
					   ? "-o is for --format ctf or perfetto: text goes to stdout"
					   : "--format " + format +
						     " and -o exclude each other: it goes to stdout"};
	return f;
}

std::string output_format_names(bool capture_ok)
{
	return capture_ok ? "text, json, ktr, ctf or perfetto" : "text, json, ctf or perfetto";
}

std::unique_ptr<Sink> make_sink(OutputFormat format, const std::string &output, LineOutput &out,
				CommTable::Lookup comm_fallback)
{
	const auto lines = [&](LineFormat f) {
		auto sink = std::make_unique<LineSink>(f, out);
		if (comm_fallback)
			sink->set_comm_fallback(std::move(comm_fallback));
		return sink;
	};
	switch (format) {
	case OutputFormat::Capture:
		return std::make_unique<CaptureSink>(output);
	case OutputFormat::Ctf:
		return std::make_unique<CtfSink>(output);
	case OutputFormat::Perfetto:
		return std::make_unique<PerfettoSink>(output);
	case OutputFormat::Json:
		return lines(LineFormat::Json);
	case OutputFormat::Text:
		break;
	}
	return lines(LineFormat::Text);
}

} // namespace ktr::cli
