// SPDX-License-Identifier: MIT
#include "nl_errno.h"

#include <cerrno>
#include <cstdlib>
#include <string>

#include <netlink/errno.h>

namespace ktr::nl {

int nlerr_to_errno(int nlerr)
{
	switch (std::abs(nlerr)) {
	case NLE_SUCCESS:		return 0;
	case NLE_INTR:			return EINTR;
	case NLE_BAD_SOCK:		return EBADF;
	case NLE_AGAIN:			return EAGAIN;
	case NLE_NOMEM:			return ENOMEM;
	case NLE_EXIST:			return EEXIST;
	case NLE_INVAL:			return EINVAL;
	case NLE_RANGE:			return ERANGE;
	case NLE_MSGSIZE:		return EMSGSIZE;
	case NLE_OPNOTSUPP:		return EOPNOTSUPP;
	case NLE_AF_NOSUPPORT:		return EAFNOSUPPORT;
	case NLE_OBJ_NOTFOUND:		return ENOENT;
	case NLE_NOADDR:		return EADDRNOTAVAIL;
	case NLE_BUSY:			return EBUSY;
	case NLE_NOACCESS:		return EACCES;
	case NLE_PERM:			return EPERM;
	case NLE_NODEV:			return ENODEV;
	case NLE_PROTO_MISMATCH:
	case NLE_SEQ_MISMATCH:
	case NLE_MSG_TRUNC:
	case NLE_MSG_TOOSHORT:
	case NLE_MSG_OVERFLOW:
	case NLE_MSGTYPE_NOSUPPORT:
	case NLE_DUMP_INTR:		return EPROTO;
	default:			return EIO;
	}
}

Error libnl_error(int nlerr, std::string_view context)
{
	return {nlerr_to_errno(nlerr),
		std::string(context) + ": " + nl_geterror(std::abs(nlerr))};
}

} // namespace ktr::nl
