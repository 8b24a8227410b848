// SPDX-License-Identifier: MIT
//
// ktr-uprobe-target N: calls ktr_uprobe_target_fn(i, "call-i") for i in
// 1..N, a function the uprobe tests (tests/vm/probes-uprobe.sh) probe by
// name (PATH:SYMBOL, resolved by ktr from this file's symbol table); it
// returns i * 3. Prints its pid first and waits for a line on stdin when
// given -w, so that a probe can be set up on a running process too.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unistd.h>

extern "C" __attribute__((noinline, used)) int ktr_uprobe_target_fn(int n, const char *text)
{
	// Something the compiler cannot fold away.
	asm volatile("" : : "r"(text) : "memory");
	return n * 3;
}

int main(int argc, char **argv)
{
	const bool wait = argc > 2 && std::strcmp(argv[2], "-w") == 0;
	const int n = argc > 1 ? std::atoi(argv[1]) : 1;
	std::printf("%d\n", static_cast<int>(getpid()));
	std::fflush(stdout);
	if (wait) {
		char line[8];
		if (!std::fgets(line, sizeof(line), stdin))
			return 1;
	}
	long sum = 0;
	char text[32];
	for (int i = 1; i <= n; i++) {
		std::snprintf(text, sizeof(text), "call-%d", i);
		sum += ktr_uprobe_target_fn(i, text);
	}
	return sum == 3L * n * (n + 1) / 2 ? 0 : 1;
}
