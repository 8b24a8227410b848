// SPDX-License-Identifier: MIT
#include "proto/call.h"

#include <cerrno>
#include <optional>
#include <string>
#include <utility>

#include <linux/genetlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <ktr.h>

#include "ktr/errors.h"

namespace ktr::proto {

Request::Request(std::uint8_t cmd, std::string_view name, Expect expect)
	: name_(name), cmd_(cmd), reply_cmd_(cmd), expect_(expect)
{
	msg_.reset(nlmsg_alloc());
	if (!msg_ || !genlmsg_put(msg_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, 0, 0,
				  expect == Expect::dump ? NLM_F_DUMP : 0, cmd, KTR_GENL_VERSION))
		fail();
}

Request Request::other_family(std::uint16_t family, std::uint8_t cmd, std::uint8_t version,
			      std::uint8_t reply_cmd, Space space, std::string_view name,
			      Expect expect)
{
	Request r;
	r.name_ = name;
	r.cmd_ = cmd;
	r.reply_cmd_ = reply_cmd;
	r.family_ = family;
	r.space_ = space;
	r.expect_ = expect;
	r.msg_.reset(nlmsg_alloc());
	if (!r.msg_ || !genlmsg_put(r.msg_.get(), NL_AUTO_PORT, NL_AUTO_SEQ, family, 0,
				    expect == Expect::dump ? NLM_F_DUMP : 0, cmd, version))
		r.fail();
	return r;
}

Request &Request::u8(int type, std::uint8_t v)
{
	if (ok_ && nla_put_u8(msg_.get(), type, v) < 0)
		fail();
	return *this;
}

Request &Request::u32(int type, std::uint32_t v)
{
	if (ok_ && nla_put_u32(msg_.get(), type, v) < 0)
		fail();
	return *this;
}

Request &Request::string(int type, std::string_view v)
{
	const std::string text{v};
	if (ok_ && nla_put_string(msg_.get(), type, text.c_str()) < 0)
		fail();
	return *this;
}

Request &Request::bytes(int type, const void *data, std::size_t len)
{
	if (ok_ && nla_put(msg_.get(), type, static_cast<int>(len), data) < 0)
		fail();
	return *this;
}

Request &Request::begin_nest(int type)
{
	if (!ok_)
		return *this;
	nlattr *nest = nla_nest_start(msg_.get(), type);
	if (!nest)
		fail();
	else
		nests_.push_back(nest);
	return *this;
}

Request &Request::end_nest()
{
	if (!ok_ || nests_.empty()) {
		fail();
		return *this;
	}
	nla_nest_end(msg_.get(), nests_.back());
	nests_.pop_back();
	return *this;
}

Request &Request::since_minor(std::uint32_t minor, std::function<Error(const ModuleAbi &)> too_old)
{
	since_minor_ = minor;
	too_old_ = std::move(too_old);
	return *this;
}

Request &Request::word(std::function<Error(const KernelAnswer &, const Error &)> w)
{
	word_ = std::move(w);
	return *this;
}

std::optional<Error> Request::too_old(const ModuleAbi &abi) const
{
	if (!too_old_)
		return std::nullopt;
	return too_old_(abi);
}

Error Request::word_failure(const KernelAnswer &answer, const Error &fallback) const
{
	return word_ ? word_(answer, fallback) : fallback;
}

namespace {

// The exchange of @req: a KernelAnswer with errnum 0 when it succeeded and
// every reply was good, one with the kernel's errno when the kernel failed
// it, an Error for everything else (local failure, bad reply, handler).
Result<KernelAnswer> run(Transport &transport, std::uint16_t family, Request &req,
			 const Handler &on_reply)
{
	if (!req.built())
		return Error{ENOMEM, "cannot build " + std::string(req.name())};
	nlmsg_hdr(req.msg())->nlmsg_type = req.family().value_or(family);

	std::optional<Error> first;
	unsigned replies = 0;
	const MessageSink sink = [&](nl_msg *msg) {
		replies++;
		if (first)
			return;
		Result<Attrs> attrs = reply_attrs(msg, req.name(), req.reply_cmd(), req.space());
		if (!attrs) {
			first = attrs.error();
			return;
		}
		if (!on_reply)
			return;
		if (Result<void> r = on_reply(*attrs); !r)
			first = r.error();
	};
	Result<KernelAnswer> answer = transport.exchange(req.msg(), req.name(), sink);
	if (!answer || answer->errnum)
		return answer;
	if (first)
		return *first;
	if (req.expect() == Expect::reply && replies == 0)
		return bad_reply_error(req.name(), "no reply message");
	if (req.expect() == Expect::ack && replies > 0)
		return bad_reply_error(req.name(), "a reply where only an acknowledgement was due");
	return answer;
}

// kernel_error() for @answer, its extack naming the attribute of @req the
// kernel pointed at.
Error default_error(const Request &req, const KernelAnswer &answer)
{
	std::string extack = answer.extack;
	if (answer.extack_offset) {
		const int type = attr_type_at(req.msg(), *answer.extack_offset);
		const std::string attr = type >= 0 ? attr_name(req.space(), type) : "";
		if (!attr.empty() && extack.find(attr) == std::string::npos)
			extack += (extack.empty() ? "" : ": ") + attr;
	}
	return kernel_error(answer.errnum, req.name(), extack);
}

} // namespace

Result<void> call(Transport &transport, std::uint16_t family, Request &req, const Handler &on_reply)
{
	Result<KernelAnswer> answer = run(transport, family, req, on_reply);
	if (!answer)
		return answer.error();
	if (answer->errnum == 0)
		return {};
	return req.word_failure(*answer, default_error(req, *answer));
}

Result<void> Client::call(Request &req, const Handler &on_reply)
{
	Result<KernelAnswer> answer = run(*transport_, family_, req, on_reply);
	if (!answer)
		return answer.error();
	if (answer->errnum == 0)
		return {};
	return word_failure(req, *answer);
}

Error Client::word_failure(const Request &req, const KernelAnswer &answer)
{
	// An unknown command: EOPNOTSUPP from generic netlink (EINVAL from
	// some kernels' validation). Is the module older than the command?
	if (req.since_minor() && (answer.errnum == EOPNOTSUPP || answer.errnum == EINVAL)) {
		const Result<ModuleAbi> abi = module_abi();
		if (abi && abi->minor < req.since_minor()) {
			if (std::optional<Error> e = req.too_old(*abi))
				return *e;
			return Error{EOPNOTSUPP, "the loaded ktr module (ABI " +
							 std::to_string(abi->major) + "." +
							 std::to_string(abi->minor) + ") lacks " +
							 std::string(req.name()) + ": load a newer ktr.ko"};
		}
	}
	return req.word_failure(answer, default_error(req, answer));
}

Result<ModuleAbi> Client::module_abi()
{
	Request req(KTR_CMD_GET_INFO, "KTR_CMD_GET_INFO", Expect::reply);
	ModuleAbi abi;
	const Result<void> r = call(req, [&](const Attrs &a) -> Result<void> {
		if (std::string p = a.check({KTR_ATTR_ABI_MAJOR, KTR_ATTR_ABI_MINOR}); !p.empty())
			return bad_reply_error(req.name(), p);
		abi = ModuleAbi{a.u32(KTR_ATTR_ABI_MAJOR), a.u32(KTR_ATTR_ABI_MINOR)};
		return {};
	});
	if (!r)
		return r.error();
	return abi;
}

Result<std::uint16_t> resolve_family(Transport &transport, std::string_view name)
{
	Request req = Request::other_family(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1, CTRL_CMD_NEWFAMILY,
					    Space::ctrl, "CTRL_CMD_GETFAMILY", Expect::reply);
	req.string(CTRL_ATTR_FAMILY_NAME, name);
	std::uint16_t id = 0;
	const Result<void> r = call(transport, GENL_ID_CTRL, req, [&](const Attrs &a) -> Result<void> {
		if (std::string p = a.check({CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME}); !p.empty())
			return bad_reply_error(req.name(), p);
		if (a.str(CTRL_ATTR_FAMILY_NAME) != name)
			return bad_reply_error(req.name(), "answer about another family");
		id = a.u16(CTRL_ATTR_FAMILY_ID);
		if (id == 0)
			return bad_reply_error(req.name(), "family id 0");
		return {};
	});
	if (!r)
		return r.error();
	return id;
}

Result<Client> Client::connect(std::unique_ptr<Transport> transport)
{
	Result<std::uint16_t> family = resolve_family(*transport, KTR_GENL_NAME);
	if (!family) {
		if (family.error().errnum() == ENOENT)
			return module_not_loaded_error();
		return family.error();
	}
	return Client{std::move(transport), *family};
}

} // namespace ktr::proto
