// SPDX-License-Identifier: MIT
#include <cerrno>
#include <string>
#include <system_error>

#include <gtest/gtest.h>

#include <ktr.h>

#include "ktr/errors.h"

namespace ktr {
namespace {

bool contains(const std::string &haystack, std::string_view needle)
{
	return haystack.find(needle) != std::string::npos;
}

TEST(ControlErrors, ModuleNotLoadedSaysHowToLoadIt)
{
	const Error e = module_not_loaded_error();
	EXPECT_EQ(e.errnum(), ENOENT);
	EXPECT_EQ(e.code(), std::errc::no_such_file_or_directory);
	EXPECT_EQ(e.message(), "the ktr kernel module is not loaded (load it with 'insmod ktr.ko')");
}

TEST(ControlErrors, PermissionDeniedNamesCapabilities)
{
	const Error e = kernel_error(EPERM, "KTR_CMD_GET_INFO", "");
	EXPECT_EQ(e.errnum(), EPERM);
	EXPECT_EQ(e.message(), "permission denied: controlling ktr needs CAP_PERFMON or "
			       "CAP_SYS_ADMIN, and changing its state CAP_NET_ADMIN too "
			       "(run as root)");
}

TEST(ControlErrors, PermissionDeniedKeepsKernelMessage)
{
	const Error e = kernel_error(EPERM, "KTR_CMD_GET_INFO", "ktr: needs CAP_PERFMON");
	EXPECT_EQ(e.message(), "permission denied: controlling ktr needs CAP_PERFMON or "
			       "CAP_SYS_ADMIN, and changing its state CAP_NET_ADMIN too "
			       "(run as root) [kernel: ktr: needs CAP_PERFMON]");
}

TEST(ControlErrors, EaccesIsPermissionDeniedToo)
{
	const Error e = kernel_error(EACCES, "KTR_CMD_GET_INFO", "");
	EXPECT_EQ(e.errnum(), EACCES);
	EXPECT_TRUE(contains(e.message(), "permission denied")) << e.message();
}

TEST(ControlErrors, AbiMismatchNamesBothVersions)
{
	const Error e = abi_mismatch_error(KTR_ABI_MAJOR + 1, 4);
	EXPECT_EQ(e.errnum(), EPROTO);
	const std::string module_abi = std::to_string(KTR_ABI_MAJOR + 1) + ".4";
	const std::string tool_abi =
		std::to_string(KTR_ABI_MAJOR) + "." + std::to_string(KTR_ABI_MINOR);
	EXPECT_TRUE(contains(e.message(), "ABI mismatch")) << e.message();
	EXPECT_TRUE(contains(e.message(), "module speaks ABI " + module_abi)) << e.message();
	EXPECT_TRUE(contains(e.message(), "built for ABI " + tool_abi)) << e.message();
	EXPECT_TRUE(contains(e.message(), "same release")) << e.message();
}

TEST(ControlErrors, OtherErrnoNamesRequestAndKernelMessage)
{
	const Error e = kernel_error(EINVAL, "KTR_CMD_GET_INFO", "unknown attribute type 12");
	EXPECT_EQ(e.errnum(), EINVAL);
	EXPECT_EQ(e.message(),
		  "KTR_CMD_GET_INFO failed: Invalid argument [kernel: unknown attribute type 12]");
}

TEST(ControlErrors, MissingCommandSuggestsOldModule)
{
	const Error e = kernel_error(EOPNOTSUPP, "KTR_CMD_GET_INFO", "");
	EXPECT_TRUE(contains(e.message(), "does not know KTR_CMD_GET_INFO")) << e.message();
}

// `ktr filter -e raw:X --stack`: the module knows the command and says
// why it refuses; blaming an old module would send the user the wrong way.
TEST(ControlErrors, RefusalWithAReasonIsTheReasonNotAnOldModule)
{
	const Error e = kernel_error(EOPNOTSUPP, "KTR_CMD_SET_EVENT_FILTER",
				     "stack capture is not supported on raw events");
	EXPECT_EQ(e.errnum(), EOPNOTSUPP);
	EXPECT_EQ(e.message(), "KTR_CMD_SET_EVENT_FILTER refused: stack capture is not "
			       "supported on raw events");
}

TEST(ControlErrors, KernelMessageStaysOnOneLine)
{
	const Error e = kernel_error(EINVAL, "X", "first\nsecond\r\n\tthird\x1b[0m");
	EXPECT_EQ(e.message().find_first_of("\n\r\t\x1b"), std::string::npos) << e.message();
	EXPECT_TRUE(contains(e.message(), "[kernel: first second third [0m]")) << e.message();
}

TEST(ControlErrors, BadReplyIsProtocolError)
{
	const Error e = bad_reply_error("KTR_CMD_GET_INFO", "KTR_ATTR_ABI_MAJOR missing");
	EXPECT_EQ(e.errnum(), EPROTO);
	EXPECT_EQ(e.message(), "invalid reply from the ktr module to KTR_CMD_GET_INFO: "
			       "KTR_ATTR_ABI_MAJOR missing");
}

TEST(OneLine, CollapsesWhitespaceAndControlCharacters)
{
	EXPECT_EQ(one_line("  a \n\n b\t\tc  "), "a b c");
	EXPECT_EQ(one_line(std::string_view("x\0y", 3)), "x y");
	EXPECT_EQ(one_line(""), "");
	EXPECT_EQ(one_line("\n\t"), "");
	EXPECT_EQ(one_line("d\xc3\xa9j\xc3\xa0"), "d\xc3\xa9j\xc3\xa0");	// UTF-8 kept
}

TEST(ResultType, HoldsValueOrError)
{
	Result<int> ok = 42;
	ASSERT_TRUE(ok);
	EXPECT_EQ(*ok, 42);

	Result<int> bad = Error{ENOMEM, "out of memory"};
	ASSERT_FALSE(bad);
	EXPECT_EQ(bad.error().errnum(), ENOMEM);

	Result<void> done;
	EXPECT_TRUE(done);
	Result<void> failed = Error{EIO, "x"};
	EXPECT_FALSE(failed);
	EXPECT_EQ(failed.error().code(), std::errc::io_error);
}

} // namespace
} // namespace ktr
