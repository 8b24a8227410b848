// SPDX-License-Identifier: MIT
#include "event_text.h"

#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <string_view>

#include "ktr/event_print.h"
#include "ktr/syscall_names.h"

namespace ktr {

namespace {

// Looks fields up by name; every getter returns nullopt when the field is
// missing or of another type.
class Fields {
public:
	explicit Fields(const DecodedFields &f) : f_(f) {}

	[[nodiscard]] std::optional<std::uint64_t> u(std::string_view name) const
	{
		const FieldValue *v = find(name);
		if (!v)
			return std::nullopt;
		if (const auto *x = std::get_if<std::uint64_t>(v))
			return *x;
		if (const auto *x = std::get_if<std::int64_t>(v))
			return static_cast<std::uint64_t>(*x);
		return std::nullopt;
	}
	[[nodiscard]] std::optional<std::int64_t> s(std::string_view name) const
	{
		const std::optional<std::uint64_t> x = u(name);
		if (!x)
			return std::nullopt;
		const FieldValue *v = find(name);
		if (const auto *i = std::get_if<std::int64_t>(v))
			return *i;
		return static_cast<std::int64_t>(*x);
	}
	[[nodiscard]] std::optional<std::string> str(std::string_view name) const
	{
		const FieldValue *v = find(name);
		if (!v || !std::holds_alternative<std::string>(*v))
			return std::nullopt;
		return escape_text(std::get<std::string>(*v));
	}

private:
	[[nodiscard]] const FieldValue *find(std::string_view name) const
	{
		for (const auto &[field, value] : f_)
			if (field->name == name)
				return &value;
		return nullptr;
	}
	const DecodedFields &f_;
};

std::string hex(std::uint64_t v)
{
	char buf[24];
	std::snprintf(buf, sizeof(buf), "%" PRIx64, v);
	return buf;
}

std::string nr_text(std::int64_t nr)
{
	std::string s = "NR " + std::to_string(nr);
	const std::string_view name = syscall_name(nr);
	if (!name.empty()) {
		s += ' ';
		s += name;
	}
	return s;
}

// kernel dev_t: major in the high 12 bits, minor in the low 20.
std::string dev_text(std::uint64_t dev)
{
	return std::to_string(dev >> 20) + "," + std::to_string(dev & 0xfffff);
}

constexpr std::string_view softirq_names[] = {"HI",	 "TIMER",   "NET_TX", "NET_RX",
					      "BLOCK",	 "IRQ_POLL", "TASKLET", "SCHED",
					      "HRTIMER", "RCU"};

std::optional<std::string> sys_enter(const Fields &f)
{
	const auto id = f.s("id");
	if (!id)
		return std::nullopt;
	std::string s = " " + nr_text(*id) + " (";
	for (int i = 0; i < 6; i++) {
		const auto a = f.u("args" + std::to_string(i));
		if (!a)
			return std::nullopt;
		s += (i ? ", " : "") + hex(*a);
	}
	return s + ")";
}

std::optional<std::string> sys_exit(const Fields &f)
{
	const auto id = f.s("id");
	const auto ret = f.s("ret");
	if (!id || !ret)
		return std::nullopt;
	return " " + nr_text(*id) + " = " + std::to_string(*ret);
}

std::optional<std::string> irq_handler_exit(const Fields &f)
{
	const auto irq = f.s("irq");
	const auto ret = f.s("ret");
	if (!irq || !ret)
		return std::nullopt;
	return " irq=" + std::to_string(*irq) + " ret=" + (*ret ? "handled" : "unhandled");
}

std::optional<std::string> softirq(const Fields &f)
{
	const auto vec = f.u("vec");
	if (!vec)
		return std::nullopt;
	const std::string action =
		*vec < std::size(softirq_names) ? std::string(softirq_names[*vec]) : "UNKNOWN";
	return " vec=" + std::to_string(*vec) + " [action=" + action + "]";
}

std::optional<std::string> block_rq_issue(const Fields &f)
{
	const auto dev = f.u("dev"), sector = f.u("sector"), nr = f.u("nr_sector"),
		   bytes = f.u("bytes");
	const auto rwbs = f.str("rwbs"), comm = f.str("comm");
	if (!dev || !sector || !nr || !bytes || !rwbs || !comm)
		return std::nullopt;
	return " " + dev_text(*dev) + " " + *rwbs + " " + std::to_string(*bytes) + " () " +
	       std::to_string(*sector) + " + " + std::to_string(*nr) + " [" + *comm + "]";
}

std::optional<std::string> block_rq_complete(const Fields &f)
{
	const auto dev = f.u("dev"), sector = f.u("sector"), nr = f.u("nr_sector");
	const auto error = f.s("error");
	const auto rwbs = f.str("rwbs");
	if (!dev || !sector || !nr || !error || !rwbs)
		return std::nullopt;
	return " " + dev_text(*dev) + " " + *rwbs + " () " + std::to_string(*sector) + " + " +
	       std::to_string(*nr) + " [" + std::to_string(*error) + "]";
}

std::optional<std::string> net_event(const Fields &f, bool with_rc)
{
	const auto name = f.str("name");
	const auto skb = f.u("skbaddr"), len = f.u("len");
	const auto rc = f.s("rc");
	if (!name || !skb || !len || (with_rc && !rc))
		return std::nullopt;
	std::string s = " dev=" + *name + " skbaddr=0x" + hex(*skb) + " len=" + std::to_string(*len);
	if (with_rc)
		s += " rc=" + std::to_string(*rc);
	return s;
}

std::optional<std::string> kmalloc(const Fields &f)
{
	const auto site = f.u("call_site"), ptr = f.u("ptr"), req = f.u("bytes_req"),
		   alloc = f.u("bytes_alloc"), gfp = f.u("gfp_flags");
	const auto node = f.s("node");
	if (!site || !ptr || !req || !alloc || !gfp || !node)
		return std::nullopt;
	return " call_site=0x" + hex(*site) + " ptr=0x" + hex(*ptr) +
	       " bytes_req=" + std::to_string(*req) + " bytes_alloc=" + std::to_string(*alloc) +
	       " gfp_flags=0x" + hex(*gfp) + " node=" + std::to_string(*node);
}

std::optional<std::string> kfree(const Fields &f)
{
	const auto site = f.u("call_site"), ptr = f.u("ptr");
	if (!site || !ptr)
		return std::nullopt;
	return " call_site=0x" + hex(*site) + " ptr=0x" + hex(*ptr);
}

std::optional<std::string> page_fault(const Fields &f)
{
	const auto addr = f.u("address"), ip = f.u("ip"), err = f.u("error_code");
	if (!addr || !ip || !err)
		return std::nullopt;
	return " address=0x" + hex(*addr) + " ip=0x" + hex(*ip) + " error_code=0x" + hex(*err);
}

} // namespace

std::optional<std::string> curated_event_text(const EventFormat &format,
					      const DecodedFields &fields)
{
	const Fields f(fields);
	const std::string_view sys = format.system, name = format.name;
	if (sys == "raw_syscalls" && name == "sys_enter")
		return sys_enter(f);
	if (sys == "raw_syscalls" && name == "sys_exit")
		return sys_exit(f);
	if (sys == "irq" && name == "irq_handler_exit")
		return irq_handler_exit(f);
	if (sys == "irq" && (name == "softirq_entry" || name == "softirq_exit"))
		return softirq(f);
	if (sys == "block" && name == "block_rq_issue")
		return block_rq_issue(f);
	if (sys == "block" && name == "block_rq_complete")
		return block_rq_complete(f);
	if (sys == "net" && name == "net_dev_xmit")
		return net_event(f, true);
	if (sys == "net" && name == "netif_receive_skb")
		return net_event(f, false);
	if (sys == "kmem" && name == "kmalloc")
		return kmalloc(f);
	if (sys == "kmem" && name == "kfree")
		return kfree(f);
	if (sys == "exceptions" && (name == "page_fault_user" || name == "page_fault_kernel"))
		return page_fault(f);
	return std::nullopt;
}

std::optional<std::string> syscall_of(const EventFormat &format, const DecodedFields &fields)
{
	if (format.system != "raw_syscalls")
		return std::nullopt;
	const auto id = Fields(fields).s("id");
	if (!id)
		return std::nullopt;
	const std::string_view name = syscall_name(*id);
	if (name.empty())
		return std::nullopt;
	return std::string(name);
}

} // namespace ktr
