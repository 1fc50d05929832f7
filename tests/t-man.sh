#!/bin/sh
# The manual pages: each program's page documents every long option its
# --help lists (as "\-\-name" in roff) and every exit status, documents no
# option the program lacks, and every page renders without a warning from
# groff -man -ww.
. "${top_srcdir:-.}/tests/test-lib.sh"

DOC="$top_srcdir/doc"
PAGES="depeche-index.1 depeche-search.1 depeche-serve.1 depeche-ranking.5 depeche-query.7 depeche-shards.7"

# long_options PROGRAM: the long options of PROGRAM --help, one a line
# ("  -d, --db DIR   ..." and "      --prune   ..." give "db", "prune").
long_options() {
	"$1" --help 2>/dev/null \
	| sed -n 's/^ \{1,\}\(-[A-Za-z0-9], \)\{0,1\}--\([A-Za-z0-9][A-Za-z0-9-]*\).*/\2/p'
}

# exit_codes PROGRAM: the numbers of the "Exit status:" paragraph of
# PROGRAM --help, one a line.
exit_codes() {
	"$1" --help 2>/dev/null \
	| sed -n '/^Exit status:/,$p' | tr '\n' ' ' \
	| sed 's/See [^ ]*([0-9])//' | tr -c '0-9' '\n' | sed '/^$/d'
}

# normalized PAGE: the page with "\-\-" written "@@" and any other "\-"
# written "-", so that "\-\-no\-sync" reads "@@no-sync".
normalized() {
	sed -e 's/\\-\\-/@@/g' -e 's/\\-/-/g' "$1"
}

# tags PAGE SECTION: the tag lines (the line after .TP or .TQ) of SECTION
# in the normalized PAGE.
tags() {
	normalized "$1" | awk -v sect="$2" '
		/^\.SH/ {
			name = $0
			sub(/^\.SH[ \t]+/, "", name)
			gsub(/"/, "", name)
			on = (name == sect)
			next
		}
		on && tag { print; tag = 0; next }
		on && /^\.T[PQ]/ { tag = 1 }'
}

# documented_options PAGE: the long options named in the tags of the
# OPTIONS section of PAGE, one a line.
documented_options() {
	tags "$1" OPTIONS | awk '{
		s = $0
		while (match(s, /@@[A-Za-z0-9][A-Za-z0-9-]*/)) {
			print substr(s, RSTART + 2, RLENGTH - 2)
			s = substr(s, RSTART + RLENGTH)
		}
	}'
}

count_lines() {
	printf '%s\n' "$1" | sed '/^$/d' | wc -l | tr -d ' '
}

index_opts=$(long_options "$INDEX")
search_opts=$(long_options "$SEARCH")
index_codes=$(exit_codes "$INDEX")
search_codes=$(exit_codes "$SEARCH")
index_doc=$(documented_options "$DOC/depeche-index.1")
search_doc=$(documented_options "$DOC/depeche-search.1")
SERVE="$top_builddir/serve/depeche-serve"
serve_opts=$(long_options "$SERVE")
serve_codes=$(exit_codes "$SERVE")
serve_doc=$(documented_options "$DOC/depeche-serve.1")

n=0
for list in "$index_opts" "$search_opts" "$index_codes" "$search_codes" \
            "$index_doc" "$search_doc" "$serve_opts" "$serve_codes" \
            "$serve_doc"; do
	n=$((n + $(count_lines "$list")))
done
# per program: --help has options, OPTIONS names some; per page: title,
# sections, groff
npages=$(printf '%s\n' $PAGES | wc -l | tr -d ' ')
plan $((n + 6 + 3 * npages))

# check_program NAME PAGE OPTIONS CODES DOCUMENTED
check_program() {
	prog=$1 page=$2 opts=$3 codes=$4 doc=$5
	text=$(normalized "$DOC/$page")
	test "$(count_lines "$opts")" -gt 0
	ok $? "$prog --help lists long options"
	for o in $opts; do
		printf '%s\n' "$text" | grep -E "@@$o([^A-Za-z0-9-]|\$)" >/dev/null
		ok $? "$page documents --$o"
	done
	status_tags=$(tags "$DOC/$page" "EXIT STATUS")
	for c in $codes; do
		printf '%s\n' "$status_tags" \
		| grep -E "^\.B[IR]* (.* )?\"?$c\"?( |,|\$)" >/dev/null
		ok $? "$page lists exit status $c"
	done
	test "$(count_lines "$doc")" -gt 0
	ok $? "$page has options in its OPTIONS section"
	for o in $doc; do
		printf '%s\n' "$opts" | grep -x -e "$o" >/dev/null
		ok $? "$page documents --$o, which $prog --help lists"
	done
}

check_program depeche-index depeche-index.1 "$index_opts" "$index_codes" \
	"$index_doc"
check_program depeche-search depeche-search.1 "$search_opts" \
	"$search_codes" "$search_doc"
check_program depeche-serve depeche-serve.1 "$serve_opts" \
	"$serve_codes" "$serve_doc"

have_groff=0
if command -v groff >/dev/null 2>&1; then
	have_groff=1
fi

for page in $PAGES; do
	name=${page%.*}
	sect=${page##*.}
	upper=$(printf '%s' "$name" | tr 'a-z' 'A-Z')
	grep "^\.TH $upper $sect " "$DOC/$page" >/dev/null
	ok $? "$page starts with .TH $upper $sect"

	missing=""
	case $sect in
	1) want="NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXIT STATUS|ENVIRONMENT|FILES|EXAMPLES|SEE ALSO" ;;
	*) want="NAME|DESCRIPTION|EXAMPLES|SEE ALSO" ;;
	esac
	old_ifs=$IFS
	IFS='|'
	for s in $want; do
		if ! grep -E "^\.SH \"?$s\"?\$" "$DOC/$page" >/dev/null; then
			missing="$missing '$s'"
		fi
	done
	IFS=$old_ifs
	is "$missing" "" "$page has the usual sections"

	if [ "$have_groff" -eq 1 ]; then
		warnings=$( (groff -man -ww -z "$DOC/$page" \
		             && groff -man -ww -z -Tutf8 "$DOC/$page") 2>&1)
		is "$warnings" "" "$page renders without groff warnings"
	else
		skip "groff not installed"
	fi
done

done_testing
