// SPDX-License-Identifier: MIT
//
// The real control path on this machine, where the ktr module is never
// loaded: the family lookup must come back as "module not loaded".
#include <cerrno>
#include <string>

#include <gtest/gtest.h>

#include "ktr/control.h"
#include "ktr/errors.h"

namespace ktr {
namespace {

TEST(ControlOnHost, ReportsModuleNotLoaded)
{
	Result<Control> ctl = Control::open();
	if (ctl)
		GTEST_SKIP() << "the ktr module is loaded here (family id " << ctl->family_id() << ")";
	const Error &e = ctl.error();
	if (e.message().starts_with("cannot open a generic netlink socket"))
		GTEST_SKIP() << "no generic netlink here: " << e.message();
	EXPECT_EQ(e.errnum(), ENOENT) << e.message();
	EXPECT_EQ(e.message(), module_not_loaded_error().message());
}

} // namespace
} // namespace ktr
