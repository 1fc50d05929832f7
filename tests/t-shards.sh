#!/bin/sh
# Period shards: the sample archive indexed once as one database and once
# with --shards month gives the same answers (ids, order, scores, counts,
# timelines, dossiers, facets); a story whose versions span two months
# shows once; runs stay idempotent; kills and updates behave as in one
# database; a single database converts into shards.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 98

ONE="$T/one"
SH="$T/shards"

run "$INDEX" --db "$ONE" "$SAMPLE"
is "$rc" 0 "the sample indexed as one database"
run "$INDEX" --db "$SH" --shards month "$SAMPLE"
is "$rc" 0 "the sample indexed as monthly shards"
like "$out" "59 indexed, 7 updated" "the same summary as one database"
ok "$([ -f "$SH/XAPIANDB" ] && [ -f "$SH/2022-12/iamglass" ] && [ -f "$SH/state/iamglass" ]; echo $?)" \
	"a stub, a state database and a database per month"
like "$(cat "$SH/XAPIANDB")" "glass 2022-12" "the stub lists the shards by name"
is "$(grep -c '^glass ' "$SH/XAPIANDB")" "$(ls -d "$SH"/[0-9]* | wc -l | tr -d ' ')" \
	"one stub line per shard directory"

# the same answers, query by query
same() {
	"$SEARCH" --db "$ONE" "$@" >"$T/a.out" 2>"$T/a.err"
	a=$?
	"$SEARCH" --db "$SH" "$@" >"$T/b.out" 2>"$T/b.err"
	b=$?
	if [ "$a" = "$b" ] && cmp -s "$T/a.out" "$T/b.out"; then
		ok 0 "same answer: $*"
	else
		ok 1 "same answer: $*"
		echo "#   exit $a / $b"
		diff "$T/a.out" "$T/b.out" | head -5 | sed 's/^/#   /'
	fi
}
while IFS= read -r q; do
	same --json -n 10 "$q"
	same --count "$q"
done <<'QUERIES'
Bout
Griner
Whelan
Blinken Lavrov
Sergueï Lavrov
"Viktor Bout"
"échange de prisonniers"
Griner OR Whelan
Lavrov -Blinken
titre:Griner
lieu:Moscou
source:AFP Bout
date:2022-12
date:2023
inflation
QUERIES
same --json --collapse Bout
same --json --sort date Griner
same --json --since 2022-12-01 --until 2022-12-31 Bout
same --meetings Blinken Lavrov
same --json --meetings Blinken Lavrov
same --about Bout
same --json --about Griner
same --facets source,place,month,lang,person Bout
same --json --facets source,month Griner
same --json --explain Bout
same --json --like afp-20221210-bout-entretien-tv

# idempotent
stub_before=$(md5sum <"$SH/XAPIANDB")
run "$INDEX" --db "$SH" "$SAMPLE"
like "$out" "0 indexed, 0 updated, 68 unchanged" "a second run changes nothing"
like "$out" "0 files read, 28 unchanged" "and reads no file"
run "$INDEX" --db "$SH" --force "$SAMPLE"
like "$out" "0 indexed, 0 updated, 68 unchanged" "--force writes nothing"
is "$(md5sum <"$SH/XAPIANDB")" "$stub_before" "the stub is unchanged"
is "$(ls "$SH" | grep -c 'tmp')" 0 "no temporary file left"

# the layout is kept without --shards; another one is refused
run "$INDEX" --db "$SH" --shards year "$SAMPLE"
is "$rc" 2 "asking another period for a sharded database is a usage error"
like "$err" "is sharded by month, not by year" "and says so"
run "$INDEX" --db "$ONE" --shards month "$SAMPLE"
is "$rc" 2 "--shards on a single database is refused"
like "$err" "--convert month" "and names the conversion"
run "$INDEX" --db "$T/bad" --shards week "$SAMPLE"
is "$rc" 2 "--shards needs month or year"

# a story whose versions span two months shows once, as its newest
mkdir -p "$T/in"
disp() {  # id version date word [status]
	printf '{"id": "%s", "version": %s, "date": "%s", "headline": "Zorglub %s", "body": "La zorglubine est %s. Un texte assez long pour le test des shards.", "source": "AFP", "lang": "fr", "status": "%s"}\n' \
		"$1" "$2" "$3" "$4" "$4" "${5:-usable}"
}
for db in "$ONE" "$SH"; do
	disp span 1 2023-01-31T23:00:00+01:00 janvier >"$T/in/v1.jsonl"
	"$INDEX" -q --db "$db" "$T/in/v1.jsonl"
	disp span 2 2023-02-01T08:00:00+01:00 fevrier >"$T/in/v2.jsonl"
	"$INDEX" -q --db "$db" "$T/in/v2.jsonl"
