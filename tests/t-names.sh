#!/bin/sh
# Names and entities: capitalised query words are names, spellings of an
# entity find each other, same sentence / same paragraph operators,
# --meetings, --about and entity facets, on the sample archive.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 58

DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }
S() { run "$SEARCH" --db "$DB" "$@"; }
ids() { printf '%s\n' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/'; }

# Bout the man is not "au bout de"
S --json -n 100 Bout
unlike "$out" "au bout de" "Bout (a name) finds no 'au bout de'"
unlike "$out" "à bout" "nor 'à bout'"
like "$out" "Viktor Bout" "Bout finds Viktor Bout"
S --json -n 100 bout
like "$out" "au bout" "bout (a word) finds 'au bout de'"
S --count '"au bout de"'
ok "$([ "$out" -ge 4 ]; echo $?)" "the phrase 'au bout de' is still found"

# spellings of one entity
S --count 'Sergueï Lavrov'; a="$out"
S --count 'Sergei Lavrov'; b="$out"
S --count 'Sergey Lavrov'; c="$out"
S --count '"Sergei Lavrov"'; d="$out"
ok "$([ "$a" -gt 0 ]; echo $?)" "Sergueï Lavrov is found ($a)"
is "$b" "$a" "Sergei Lavrov finds the same dispatches"
is "$c" "$a" "Sergey Lavrov finds the same dispatches"
is "$d" "$a" "so does the phrase \"Sergei Lavrov\""
S --count 'Victor Bout'; a="$out"
S --count 'Viktor Bout'; b="$out"
is "$a" "$b" "Victor Bout and Viktor Bout find the same dispatches"
S --json -n 1 'Sergey Lavrov'
like "$out" "Sergueï" "a result written Sergueï is found for Sergey"

# a change of aliases needs no re-index
mkdir -p "$T/conf"
sed 's/aliases: \[Victor Bout, Viktor Butt, Bout\]/aliases: [Victor Bout, Viktor Butt, Bout, Zorglub Zoglo]/' \
	"$top_srcdir/config/entities.yaml" >"$T/conf/entities.yaml"
run "$SEARCH" --db "$DB" --config "$T/conf" --count 'Zorglub Zoglo'
is "$out" "$b" "a new alias works at once, without re-indexing"
run "$SEARCH" --db "$DB" --count 'Zorglub Zoglo'
is "$rc" 1 "and only with the file that has it"
printf 'people:\n  - name: Viktor Bout\n    alias: [Bout]\n' >"$T/conf/entities.yaml"
run "$SEARCH" --db "$DB" --config "$T/conf" Bout
is "$rc" 78 "a bad entities.yaml exits 78"
like "$err" "entities.yaml:3:5: unknown key 'alias'" "with file:line:col"
printf 'people:\n  - name: Viktor Bout\n  - name: Victor Bout\n    aliases: [Viktor Bout]\n' >"$T/conf/entities.yaml"
run "$SEARCH" --db "$DB" --config "$T/conf" Bout
like "$err" "'Viktor Bout' already names 'Viktor Bout'" "a spelling given twice is refused"

# same sentence, same paragraph
cat >"$T/s.jsonl" <<'JSON'
{"id": "s-1", "date": "2023-01-05T10:00:00+01:00", "headline": "Un essai de phrases", "body": "Le chat dort sur le canapé. Le chien aboie dans le jardin.\n\nLe perroquet parle à la fenêtre.", "source": "AFP", "lang": "fr"}
{"id": "s-2", "date": "2023-01-05T11:00:00+01:00", "headline": "Un autre essai", "body": "Le chat et le chien jouent ensemble dans le jardin.", "source": "AFP", "lang": "fr"}
JSON
"$INDEX" -q --db "$T/sdb" "$T/s.jsonl"
SS() { run "$SEARCH" --db "$T/sdb" "$@"; }
SS --json 'phrase:(chat chien)'
is "$(ids)" s-2 "phrase:( ) matches two words in one sentence only"
SS --count 'sentence:(chat chien)'
is "$out" 1 "sentence:( ) is phrase:( )"
SS --count 'paragraphe:(chat chien)'
is "$out" 2 "paragraphe:( ) matches across sentences of a paragraph"
SS --count 'paragraph:(chat perroquet)'
is "$rc" 1 "but not across paragraphs"
SS --count 'chat perroquet'
is "$out" 1 "while plain words match anywhere"
SS --count 'proche:(chat aboie)'
is "$rc" 1 "proche:( ) keeps words within a few of each other"

# a name the index lacks is not another name that shares its stem
# ("Griner" and "Grini" both stem to "grin"), and a capitalised common
# word is still the word
cat >"$T/n.jsonl" <<'JSON'
{"id": "n-1", "date": "2021-03-02T10:00:00+01:00", "headline": "Un procureur s'exprime", "body": "Le procureur Abdelkrim Grini a requis six mois de prison contre Paolo Dardini. L'annexion du terrain par la commune a été annulée.", "source": "AFP", "lang": "fr"}
JSON
"$INDEX" -q --db "$T/ndb" "$T/n.jsonl"
N() { run "$SEARCH" --db "$T/ndb" "$@"; }
N --count Grini
is "$out" 1 "the name Grini is found"
N --count Griner
is "$rc" 1 "Griner (an entity this index lacks) does not find Grini"
N --count --no-correct Dardiner
is "$rc" 1 "nor does a name outside the entities (Dardiner is not Dardini)"
N --count Dardini
is "$out" 1 "while Dardini is found"
N --count Annexion
is "$out" 1 "Annexion, capitalised, finds l'annexion"
unlike "$err" "did you mean" "and is not corrected to a name"

# an entity's acronym that the index lacks as a name is not a word: the
# alias USA of Etats-Unis does not find the verb "usa"
cat >"$T/u.jsonl" <<'JSON'
{"id": "u-1", "date": "2021-03-02T10:00:00+01:00", "headline": "Un maire habile", "body": "Le maire usa de toute sa patience devant le conseil municipal.", "source": "AFP", "lang": "fr"}
{"id": "u-2", "date": "2021-03-03T10:00:00+01:00", "headline": "Visite", "body": "Le maire est parti aux États-Unis pour une semaine.", "source": "AFP", "lang": "fr"}
JSON
"$INDEX" -q --db "$T/udb" "$T/u.jsonl"
run "$SEARCH" --db "$T/udb" --json Etats-Unis
is "$(printf '%s\n' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/' | tr '\n' ' ')" "u-2 " "Etats-Unis finds États-Unis, not the verb usa (its alias USA)"
run "$SEARCH" --db "$T/udb" --count USA
is "$out" 1 "USA finds the country through the entity"
run "$SEARCH" --db "$T/udb" --count usa
is "$out" 1 "the word usa still finds the verb"

# meetings
S --meetings Blinken Lavrov
is "$rc" 0 "--meetings finds meetings"
meet=$(printf '%s\n' "$out" | sed -n '/^Meetings and calls/,/^$/p')
like "$meet" "2022-01-21" "the Geneva meeting is a meeting"
like "$meet" "2022-07-29  call" "the phone call is a call"
like "$meet" "2023-03-02" "the New Delhi talk is a meeting"
unlike "$meet" "Phnom Penh" "'se croisent sans se parler' is not a meeting"
S --meetings --json Blinken Lavrov
first_mention=$(printf '%s\n' "$out" | grep -n '"evidence":"together"\|"evidence":"mention"' | head -1 | cut -d: -f1)
last_meeting=$(printf '%s\n' "$out" | grep -n '"evidence":"meeting"' | tail -1 | cut -d: -f1)
ok "$([ -n "$last_meeting" ] && [ -n "$first_mention" ] && [ "$last_meeting" -lt "$first_mention" ]; echo $?)" \
	"a dispatch with a meeting sentence ranks above mere mentions"
like "$out" '"sentence":' "JSON gives the evidence sentence"
S --meetings 'Sergei Lavrov' 'Tony Blinken'
like "$out" "2022-07-29" "--meetings takes any spelling of the actors"
S --meetings Blinken
is "$rc" 2 "--meetings needs two actors"
S --meetings Macron Zorglub
is "$rc" 1 "no meeting: exit 1"

S --meetings Bout Zzzzz
is "$rc" 1 "--meetings never falls back to best match"
like "$out" "(0 dispatches)" "and counts only dispatches naming every actor"
S --meetings -n 0 Blinken Lavrov
unlike "$out" "2022-01-21" "--meetings -n 0 lists nothing but the counts"
S --meetings Bout le
is "$rc" 2 "a lower-case actor is refused"

# an entity the index does not hold as a name is found as words
S --count 'entity:bruxelles'; a="$out"
S --count bruxelles; b="$out"
ok "$([ "$a" -ge 1 ] && [ "$a" -ge "$b" ]; echo $?)" "entity:bruxelles finds Bruxelles ($a)"

# dossier
S --about 'Viktor Bout'
is "$rc" 0 "--about finds the subject"
like "$out" "first mention" "with the first mention"
like "$out" "2022-12" "a month histogram"
like "$out" "Brittney Griner" "and the people named with it"
S --about --json 'Victor Bout'
like "$out" '"subject":"Viktor Bout"' "--about resolves a spelling to the entity"
if command -v python3 >/dev/null 2>&1; then
	printf '%s\n' "$out" | python3 -c 'import sys, json
d = json.loads(sys.stdin.read())
assert d["count"] > 0 and d["months"] and d["people"][0]["name"] == "Brittney Griner"' 2>/dev/null
	ok $? "the JSON dossier parses, with months and people"
else
	skip "python3 not installed"
fi

# facets: exact counts
S --count Griner; g="$out"
S --count --facets source Griner
total=$(printf '%s\n' "$out" | sed -n '/^source$/,$p' | awk 'NR>1 {s += $1} END {print s}')
is "$total" "$g" "source facet counts add up to the matches"
S --facets person,month --json Griner
like "$out" '{"facet":"person","value":"Brittney Griner","count":'"$g"'}' "every Griner dispatch counts Brittney Griner"
like "$out" '"facet":"month","value":"2022-12"' "month facet"
S --count 'Griner Bout'; gb="$out"
S --facets person -n 0 Griner
like "$out" "$(printf '%7u  Viktor Bout' "$gb")" "the person facet counts Viktor Bout exactly ($gb)"

# a sentence that starts with an elided article: the capital of
# "L'Elysée" is the article's, the word's own capital makes it a name
mkdir -p "$T/el"
cat >"$T/el/el.jsonl" <<'EOF'
{"id":"el1","date":"2023-01-02","headline":"Agenda","body":"Rien de neuf ce matin. L'Elysée n'a pas publié son agenda."}
{"id":"el2","date":"2023-01-02","headline":"Vol","body":"Rien de neuf ce matin. L'avion est parti à l'heure."}
EOF
"$INDEX" -q --db "$T/eldb" "$T/el"
run "$SEARCH" --db "$T/eldb" --json 'Élysée'
like "$out" '"id":"el1"' "sentence-initial L'Elysée is found as the name Élysée"
run "$SEARCH" --db "$T/eldb" --json 'avion'
like "$out" '"id":"el2"' "and an ordinary word after L' is still a word"

done_testing
