#!/bin/sh
# depeche-search on the sample archive: query syntax, filters, output,
# highlighting, exit codes, ranking configuration.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 64

DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }
S() { run "$SEARCH" --db "$DB" "$@"; }

S 'Blinken Lavrov'
is "$rc" 0 "a two-name query finds results"
like "$out" "Blinken" "results show headlines"
like "$out" "dispatches match" "a footer counts the matches"
unlike "$out" "$(printf '\033')" "no escape codes when stdout is not a terminal"

S zorglubzorglub
is "$rc" 1 "no match exits 1"
is "$out" "" "and prints nothing on standard output"

S 'Blinken AND'
is "$rc" 2 "a syntax error exits 2"
like "$err" "column 9" "and names the position"
S '(Blinken Lavrov'
is "$rc" 2 "an unbalanced parenthesis exits 2"
like "$err" "column 1: missing ')'" "and names the parenthesis"
S '"Blinken Lavrov'
like "$err" "unterminated phrase" "an unterminated phrase is reported"

# counts and French analysis
S --count Etats-Unis; a="$out"
S --count États-Unis; b="$out"
is "$a" "$b" "Etats-Unis and États-Unis count the same"
S --count Elysee; a="$out"
S --count Élysée; b="$out"
is "$a" "$b" "Elysee and Élysée count the same"
ok "$([ "$a" -gt 0 ]; echo $?)" "Elysee finds dispatches"
S --count annexion; a="$out"
S --count "l'annexion"; b="$out"
is "$a" "$b" "annexion and l'annexion count the same"

# operators
S --count Griner; g="$out"
S --count Whelan; w="$out"
S --count 'Griner OR Whelan'; gw="$out"
S --count 'Griner Whelan'; both="$out"
ok "$([ "$gw" -ge "$g" ] && [ "$gw" -ge "$w" ]; echo $?)" "OR finds at least each side"
ok "$([ "$both" -le "$g" ] && [ "$both" -le "$w" ]; echo $?)" "AND finds at most each side"
S --count 'Griner OU Whelan'
is "$out" "$gw" "OU is OR"
S --count 'Griner ET Whelan'
is "$out" "$both" "ET is AND"
S --count 'Griner -Whelan'; minus="$out"
is "$minus" "$((g - both))" "-word excludes"
S --count 'Griner SAUF Whelan'
is "$out" "$minus" "SAUF excludes"
S --count 'Griner NOT Whelan'
is "$out" "$minus" "NOT excludes"
S --count '(Griner OR Whelan) Bout'
ok "$([ "$rc" -eq 0 ] && [ "$out" -le "$gw" ]; echo $?)" "parentheses group"

# phrases: stop words kept inside
S --count '"au bout de"'
ok "$([ "$out" -ge 4 ]; echo $?)" "the phrase 'au bout de' is found"
S --json -n 50 '"au bout de"'
unlike "$out" "Viktor" "the phrase 'au bout de' does not find Viktor Bout"

# fields and filters
S --count 'titre:Griner'; t="$out"
ok "$([ "$t" -ge 1 ] && [ "$t" -le "$g" ]; echo $?)" "titre: restricts to headlines"
S --count 'headline:Griner'
is "$out" "$t" "headline: is titre:"
S --count 'source:Reuters'
is "$out" 2 "source: filters alone"
S --count 'lang:fr'
is "$out" 57 "lang:fr matches every French dispatch"
S --count 'lieu:Genève'
ok "$([ "$out" -ge 1 ]; echo $?)" "lieu: filters on the place"
S --count 'place:geneve'
ok "$([ "$out" -ge 1 ]; echo $?)" "place: without accent"
S --count 'date:2022'; y="$out"
S --count 'date:2022-12'; m="$out"
S --count 'date:2022-12-08'; d="$out"
ok "$([ "$y" -ge "$m" ] && [ "$m" -ge "$d" ] && [ "$d" -ge 1 ]; echo $?)" "date:YYYY >= date:YYYY-MM >= date:YYYY-MM-DD"
S --count 'date:2022-07-01..2022-08-15'
ok "$([ "$out" -ge 3 ]; echo $?)" "date ranges"
S --count --since 2022-07-01 --until 2022-08-15 'date:..9999'
is "$out" "$(run "$SEARCH" --db "$DB" --count 'date:2022-07-01..2022-08-15'; echo "$out")" "--since/--until equal a date range"
S --count 'date:2022-13'
is "$rc" 2 "an impossible month is a syntax error"
S --count 'Griner source:AFP date:2022'
ok "$([ "$rc" -eq 0 ]; echo $?)" "words and filters together"

# --sort date: newest first
S --json --sort date -n 5 Griner
dates=$(printf '%s\n' "$out" | sed -n 's/.*"time":"\([^"]*\)".*/\1/p')
is "$dates" "$(printf '%s\n' "$dates" | sort -r)" "--sort date orders newest first"

