#!/bin/sh
# Ranking: --explain, "did you mean", --like, profiles, recency that does
# not bury an old story, the configuration's validation.
. "${top_srcdir:-.}/tests/test-lib.sh"

plan 48

DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }
S() { run "$SEARCH" --db "$DB" "$@"; }
first_id() { printf '%s\n' "$out" | head -1 | sed 's/^{"id":"\([^"]*\)".*/\1/'; }

# --explain: the parts add up to the score
S --explain -n 2 'Griner libérée'
like "$out" "score " "--explain shows each score"
like "$out" "= text " "broken down by part"
S --explain --json -n 5 'Griner libérée'
like "$out" '"explain":{"text":' "JSON has an explain object"
# every part counted once: they add up to the score and none is negative,
# for words, a phrase, a field, names alone and the proximity boost
for q in "Griner libérée" '"marchand de mort"' "titre:Griner" "Bout" \
         "--profile=archive échange de prisonniers"; do
	case $q in
	--profile=*) S --explain --json -n 5 --profile archive "${q#* }" ;;
	*) S --explain --json -n 5 "$q" ;;
	esac
	if command -v python3 >/dev/null 2>&1; then
		printf '%s\n' "$out" | python3 -c 'import sys, json
n = 0
for line in sys.stdin:
    d = json.loads(line)
    x = d["explain"]
    assert abs(sum(x.values()) - d["score"]) < 1e-3 * max(1, d["score"]), x
    assert min(x.values()) > -1e-6, x
    n += 1
assert n > 0' 2>/dev/null
		ok $? "the parts add up to the score, none negative: $q"
	else
		skip "python3 not installed"
	fi
done
S --explain -n 1 --profile recent --as-of 2022-12-09 'Griner libérée'
like "$out" "+ recency " "recency shows in the explanation of a profile that has it"

# did you mean
S -n 1 Lavrof
is "$rc" 0 "a misspelled name still finds dispatches"
like "$err" "did you mean: Lavrov" "and says what it searched for"
S --json -n 1 Grinner
like "$out" '"did_you_mean":"Griner"' "JSON carries the suggestion"
S -n 1 negotiations
like "$err" "did you mean: négociations" "a misspelled word: the word as the dispatches write it"
# errors in the first two letters too
S -n 1 Cremlin
like "$err" "did you mean: Kremlin" "a wrong first letter is corrected"
S -n 1 Lzvrov
like "$err" "did you mean: Lavrov" "a wrong second letter is corrected"
S -n 1 avrov
like "$err" "did you mean: Lavrov" "a dropped first letter is corrected"
S --no-correct Lavrof
is "$rc" 1 "--no-correct searches as typed"
unlike "$err" "did you mean" "and suggests nothing"
S --json --no-correct zorglubzorglub
is "$out" "" "no suggestion when nothing is close"

# more like this
S --json --like afp-20221208-portrait-viktor-bout
is "$rc" 0 "--like finds related dispatches"
unlike "$out" '"id":"afp-20221208-portrait-viktor-bout"' "but not the dispatch itself"
like "$out" "Bout" "dispatches about the same man"
S --json --like afp-20221208-portrait-viktor-bout --until 2022-11-30
if command -v python3 >/dev/null 2>&1 && [ -n "$out" ]; then
	printf '%s\n' "$out" | python3 -c 'import sys, json
assert all(json.loads(l)["date"][:10] <= "2022-11-30" for l in sys.stdin)' 2>/dev/null
	ok $? "--like with --until: only dispatches up to that day"
else
	ok 1 "--like with --until: only dispatches up to that day (none found)"
fi
S --like afp-20221208-portrait-viktor-bout --about Bout
is "$rc" 2 "--like with --about is a usage error"
S --like no-such-id
is "$rc" 1 "--like an unknown id: no results (1), not 'no database' (66)"
like "$err" "no dispatch with id 'no-such-id'" "and says which id"
S --like afp-20230605-sanglier-supermarche
is "$rc" 1 "--like a killed dispatch too"

# the fallback: a short query when nothing has all its words, a question
# (or a sentence) when fewer than min_results do
S --count 'Bout Ostende'
is "$out" 1 "a short query keeps all its words"
unlike "$err" "best matches" "and says nothing"
S --count 'Bout Ostende ?'
like "$err" "only 1 dispatch has all the words" "a question falls back when few dispatches have all its words"

