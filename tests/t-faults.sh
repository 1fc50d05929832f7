#!/bin/sh
# Faults: a full disk (a file-size limit), a database that cannot be
# written, a concurrent search during indexing, compaction under the lock,
# the log file.  Each gives a clear message and a documented exit code,
# and nothing committed before is lost.
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
plan 21

DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }
python3 "$top_srcdir/tests/gen-dispatches.py" 20000 20 "$T/gen" || exit 1

# disk full: a 2 MB file-size limit (ulimit -f counts 512-byte blocks in
# POSIX sh); the indexer must fail cleanly, keeping what was committed
(ulimit -f 4096 && exec "$INDEX" --db "$DB" --batch 500 "$T/gen") >"$T/.out" 2>"$T/.err"
rc=$?
err=$(cat "$T/.err")
is "$rc" 74 "a full disk exits 74 (EX_IOERR)"
like "$err" "File too large" "and says why"
run "$SEARCH" --db "$DB" --count Griner
ok "$([ "$rc" -eq 0 ] && [ "$out" -gt 0 ]; echo $?)" "what was indexed before is still searchable"
run "$INDEX" --db "$DB" --check
is "$rc" 0 "the database is consistent after the failure"
run "$INDEX" --db "$DB" "$T/gen"
is "$rc" 0 "without the limit, the run completes"
run "$SEARCH" --db "$DB" --count 'date:..9999'
is "$out" 20057 "every dispatch is there, once (20000 and the sample's 57)"

# searches keep working while an indexer commits every few dispatches
"$INDEX" -q --db "$T/busy" --batch 50 "$T/gen" "$SAMPLE" &
pid=$!
bad=0
n=0
while kill -0 "$pid" 2>/dev/null && [ "$n" -lt 200 ]; do
	"$SEARCH" --db "$T/busy" --count 'réforme' >/dev/null 2>"$T/.serr"
	r=$?
	n=$((n + 1))
	# 0 found, 1 nothing yet, 66 the database is not created yet
	case "$r" in 0|1|66) ;; *) bad=$((bad + 1)); cat "$T/.serr" ;; esac
done
wait "$pid"
ok "$([ "$n" -ge 5 ]; echo $?)" "$n searches ran during indexing"
is "$bad" 0 "none failed"

# compaction: same dispatches, smaller or equal, under the writer lock
run "$SEARCH" --db "$DB" --count 'date:..9999'; before="$out"
run "$INDEX" --db "$DB" --compact
is "$rc" 0 "--compact succeeds"
like "$out" "compacted" "and reports the sizes"
run "$SEARCH" --db "$DB" --count 'date:..9999'
is "$out" "$before" "the same dispatches after compaction"
run "$INDEX" --db "$DB" --check
is "$rc" 0 "the compacted database is consistent"
run "$INDEX" --db "$DB" "$SAMPLE"
like "$out" "0 indexed, 0 updated" "incremental state survives compaction"
if command -v flock >/dev/null 2>&1; then
	flock "$DB.lock" sleep 2 &
	sleep 0.3
	run "$INDEX" --db "$DB" --compact
	is "$rc" 75 "--compact never races a running indexer"
	wait
else
	skip "flock(1) not installed"
fi

# the log file and timestamps
run "$INDEX" --db "$DB" --log "$T/index.log" "$SAMPLE" "$T/nowhere"
like "$(cat "$T/index.log")" "nowhere: No such file or directory" "--log records errors"
like "$(cat "$T/index.log")" "unchanged" "--log records the summary"
printf '%s\n' "$err" | grep -q '^[0-9]\{4\}-[0-9][0-9]-[0-9][0-9]T[0-9:]*Z depeche-index: '
ok $? "errors carry a timestamp when standard error is not a terminal"
run "$INDEX" --db "$DB" --quiet "$SAMPLE"
is "$out$err" "" "--quiet prints nothing on success"

# a progress bar on a terminal only
if command -v script >/dev/null 2>&1; then
	script -qec "$INDEX --db $T/tty $T/gen" /dev/null >"$T/tty.out" 2>&1
	grep -q 'dispatches.*/s' "$T/tty.out"
	ok $? "a progress bar on a terminal"
else
	skip "script(1) not installed"
fi
run "$INDEX" --db "$T/notty" "$T/gen"
unlike "$err" "/s" "no progress bar when not on a terminal"
unlike "$out" "ETA" "and nothing but the summary on standard output"

done_testing
