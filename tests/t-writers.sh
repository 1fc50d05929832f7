#!/bin/sh
# Parallel shard writers: --shards month --writers 2 gives the same
# documents in each shard (xapian-delve) and the same answers (ids and
# order, counts, facets, meetings) as --writers 1 and as one database, on
# the sample archive and on fixtures whose stories span months; also with
# the writers forced out of step (DEPECHE_TEST_WRITERS_SKEW).  Reruns
# write nothing; a failing writer stops the run cleanly; bad --writers
# values are usage errors.
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
plan 65

# fixtures: generated dispatches over a year of months, plus stories
# whose versions span two months, read in both orders, a kill in another
# month, and a date corrected into another month (same version)
mkdir -p "$T/in/a" "$T/in/b"
python3 "$top_srcdir/tests/gen-dispatches.py" 1500 6 "$T/in/gen" || exit 1
cp -r "$SAMPLE" "$T/in/sample"
disp() {  # id version date word [status]
	printf '{"id": "%s", "version": %s, "date": "%s", "headline": "Zorglub %s", "body": "La zorglubine est %s. Un texte assez long pour le test des écrivains parallèles.", "source": "AFP", "lang": "fr", "status": "%s"}\n' \
		"$1" "$2" "$3" "$4" "$4" "${5:-usable}"
}
{
	disp span 1 2023-01-31T23:00:00+01:00 janvier
	disp back 2 2023-04-02T08:00:00+02:00 avril
	disp dead 1 2023-05-20T08:00:00+02:00 mai
	disp moved 1 2023-06-30T22:00:00+02:00 juin
} >"$T/in/a/one.jsonl"
{
	disp span 2 2023-02-01T08:00:00+01:00 fevrier
	disp back 1 2023-03-30T08:00:00+02:00 mars
	disp dead 1 2023-06-01T08:00:00+02:00 juin canceled
	disp moved 1 2023-07-01T09:00:00+02:00 juillet
} >"$T/in/b/two.jsonl"

ONE="$T/one"
W1="$T/w1"
W2="$T/w2"
WS="$T/wskew"

run "$INDEX" --db "$ONE" "$T/in"
is "$rc" 0 "the fixtures indexed as one database"
sum_one=$(echo "$out" | sed 's/ in [0-9.]* s.*//')
run "$INDEX" --db "$W1" --shards month --writers 1 "$T/in"
is "$rc" 0 "as monthly shards with one writer"
sum_w1=$(echo "$out" | sed 's/ in [0-9.]* s.*//')
run "$INDEX" --db "$W2" --shards month --writers 2 --batch 100 "$T/in"
is "$rc" 0 "with two writers (and a sync every 100 dispatches)"
sum_w2=$(echo "$out" | sed 's/ in [0-9.]* s.*//')
DEPECHE_TEST_WRITERS_SKEW=300 run "$INDEX" --db "$WS" --shards month \
	--writers 3 --batch 50 "$T/in"
is "$rc" 0 "with three writers forced out of step"
is "$sum_w1" "$sum_one" "one writer: the same summary as one database"
is "$sum_w2" "$sum_one" "two writers: the same summary"
is "$(echo "$out" | sed 's/ in [0-9.]* s.*//')" "$sum_one" \
	"three writers out of step: the same summary"

# the same documents in each shard
shards() { sed -n 's/^glass //p' "$1/XAPIANDB" | tr '\n' ' '; }
is "$(shards "$W2")" "$(shards "$W1")" "two writers: the same shards in the stub"
is "$(shards "$WS")" "$(shards "$W1")" "three writers: the same shards"
if command -v xapian-delve >/dev/null 2>&1; then
	docs() {
		for s in $(shards "$1"); do
			echo "$s: $(xapian-delve -1 -A Q "$1/$s" | sed 1d | tr '\n' ' ')"
		done
	}
	docs "$W1" >"$T/w1.docs"
	docs "$W2" >"$T/w2.docs"
	docs "$WS" >"$T/ws.docs"
	cmp -s "$T/w1.docs" "$T/w2.docs"
	ok $? "two writers: the same dispatches in every shard"
	cmp -s "$T/w1.docs" "$T/ws.docs"
	ok $? "three writers out of step: the same dispatches in every shard"
	# stories and file attributions too
	terms() {
		for s in $(shards "$1"); do
			for p in XF XOF XSTORY; do
				echo "$s $p: $(xapian-delve -1 -A "$p" "$1/$s" | sed 1d | tr '\n' ' ')"
			done
		done
	}
	terms "$W1" >"$T/w1.terms"
	terms "$W2" >"$T/w2.terms"
	cmp -s "$T/w1.terms" "$T/w2.terms"
	ok $? "two writers: the same stories and files in every shard"
	is "$(grep -c 'Qspan' "$T/w2.docs")" 1 "a story over two months is in one shard"
	like "$(grep 'Qspan' "$T/w2.docs")" "2023-02:" "the newest version's"
else
	for i in 1 2 3 4 5; do
		skip "xapian-delve is not installed (apt-get install xapian-tools)"
	done
fi

# the same answers, query by query
same() {
	"$SEARCH" --db "$ONE" "$@" >"$T/a.out" 2>"$T/a.err"
	a=$?
	"$SEARCH" --db "$W1" "$@" >"$T/b.out" 2>"$T/b.err"
	b=$?
	"$SEARCH" --db "$W2" "$@" >"$T/c.out" 2>"$T/c.err"
	c=$?
	if [ "$a" = "$b" ] && [ "$a" = "$c" ] && cmp -s "$T/a.out" "$T/b.out" \
	   && cmp -s "$T/a.out" "$T/c.out"; then
		ok 0 "same answer: $*"
	else
		ok 1 "same answer: $*"
		echo "#   exit $a / $b / $c"
		diff "$T/a.out" "$T/c.out" | head -5 | sed 's/^/#   /'
	fi
}
while IFS= read -r q; do
	same --json -n 10 "$q"
	same --count "$q"
