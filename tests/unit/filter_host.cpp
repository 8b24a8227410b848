// SPDX-License-Identifier: MIT
#include "filter_host.h"

#include <cstring>

#include <gtest/gtest.h>

namespace ktr::test {

namespace {

// ktr_fprog_field_fn over an EventFormat (common fields first, as the
// module's table has them).
bool field_at(const void *ctx, u32 offset, u32 size, ktr_fprog_field *out)
{
	const auto *event = static_cast<const EventFormat *>(ctx);
	for (const FieldFormat &f : event->fields) {
		if (f.offset == offset && f.size == size) {
			out->type = static_cast<u32>(f.type);
			out->is_signed = f.is_signed;
			return true;
		}
	}
	return false;
}

} // namespace

HostFilter::HostFilter(const EventFormat &event, const void *prog, std::size_t len,
		       const std::string &strings)
	: insn_(len / sizeof(ktr_filter_insn) + 1),
	  strings_(std::make_unique<char[]>(strings.size() + 1))
{
	// As the module does: its own copy of the strings ("" when none).
	std::memcpy(strings_.get(), strings.data(), strings.size());
	prog_.insn = insn_.data();
	err_ = ktr_fprog_verify(&prog_, prog, static_cast<u32>(len), strings_.get(),
				static_cast<u32>(strings.size()), field_at, &event, &bad_);
}

HostFilter::HostFilter(const EventFormat &event, std::span<const ktr_filter_insn> insns,
		       const std::string &strings)
	: HostFilter(event, insns.data(), insns.size_bytes(), strings)
{
}

HostFilter::HostFilter(const EventFormat &event, const FilterProgram &p)
	: HostFilter(event, std::span<const ktr_filter_insn>(p.insns), p.strings)
{
}

bool HostFilter::run(std::span<const std::byte> payload) const
{
	if (err_ != KTR_FPROG_OK) {
		ADD_FAILURE() << "running a program the verifier refused: " << fprog_err_name(err_);
		return false;
	}
	if (payload.size() < prog_.need) {
		ADD_FAILURE() << "a payload of " << payload.size() << " bytes for a program that reads "
			      << prog_.need;
		return false;
	}
	return ktr_fprog_run(&prog_, payload.data(), static_cast<u32>(payload.size()));
}

const char *fprog_err_name(ktr_fprog_err err)
{
	switch (err) {
	case KTR_FPROG_OK:
		return "OK";
	case KTR_FPROG_ELEN:
		return "ELEN";
	case KTR_FPROG_ESTRINGS:
		return "ESTRINGS";
	case KTR_FPROG_ERESERVED:
		return "ERESERVED";
	case KTR_FPROG_EOP:
		return "EOP";
	case KTR_FPROG_EUNDERFLOW:
		return "EUNDERFLOW";
	case KTR_FPROG_EFIELD:
		return "EFIELD";
	case KTR_FPROG_ETYPE:
		return "ETYPE";
	case KTR_FPROG_ESTROFF:
		return "ESTROFF";
	case KTR_FPROG_EGLOBS:
		return "EGLOBS";
	case KTR_FPROG_EGLOBLEN:
		return "EGLOBLEN";
	case KTR_FPROG_ERESULT:
		return "ERESULT";
	}
	return "?";
}

} // namespace ktr::test
