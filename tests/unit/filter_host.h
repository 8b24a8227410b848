// SPDX-License-Identifier: MIT
//
// The module's filter core (kmod/probes/ktr_filter_prog.c, built for the
// host by userspace/filter-host) driven from the tests: a program checked
// by the real verifier against an EventFormat's fields, then run by the
// real VM.
#ifndef KTR_TEST_FILTER_HOST_H
#define KTR_TEST_FILTER_HOST_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

extern "C" {
#include "ktr_filter_prog.h"
}

#include "ktr/event_format.h"
#include "ktr/filter_compile.h"

namespace ktr::test {

/// A program as the module takes it: copied, verified, ready to run.
class HostFilter {
public:
	/// @len bytes of instructions at @prog (any length: the verifier
	/// checks it) and the strings, checked against @event's fields.
	HostFilter(const EventFormat &event, const void *prog, std::size_t len,
		   const std::string &strings);
	HostFilter(const EventFormat &event, std::span<const ktr_filter_insn> insns,
		   const std::string &strings);
	HostFilter(const EventFormat &event, const FilterProgram &p);

	/// KTR_FPROG_OK, or why the verifier refused the program.
	[[nodiscard]] ktr_fprog_err error() const { return err_; }
	/// The instruction refused (or the last one, for a bad result).
	[[nodiscard]] unsigned bad() const { return bad_; }
	[[nodiscard]] const ktr_fprog &prog() const { return prog_; }

	/// ktr_fprog_run() over @payload; a test failure (and false) when the
	/// program was refused or @payload is shorter than it reads.
	[[nodiscard]] bool run(std::span<const std::byte> payload) const;

private:
	std::vector<ktr_finsn> insn_;
	std::unique_ptr<char[]> strings_;
	ktr_fprog prog_{};
	ktr_fprog_err err_ = KTR_FPROG_OK;
	unsigned bad_ = 0;
};

/// The name of a verifier error, for messages.
const char *fprog_err_name(ktr_fprog_err err);

} // namespace ktr::test

#endif // KTR_TEST_FILTER_HOST_H
