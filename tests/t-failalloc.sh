#!/bin/sh
# Allocation failure: tests/failalloc.so (LD_PRELOAD) makes the Nth
# malloc/calloc/realloc/strdup after main fail, for N swept over a run of
# depeche-index on the sample archive (into a new database, and updating
# one) and of depeche-search (a query, JSON output, --meetings, --about).
# Each run must end with exit 0 (nothing lost: every dispatch indexed, or
# the same results) or 71 (out of memory, said on standard error), never
# with a signal or another status, and never leave a database that
# depeche-index --check rejects.
#
# FAILALLOC_POINTS  N values per sweep beyond the first 30 (default 40;
#                   make failalloc uses 1000)
# FAILALLOC_STEP    the step of the exhaustive sweep after its first 300
#                   values (default 7; make failalloc uses 1)
. "${top_srcdir:-.}/tests/test-lib.sh"

SO="$top_builddir/tests/failalloc.so"
[ "${DP_SANITIZED:-no}" = yes ] && skip_all "a sanitizer build (the preload cannot go before the sanitizer runtime)"
[ -f "$SO" ] || skip_all "tests/failalloc.so is not built"
points=${FAILALLOC_POINTS:-40}
plan 14

LOG="$T/calls"
# count: the calls a run makes, with nothing failing
count() {
	: > "$LOG"
	DP_FAILALLOC_LOG="$LOG" LD_PRELOAD="$SO" "$@" >/dev/null 2>&1
	sed -n 's/^calls \([0-9]*\).*/\1/p' "$LOG" | tail -1
}

# values TOTAL [POINTS]: 1..30, then POINTS ($points) values spread
# evenly up to TOTAL
values() {
	awk -v t="$1" -v p="${2:-$points}" 'BEGIN {
		for (i = 1; i <= 30 && i <= t; i++) print i
		if (t > 30) for (k = 1; k <= p; k++) {
			n = 30 + int((t - 30) * k / p)
			if (n != last) print n
			last = n
		}
	}'
}

# failrun N CMD...: runs CMD with the Nth allocation failing; sets rc,
# out, err
failrun() {
	n=$1
	shift
	DP_FAILALLOC_N=$n DP_FAILALLOC_PERSIST=$persist LD_PRELOAD="$SO" \
		"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

bad=0 signals=0 rejected=0 tried=0 persist=0 shim=0
summary=""
# judge WHAT: checks rc and err of the last run
judge() {
	tried=$((tried + 1))
	case $rc in
	0) ;;
	71)
		# std::bad_alloc inside libxapian, caught by the shim
		case $err in
		*"add term: out of memory"*|*"store document: out of memory"*|\
		*"commit: out of memory"*|*"set value: out of memory"*|\
		*"find document: out of memory"*|*"read document: out of memory"*|\
		*"database '"*"': out of memory"*|*"read hit: out of memory"*)
			shim=$((shim + 1)) ;;
		esac
		case $err in
		*"out of memory"*) ;;
		*) bad=$((bad + 1)); echo "# $1 N=$n: exit 71 without 'out of memory': $err" ;;
		esac
		;;
	*)
		[ "$rc" -gt 128 ] && signals=$((signals + 1))
		bad=$((bad + 1))
		echo "# $1 N=$n: exit $rc: $(printf '%s' "$err" | tail -3)"
		;;
	esac
}

check_db() {  # check_db DIR WHAT: the database, when there is one, is sound
	[ -d "$1" ] || return 0
	"$INDEX" --db "$1" --check >"$T/.chk" 2>&1
	c=$?
	# 66: the run failed before creating anything; a directory where
	# Xapian had not written its database yet is no database either, and
	# the next run must make one there
	if [ "$c" -ne 0 ] && grep -q "does not contain a Xapian database" "$T/.chk"; then
		"$INDEX" -q --db "$1" "$FIXTURES/failalloc/escapes.jsonl.gz" >/dev/null 2>&1 \
		&& "$INDEX" --db "$1" --check >"$T/.chk" 2>&1
		c=$?
	fi
	if [ "$c" -ne 0 ] && [ "$c" -ne 66 ]; then
		rejected=$((rejected + 1))
		echo "# $2 N=$n: --check exits $c: $(tail -2 "$T/.chk")"
	fi
}

ALL='date:..9999'
"$INDEX" -q --db "$T/good" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }
total=$("$SEARCH" --db "$T/good" --count "$ALL")
"$INDEX" -q --db "$T/half" "$SAMPLE/newsml" "$SAMPLE/text" || exit 1

# indexing into a new database
calls=$(count "$INDEX" -q --db "$T/count" "$SAMPLE")
ok "$([ "${calls:-0}" -gt 1000 ]; echo $?)" "indexing the sample allocates $calls times"
b0=$bad s0=$signals r0=$rejected t0=$tried
for n in $(values "$calls"); do
	rm -rf "$T/db"
	failrun "$n" "$INDEX" -q --db "$T/db" "$SAMPLE"
	judge index
	check_db "$T/db" index
	if [ "$rc" -eq 0 ]; then
		got=$("$SEARCH" --db "$T/db" --count "$ALL" 2>/dev/null)
		if [ "$got" != "$total" ]; then
			bad=$((bad + 1))
			echo "# index N=$n: exit 0 with $got of $total dispatches"
		fi
	fi
