# SPDX-License-Identifier: MIT
#
# bash completion for ktr and ktr-read. Subcommands and options come from
# the tools' own --help (so they never drift from it); event names from
# `ktr list` when the module is loaded (nothing is offered when it is not).
# Installed as share/bash-completion/completions/{ktr,ktr-read}; or source
# this file.

# _ktr_help_words TOOL WORDS... SECTION: the first word of each entry of a
# section ("Options", "Subcommands") of `TOOL WORDS... --help`; options
# split into their names ("-e,--event" gives -e and --event).
_ktr_help_words()
{
	local section=${!#}
	local -a cmd=("${@:1:$#-1}")
	"${cmd[@]}" --help 2>/dev/null | awk -v s="$section:" '
		$0 == s { on = 1; next }
		on && /^$/ { exit }
		on && /^  [^ ]/ { n = split($1, w, ","); for (i = 1; i <= n; i++) print w[i] }'
}

# The names of the events the loaded module knows (`ktr list`).
_ktr_events()
{
	"$1" list 2>/dev/null | awk '$1 ~ /:/ { split($1, w, ":"); print w[2] }'
}

_ktr()
{
	local cur prev tool=${COMP_WORDS[0]}
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	local ktr=ktr
	[ "${tool##*/}" = ktr ] && ktr=$tool

	# The subcommand words so far (ktr probe add ...), up to "--".
	local -a words=()
	local i sub
	for ((i = 1; i < COMP_CWORD; i++)); do
		[ "${COMP_WORDS[i]}" = -- ] && return 0	# the traced command's own words
		case ${COMP_WORDS[i]} in
		-*) ;;
		*)
			sub=$(_ktr_help_words "$tool" "${words[@]}" Subcommands)
			if grep -qx -- "${COMP_WORDS[i]}" <<<"$sub"; then
				words+=("${COMP_WORDS[i]}")
			fi
			;;
		esac
	done

	case $prev in
	-e | --event)
		mapfile -t COMPREPLY < <(compgen -W "$(_ktr_events "$ktr")" -- "$cur")
		return 0
		;;
	-o | --output | --svg | --input | --kallsyms)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		return 0
		;;
	esac
	if [[ $cur == -* ]]; then
		mapfile -t COMPREPLY < <(compgen -W "$(_ktr_help_words "$tool" "${words[@]}" Options)" -- "$cur")
		return 0
	fi
	local subs
	subs=$(_ktr_help_words "$tool" "${words[@]}" Subcommands)
	if [ -n "$subs" ]; then
		mapfile -t COMPREPLY < <(compgen -W "$subs" -- "$cur")
		return 0
	fi
	case "${words[*]}" in
	enable | disable | list)
		mapfile -t COMPREPLY < <(compgen -W "$(_ktr_events "$ktr")" -- "$cur")
		;;
	report)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		;;
	esac
	return 0
}

complete -F _ktr ktr ktr-read
