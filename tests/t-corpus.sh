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

plan 12

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

run "$INDEX" --db "$DB" "$CORPUS"
like "$out" "0 indexed, 0 updated, 33688 unchanged" "a second run changes nothing"

done_testing
