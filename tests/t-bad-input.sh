#!/bin/sh
# Bad input: each bad file is reported with its name (and line where it
# has one) and skipped; everything else in the same run is indexed; the
# exit status says partial failure.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 16

BAD="$FIXTURES/bad"
mkdir -p "$T/in"
cp "$BAD"/* "$T/in/"
# a 50 MB single line
python3 -c '
import sys
sys.stdout.write("{\"id\": \"huge\", \"headline\": \"x\", \"body\": \"" + "a" * (50 << 20) + "\"}\n")' >"$T/in/huge.jsonl"
# a malformed XML feed from the feed fixtures
cp "$FIXTURES/feeds/malformed.xml" "$T/in/feed-malformed.xml"

run "$INDEX" --db "$T/db" "$T/in"
is "$rc" 1 "bad files make a partial failure (exit 1)"
like "$err" "truncated.jsonl.gz: truncated gzip stream" "a truncated gzip file is named"
like "$err" "in/malformed.xml:6: malformed XML" "malformed XML names file and line"
like "$err" "unknown-root.xml: unknown root element 'rss'" "an unknown root element is named"
like "$err" "empty.txt: empty file" "an empty file is named"
like "$err" "binary.dat: binary data" "binary junk is named"
like "$err" "huge.jsonl:1: line longer than" "a 50 MB line is named"
like "$out" "1 indexed" "the good dispatch is indexed"
run "$SEARCH" --db "$T/db" --count 'voisins'
is "$out" 1 "and searchable"
run "$SEARCH" --db "$T/db" --count 'date:..9999'
is "$out" 1 "nothing from the bad files was indexed"

# the bad files are read again next time (they failed), the good one not
run "$INDEX" --db "$T/db" "$T/in"
is "$rc" 1 "a second run reports the bad files again"
like "$out" "0 indexed, 0 updated, 1 unchanged" "and changes nothing"

# an unreadable file; root reads everything, so drop to nobody
if [ "$(id -u)" -eq 0 ]; then
	if command -v setpriv >/dev/null 2>&1; then
		AS="setpriv --reuid=65534 --regid=65534 --clear-groups"
	else
		AS=""
	fi
else
	AS="env"
fi
if [ -n "$AS" ]; then
	chmod 755 "$T"
	mkdir -p "$T/u"
	cp "$BAD/good.jsonl" "$T/u/good.jsonl"
	printf '%s\n' '{"id": "secret", "headline": "x", "body": "y"}' >"$T/u/secret.jsonl"
	chmod 000 "$T/u/secret.jsonl"
	chmod 777 "$T/u"
	run $AS "$INDEX" --db "$T/u/db" "$T/u"
	is "$rc" 1 "an unreadable file is a partial failure"
	like "$err" "secret.jsonl: cannot open: Permission denied" "and is named"
	like "$out" "1 indexed" "the readable file is indexed"
	# a database directory that cannot be written
	mkdir -p "$T/ro"
	chmod 555 "$T/ro"
	run $AS "$INDEX" --db "$T/ro/db" "$T/u/good.jsonl"
	is "$rc" 77 "a database that cannot be created exits 77 (EX_NOPERM)"
else
	skip "running as root without setpriv"
	skip "running as root without setpriv"
	skip "running as root without setpriv"
	skip "running as root without setpriv"
fi

done_testing
