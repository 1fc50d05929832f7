#!/bin/sh
# depeche-index on the sample archive: counts, idempotence, summaries,
# bad records, gzip by content, standard input, locking, exit codes.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 37

DB="$T/db"

run "$INDEX" --db "$DB" "$SAMPLE"
is "$rc" 0 "indexing the sample archive succeeds"
like "$out" " indexed, " "one-line summary on standard output"
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 1 "the summary is one line"
is "$err" "" "nothing on standard error"
first="$out"

run "$SEARCH" --db "$DB" --count 'date:..9999'
is "$out" 57 "57 searchable dispatches (59 stories, 2 killed)"

run "$INDEX" --db "$DB" "$SAMPLE"
is "$rc" 0 "a second run succeeds"
like "$out" "0 indexed, 0 updated, 68 unchanged" "a second run changes nothing"
like "$out" "0 files read, 28 unchanged" "a second run reads no file"
run "$SEARCH" --db "$DB" --count 'date:..9999'
is "$out" 57 "same count after the second run"

run "$INDEX" --db "$DB" --force "$SAMPLE"
like "$out" "0 indexed, 0 updated, 68 unchanged" "--force reads everything, writes nothing"
run "$SEARCH" --db "$DB" --count 'date:..9999'
is "$out" 57 "same count after --force"

# a malformed record is reported and skipped, the rest is indexed
mkdir -p "$T/in"
cat >"$T/in/mixed.jsonl" <<'JSON'
{"id": "t-1", "date": "2023-01-02T10:00:00+01:00", "headline": "Premier zorglub", "body": "Un texte court.", "source": "AFP", "lang": "fr"}
{"id": "t-2", "date": "2023-01-02T11:00:00+01:00", "headline": "Deuxième zorglub" "body": "virgule oubliée"}
{"id": "t-3", "date": "hier", "headline": "Date fausse", "body": "x", "source": "AFP", "lang": "fr"}
{"date": "2023-01-02T12:00:00+01:00", "headline": "Sans identifiant", "body": "x"}
{"id": "t-5", "date": "2023-01-02T13:00:00+01:00", "headline": "Cinquième zorglub", "body": "Encore un texte.", "source": "AFP", "lang": "fr"}
JSON
run "$INDEX" --db "$DB" "$T/in/mixed.jsonl"
is "$rc" 1 "partial failure exits 1"
like "$err" "mixed.jsonl:2:" "a JSON syntax error names file and line"
like "$err" "mixed.jsonl:3: 'date' is not an ISO 8601 date" "a bad date names file and line"
like "$err" "mixed.jsonl:4: missing 'id'" "a missing id names file and line"
like "$out" "2 indexed" "the good records are indexed"
run "$SEARCH" --db "$DB" --count zorglub
is "$out" 2 "both good records are searchable"

# the file failed partly: the next run reads it again, without duplicates
run "$INDEX" --db "$DB" "$T/in/mixed.jsonl"
like "$out" "0 indexed, 0 updated, 2 unchanged" "a file with errors is read again"
run "$SEARCH" --db "$DB" --count zorglub
is "$out" 2 "still two records"

# gzip is detected by content, whatever the name
printf '%s\n' '{"id": "gz-1", "date": "2023-02-01T08:00:00+01:00", "headline": "Compression reconnue", "body": "Un fichier compressé sans extension.", "source": "AFP", "lang": "fr"}' | gzip -n >"$T/in/compressed.data"
printf 'Id: gz-2\nDate: 2023-02-01T09:00:00+01:00\nSource: AFP\nLang: fr\nHeadline: Texte compressé\n\nUn texte compressé en gzip.\n' | gzip -n >"$T/in/texte.txt.gz"
run "$INDEX" --db "$DB" "$T/in/compressed.data" "$T/in/texte.txt.gz"
is "$rc" 0 "gzip files are read"
run "$SEARCH" --db "$DB" --count 'compressé'
is "$out" 2 "gzip JSON Lines and gzip text are both indexed"

# standard input
printf '%s\n' '{"id": "stdin-1", "date": "2023-03-01T08:00:00+01:00", "headline": "Lu sur l entrée standard", "body": "Texte venu d un tube.", "source": "AFP", "lang": "fr"}' \
	| "$INDEX" --db "$DB" - >"$T/.out" 2>"$T/.err"
is "$?" 0 "'-' reads standard input"
run "$SEARCH" --db "$DB" --count 'tube'
is "$out" 1 "the dispatch from standard input is searchable"

# a path that does not exist: reported, the rest goes on
run "$INDEX" --db "$DB" "$T/nowhere" "$T/in/texte.txt.gz"
is "$rc" 1 "a missing path is a partial failure"
like "$err" "nowhere: No such file or directory" "and is named"

# another writer holds the database
if command -v flock >/dev/null 2>&1; then
	flock "$DB.lock" sh -c 'echo 4242 > "$1"; sleep 3' sh "$DB.lock" &
	sleep 0.5
	run "$INDEX" --db "$DB" "$SAMPLE"
	is "$rc" 75 "a second writer exits 75"
	like "$err" "being written by another depeche-index (pid 4242)" "and says who holds it"
	run "$INDEX" --db "$DB" --wait=10 "$T/in/texte.txt.gz"
	is "$rc" 0 "--wait waits for the lock"
	wait
else
	skip "flock(1) not installed"
	skip "flock(1) not installed"
	skip "flock(1) not installed"
fi

# default database location under XDG_DATA_HOME
XDG_DATA_HOME="$T/xdg" run "$INDEX" -q "$T/in/texte.txt.gz"
is "$rc" 0 "indexing without --db"
ok "$([ -d "$T/xdg/depeche/db" ]; echo $?)" "the default database is \$XDG_DATA_HOME/depeche/db"
is "$out" "" "--quiet prints nothing"

# --status
run "$INDEX" --db "$DB" --status
is "$rc" 0 "--status succeeds"
like "$out" "searchable" "--status counts dispatches"
like "$out" "last run:" "--status shows the last run"

# usage errors
run "$INDEX" --db "$DB"
is "$rc" 2 "no PATH is a usage error"
run "$INDEX" --db "$DB" --batch=zero "$SAMPLE"
is "$rc" 2 "a bad option value is a usage error"
run "$INDEX" --help
is "$rc" 0 "--help exits 0"

done_testing
