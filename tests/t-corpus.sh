#!/bin/sh
# The real corpus (../shared/corpus/orangesum.jsonl.gz, 33,688 articles):
# indexed without errors; names, accents and elision behave.  Skips when
# ../shared is absent.
. "${top_srcdir:-.}/tests/test-lib.sh"

SHARED=$(shared_dir)
[ -n "$SHARED" ] || skip_all "../shared is absent (set DP_SHARED to its path)"
CORPUS="$SHARED/corpus/orangesum.jsonl.gz"
[ -f "$CORPUS" ] || skip_all "$CORPUS is absent"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

plan 20

DB="$T/db"
run "$INDEX" --db "$DB" --no-sync "$CORPUS"
is "$rc" 0 "the corpus indexes without errors"
like "$out" "33688 indexed" "all 33,688 articles are indexed"
is "$err" "" "no message on standard error"

S() { run "$SEARCH" --db "$DB" "$@"; }

S --count Whelan
is "$out" 4 "Whelan finds the 4 articles that name him"

S --count Etats-Unis; a="$out"
S --count États-Unis; b="$out"
is "$a" "$b" "Etats-Unis and États-Unis give the same count ($a)"
ok "$([ "$a" -gt 1000 ]; echo $?)" "and it is large"

S --count Elysee; a="$out"
S --count Élysée; b="$out"
is "$a" "$b" "Elysee and Élysée give the same count ($a)"
ok "$([ "$a" -gt 100 ]; echo $?)" "Elysee finds Élysée"

# articles whose only "annexion" is an elided "l'annexion"
zcat "$CORPUS" | python3 -c '
import json, re, sys
for line in sys.stdin:
    d = json.loads(line)
    t = d["headline"] + " " + d["body"]
    all_ = re.findall(r"(\S*)annexion\b", t, re.I)
    if all_ and all(p.lower() in ("l\x27", "l\u2019") for p in all_):
        print(d["id"])
' | sort >"$T/elided-only"
n_elided=$(wc -l <"$T/elided-only" | tr -d ' ')
ok "$([ "$n_elided" -gt 0 ]; echo $?)" "the corpus has articles that only say l'annexion ($n_elided)"
S --json -n 1000 annexion
printf '%s\n' "$out" | sed 's/^{"id":"\([^"]*\)".*/\1/' | sort >"$T/found"
missing=$(comm -23 "$T/elided-only" "$T/found" | wc -l | tr -d ' ')
is "$missing" 0 "annexion finds every article that only says l'annexion"

S --count '"au bout de"'
ok "$([ "$out" -gt 200 ]; echo $?)" "the phrase 'au bout de' is found ($out)"

# names: Bout the arms dealer, not "au bout de"
S --json -n 3 Bout
top3=$(printf '%s\n' "$out" | grep -c 'Viktor Bout')
is "$top3" 3 "Bout: the three articles about Viktor Bout come first"
S --json -n 100 Bout
n_name=$(printf '%s\n' "$out" | grep -c 'Viktor Bout')
first_other=$(printf '%s\n' "$out" | grep -n -v 'Viktor Bout' | head -1 | cut -d: -f1)
ok "$([ "$n_name" -eq 3 ] && { [ -z "$first_other" ] || [ "$first_other" -gt 3 ]; }; echo $?)" \
	"no other article above any of them"
unlike "$(printf '%s\n' "$out" | head -3)" "au bout" "and no 'au bout de' among them"
S --count bout
ok "$([ "$out" -gt 300 ]; echo $?)" "lower-case bout is the common word ($out)"

# meetings on the real corpus
S --meetings --json Macron Poutine
n=$(printf '%s\n' "$out" | grep -c '"evidence":"meeting"')
ok "$([ "$n" -ge 5 ]; echo $?)" "--meetings Macron Poutine lists meetings ($n)"
like "$out" '"date":"2019-08-19' "including Brégançon, August 2019"
S --meetings --json Trump 'Kim Jong Un'
n=$(printf '%s\n' "$out" | grep -c '"evidence":"meeting"')
ok "$([ "$n" -ge 5 ]; echo $?)" "--meetings Trump 'Kim Jong Un' lists meetings ($n)"
like "$out" "Singapour" "including Singapore"

run "$INDEX" --db "$DB" "$CORPUS"
like "$out" "0 indexed, 0 updated, 33688 unchanged" "a second run changes nothing"

done_testing
