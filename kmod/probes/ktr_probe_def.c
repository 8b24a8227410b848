// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * ktr_probe_def.c - the probe definition parser (ktr_probe_def.h): the
 * line, its kind, names and target; each fetch argument is parsed in
 * ktr_probe_arg.c, the tokens both use in ktr_probe_lex.c.
 *
 * One source for ktr.ko and libktr: portable C, no allocation, no lock,
 * nothing from libc but memcpy/memset/memcmp/strlen; numbers are parsed
 * here. The grammar is ftrace's kprobe_events / uprobe_events line:
 *
 *   DEF      := KIND [':' NAMES] BLANKS TARGET (BLANKS ARG)*
 *   KIND     := 'p' | 'r' [MAXACTIVE]        MAXACTIVE 1..4096, kprobes only
 *   NAMES    := [GRP '/'] [EVENT]            "GRP/" alone: default EVENT
 *   TARGET   := [MOD ':'] SYM ['+' NUM]      kprobe (r: offset 0 only)
 *             | NUM                          kprobe on an address
 *             | '/' PATH ':' NUM             uprobe (PATH: up to the last ':')
 *   ARG      := [NAME '='] FETCH [':' TYPE]
 *   FETCH    := '%' REG | '@' NUM | '@' [MOD ':'] SYM [('+'|'-') NUM]
 *             | '$stack' | '$stack' N | '$arg' N | '$retval' | '$comm'
 *             | '$duration' | '\' [('+'|'-')] NUM
 *             | ('+'|'-') ['u'] NUM '(' FETCH ')'
 *   TYPE     := u8..u64 | s8..s64 | x8..x64 | string | ustring | symbol
 *   NUM      := decimal | '0x' hex           (a leading 0 is refused: octal
 *                                             in ftrace, ambiguous here)
 *
 * Blanks are spaces and tabs; leading and trailing ones are ignored. In
 * "@A:B" the ':' starts the type unless more of the fetch argument follows
 * B (a ':', an offset or a ')'), when A is a module: "@mod:sym:u32".
 *
 * Invariants of a definition this parser accepts (what the module relies
 * on without checking again):
 *  1. Every name (group, event, argument) is a C identifier shorter than
 *     KTR_EVENT_NAME_MAX, NUL-terminated; argument names are distinct and
 *     none is a common field's (common_id, common_flags, common_pid).
 *  2. kind is a enum ktr_probe_kind. Kprobes: sym_len > 0 (a symbol, maybe
 *     with a module: mod_len > 0) or sym_len == 0 and addr the address;
 *     uprobes: path_pos/path_len an absolute path, offset the file offset.
 *     A return probe on a symbol has offset 0; maxactive is 0 or
 *     1..KTR_PROBE_MAXACTIVE_MAX, and non-zero only on a kretprobe.
 *  3. nargs <= KTR_PROBE_ARGS_MAX; each argument's base is a known one,
 *     nderef <= KTR_PROBE_DEREF_MAX, and: REG has reg <= 20 (a word of
 *     x86-64's pt_regs); ARG has 1 <= index <= KTR_PROBE_ARGN_MAX, only on
 *     an entry probe (not at a symbol's non-zero offset); STACKN has index
 *     <= KTR_PROBE_STACKN_MAX; RETVAL and DURATION only on return probes;
 *     COMM and DURATION are never dereferenced; SYMBOL only on kprobes.
 *  4. type/size/is_signed/display agree: INT 1, 2, 4 or 8 bytes; SYMBOL 8
 *     (display SYMBOL); STRING and USTRING 4 (a KTR_FIELD_STRING_LOC slot)
 *     and read from memory: nderef > 0, or base ADDR, SYMBOL or COMM. COMM
 *     is always a STRING; DURATION always an INT.
 *  5. Slots are packed in argument order right after struct
 *     ktr_event_common; fixed_size is where the last one ends and
 *     max_size = fixed_size + KTR_PROBE_STRING_MAX per string argument
 *     <= KTR_PROBE_PAYLOAD_MAX.
 *  6. needs_entry is set exactly when a return probe has a $duration.
 *
 * A refusal gives the index of the first bad character (at most the
 * length: the end of the text when something is missing) and a static,
 * lowercase message without a trailing period.
 */
#include "ktr_probe_lex.h"
#include "ktr_event.h"

/* Messages that spell limits out. */
static const char ktr_pd_msg_payload[] =
	"payload too large (at most " KTR_PD_STR(KTR_PROBE_PAYLOAD_MAX) " bytes)";
static const char ktr_pd_msg_maxactive[] =
	"maxactive out of range (1 to " KTR_PD_STR(KTR_PROBE_MAXACTIVE_MAX) ")";
static const char ktr_pd_msg_nargs[] =
	"too many arguments (at most " KTR_PD_STR(KTR_PROBE_ARGS_MAX) ")";

static const struct ktr_pd_name_msgs ktr_pd_group_msgs = {
	"missing group name",
	"group name must start with a letter or '_'",
	"bad character in group name (use A-Z, a-z, 0-9, _)",
	"group name too long (at most 63 characters)",
};

static const struct ktr_pd_name_msgs ktr_pd_event_msgs = {
	"missing event name",
	"event name must start with a letter or '_'",
	"bad character in event name (use A-Z, a-z, 0-9, _)",
	"event name too long (at most 63 characters)",
};

/*
 * ftrace's default event names: "p_SYM_OFFS" / "r_SYM_0" (MOD:SYM whole),
 * "p_0xADDR" for an address (ftrace prints a hashed pointer there: ktr
 * the address), and for uprobes "p_BASE_0xOFFS" with BASE the file's name
 * cut at its first '.', '-' or '_', and 'p' for a return probe too.
 */
static void ktr_pd_default_event(struct ktr_pd *pd)
{
	struct ktr_probe_def *def = pd->def;
	struct ktr_pd_namebuf nb = { def->event, 0 };

	ktr_pd_putc(&nb, pd->ret && !pd->user ? 'r' : 'p');
	ktr_pd_putc(&nb, '_');
	if (pd->user) {
		size_t b = def->path_pos + def->path_len, e;

		while (pd->s[b - 1] != '/')
			b--;
		for (e = b; e < def->path_pos + def->path_len; e++)
			if (pd->s[e] == '.' || pd->s[e] == '-' ||
			    pd->s[e] == '_')
				break;
		ktr_pd_puts(&nb, pd->s + b, e - b);
		ktr_pd_putc(&nb, '_');
		ktr_pd_putu(&nb, def->offset, true);
	} else if (def->sym_len) {
		size_t b = def->mod_len ? def->mod_pos : def->sym_pos;

		ktr_pd_puts(&nb, pd->s + b, def->sym_pos + def->sym_len - b);
		ktr_pd_putc(&nb, '_');
		ktr_pd_putu(&nb, def->offset, false);
	} else {
		ktr_pd_putu(&nb, def->addr, true);
	}
}

/**
 * ktr_pd_names - parse ":[GRP/]EVENT" (the token after the ':')
 * @pd: the parser.
 * @pos: just after the ':'.
 * @end: the token's end.
 *
 * Return: false with the error set on a bad name.
 */
static bool ktr_pd_names(struct ktr_pd *pd, size_t pos, size_t end)
{
	size_t slash;

	for (slash = pos; slash < end && pd->s[slash] != '/'; slash++)
		;
	if (slash == end)
		return ktr_pd_name(pd, pos, end, pd->def->event,
				   &ktr_pd_event_msgs);
	if (!ktr_pd_name(pd, pos, slash, pd->def->group, &ktr_pd_group_msgs))
		return false;
	/* "GRP/" names the group only, as ftrace allows. */
	if (slash + 1 == end)
		return true;
	return ktr_pd_name(pd, slash + 1, end, pd->def->event,
			   &ktr_pd_event_msgs);
}

/* The uprobe target "/PATH:OFFSET" at [pos, end). */
static bool ktr_pd_uprobe_target(struct ktr_pd *pd, size_t pos, size_t end)
{
	struct ktr_probe_def *def = pd->def;
	size_t colon = end, p;

	for (p = pos; p < end; p++)
		if (pd->s[p] == ':')
			colon = p;
	if (colon == end)
		return ktr_pd_fail(pd, end, "expected ':OFFSET' after the path");
	def->path_pos = (__u16)pos;
	def->path_len = (__u16)(colon - pos);
	p = colon + 1;
	if (p == end)
		return ktr_pd_fail(pd, p, "missing uprobe offset");
	if (!ktr_pd_digit(pd->s[p]))
		return ktr_pd_fail(pd, p,
				   "uprobe offset must be a number (user space resolves PATH:SYMBOL)");
	if (!ktr_pd_num(pd, &p, end, &def->offset))
		return false;
	if (p < end && pd->s[p] == '(')
		return ktr_pd_fail(pd, p,
				   "reference counter offsets (PATH:OFFSET(REF)) are not supported");
	if (p < end)
		return ktr_pd_fail(pd, p, "bad character in number");
	def->kind = pd->ret ? KTR_PROBE_URETPROBE : KTR_PROBE_UPROBE;
	return true;
}

/* The kprobe target "[MOD:]SYM[+OFFS]" or "ADDR" at [pos, end). */
static bool ktr_pd_kprobe_target(struct ktr_pd *pd, size_t pos, size_t end)
{
	struct ktr_probe_def *def = pd->def;
	size_t p = pos, off;

	def->kind = pd->ret ? KTR_PROBE_KRETPROBE : KTR_PROBE_KPROBE;
	if (ktr_pd_digit(pd->s[p])) {
		if (!ktr_pd_num(pd, &p, end, &def->addr))
			return false;
		if (p < end)
			return ktr_pd_fail(pd, p, "bad character in number");
		return true;
	}
	for (; p < end && pd->s[p] != ':'; p++)
		;
	if (p < end) {
		size_t m;

		if (p == pos)
			return ktr_pd_fail(pd, pos, "missing module name before ':'");
		for (m = pos; m < p; m++)
			if (!ktr_pd_ident(pd->s[m]))
				return ktr_pd_fail(pd, m,
						   "bad character in module name");
		def->mod_pos = (__u16)pos;
		def->mod_len = (__u16)(p - pos);
		pos = p + 1;
		if (pos == end)
			return ktr_pd_fail(pd, pos, "missing symbol after the module");
	}
	if (ktr_pd_digit(pd->s[pos]))
		return ktr_pd_fail(pd, pos, "a symbol cannot start with a digit");
	for (p = pos; p < end && ktr_pd_symchar(pd->s[p]); p++)
		;
	if (p == pos)
		return ktr_pd_fail(pd, pos, "bad character in symbol");
	def->sym_pos = (__u16)pos;
	def->sym_len = (__u16)(p - pos);
	if (p == end)
		return true;
	if (pd->s[p] == '-')
		return ktr_pd_fail(pd, p, "a probe's offset cannot be negative");
	if (pd->s[p] != '+')
		return ktr_pd_fail(pd, p, "bad character in symbol");
	off = ++p;
	if (!ktr_pd_num(pd, &p, end, &def->offset))
		return false;
	if (p < end)
		return ktr_pd_fail(pd, p, "bad character in number");
	if (pd->ret && def->offset)
		return ktr_pd_fail(pd, off, "a return probe's offset must be 0");
	return true;
}

/**
 * ktr_probe_def_layout - lay out the payload of a parsed definition
 * @def: its args parsed; sets each arg's @offset, @fixed_size, @max_size.
 * @err: on failure, the argument that makes the payload too large.
 *
 * Slots follow struct ktr_event_common in argument order, packed: an
 * integer at its size, a symbol 8 bytes, a string its 4-byte
 * KTR_FIELD_STRING_LOC (its text goes after the fixed part).
 *
 * Return: false when a payload could exceed KTR_PROBE_PAYLOAD_MAX.
 */
bool ktr_probe_def_layout(struct ktr_probe_def *def, struct ktr_probe_err *err)
{
	__u32 off = sizeof(struct ktr_event_common), strings = 0, i;

	for (i = 0; i < def->nargs; i++) {
		struct ktr_parg *arg = &def->args[i];

		arg->offset = off;
		off += arg->size;
		if (arg->type == KTR_PTYPE_STRING ||
		    arg->type == KTR_PTYPE_USTRING)
			strings++;
		if (off + strings * KTR_PROBE_STRING_MAX > KTR_PROBE_PAYLOAD_MAX) {
			err->pos = arg->pos;
			err->msg = ktr_pd_msg_payload;
			return false;
		}
	}
	def->fixed_size = off;
	def->max_size = off + strings * KTR_PROBE_STRING_MAX;
	return true;
}

bool ktr_probe_def_parse(const char *text, size_t len,
			 struct ktr_probe_def *def, struct ktr_probe_err *err)
{
	struct ktr_pd pd = { text, len, def, err, false, false };
	size_t p = 0, te, maxact_pos = 0;
	__u64 n;

	memset(def, 0, sizeof(*def));
	err->pos = 0;
	err->msg = NULL;
	if (len >= KTR_PROBE_DEF_MAX)
		return ktr_pd_fail(&pd, KTR_PROBE_DEF_MAX - 1,
				   "definition too long (at most 1023 bytes)");
	for (p = 0; p < len; p++)
		if (((unsigned char)text[p] < 0x20 && text[p] != '\t') ||
		    text[p] == 0x7f)
			return ktr_pd_fail(&pd, p, "control character in definition");
	while (pd.end && ktr_pd_blank(text[pd.end - 1]))
		pd.end--;
	for (p = 0; p < pd.end && ktr_pd_blank(text[p]); p++)
		;
	if (p == pd.end)
		return ktr_pd_fail(&pd, p, "empty definition");

	/* p | r[MAXACTIVE] */
	if (text[p] != 'p' && text[p] != 'r')
		return ktr_pd_fail(&pd, p, "unknown probe type (expected p or r)");
	pd.ret = text[p++] == 'r';
	if (p < pd.end && ktr_pd_digit(text[p])) {
		if (!pd.ret)
			return ktr_pd_fail(&pd, p,
					   "maxactive is only valid on a return probe");
		maxact_pos = p;
		if (!ktr_pd_num(&pd, &p, pd.end, &n))
			return false;
		if (n < 1 || n > KTR_PROBE_MAXACTIVE_MAX)
			return ktr_pd_fail(&pd, maxact_pos,
					   ktr_pd_msg_maxactive);
		def->maxactive = (__u32)n;
	}
	if (p < pd.end && text[p] == ':') {
		te = ktr_pd_tok_end(&pd, p + 1);
		if (!ktr_pd_names(&pd, p + 1, te))
			return false;
		p = te;
	} else if (p < pd.end && !ktr_pd_blank(text[p])) {
		return ktr_pd_fail(&pd, p,
				   "expected ':EVENT' or a blank after the probe type");
	}

	/* The target. */
	while (p < pd.end && ktr_pd_blank(text[p]))
		p++;
	if (p == pd.end)
		return ktr_pd_fail(&pd, p,
				   "missing probe target (SYMBOL, ADDR or PATH:OFFSET)");
	te = ktr_pd_tok_end(&pd, p);
	if (text[p] == '/') {
		pd.user = true;
		if (def->maxactive)
			return ktr_pd_fail(&pd, maxact_pos,
					   "maxactive is not valid for a uprobe");
		if (!ktr_pd_uprobe_target(&pd, p, te))
			return false;
	} else if (ktr_pd_symchar(text[p])) {
		if (!ktr_pd_kprobe_target(&pd, p, te))
			return false;
	} else {
		return ktr_pd_fail(&pd, p,
				   "expected a probe target (SYMBOL, ADDR or PATH:OFFSET)");
	}
	p = te;
	if (!def->group[0])
		memcpy(def->group, pd.user ? "uprobes" : "kprobes", 8);
	if (!def->event[0])
		ktr_pd_default_event(&pd);

	/* The fetch arguments. */
	for (;;) {
		while (p < pd.end && ktr_pd_blank(text[p]))
			p++;
		if (p == pd.end)
			break;
		if (def->nargs == KTR_PROBE_ARGS_MAX)
			return ktr_pd_fail(&pd, p,
					   ktr_pd_msg_nargs);
		te = ktr_pd_tok_end(&pd, p);
		if (!ktr_pd_arg(&pd, p, te, def->nargs))
			return false;
		def->nargs++;
		p = te;
	}
	return ktr_probe_def_layout(def, err);
}
