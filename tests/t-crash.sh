#!/bin/sh
# Crash safety: the indexer is killed with SIGKILL at a dozen points of a
# run, then run again to completion.  The set of dispatches must equal a
# clean run's, with no duplicates, and the database must pass Xapian's
# consistency check.
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
plan 10

python3 "$top_srcdir/tests/gen-dispatches.py" 30000 60 "$T/in" || exit 1
cp -r "$SAMPLE" "$T/in/sample"

# the clean run
run "$INDEX" --db "$T/clean" --batch 200 "$T/in"
is "$rc" 0 "a clean run succeeds"
"$SEARCH" --db "$T/clean" --json -n 1000000 'date:..9999' \
	| sed 's/^{"id":"\([^"]*\)","version":\([0-9]*\).*/\1 \2/' | sort >"$T/clean.ids"

# killed runs: each one starts from what the previous one committed
kills=0
for delay in 0.05 0.1 0.15 0.2 0.3 0.4 0.5 0.6 0.3 0.2 0.7 0.5 0.8; do
	"$INDEX" -q --db "$T/crash" --batch 200 "$T/in" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -KILL "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null
done
ok "$([ "$kills" -ge 10 ]; echo $?)" "the indexer was killed $kills times during a run"

run "$INDEX" --db "$T/crash" --batch 200 "$T/in"
is "$rc" 0 "a run after the crashes completes"
"$SEARCH" --db "$T/crash" --json -n 1000000 'date:..9999' \
	| sed 's/^{"id":"\([^"]*\)","version":\([0-9]*\).*/\1 \2/' | sort >"$T/crash.ids"
is "$(wc -l <"$T/crash.ids" | tr -d ' ')" "$(wc -l <"$T/clean.ids" | tr -d ' ')" \
	"as many dispatches as a clean run"
is "$(sort -u "$T/crash.ids" | wc -l | tr -d ' ')" "$(wc -l <"$T/crash.ids" | tr -d ' ')" \
	"no duplicates"
cmp -s "$T/clean.ids" "$T/crash.ids"
ok $? "the same dispatches and versions as a clean run"

run "$INDEX" --db "$T/crash" --check
is "$rc" 0 "the database passes Xapian's consistency check"

run "$INDEX" --db "$T/crash" "$T/in"
like "$out" "0 indexed, 0 updated" "and a further run finds nothing to do"

# killed before its first commit: tables, no revision file
mkdir -p "$T/first"
: >"$T/first/postlist.glass"
: >"$T/first/termlist.glass"
run "$INDEX" --db "$T/first" "$T/in"
is "$rc" 0 "a first run killed before it committed: the next run starts afresh"
run "$SEARCH" --db "$T/first" --count 'date:..9999'
ok "$([ "${out:-0}" -gt 0 ]; echo $?)" "and indexes everything ($out)"

done_testing