done <<'QUERIES'
Bout
Griner
Blinken Lavrov
"Viktor Bout"
réforme
le budget
zorglub
date:2023-02
QUERIES
same --json --facets source,month Bout
same --facets source,place,month,lang,person réforme
same --meetings Blinken Lavrov
same --json --meetings Blinken Lavrov
same --json --sort date zorglub
zids() { "$SEARCH" --db "$1" --json -n 100 --sort date zorglub \
	| sed 's/^{"id":"\([^"]*\)","version":\([0-9]*\),.*"headline":"\([^"]*\)".*/\1 \2 \3/' | tr '\n' ','; }
is "$(zids "$W2")" "moved 1 Zorglub juillet,back 2 Zorglub avril,span 2 Zorglub fevrier," \
	"each story once, as its newest version; a corrected date moves it; a kill in another month removes it"
is "$(zids "$W1")" "$(zids "$ONE")" "one writer: the same stories as one database"

# reruns
run "$INDEX" --db "$W2" --writers 2 "$T/in"
like "$out" "0 indexed, 0 updated" "a rerun changes nothing"
like "$out" "(0 files read" "and reads no file"
run "$INDEX" --db "$ONE" --force "$T/in"
sum_one=$(echo "$out" | sed 's/ in [0-9.]* s.*//')
run "$INDEX" --db "$W2" --writers 2 --force "$T/in"
is "$(echo "$out" | sed 's/ in [0-9.]* s.*//')" "$sum_one" \
	"--force with two writers: the summary of one database (only 'moved' flips)"
if command -v xapian-delve >/dev/null 2>&1; then
	docs "$W2" >"$T/w2b.docs"
	cmp -s "$T/w1.docs" "$T/w2b.docs"
	ok $? "and leaves the same dispatches in every shard"
else
	skip "xapian-delve is not installed (apt-get install xapian-tools)"
fi

# an incremental run: a new month and a new version across months
{
	disp span 3 2023-03-05T08:00:00+01:00 mars-trois
	disp fresh 1 2023-08-05T08:00:00+02:00 aout
} >"$T/in/a/three.jsonl"
for db in "$ONE" "$W1" "$W2"; do
	run "$INDEX" --db "$db" "$T/in"
	is "$rc" 0 "an incremental run ($(basename "$db"))"
	like "$out" "1 indexed, 1 updated" "adds one, updates one ($(basename "$db"))"
done
same --json zorglub
same --count 'date:..9999'
like "$(zids "$W2")" "span 3 Zorglub mars-trois" "the third version moved the story back to March"
run "$INDEX" --db "$W2" "$T/in"
like "$out" "0 indexed, 0 updated" "and the next run finds nothing to do"

# a kill of an older version in another month than the live story: its
# tombstone keeps the newest version, so the live one read again stays dead
disp tomb 2 2023-09-10T08:00:00+02:00 septembre >"$T/in/a/tomb2.jsonl"
for db in "$ONE" "$W1" "$W2"; do "$INDEX" -q --db "$db" "$T/in"; done
disp tomb 1 2023-08-20T08:00:00+02:00 aout-mort canceled >"$T/in/b/tomb1.jsonl"
for db in "$ONE" "$W1" "$W2"; do "$INDEX" -q --db "$db" "$T/in"; done
for db in "$ONE" "$W1" "$W2"; do "$INDEX" -q --db "$db" --force "$T/in/a/tomb2.jsonl"; done
unlike "$(zids "$W2")" "tomb" "a live version read again after a kill of an older one stays dead"
same --json zorglub

# a writer that fails (a full disk) stops the run with the documented
# exit code, without waiting forever
python3 "$top_srcdir/tests/gen-dispatches.py" 6000 6 "$T/big" || exit 1
(ulimit -f 2048 && exec timeout 120 "$INDEX" --db "$T/full" --shards month \
	--writers 2 --batch 300 "$T/big") >"$T/.out" 2>"$T/.err"
rc=$?
is "$rc" 74 "a full disk in a writer exits 74 (EX_IOERR)"
like "$(cat "$T/.err")" "File too large" "and says why"
run "$INDEX" --db "$T/full" --check
is "$rc" 0 "the shards are consistent after it"
run "$INDEX" --db "$T/full" --writers 2 "$T/big"
is "$rc" 0 "without the limit, the next run completes"
is "$("$SEARCH" --db "$T/full" --count 'date:..9999')" 6000 "with every dispatch, once"

# usage
run "$INDEX" --db "$T/x" --shards month --writers 0 "$T/in/a"
is "$rc" 2 "--writers 0 is a usage error"
like "$err" "--writers needs a number" "and says so"
run "$INDEX" --db "$T/x" --shards month --writers abc "$T/in/a"
is "$rc" 2 "--writers abc is a usage error"
run "$INDEX" --db "$ONE" --writers 2 "$T/in/a"
is "$rc" 2 "--writers 2 on one database is a usage error"
like "$err" "needs a sharded database" "and says why"
run "$INDEX" --db "$ONE" --writers 1 "$T/in/a"
is "$rc" 0 "--writers 1 on one database is fine"
ok "$([ ! -e "$T/x" ]; echo $?)" "nothing is created on a usage error"

done_testing