done
is "$("$SEARCH" --db "$SH" --count zorglub)" 1 "a story over two months shows once"
like "$("$SEARCH" --db "$SH" --json zorglub)" '"version":2' "as its newest version"
is "$("$SEARCH" --db "$SH/2023-01" --count zorglub)" 0 "the older month's shard dropped it"
is "$("$SEARCH" --db "$SH/2023-02" --count zorglub)" 1 "the newest version's shard owns it"
same --json zorglub
run "$INDEX" --db "$SH" --force "$T/in/v1.jsonl"
like "$out" "0 indexed, 0 updated, 1 unchanged" "reading the older version again writes nothing"
is "$("$SEARCH" --db "$SH" --count zorglub)" 1 "still once"
run "$INDEX" --db "$SH" "$T/in"
like "$out" "0 indexed, 0 updated" "a run over both files is idempotent"
# a kill in a third month removes the story
for db in "$ONE" "$SH"; do
	disp span 3 2023-03-01T09:00:00+01:00 annule canceled >"$T/in/v3.jsonl"
	"$INDEX" -q --db "$db" "$T/in/v3.jsonl"
done
is "$("$SEARCH" --db "$SH" --count zorglub)" 0 "a kill in another month removes the story"
is "$("$SEARCH" --db "$SH/2023-02" --count zorglub)" 0 "from its shard too"
"$INDEX" -q --db "$SH" --force "$T/in/v1.jsonl" "$T/in/v2.jsonl"
is "$("$SEARCH" --db "$SH" --count zorglub)" 0 "older versions read again do not bring it back"
same --count 'date:..9999'
# an update in the same month replaces, as in one database
for db in "$ONE" "$SH"; do
	disp upd 1 2023-04-02T09:00:00+01:00 avril >"$T/in/u1.jsonl"
	"$INDEX" -q --db "$db" "$T/in/u1.jsonl"
	disp upd 2 2023-04-03T09:00:00+01:00 corrige >"$T/in/u1.jsonl"
	"$INDEX" -q --db "$db" "$T/in/u1.jsonl"
done
is "$("$SEARCH" --db "$SH" --count zorglub)" 1 "an update replaces its version"
same --json zorglub
# --prune: a file gone takes its dispatches with it, in every shard
rm "$T/in/u1.jsonl"
for db in "$ONE" "$SH"; do
	"$INDEX" -q --db "$db" --prune "$T/in"
done
is "$("$SEARCH" --db "$SH" --count zorglub)" 0 "--prune removes a gone file's dispatches"
same --count 'date:..9999'

# --status lists the shards
run "$INDEX" --db "$SH" --status
is "$rc" 0 "--status on shards"
like "$out" "shards:       by month" "names the layout"
like "$out" "2022-12" "lists the shards"
like "$out" "local" "says where each is"

# --check and --compact go over every shard
run "$INDEX" --db "$SH" --check
is "$rc" 0 "--check on shards"
run "$INDEX" --db "$SH" --compact
is "$rc" 0 "--compact on shards"
same --json Bout

# converting a single database
cp -r "$ONE" "$T/conv"
run "$INDEX" --db "$T/conv" --convert month
is "$rc" 0 "--convert month"
like "$out" "converted" "says it"
ok "$([ -f "$T/conv/XAPIANDB" ] && [ ! -f "$T/conv/iamglass" ]; echo $?)" \
	"the database is now shards"
for q in Bout 'Blinken Lavrov' 'date:..9999'; do
	"$SEARCH" --db "$ONE" --json -n 100 "$q" >"$T/a.out"
	"$SEARCH" --db "$T/conv" --json -n 100 "$q" >"$T/b.out"
	cmp -s "$T/a.out" "$T/b.out"
	ok $? "converted: same answer for $q"
done
run "$INDEX" --db "$T/conv" "$SAMPLE"
like "$out" "0 indexed, 0 updated" "the converted database knows its files"
is "$(ls "$T" | grep 'conv\.' | grep -v '\.lock$')" "" "no copy left beside it"

# a sharded database nothing was indexed in yet searches as empty
mkdir -p "$T/nothing"
run "$INDEX" --db "$T/empty" --shards year "$T/nothing"
is "$rc" 0 "a sharded database with no dispatch yet"
run "$SEARCH" --db "$T/empty" Bout
is "$rc" 1 "searches it: no results"
like "$err" "no dispatch matches" "and says so"

# nightly: only the shards of the dates read change; a sealed shard is
# compacted once, and again after a late write
sums() {
	(cd "$SH" && find . -path ./state -prune -o -type f -print | sort \
		| xargs md5sum)
}
mkdir -p "$T/in2"
before=$(sums | grep -v '\./2023-05/')
disp late 1 2023-05-10T10:00:00+02:00 tardif >"$T/in2/late.jsonl"
run "$INDEX" --db "$SH" "$T/in2/late.jsonl"
like "$out" "1 indexed" "a late dispatch for a sealed month"
like "$out" "1 shard compacted" "compacts that shard again, only that one"
is "$(sums | grep -v '\./2023-05/')" "$before" "the other shards are untouched"
disp today 1 "$(date -u +%Y-%m-%dT10:00:00+00:00)" courant >"$T/in2/today.jsonl"
run "$INDEX" --db "$SH" "$T/in2"
like "$out" "1 indexed, 0 updated, 1 unchanged" "a nightly run"
unlike "$out" "compacted" "writing to the open month compacts nothing"
run "$INDEX" --db "$SH" --status
printf '%s\n' "$out" | grep -q "^  $(date -u +%Y-%m)  *1  *[0-9.]* MB  open  *local\$"
ok $? "--status: the open month, its dispatch, size, open, local"
like "$out" "sealed, compacted" "and which are sealed and compacted"

done_testing
