// SPDX-License-Identifier: MIT
//
// libnl reports its own error numbers (NLE_*), not errno values. These turn
// them into ktr::Error, whose errnum is a real errno.
#ifndef KTR_NL_ERRNO_H
#define KTR_NL_ERRNO_H

#include <string_view>

#include "ktr/result.h"

namespace ktr::nl {

/// The errno closest to libnl error @nlerr (either sign); EIO if none fits.
int nlerr_to_errno(int nlerr);

/// "@context: <libnl's description>", with the errno from nlerr_to_errno().
Error libnl_error(int nlerr, std::string_view context);

} // namespace ktr::nl

#endif // KTR_NL_ERRNO_H
