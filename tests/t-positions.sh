#!/bin/sh
# The positional index (schema 5, issue 12): one positional term per
# token.  A word with two terms (its stem and the stem of its
# accent-folded form) has its positions under one of them only, and
# phrases, windows and proximity find it typed with or without accents;
# phrases of common words find exactly the dispatches that hold them,
# and nothing else; a database of an older schema is refused with a
# message that says how to rebuild it.  Dispatches written for this test.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 27

mkdir -p "$T/arch"
cat > "$T/arch/c.jsonl" <<'EOF'
{"id":"c1","date":"2022-04-01T10:00:00Z","headline":"Village","body":"Il y a trois ans, le village a été inondé.","source":"AFP","lang":"fr"}
{"id":"c2","date":"2022-04-02T10:00:00Z","headline":"Marché","body":"Y a-t-il un marché ? Il en a un, dit-il, et il y va.","source":"AFP","lang":"fr"}
{"id":"c3","date":"2022-04-03T10:00:00Z","headline":"Forêt","body":"A-t-il vu la forêt ? Il a vu un cerf, y compris de loin.","source":"AFP","lang":"fr"}
{"id":"c4","date":"2022-04-04T10:00:00Z","headline":"Route","body":"Au bout du chemin, il n'y a plus de route de la montagne.","source":"AFP","lang":"fr"}
{"id":"c5","date":"2022-04-05T10:00:00Z","headline":"Pont","body":"De la rive, on voit le pont au bout d'une heure de marche.","source":"AFP","lang":"fr"}
{"id":"c6","date":"2022-04-06T10:00:00Z","headline":"Gare","body":"La gare de Lyon est fermée. De nouveaux trains partent au bout.","source":"AFP","lang":"fr"}
{"id":"c7","date":"2022-04-07T10:00:00Z","headline":"Musée","body":"Le musée, la ville et de nombreux parcs, au bout de la rue.","source":"AFP","lang":"fr"}
{"id":"c8","date":"2022-04-08T10:00:00Z","headline":"Champs","body":"Les champs de blé et la moisson. Un bout. De loin.","source":"AFP","lang":"fr"}
{"id":"l1","date":"2022-04-09T10:00:00Z","headline":"Otages","body":"Deux otages libérées jeudi soir sont arrivées à Paris.","source":"AFP","lang":"fr"}
{"id":"l2","date":"2022-04-10T10:00:00Z","headline":"Otages","body":"Les otages liberees jeudi sont en bonne sante.","source":"AFP","lang":"fr"}
{"id":"l3","date":"2022-04-11T10:00:00Z","headline":"Otages","body":"Libérées, les otages ont parlé jeudi à la presse.","source":"AFP","lang":"fr"}
{"id":"o1","date":"2022-04-12T10:00:00Z","headline":"Histoire","body":"Le vingtième siècle fut celui des guerres mondiales.","source":"AFP","lang":"fr"}
{"id":"o2","date":"2022-04-13T10:00:00Z","headline":"Histoire","body":"Au XXe siècle, la ville a doublé.","source":"AFP","lang":"fr"}
{"id":"o3","date":"2022-04-14T10:00:00Z","headline":"Histoire","body":"Le 20e siècle et le vingt et unième.","source":"AFP","lang":"fr"}
{"id":"o4","date":"2022-04-15T10:00:00Z","headline":"Histoire","body":"Un siècle après, le vingtième anniversaire.","source":"AFP","lang":"fr"}
EOF
DB="$T/db"
"$INDEX" -q --db "$DB" "$T/arch" || { echo "Bail out! cannot index the test archive"; exit 1; }
S() { run "$SEARCH" --db "$DB" "$@"; }
ids() {
	S --json -n 100 "$@"
	printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' | sort | tr '\n' ' '
}

# phrases of common words: exactly the dispatches that hold them
is "$(ids '"il y a"')" "c1 c4 " "\"il y a\": exactly the dispatches that hold it"
is "$(ids '"y a"')" "c1 c2 c4 " "\"y a\": \"Y a-t-il\" too, not \"il a vu\""
is "$(ids '"il a"')" "c3 " "\"il a\": not \"il y a\" nor \"A-t-il\""
is "$(ids '"de la"')" "c4 c5 c7 " "\"de la\": not \"De nouveaux\" after \"la gare de\""
is "$(ids '"au bout de"')" "c5 c7 " "\"au bout de\": \"au bout d'une heure\" too"
is "$(ids '"au bout du"')" "c4 " "\"au bout du\""
is "$(ids '"bout de"')" "c5 c7 " "\"bout de\": not across a sentence end"
is "$(ids '"de la rue"')" "c7 " "a common-word phrase ending in a word"
S --count '"la de"'
is "$out" "0" "common words in the wrong order are not the phrase"
S --count '"au bout de la montagne"'
is "$out" "0" "nor common words that are apart in the dispatch"

# a word with an accent: one positional term, found in every way
is "$(ids '"otages libérées"')" "l1 " "a phrase with an accent"
is "$(ids '"otages liberees"')" "l1 l2 " "typed without accents: the accented text too"
is "$(ids '"OTAGES LIBÉRÉES JEUDI"')" "l1 " "in capitals"
is "$(ids '"libérées jeudi"')" "l1 " "the accented word first"
is "$(ids 'proche:(libérées jeudi)')" "l1 l3 " "near each other, with accents"
is "$(ids 'proche:(liberees jeudi)')" "l1 l2 l3 " "near each other, without accents"
is "$(ids 'phrase:(libérées presse)')" "l3 " "in one sentence"
S --count 'otages libérées'
is "$out" "2" "as words: the accented form only where typed with accents"
S --count 'otages liberees'
is "$out" "3" "and every form without accents"

# ordinals: their positions go with the digits
is "$(ids '"XXe siècle"')" "o1 o2 o3 " "\"XXe siècle\": in Roman numerals, digits and words"
is "$(ids '"vingtième siècle"')" "o1 o2 o3 " "\"vingtième siècle\" likewise"
is "$(ids '"20e siècle"')" "o1 o2 o3 " "\"20e siècle\" likewise"
is "$(ids '"vingtième anniversaire"')" "o4 " "and an ordinal word before another word"

# an older schema is refused, with how to rebuild
if command -v xapian-metadata >/dev/null 2>&1; then
	cp -r "$DB" "$T/old"
	xapian-metadata set "$T/old" depeche.schema 4
	run "$SEARCH" --db "$T/old" otages
	is "$rc" "65" "a database of schema 4: exit 65, no results"
	like "$err" "has index schema 4, this depeche uses schema 5: index the archive again into a new database (depeche-index --db NEW ARCHIVE...)" \
		"and the message says how to rebuild it"
	is "$out" "" "nothing on standard output"
	run "$INDEX" -q --db "$T/old" "$T/arch"
	like "$err" "has index schema 4" "the indexer refuses to add to it too"
else
	skip "xapian-metadata (xapian-tools) is not installed"
	skip "xapian-metadata (xapian-tools) is not installed"
	skip "xapian-metadata (xapian-tools) is not installed"
	skip "xapian-metadata (xapian-tools) is not installed"
fi

done_testing
