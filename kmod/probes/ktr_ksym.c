// SPDX-License-Identifier: GPL-2.0
/*
 * ktr_ksym.c - look a kernel symbol (text or data, "sym" or "mod:sym") up
 * by name, for the @SYM fetch arguments of probe definitions.
 *
 * kallsyms_lookup_name() is not exported to modules (since 5.7). A kprobe
 * resolves its symbol_name through it, though, and kprobes may be placed
 * on it: registering one (never armed: KPROBE_FLAG_DISABLED) on
 * "kallsyms_lookup_name" itself tells its address, once, at load. On a
 * kernel built with IBT the kprobe's address is past the function's
 * ENDBR64, which an indirect call must land on: step back over it, and use
 * the function only if a real ENDBR64 is there (not the seal IBT-enforcing
 * CPUs leave on functions whose address is never taken).
 * Without it (a kernel that refuses the kprobe), @SYM arguments are
 * refused with a message; everything else works.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kprobes.h>
#include <linux/uaccess.h>
#include <asm/cpufeature.h>

#include "ktr_ksym.h"

typedef unsigned long (*ktr_lookup_fn)(const char *name);

static ktr_lookup_fn ktr_kallsyms_lookup_name;

/* Context: load (sleeps). Never fails the load: see the file comment. */
void ktr_ksym_init(void)
{
	struct kprobe kp = {
		.symbol_name = "kallsyms_lookup_name",
		.flags = KPROBE_FLAG_DISABLED,
	};
	unsigned long addr;
	int ret;

	ret = register_kprobe(&kp);
	if (ret) {
		pr_warn("cannot find kallsyms_lookup_name (%d): @SYM probe arguments are unavailable\n",
			ret);
		return;
	}
	addr = (unsigned long)kp.addr;
	unregister_kprobe(&kp);
#ifdef CONFIG_X86_KERNEL_IBT
	/*
	 * On a CPU that enforces IBT, an indirect call must land on ENDBR64.
	 * The kprobe sits past it when it is there; a function whose address
	 * the kernel never takes has it sealed (poisoned) at boot on such
	 * CPUs: calling it would fault, so lookups are then unavailable.
	 */
	if (cpu_feature_enabled(X86_FEATURE_IBT)) {
		static const u8 endbr64[4] = { 0xf3, 0x0f, 0x1e, 0xfa };
		u8 insn[4];

		if (copy_from_kernel_nofault(insn, (void *)(addr - 4), 4) ||
		    memcmp(insn, endbr64, 4)) {
			pr_warn("kallsyms_lookup_name has no ENDBR64 to call (IBT): @SYM probe arguments are unavailable\n");
			return;
		}
		addr -= 4;
	}
#endif
	ktr_kallsyms_lookup_name = (ktr_lookup_fn)addr;
}

/* Whether ktr_ksym_lookup() can find anything on this kernel. */
bool ktr_ksym_available(void)
{
	return !!ktr_kallsyms_lookup_name;
}

/**
 * ktr_ksym_lookup - the address of symbol @name
 * @name: "symbol" or "module:symbol".
 *
 * Context: task.
 * Return: the address, or 0 when unknown (or lookups are unavailable).
 */
unsigned long ktr_ksym_lookup(const char *name)
{
	return ktr_kallsyms_lookup_name ? ktr_kallsyms_lookup_name(name) : 0;
}