done
is "$((signals - s0))" 0 "index: $((tried - t0)) runs, none killed by a signal"
is "$((bad - b0))" 0 "index: each exits 0 with everything indexed, or 71 saying 'out of memory'"
is "$((rejected - r0))" 0 "index: no database left that --check rejects"

# updating a database that holds part of the archive
calls=$(cp -r "$T/half" "$T/count2" && count "$INDEX" -q --db "$T/count2" "$SAMPLE")
b0=$bad s0=$signals r0=$rejected t0=$tried
for n in $(values "$calls"); do
	rm -rf "$T/db" && cp -r "$T/half" "$T/db"
	failrun "$n" "$INDEX" -q --db "$T/db" "$SAMPLE"
	judge update
	check_db "$T/db" update
done
is "$((signals - s0))" 0 "update: $((tried - t0)) runs, none killed by a signal"
is "$((bad - b0 + rejected - r0))" 0 "update: each exits 0 or 71, and the database stays sound"

# memory that stays short: every allocation from the Nth on fails
b0=$bad s0=$signals r0=$rejected t0=$tried
calls=$(count "$INDEX" -q --db "$T/count3" "$SAMPLE")
persist=1
for n in $(values "$calls" $((points / 2))); do
	[ "$n" -gt 30 ] || [ $((n % 10)) -eq 1 ] || continue
	rm -rf "$T/db" && cp -r "$T/half" "$T/db"
	failrun "$n" "$INDEX" -q --db "$T/db" "$SAMPLE"
	judge persist
	check_db "$T/db" persist
	failrun "$n" "$SEARCH" --db "$T/good" Blinken Lavrov
	judge "persist search"
done
persist=0
is "$((signals - s0))" 0 "memory that stays short: $((tried - t0)) runs, none killed by a signal"
is "$((bad - b0 + rejected - r0))" 0 "memory that stays short: each exits 71 (or 0), the database stays sound"

# one thread (--jobs 1), so that N always falls on the same call: every
# N (past the first 300, every FAILALLOC_STEP-th) over indexing a small
# gzip JSON Lines file whose strings hold escapes (jansson's lexer, zlib's
# buffers, the directories and the lock of a new database)
ESC="$FIXTURES/failalloc/escapes.jsonl.gz"
calls=$(count "$INDEX" -q --jobs 1 --db "$T/count4" "$ESC")
b0=$bad s0=$signals r0=$rejected t0=$tried
step=${FAILALLOC_STEP:-7}
n=1
while [ "$n" -le "$calls" ]; do
	rm -rf "$T/db"
	failrun "$n" "$INDEX" -q --jobs 1 --db "$T/db" "$ESC"
	judge "escapes"
	check_db "$T/db" escapes
	if [ "$rc" -eq 0 ] && [ "$("$SEARCH" --db "$T/db" --count "$ALL" 2>/dev/null)" != 3 ]; then
		bad=$((bad + 1))
		echo "# escapes N=$n: exit 0 without the 3 dispatches"
	fi
	if [ "$n" -lt 300 ]; then n=$((n + 1)); else n=$((n + step)); fi
done
is "$((signals - s0))" 0 "one thread, every N: $((tried - t0)) runs of $calls, none killed by a signal"
is "$((bad - b0 + rejected - r0))" 0 "one thread, every N: each exits 0 or 71, the database stays sound"

# searching
b0=$bad s0=$signals t0=$tried
for q in "Blinken Lavrov" "--json titre:Ukraine date:2022" \
	"--meetings Blinken Lavrov" "--about Viktor Bout"; do
	# shellcheck disable=SC2086
	want=$("$SEARCH" --db "$T/good" $q 2>/dev/null)
	calls=$(count "$SEARCH" --db "$T/good" $q)
	for n in $(values "$calls"); do
		failrun "$n" "$SEARCH" --db "$T/good" $q
		judge "search $q"
		if [ "$rc" -eq 0 ] && [ "$out" != "$want" ]; then
			bad=$((bad + 1))
			echo "# search $q N=$n: exit 0 with other results"
		fi
	done
done
is "$((signals - s0))" 0 "search: $((tried - t0)) runs, none killed by a signal"
is "$((bad - b0))" 0 "search: each exits 0 with the same results, or 71 saying 'out of memory'"
"$INDEX" --db "$T/good" --check >/dev/null 2>&1
ok $? "the searched database is untouched"
ok "$([ "$shim" -gt 0 ]; echo $?)" "$shim runs met std::bad_alloc inside Xapian, turned into exit 71"
echo "# failalloc: $tried runs, $signals signals, $bad bad exits, $rejected databases rejected, $shim bad_alloc in Xapian"
exit 0
