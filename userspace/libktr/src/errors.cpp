// SPDX-License-Identifier: MIT
#include "ktr/errors.h"

#include <cerrno>
#include <string.h> // strerrordesc_np

#include <ktr.h>

namespace ktr {

// Thread-safe and locale-independent, unlike strerror() (glibc >= 2.32).
std::string errno_text(int errnum)
{
	if (const char *text = strerrordesc_np(errnum))
		return text;
	return "error " + std::to_string(errnum);
}

namespace {

std::string with_kernel_message(std::string message, std::string_view extack)
{
	const std::string kmsg = one_line(extack);
	if (!kmsg.empty())
		message += " [kernel: " + kmsg + "]";
	return message;
}

} // namespace

std::string one_line(std::string_view text)
{
	std::string out;
	out.reserve(text.size());
	bool pending_space = false;
	for (const char c : text) {
		const auto u = static_cast<unsigned char>(c);
		if (u <= 0x20 || u == 0x7f) {
			pending_space = !out.empty();
			continue;
		}
		if (pending_space)
			out += ' ';
		pending_space = false;
		out += c;
	}
	return out;
}

Error module_not_loaded_error()
{
	return {ENOENT, "the ktr kernel module is not loaded (load it with 'insmod ktr.ko')"};
}

Error abi_mismatch_error(std::uint32_t module_major, std::uint32_t module_minor)
{
	return {EPROTO,
		"ABI mismatch: the loaded ktr module speaks ABI " +
			std::to_string(module_major) + "." + std::to_string(module_minor) +
			" but this tool was built for ABI " + std::to_string(KTR_ABI_MAJOR) + "." +
			std::to_string(KTR_ABI_MINOR) +
			"; use the ktr tools from the same release as ktr.ko"};
}

Error kernel_error(int errnum, std::string_view request, std::string_view extack)
{
	std::string message;
	switch (errnum) {
	case EPERM:
	case EACCES:
		message = "permission denied: controlling ktr needs CAP_PERFMON or "
			  "CAP_SYS_ADMIN, and changing its state CAP_NET_ADMIN too "
			  "(run as root)";
		break;
	case EOPNOTSUPP:
		// With a reason, the module knows the request and refuses what it
		// asks for: its reason is the message. Without one, genetlink
		// refused a command number it has no handler for.
		if (std::string reason = one_line(extack); !reason.empty())
			return {errnum, std::string(request) + " refused: " + reason};
		message = "the loaded ktr module does not know " + std::string(request) +
			  " (module older than this tool?)";
		break;
	default:
		message = std::string(request) + " failed: " + errno_text(errnum);
		break;
	}
	return {errnum, with_kernel_message(std::move(message), extack)};
}

Error bad_reply_error(std::string_view request, std::string_view what)
{
	return {EPROTO, "invalid reply from the ktr module to " + std::string(request) + ": " +
				one_line(what)};
}

} // namespace ktr
