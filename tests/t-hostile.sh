#!/bin/sh
# Hostile and damaged input found by an adversarial pass, each once wrong:
# a gzip stream cut short, NUL bytes and invalid UTF-8 inside text, files
# that are not databases, a truncated table, configuration that is
# missing or not UTF-8, a NewsML item with neither headline nor date.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 44

SAMPLE="$top_srcdir/sample"
# a bounded run: the truncated gzip once looped for ever
if command -v timeout >/dev/null 2>&1; then
	BOUND="timeout 60"
else
	BOUND=
fi

# ---- a gzip stream cut short --------------------------------------------
mkdir -p "$T/cut"
head -c 1200 "$SAMPLE/gz/2023-politique.jsonl.gz" >"$T/cut/cut.jsonl.gz"
run $BOUND "$INDEX" --db "$T/cutdb" "$T/cut"
is "$rc" 1 "a cut gzip stream: partial failure (exit 1), and the run ends"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "one message for the file, not one per read"
like "$err" "cut.jsonl.gz: truncated gzip stream" "naming the file and what is wrong"
like "$out" "1 failed" "counted once"
n=$(printf '%s\n' "$out" | sed -n 's/.*: \([0-9]*\) indexed.*/\1/p')
[ "${n:-0}" -ge 1 ]
ok $? "the whole records before the cut are kept ($n)"
run $BOUND "$INDEX" --db "$T/cutdb" "$T/cut"
is "$(printf '%s\n' "$err" | grep -c .)" 1 "the next run reports it once again"

# ---- NUL bytes and invalid UTF-8 inside text -----------------------------
mkdir -p "$T/nul"
printf '%s\n' '{"id":"n1","date":"2023-01-02","headline":"Premier","body":"Le premier texte."}' >"$T/nul/n.jsonl"
printf '{"id":"n2","date":"2023-01-02","headline":"Deux\000x","body":"Texte."}\n' >>"$T/nul/n.jsonl"
printf '%s\n' '{"id":"n3","date":"2023-01-02","headline":"Trois","body":"Le troisième texte."}' >>"$T/nul/n.jsonl"
# Latin-1 bytes in a plain-text dispatch (é is 0xE9)
printf 'Id: t1\nDate: 2023-01-02\nHeadline: Caf\351 cr\350me\n\nLe caf\351 est bon.\n' >"$T/nul/latin.txt"
printf 'Id: t2\nDate: 2023-01-02\nHeadline: Nul\n\nUn \000 ici.\n' >"$T/nul/nul.txt"
run "$INDEX" --db "$T/nuldb" "$T/nul"
is "$rc" 1 "a NUL byte in a record: partial failure"
like "$err" "n.jsonl:2:48: NUL byte" "named by file, line and column"
unlike "$err" "binary data" "the file is not taken for binary"
like "$err" "latin.txt:3:14: warning: not UTF-8 (byte 0xE9)" "invalid UTF-8 in plain text: line, column and the word UTF-8"
like "$err" "nul.txt:5:4: NUL byte" "a NUL in a plain-text dispatch is named too"
like "$out" "3 indexed" "the other records and the Latin-1 dispatch are indexed"
run "$SEARCH" --db "$T/nuldb" --count 'texte'
is "$out" 2 "both good JSON Lines records are searchable"
run "$SEARCH" --db "$T/nuldb" --json café
like "$out" '"headline":"Café crème"' "the Latin-1 text is read as Windows-1252"

# ---- binary data is still binary ----------------------------------------
mkdir -p "$T/bin"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\001\000' >"$T/bin/image.txt"
printf '\377\376I\000d\000:\000 \000x\000\n\000' >"$T/bin/utf16.txt"
run "$INDEX" --db "$T/bindb" "$T/bin"
like "$err" "image.txt: binary data" "a PNG is binary data"
like "$err" "utf16.txt: UTF-16 text: depeche reads UTF-8" "UTF-16 is named as such"

# ---- --db that is not a database ------------------------------------------
: >"$T/empty"
printf 'root:x:0:0:root:/root:/bin/sh\n' >"$T/passwd"
run "$SEARCH" --db "$T/empty" Bout
is "$rc" 65 "search --db an empty file: exit 65"
like "$err" "is not a depeche database" "which says it is not a depeche database"
run "$SEARCH" --db "$T/passwd" Bout
is "$rc" 65 "search --db a passwd file: exit 65"
like "$err" "'$T/passwd' is not a depeche database" "named, not 'Bad line'"
run "$INDEX" --db "$T/passwd" "$T/nul"
is "$rc" 65 "index --db a file: exit 65"
like "$err" "is not a depeche database (a file, not a directory)" "and says so"
is "$(cat "$T/passwd")" "root:x:0:0:root:/root:/bin/sh" "the file is left as it was"
run "$INDEX" --db "$T/passwd" --check
is "$rc" 65 "--check on a file: exit 65"

