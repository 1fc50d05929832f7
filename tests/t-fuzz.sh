#!/bin/sh
# The fuzz harnesses (fuzz/) without libFuzzer: each runs over its seed
# corpus, then over the inputs the fuzzers found (tests/fixtures/fuzz/
# HARNESS/, one file each, named for what went wrong), which must all run
# to the end now.  Under CI's sanitizers a regression shows as a report.
. "${top_srcdir:-.}/tests/test-lib.sh"

REPLAY="$top_builddir/tests/fuzz-replay"
H="newsml12 g2 nitf ninjs jsonl text input ranking entities meetings query analyzer snippet sentences"
plan 28

for h in $H; do
	n=$(sh "$top_srcdir/fuzz/seeds.sh" "$h" "$T/seeds-$h" 2>"$T/.err")
	"$REPLAY" "$h" "$T/seeds-$h" >"$T/.out" 2>>"$T/.err"
	rc=$?
	ok "$([ "$rc" -eq 0 ] && [ "${n:-0}" -gt 0 ]; echo $?)" "$h: its $n seeds run"
	[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/.err" | tail -5
done

for h in $H; do
	d="$FIXTURES/fuzz/$h"
	if [ -d "$d" ] && [ -n "$(ls "$d")" ]; then
		"$REPLAY" "$h" "$d" >"$T/.out" 2>"$T/.err"
		rc=$?
		ok "$rc" "$h: the $(ls "$d" | wc -l | tr -d ' ') inputs found by fuzzing run"
		[ "$rc" -eq 0 ] || sed 's/^/#   /' "$T/.err" | tail -5
	else
		ok 0 "$h: no input found by fuzzing yet # SKIP"
	fi
done
exit 0
