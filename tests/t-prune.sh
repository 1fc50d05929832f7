#!/bin/sh
# --prune: the dispatches of files gone since the last run are removed, and
# a dispatch whose newest version went with them falls back to the newest
# version another file still holds, read again in the same run.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 24

# one dispatch per line: id version word [status]
disp() {
	st=${4:-usable}
	printf '{"id": "%s", "version": %s, "date": "2023-03-0%sT10:00:00+01:00", "headline": "Crue: %s, version %s", "body": "La rivière %s déborde: %s.", "status": "%s"}\n' \
		"$1" "$2" "$2" "$1" "$2" "$1" "$3" "$st"
}
S() { run "$SEARCH" --db "$1" --json "$2"; }
ids() { printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*"version":\([0-9]*\).*/\1 v\2/p' | tr '\n' ' '; }

# versions in files read oldest first
A="$T/a"; mkdir -p "$A"
disp loire 1 ancien >"$A/1.jsonl"
disp loire 2 moyen >"$A/2.jsonl"
{ disp loire 3 recent; disp cher 1 affluent; } >"$A/3.jsonl"
DB="$T/db"
run "$INDEX" -q --db "$DB" "$A"
is "$rc" 0 "three versions indexed"
S "$DB" 'Loire'
is "$(ids)" "loire v3 " "the newest version is the one searched"

rm "$A/3.jsonl"
run "$INDEX" --db "$DB" "$A"
is "$rc" 0 "without --prune, a run over the archive"
S "$DB" 'Loire'
is "$(ids)" "loire v3 " "keeps what a deleted file held"

run "$INDEX" --prune --db "$DB" "$A"
is "$rc" 0 "--prune succeeds"
like "$out" "2 removed" "it removes the two dispatches of the deleted file"
S "$DB" 'Loire'
is "$(ids)" "loire v2 " "the newest version left on disk takes the place of the one removed"
S "$DB" 'recent'
is "$out" "" "the removed version's words are gone"
S "$DB" 'affluent'
is "$out" "" "and so is the other dispatch of the deleted file"

run "$INDEX" --prune --db "$DB" "$A"
like "$out" "0 indexed, 0 updated" "a second --prune run changes nothing"
like "$out" "0 removed" "and removes nothing"

rm "$A/2.jsonl" "$A/1.jsonl"
run "$INDEX" --prune --db "$DB" "$A"
S "$DB" 'Loire'
is "$(ids)" "" "once every file is gone, the dispatch is gone"

# versions read newest first, the older ones in another directory that
# this run does not walk
B="$T/b"; C="$T/c"; mkdir -p "$B" "$C"
disp marne 3 recent >"$B/new.jsonl"
disp marne 1 ancien >"$C/old.jsonl"
DB2="$T/db2"
run "$INDEX" -q --db "$DB2" "$B" "$C"
S "$DB2" 'Marne'
is "$(ids)" "marne v3 " "a newer version read before the older one is kept"
rm "$B/new.jsonl"
run "$INDEX" --prune -v --db "$DB2" "$B"
is "$rc" 0 "--prune over one directory"
like "$err" "reading $C/old.jsonl again" "reads the file elsewhere that holds another version"
S "$DB2" 'Marne'
is "$(ids)" "marne v1 " "and that version is searchable again"

# a run that could not read the file with the older version (here it is
# a directory for a while) leaves it marked: a later prune reads it
E="$T/e"; F="$T/f"; mkdir -p "$E" "$F"
disp somme 2 recent >"$E/new.jsonl"
disp somme 1 ancien >"$F/old.jsonl"
DB5="$T/db5"
run "$INDEX" -q --db "$DB5" "$E" "$F"
rm "$E/new.jsonl"
mv "$F/old.jsonl" "$F/old.keep"
mkdir "$F/old.jsonl"
run "$INDEX" -q --prune --db "$DB5" "$E"
S "$DB5" 'somme'
is "$(ids)" "" "the older version could not be read in the pruning run"
rmdir "$F/old.jsonl"
mv "$F/old.keep" "$F/old.jsonl"
run "$INDEX" -q --prune --db "$DB5" "$E"
is "$rc" 0 "a later --prune run"
S "$DB5" 'somme'
is "$(ids)" "somme v1 " "reads the file the first one marked, and the version is back"

# a kill whose file is removed: the story comes back
K="$T/k"; mkdir -p "$K"
disp seine 1 crue >"$K/1.jsonl"
disp seine 2 annule canceled >"$K/2.jsonl"
DB3="$T/db3"
run "$INDEX" -q --db "$DB3" "$K"
S "$DB3" 'Seine'
is "$out" "" "a killed dispatch is not searchable"
rm "$K/2.jsonl"
run "$INDEX" -q --prune --db "$DB3" "$K"
is "$rc" 0 "--prune after the kill's file went"
S "$DB3" 'Seine'
is "$(ids)" "seine v1 " "the story is back without its kill"

# the same dispatch in two files: removing one keeps the other's copy
D="$T/d"; mkdir -p "$D"
disp rhone 1 copie >"$D/x.jsonl"
cp "$D/x.jsonl" "$D/y.jsonl"
DB4="$T/db4"
run "$INDEX" -q --db "$DB4" "$D"
rm "$D/y.jsonl"
run "$INDEX" -q --prune --db "$DB4" "$D"
S "$DB4" 'rhone'
is "$(ids)" "rhone v1 " "a copy in another file survives the removal of one"
if command -v xapian-check >/dev/null 2>&1; then
	run xapian-check "$DB4"
	is "$rc" 0 "xapian-check passes after pruning"
else
	skip "xapian-check not installed"
fi

done_testing
