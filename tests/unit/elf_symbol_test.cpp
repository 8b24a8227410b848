// SPDX-License-Identifier: MIT
//
// PATH:SYMBOL of uprobe definitions: the offset libelf finds for a function
// of this very test binary must hold that function's code, byte for byte.
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ktr/elf_symbol.h"

extern "C" __attribute__((noinline, used)) int ktr_elf_test_target(int x)
{
	return x * 7 + 3;
}

namespace {

std::vector<unsigned char> file_bytes(const std::string &path, std::uint64_t off, std::size_t n)
{
	std::ifstream in(path, std::ios::binary);
	in.seekg(static_cast<std::streamoff>(off));
	std::vector<unsigned char> b(n);
	in.read(reinterpret_cast<char *>(b.data()), static_cast<std::streamsize>(n));
	b.resize(static_cast<std::size_t>(in.gcount()));
	return b;
}

TEST(ElfSymbol, OffsetHoldsTheFunctionsCode)
{
	const std::string exe = "/proc/self/exe";
	ktr::Result<std::uint64_t> off = ktr::elf_symbol_offset(exe, "ktr_elf_test_target");
	ASSERT_TRUE(off) << off.error().message();
	const auto *code = reinterpret_cast<const unsigned char *>(&ktr_elf_test_target);
	const std::vector<unsigned char> in_file = file_bytes(exe, *off, 16);
	ASSERT_EQ(in_file.size(), 16u);
	EXPECT_EQ(std::memcmp(in_file.data(), code, 16), 0);
	EXPECT_EQ(ktr_elf_test_target(1), 10);
}

TEST(ElfSymbol, Errors)
{
	ktr::Result<std::uint64_t> r = ktr::elf_symbol_offset("/proc/self/exe", "no_such_function_ktr");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	EXPECT_EQ(r.error().message(), "no function no_such_function_ktr in /proc/self/exe");
	r = ktr::elf_symbol_offset("/no/such/file", "main");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
	r = ktr::elf_symbol_offset("/proc/version", "main");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOEXEC);
}

TEST(ElfSymbol, ResolvesTheTargetOfAUprobeDefinition)
{
	ktr::Result<std::uint64_t> off = ktr::elf_symbol_offset("/proc/self/exe", "ktr_elf_test_target");
	ASSERT_TRUE(off);
	char hex[32];
	std::snprintf(hex, sizeof(hex), "0x%llx", static_cast<unsigned long long>(*off + 4));
	ktr::Result<std::string> r = ktr::resolve_uprobe_symbol(
		"p:t /proc/self/exe:ktr_elf_test_target+4 x=%di:s32");
	ASSERT_TRUE(r) << r.error().message();
	EXPECT_EQ(*r, std::string("p:t /proc/self/exe:") + hex + " x=%di:s32");
	// Numeric targets and kprobes are left alone.
	EXPECT_EQ(*ktr::resolve_uprobe_symbol("p /bin/sh:0x10"), "p /bin/sh:0x10");
	EXPECT_EQ(*ktr::resolve_uprobe_symbol("p:o do_sys_openat2 a=%di"), "p:o do_sys_openat2 a=%di");
	EXPECT_EQ(*ktr::resolve_uprobe_symbol("r  vfs_read"), "r  vfs_read");
	r = ktr::resolve_uprobe_symbol("p /proc/self/exe:ktr_elf_test_target+zz");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), EINVAL);
	r = ktr::resolve_uprobe_symbol("p /proc/self/exe:nope_ktr");
	ASSERT_FALSE(r);
	EXPECT_EQ(r.error().errnum(), ENOENT);
}

} // namespace
