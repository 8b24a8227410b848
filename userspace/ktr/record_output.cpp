// SPDX-License-Identifier: MIT
#include "record_output.h"

#include <cerrno>

namespace ktr::cmd {

Result<RecordOutput> record_output(bool has_command, const std::string &output, bool json)
{
	RecordOutput out;
	if (output == "-" || (output.empty() && (json || !has_command))) {
		out.kind = json ? RecordOutput::Kind::Json : RecordOutput::Kind::Text;
		return out;
	}
	if (json)
		return Error{EINVAL, "--json and -o FILE exclude each other (a capture file is "
				     "binary; run 'ktr report --json' on it)"};
	out.kind = RecordOutput::Kind::Capture;
	out.defaulted = output.empty();
	out.path = out.defaulted ? record_default_file : output;
	return out;
}

} // namespace ktr::cmd
