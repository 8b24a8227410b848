// SPDX-License-Identifier: MIT
//
// ktr-prof-spin SECONDS: burns one CPU for SECONDS in a known call chain,
// main -> spin_outer -> spin_middle -> spin_inner, built with frame
// pointers, for `ktr profile` (tests/vm/profile.sh): its comm and its
// functions must dominate the samples, its user stack must unwind.
#include <cstdio>
#include <cstdlib>
#include <ctime>

// C names, exported: the folded stacks show them as written.
extern "C" {
void spin_inner();
void spin_middle();
void spin_outer(double seconds);
}

namespace {

volatile unsigned long sink;
void *volatile frame;

double now()
{
	timespec ts{};
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

} // namespace

extern "C" {

__attribute__((noinline)) void spin_inner()
{
	// GCC 12 sets no frame up in a leaf that needs none, whatever
	// -mno-omit-leaf-frame-pointer says: asking for it forces one.
	frame = __builtin_frame_address(0);
	for (unsigned long i = 0; i < 200000; i++)
		sink = sink + i * 7;
}

__attribute__((noinline)) void spin_middle()
{
	spin_inner();
	asm volatile("" ::: "memory");	// not a tail call
}

__attribute__((noinline)) void spin_outer(double seconds)
{
	const double end = now() + seconds;
	while (now() < end)
		spin_middle();
	asm volatile("" ::: "memory");
}

} // extern "C"

int main(int argc, char **argv)
{
	if (argc != 2 || std::atof(argv[1]) <= 0) {
		std::fprintf(stderr, "usage: ktr-prof-spin SECONDS\n");
		return 2;
	}
	spin_outer(std::atof(argv[1]));
	return 0;
}
