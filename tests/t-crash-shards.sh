#!/bin/sh
# Crash safety of a sharded bulk load: the indexer is killed with SIGKILL
# at several points of a run over twelve monthly shards (also while it
# creates shards and rewrites the stub), then run again to completion.
# The set of dispatches must equal a clean run's, each in one shard only,
# and every shard must pass Xapian's consistency check.
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
plan 9

python3 "$top_srcdir/tests/gen-dispatches.py" 12000 24 "$T/in" || exit 1
cp -r "$SAMPLE" "$T/in/sample"

ids() {
	"$SEARCH" --db "$1" --json -n 1000000 'date:..9999' \
		| sed 's/^{"id":"\([^"]*\)","version":\([0-9]*\).*/\1 \2/' | sort
}

run "$INDEX" --db "$T/clean" --shards month --batch 200 "$T/in"
is "$rc" 0 "a clean sharded run succeeds"
ids "$T/clean" >"$T/clean.ids"

kills=0
for delay in 0.05 0.1 0.2 0.3 0.15 0.4 0.25 0.5; do
	"$INDEX" -q --db "$T/crash" --shards month --batch 200 "$T/in" >/dev/null 2>&1 &
	pid=$!
	sleep "$delay"
	if kill -KILL "$pid" 2>/dev/null; then
		kills=$((kills + 1))
	fi
	wait "$pid" 2>/dev/null
done
ok "$([ "$kills" -ge 6 ]; echo $?)" "the indexer was killed $kills times during a run"

run "$INDEX" --db "$T/crash" --batch 200 "$T/in"
is "$rc" 0 "a run after the crashes completes (the layout is kept)"
ids "$T/crash" >"$T/crash.ids"
is "$(wc -l <"$T/crash.ids" | tr -d ' ')" "$(wc -l <"$T/clean.ids" | tr -d ' ')" \
	"as many dispatches as a clean run"
is "$(cut -d' ' -f1 "$T/crash.ids" | sort -u | wc -l | tr -d ' ')" "$(wc -l <"$T/crash.ids" | tr -d ' ')" \
	"each in one shard only"
cmp -s "$T/clean.ids" "$T/crash.ids"
ok $? "the same dispatches and versions as a clean run"
is "$(sed -n 's/^glass //p' "$T/crash/XAPIANDB" | tr '\n' ' ')" \
	"$(sed -n 's/^glass //p' "$T/clean/XAPIANDB" | tr '\n' ' ')" "the same shards in the stub"
run "$INDEX" --db "$T/crash" --check
is "$rc" 0 "every shard passes Xapian's consistency check"
run "$INDEX" --db "$T/crash" "$T/in"
like "$out" "0 indexed, 0 updated" "and a further run finds nothing to do"

done_testing