# profiles
S --profile zorglub Griner
is "$rc" 2 "an unknown profile is a usage error"
like "$err" "profiles: " "that lists the profiles"
S --json -n 1 --profile recent 'Portugal Eder'
is "$(first_id)" afp-20160710-euro-finale-portugal "recency does not bury an old story nothing newer matches"
S --json -n 1 --profile standard 'Portugal Eder'
is "$(first_id)" afp-20160710-euro-finale-portugal "nor does the standard profile"
printf 'profiles:\n  p:\n    recency: {weight: 20, half_life_days: 60}\n' >"$T/rec.yaml"
S --ranking "$T/rec.yaml" --json -n 1 --as-of 2022-02-01 'Lavrov Blinken'
old="$(first_id)"
S --ranking "$T/rec.yaml" --json -n 1 --as-of 2023-04-01 'Lavrov Blinken'
new="$(first_id)"
ok "$([ "$old" != "$new" ]; echo $?)" "--as-of moves what is recent ($old, then $new)"
S --json -n 1 --profile archive 'Lavrov Blinken'
is "$rc" 0 "the archive profile"

# a date the query names: the dispatches of that day, then the day after
mkdir -p "$T/dates"
for d in 2021-03-02 2021-03-03 2021-03-04 2022-03-03; do
	printf '{"id": "crue-%s", "date": "%sT12:00:00+01:00", "headline": "La Garonne en crue", "body": "La crue de la Garonne a atteint Agen, où la cote a dépassé huit mètres."}\n' "$d" "$d"
done >"$T/dates/crues.jsonl"
run "$INDEX" -q --db "$T/ddb" "$T/dates"
D() { run "$SEARCH" --db "$T/ddb" --json --explain "$@"; }
ids() { printf '%s\n' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/' | tr '\n' ' '; }
D 'crue Garonne 2 mars'
is "$(ids | cut -d' ' -f1,4)" "crue-2021-03-02 crue-2021-03-04" "a date in the query: that day first, the day after (any year) next"
like "$out" '"date":5,' "--explain gives the date's part"
like "$out" '"date":2.5,' "and half of it the day after"
# "mardi 2 mars": only the years where 2 March is a Tuesday (2021, not
# 2022), and the day after those
D 'crue Garonne mardi 2 mars'
dates=$(printf '%s\n' "$out" | sed -n 's/^{"id":"\([^"]*\)".*"date":\([0-9.]*\),"other".*/\1=\2/p' | sort | tr '\n' ' ')
like "$dates" "crue-2021-03-03=2.5 " "a weekday with the date: the day after a Tuesday 2 March counts"
like "$dates" "crue-2022-03-03=0 " "the day after a Wednesday 2 March does not"
D 'crue Garonne 3 mars 2022'
is "$(ids | cut -d' ' -f1)" crue-2022-03-03 "a date with its year: that year's"
D 'crue Garonne 1er mars'
is "$(ids | cut -d' ' -f1)" crue-2021-03-02 "1er mars: the 2nd is the day after"
printf 'profiles:\n  p:\n    date: 0\n' >"$T/nodate.yaml"
D --ranking "$T/nodate.yaml" 'crue Garonne 3 mars'
unlike "$out" '"date":5' "date: 0 turns it off"
D 'crue Garonne mars 3'
unlike "$out" '"date":5' "a number after the month is no date"

# configuration errors
printf 'profiles:\n  p:\n    weekday: lots\n' >"$T/r.yaml"
S --ranking "$T/r.yaml" Griner
like "$err" "r.yaml:3:14: 'weekday' must be a number" "a bad weekday weight names file:line:col"
printf 'profiles:\n  p:\n    expansion: {documents: 99}\n' >"$T/r.yaml"
S --ranking "$T/r.yaml" Griner
like "$err" "'expansion.documents' is 99, outside the range 0 to 50" "expansion is validated"
printf 'profiles:\n  p:\n    expansion: {documents: 3, terms: 10, weight: 0.5}\n' >"$T/r.yaml"
S --ranking "$T/r.yaml" -n 3 Griner
is "$rc" 0 "pseudo-relevance feedback runs"

done_testing
