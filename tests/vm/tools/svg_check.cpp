// SPDX-License-Identifier: MIT
//
// ktr-svg-check FILE [SAMPLES]: checks a flame graph SVG of `ktr profile
// --svg` in the guest, where no XML parser is installed
// (tests/vm/profile.sh): well-formed XML (the strict check of
// tests/unit/xml_check.h), then the frames' sample counts: the root
// "all" holds SAMPLES (when given), the frames right above it (one per
// comm) add up to it, and no frame's children hold more than it. Prints
// "samples N comms K frames F" and exits 0, or says what is wrong and
// exits 1.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "xml_check.h"

namespace {

struct Frame {
	double x, y, w;
	unsigned long long n;
};

} // namespace

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		std::cerr << "usage: ktr-svg-check FILE [SAMPLES]\n";
		return 2;
	}
	std::ifstream in(argv[1], std::ios::binary);
	std::stringstream ss;
	ss << in.rdbuf();
	const std::string svg = ss.str();
	if (!in || svg.empty()) {
		std::cerr << argv[1] << ": cannot read\n";
		return 1;
	}
	if (const std::string p = ktr::test::xml_problem(svg); !p.empty()) {
		std::cerr << argv[1] << ": not well-formed XML: " << p << "\n";
		return 1;
	}
	static const std::regex f("<rect x=\"([0-9.]+)\" y=\"([0-9.]+)\" width=\"([0-9.]+)\""
				  "[^>]* data-n=\"([0-9]+)\"/>");
	std::vector<Frame> fs;
	for (auto it = std::sregex_iterator(svg.begin(), svg.end(), f); it != std::sregex_iterator();
	     ++it)
		fs.push_back({std::stod((*it)[1]), std::stod((*it)[2]), std::stod((*it)[3]),
			      std::stoull((*it)[4])});
	if (fs.empty()) {
		std::cerr << "no frames\n";
		return 1;
	}
	const Frame &root = fs[0];
	if (argc == 3 && root.n != std::stoull(argv[2])) {
		std::cerr << "root holds " << root.n << " samples, want " << argv[2] << "\n";
		return 1;
	}
	unsigned long long comms = 0, ncomms = 0;
	for (const Frame &p : fs) {
		unsigned long long kids = 0;
		for (const Frame &c : fs)
			if (c.y < p.y - 0.5 && c.y > p.y - 1.5 * 16 && c.x >= p.x - 0.01 &&
			    c.x + c.w <= p.x + p.w + 0.01)
				kids += c.n;
		if (kids > p.n) {
			std::cerr << "a frame of " << p.n << " samples has children of " << kids << "\n";
			return 1;
		}
		if (p.y < root.y - 0.5 && p.y > root.y - 1.5 * 16) {
			comms += p.n;
			ncomms++;
		}
	}
	if (comms != root.n) {
		std::cerr << "the comm frames hold " << comms << " samples, the root " << root.n
			  << "\n";
		return 1;
	}
	std::printf("samples %llu comms %llu frames %zu\n", root.n, ncomms, fs.size());
	return 0;
}