# ---- a truncated table ----------------------------------------------------
run "$INDEX" --db "$T/db" "$SAMPLE"
is "$rc" 0 "the sample archive is indexed"
[ -s "$T/db/depeche-sizes" ]
ok $? "the table sizes are recorded at commit"
sz=$(wc -c <"$T/db/termlist.glass")
cp "$T/db/termlist.glass" "$T/termlist.saved"
truncate -s $((sz / 2)) "$T/db/termlist.glass"
run "$INDEX" --db "$T/db" "$SAMPLE"
is "$rc" 65 "a nightly run over a truncated table: exit 65, not 0"
like "$err" "is damaged: termlist.glass has $((sz / 2)) bytes, $sz at the last commit" "naming the table and its sizes"
is "$(wc -c <"$T/db/termlist.glass")" $((sz / 2)) "and writes nothing"
run "$SEARCH" --db "$T/db" Bout
is "$rc" 65 "a search over it: exit 65, not wrong results"
cp "$T/termlist.saved" "$T/db/termlist.glass"
run "$SEARCH" --db "$T/db" --count Bout
is "$rc" 0 "the table restored, the database opens again"

# ---- configuration -------------------------------------------------------
run "$SEARCH" --db "$T/db" --config "$T/nowhere" Bout
is "$rc" 78 "--config naming no directory: configuration error (78)"
like "$err" "configuration directory '$T/nowhere' does not exist" "and says so"
run "$SEARCH" --db "$T/db" --ranking "$T/nowhere.yaml" Bout
is "$rc" 78 "--ranking naming no file: configuration error (78)"
run "$SEARCH" --db "$T/db" --ranking "$T" Bout
is "$rc" 78 "--ranking naming a directory: configuration error (78)"
like "$err" "$T: is a directory" "which says it is a directory"
printf '\377\376p\000r\000' >"$T/utf16.yaml"
run "$SEARCH" --db "$T/db" --ranking "$T/utf16.yaml" Bout
like "$err" "utf16.yaml:1:1: UTF-16 text: configuration files are UTF-8" "a UTF-16 ranking file is named as such"
printf 'profiles:\n  d\351faut:\n    weighting: bm25\n' >"$T/latin.yaml"
run "$SEARCH" --db "$T/db" --ranking "$T/latin.yaml" Bout
like "$err" "latin.yaml:2:5: invalid trailing UTF-8 octet" "a Latin-1 ranking file: its place and UTF-8"

# ---- NewsML with neither headline nor date ---------------------------------
mkdir -p "$T/nh"
sed -e '/HeadLine/d' -e '/DateAndTime/d' -e '/DateId/d' \
    -e '/FirstCreated/d' -e '/ThisRevisionCreated/d' -e '/DateLineDate/d' \
    -e 's/, 8 déc 2022//' \
    "$SAMPLE/newsml/20221208-echange-prisonniers-r1.xml" >"$T/nh/item.xml"
run "$INDEX" --db "$T/nhdb" "$T/nh"
is "$rc" 0 "a NewsML item without headline or date is indexed"
like "$err" "item.xml:23: warning: dispatch 'urn:newsml:afp.com::221208121402.v6k3tq8m' has no headline and no date" "with a warning naming file, line and id"

# many dateless dispatches in one file: one warning and a count
mkdir -p "$T/nd"
for i in 1 2 3 4; do
	printf '{"id":"nd%d","headline":"Sans date %d","body":"Un texte."}\n' "$i" "$i"
done >"$T/nd/nodate.jsonl"
run "$INDEX" --db "$T/nddb" "$T/nd"
is "$(printf '%s\n' "$err" | grep -c .)" 2 "four dispatches without a date: two lines, not four"
like "$err" "nodate.jsonl: warning: 3 more like it in this file" "the first warning, then a count"

# ---- a body with no word (one 3,000-byte run): its snippet ------------------
mkdir -p "$T/nw"
printf '{"id":"nw1","date":"2024-01-01T10:00:00Z","headline":"Sans mots","body":"%s"}\n' \
	"$(printf 'i%.0s' $(seq 3000))" >"$T/nw/nw.jsonl"
run "$INDEX" -q --db "$T/nwdb" "$T/nw"
run "$SEARCH" --db "$T/nwdb" mots
is "$rc" 0 "a dispatch whose body has no word is found by its headline (it crashed the snippet)"
like "$out" "iiii…" "its snippet is the text cut at the snippet's size"

done_testing
