# SPDX-License-Identifier: MIT
#
# help2roff.awk - one CLI11 --help text on stdin to one man page (roff) on
# stdout. Variables: name (page name, "ktr-record"), cmd ("ktr record"),
# tool ("ktr"), version. The help's parts map to sections:
#   text before "Usage:"        NAME (its first line) and DESCRIPTION
#   "Usage: ..."                SYNOPSIS
#   "Positionals:", "Options:"  ARGUMENTS, OPTIONS (one .TP per entry)
#   "Subcommands:"              COMMANDS (each has its own page)
#   text after the sections     NOTES
# Every entry line of --help becomes a .TP entry with its names and
# argument as --help prints them: the host test ManPages checks that.

function esc(s) {
	gsub(/\\/, "\\e", s)
	gsub(/-/, "\\-", s)
	return s
}
# A text line: escaped, never starting a roff request.
function text(s) {
	s = esc(s)
	if (s ~ /^[.']/)
		s = "\\&" s
	return s
}
function end_entry() {
	if (cur != "")
		desc[cur, n[cur] - 1] = d
	d = ""
}
function entries(sec, title,    i) {
	if (n[sec] == 0)
		return
	print ".SH " title
	for (i = 0; i < n[sec]; i++) {
		print ".TP"
		print ".B " text(term[sec, i])
		if (desc[sec, i] != "")
			print text(desc[sec, i])
		if (sec == "Subcommands") {
			split(term[sec, i], w, " ")
			print ".br"
			print "See \\fB" text(name "-" w[1]) "\\fR(1)."
		}
	}
}
BEGIN {
	part = "head"
	nhead = 0
	nfoot = 0
	cur = ""
}
part == "head" && /^Usage: / {
	usage = substr($0, 8)
	part = "body"
	next
}
part == "head" {
	head[nhead++] = $0
	next
}
/^(Positionals|Options|Subcommands):$/ {
	end_entry()
	cur = substr($0, 1, length($0) - 1)
	n[cur] = 0
	next
}
/^$/ {
	end_entry()
	cur = ""
	next
}
cur != "" && /^  [^ ]/ {
	end_entry()
	line = substr($0, 3)
	# "TERM   description": two or more spaces end the term.
	if (match(line, /   */) && substr(line, RSTART, 2) == "  ") {
		t = substr(line, 1, RSTART - 1)
		d = substr(line, RSTART + RLENGTH)
	} else {
		t = line
		d = ""
	}
	term[cur, n[cur]++] = t
	next
}
cur != "" && /^   +[^ ]/ {
	sub(/^ +/, "")
	d = d == "" ? $0 : d " " $0
	next
}
{
	foot[nfoot++] = $0
}
END {
	end_entry()
	printf ".TH %s 1 \"\" \"ktr %s\" \"ktr manual\"\n", text(toupper(name)), version
	print ".SH NAME"
	summary = nhead > 0 ? head[0] : cmd
	print text(name) " \\- " text(summary)
	print ".SH SYNOPSIS"
	print ".B " text(cmd)
	rest = usage
	sub(/^[^ ]+( [a-z][a-z-]*)*/, "", rest)	# the command words
	sub(/^ /, "", rest)
	if (rest != "")
		print text(rest)
	if (nhead > 1) {
		print ".SH DESCRIPTION"
		for (i = 0; i < nhead; i++)
			print text(head[i])
	}
	entries("Positionals", "ARGUMENTS")
	entries("Options", "OPTIONS")
	entries("Subcommands", "COMMANDS")
	if (nfoot > 0) {
		print ".SH NOTES"
		for (i = 0; i < nfoot; i++)
			print text(foot[i])
	}
	print ".SH SEE ALSO"
	if (tool == "ktr-read")
		print "\\fBktr\\fR(1), \\fBktr\\-report\\fR(1)"
	else if (name == "ktr")
		print "\\fBktr\\-read\\fR(1)"
	else
		print "\\fBktr\\fR(1), \\fBktr\\-read\\fR(1)"
}