# --limit, --offset
S -n 2 --json Lavrov
is "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 2 "--limit"
first2=$(printf '%s\n' "$out" | sed -n 2p | sed 's/.*"id":"\([^"]*\)".*/\1/')
S -n 1 --offset 1 --json Lavrov
is "$(printf '%s\n' "$out" | sed 's/.*"id":"\([^"]*\)".*/\1/')" "$first2" "--offset"

# JSON fields
S --json -n 1 Griner
for f in id date headline source place score snippet path; do
	like "$out" "\"$f\":" "JSON has '$f'"
done
if command -v python3 >/dev/null 2>&1; then
	S --json -n 20 Lavrov
	printf '%s\n' "$out" | python3 -c 'import sys, json
for line in sys.stdin.buffer: json.loads(line.decode("utf-8"))' 2>/dev/null
	ok $? "every JSON line parses"
else
	skip "python3 not installed"
fi
# a snippet that begins on an opening quote: whole characters only (the
# quote, a narrow no-break space and an elided article are 9 bytes)
printf '{"id": "q-1", "date": "2021-03-02T10:00:00+01:00", "headline": "Port", "body": "Une première phrase, sans le mot. \u00ab\u202fd\u2019Ostende \u00e0 Zeebruges\u202f\u00bb, dit-il.", "source": "AFP", "lang": "fr"}\n' >"$T/q.jsonl"
"$INDEX" -q --db "$T/qdb" "$T/q.jsonl"
run "$SEARCH" --db "$T/qdb" --json Ostende
if command -v python3 >/dev/null 2>&1; then
	printf '%s\n' "$out" | python3 -c 'import sys, json
d = json.loads(sys.stdin.buffer.readline().decode("utf-8"))
assert d["snippet"].startswith("\u00ab"), d["snippet"]' 2>/dev/null
	ok $? "a snippet never starts inside a character"
else
	skip "python3 not installed"
fi
run "$SEARCH" --db "$T/qdb" Ostende
like "$out" "«" "and the text output shows the quote whole"

# best-match fallback
S 'Griner zorglubzorglub'
is "$rc" 0 "when no dispatch has all the words, the best matches are shown"
like "$err" "showing the best matches" "and the fallback is said"

# highlighting: elision-aware, bold only with colour
S --color -n 1 'annexion'
like "$out" "$(printf '\033[1mannexion')" "annexion is highlighted inside l'annexion"
NO_COLOR=1 run "$SEARCH" --db "$DB" -n 1 annexion
unlike "$out" "$(printf '\033')" "NO_COLOR: no escapes"

# ranking from YAML changes the order without re-indexing
cat >"$T/w.jsonl" <<'JSON'
{"id": "w-head", "date": "2023-05-01T10:00:00+02:00", "headline": "Le quokka fait la une", "body": "Un animal australien a été photographié. Rien d'autre à signaler.", "source": "AFP", "lang": "fr"}
{"id": "w-body", "date": "2023-05-01T11:00:00+02:00", "headline": "Un marsupial en vedette", "body": "Le quokka sourit. Le quokka se laisse approcher. Un quokka de plus.", "source": "AFP", "lang": "fr"}
JSON
"$INDEX" -q --db "$T/wdb" "$T/w.jsonl"
cat >"$T/head.yaml" <<'YAML'
profiles:
  p:
    fields: {headline: 10, lead: 0.1, body: 0.1}
YAML
cat >"$T/body.yaml" <<'YAML'
profiles:
  p:
    fields: {headline: 0.1, lead: 10, body: 10}
YAML
run "$SEARCH" --db "$T/wdb" --ranking "$T/head.yaml" --json quokka
is "$(printf '%s\n' "$out" | head -1 | sed 's/.*"id":"\([^"]*\)".*/\1/')" w-head "a heavy headline weight puts the headline match first"
run "$SEARCH" --db "$T/wdb" --ranking "$T/body.yaml" --json quokka
is "$(printf '%s\n' "$out" | head -1 | sed 's/.*"id":"\([^"]*\)".*/\1/')" w-body "a heavy body weight puts the body match first"
mkdir -p "$T/conf"
cp "$T/body.yaml" "$T/conf/ranking.yaml"
run "$SEARCH" --db "$T/wdb" --config "$T/conf" --json quokka
is "$(printf '%s\n' "$out" | head -1 | sed 's/.*"id":"\([^"]*\)".*/\1/')" w-body "--config DIR finds ranking.yaml"
DEPECHE_CONFIG="$T/conf" run "$SEARCH" --db "$T/wdb" --json quokka
is "$(printf '%s\n' "$out" | head -1 | sed 's/.*"id":"\([^"]*\)".*/\1/')" w-body "so does \$DEPECHE_CONFIG"
printf 'profiles:\n  p:\n    fields: {headline: lots}\n' >"$T/bad.yaml"
run "$SEARCH" --db "$T/wdb" --ranking "$T/bad.yaml" quokka
is "$rc" 78 "a bad ranking file exits 78"
like "$err" "bad.yaml:3:24: 'fields.headline' must be a number" "and names file, line and column"

# a missing or damaged database is a message and an exit code
run "$SEARCH" --db "$T/none" Griner
is "$rc" 66 "a missing database exits 66"
like "$err" "no database at" "and says so"
cp -r "$DB" "$T/broken"
for f in "$T"/broken/*.glass; do printf 'garbage garbage garbage' >"$f"; done
run "$SEARCH" --db "$T/broken" Griner
ok "$([ "$rc" -ne 0 ] && [ "$rc" -lt 128 ]; echo $?)" "a corrupt database is an error, not a crash (exit $rc)"
ok "$([ -n "$err" ]; echo $?)" "with a message"

done_testing
