// SPDX-License-Identifier: MIT
//
// Test helper: a path in a fresh temporary directory, removed with all its
// files when the object goes; and whole-file read/write.
#ifndef KTR_TEST_TEMP_PATH_H
#define KTR_TEST_TEMP_PATH_H

#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

namespace ktr::test {

class TempDir {
public:
	TempDir()
	{
		const char *tmp = std::getenv("TMPDIR");
		std::string dir = std::string(tmp && *tmp ? tmp : "/tmp") + "/ktr-test-XXXXXX";
		if (!mkdtemp(dir.data()))
			throw std::runtime_error("mkdtemp failed");
		dir_ = dir;
	}
	~TempDir()
	{
		std::error_code ec;
		std::filesystem::remove_all(dir_, ec);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;

	/// @name inside the directory.
	[[nodiscard]] std::string path(const std::string &name) const { return dir_ + "/" + name; }

private:
	std::string dir_;
};

inline std::vector<std::byte> read_file(const std::string &path)
{
	std::ifstream in(path, std::ios::binary);
	const std::vector<char> c((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
	std::vector<std::byte> b(c.size());
	for (std::size_t i = 0; i < c.size(); i++)
		b[i] = static_cast<std::byte>(c[i]);
	return b;
}

inline void write_file(const std::string &path, const std::vector<std::byte> &bytes)
{
	std::ofstream out(path, std::ios::binary | std::ios::trunc);
	out.write(reinterpret_cast<const char *>(bytes.data()),
		  static_cast<std::streamsize>(bytes.size()));
}

} // namespace ktr::test

#endif // KTR_TEST_TEMP_PATH_H
