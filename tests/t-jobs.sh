#!/bin/sh
# Bulk loads.  depeche-index --jobs: dispatches analysed in several threads
# are written in the order they were read, so that the index is the same
# as with one thread: versions, kills, duplicates and the state of files
# included.  A run that writes much compacts the database at its end.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 20

FEEDS="${top_srcdir:-.}/tests/fixtures/feeds"
dump() {
	# every live dispatch with its fields and story size, scores aside
	"$SEARCH" --db "$1" --json --collapse --sort date --limit 1000 \
		'date:..9999' | sed 's/"score":[^,]*,//'
}
summary() { printf '%s\n' "$1" | sed 's/ in [0-9.]* s / in T s /'; }

run "$INDEX" --db "$T/one" --jobs 1 "$SAMPLE" "$FEEDS"
one_rc=$rc
one_out=$(summary "$out")
run "$INDEX" --db "$T/four" --jobs 4 "$SAMPLE" "$FEEDS"
is "$rc" "$one_rc" "--jobs 4 exits as --jobs 1"
is "$(summary "$out")" "$one_out" "the same summary: indexed, updated, killed, failed"
d1=$(dump "$T/one")
d4=$(dump "$T/four")
ok "$([ -n "$d1" ] && [ "$d1" = "$d4" ] && echo 0 || echo 1)" \
	"the same dispatches, stories and fields"
for q in Griner '"au bout de"' 'Blinken Lavrov' 'source:AFP date:2022-12'; do
	a=$("$SEARCH" --db "$T/one" --json -n 20 "$q")
	b=$("$SEARCH" --db "$T/four" --json -n 20 "$q")
	is "$b" "$a" "the same results for $q"
done

# a second run over the same files: nothing to do, whatever the threads
run "$INDEX" --db "$T/four" --jobs 3 --force "$SAMPLE" "$FEEDS"
like "$out" " 0 indexed, 0 updated, " "--force with --jobs 3 writes nothing"

# a file changed: its dispatches are replaced, those it lost removed
mkdir -p "$T/in"
printf '%s\n' \
 '{"id": "j-1", "date": "2024-05-01T10:00:00Z", "headline": "Premier zorglub", "body": "Un texte.", "source": "AFP", "lang": "fr"}' \
 '{"id": "j-2", "date": "2024-05-01T11:00:00Z", "headline": "Second zorglub", "body": "Un autre texte.", "source": "AFP", "lang": "fr"}' \
 >"$T/in/f.jsonl"
"$INDEX" -q --db "$T/four" --jobs 2 "$T/in"
printf '%s\n' \
 '{"id": "j-1", "date": "2024-05-01T10:00:00Z", "headline": "Premier zorglub corrigé", "body": "Un texte.", "source": "AFP", "lang": "fr", "version": 2}' \
 >"$T/in/f.jsonl"
touch -d '2030-01-01' "$T/in/f.jsonl" 2>/dev/null || sleep 1
run "$INDEX" --db "$T/four" --jobs 2 "$T/in"
like "$out" "0 indexed, 1 updated, 0 unchanged, 0 failed, 1 removed" \
	"a changed file: one dispatch updated, the one it lost removed"
run "$SEARCH" --db "$T/four" --count zorglub
is "$out" 1 "one zorglub left"

run "$INDEX" --db "$T/x" --jobs 0 "$SAMPLE"
is "$rc" 2 "--jobs 0 is a usage error"

# compaction after a bulk load, not after a small run
if command -v python3 >/dev/null 2>&1; then
	python3 "${top_srcdir:-.}/tests/gen-dispatches.py" 1500 3 "$T/bulk" >/dev/null
	run "$INDEX" --db "$T/bulk.db" "$T/bulk"
	like "$out" "1500 indexed" "a bulk load of 1500 dispatches"
	like "$out" "; compacted from " "ends with a compaction"
	ls "$T" | grep -q 'bulk\.db\.\(compact\|old\)' && leftover=1 || leftover=0
	is "$leftover" 0 "and leaves no temporary directory"
	run "$SEARCH" --db "$T/bulk.db" --count 'date:..9999'
	is "$out" 1500 "the compacted database holds every dispatch"
	run "$INDEX" --db "$T/bulk.db" --force "$T/bulk"
	unlike "$out" "compacted" "a run that writes nothing does not compact"
	run "$INDEX" --db "$T/bulk2.db" --no-compact "$T/bulk"
	unlike "$out" "compacted" "--no-compact"
	# a compaction stopped between its two renames (file systems
	# without an atomic exchange), and a copy half built
	mv "$T/bulk.db" "$T/bulk.db.old-4242"
	mkdir -p "$T/bulk.db.compact-4243/junk"
	run "$INDEX" --db "$T/bulk.db" "$T/bulk"
	like "$err" "left aside by a stopped compaction: put back" "a database left aside by a stopped compaction is put back"
	run "$SEARCH" --db "$T/bulk.db" --count 'date:..9999'
	is "$out" 1500 "with every dispatch"
	ls "$T" | grep -q 'bulk\.db\.\(old\|compact\)' && leftover=1 || leftover=0
	is "$leftover" 0 "and the half-built copy is removed"
else
	for i in 1 2 3 4 5 6 7 8 9; do skip "python3 not installed"; done
fi

done_testing
