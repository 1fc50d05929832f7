#!/bin/sh
# depeche-index --jobs: dispatches analysed in several threads are written
# in the order they were read, so that the index is the same as with one
# thread: versions, kills, duplicates and the state of files included.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 11

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

done_testing
