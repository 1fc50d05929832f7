#!/bin/sh
# run.sh HARNESS...: runs each libFuzzer harness for FUZZ_SECONDS (60)
# under nice, one at a time, on its corpus (kept in $BUILD/fuzz/corpus/,
# grown from the seeds of seeds.sh), then prints one line per harness:
# executions, coverage (libFuzzer's cov: and ft: of its final stats),
# corpus size and crashes.  Every run is appended to
# $BUILD/fuzz/stats.tsv; the "total" column sums the executions of all
# runs recorded there.  Crashes, leaks, timeouts and out-of-memory
# inputs are written to $BUILD/fuzz/artifacts/.  Exits 1 when any
# harness found one.
#
# FUZZ_SECONDS  seconds per harness (default 60)
# FUZZ_JOBS     harnesses run at once (default 1)
# FUZZ_ARGS     more libFuzzer options
set -u
BUILD=${BUILD:-$(pwd)}
src=$(cd "$(dirname "$0")/.." && pwd)
secs=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-1}
[ $# -gt 0 ] || set -- newsml12 g2 nitf ninjs jsonl text input ranking \
	entities meetings query analyzer snippet sentences
dir=$BUILD/fuzz
mkdir -p "$dir/corpus" "$dir/artifacts" "$dir/logs"
stats=$dir/stats.tsv
[ -f "$stats" ] || printf 'date\tharness\tseconds\texecs\tcov\tft\tcorpus\tcrashes\n' > "$stats"

dict_of() {
	case $1 in
	newsml12|g2|nitf|input) echo xml ;;
	ninjs|jsonl) echo json ;;
	ranking|entities|meetings) echo yaml ;;
	query|snippet|analyzer|sentences) echo query ;;
	*) echo "" ;;
	esac
}
# the longest input made: small enough to keep thousands of runs a
# second (a cost grows with the text analysed), above the seeds that
# matter (larger seeds are cut at it); query is above its 4096-byte limit
max_len_of() {
	case $1 in
	query) echo 5000 ;;
	jsonl|ninjs|text|analyzer|snippet|sentences) echo 4096 ;;
	newsml12|g2|nitf|input) echo 12288 ;;
	*) echo 8192 ;;
	esac
}

one() {
	h=$1
	bin=$dir/fuzz-$h
	if [ ! -x "$bin" ]; then
		echo "run.sh: $bin is not built (configure --enable-fuzz)" >&2
		return 2
	fi
	sh "$src/fuzz/seeds.sh" "$h" "$dir/seeds/$h" >/dev/null || return 2
	mkdir -p "$dir/corpus/$h"
	d=$(dict_of "$h")
	log=$dir/logs/$h.log
	# findings: crash-, leak-, timeout-, oom- (slow-unit- is only the
	# machine being busy)
	before=$(ls "$dir/artifacts" | grep -Ec "^$h-(crash|leak|timeout|oom)-" || true)
	# detect_leaks: leaks are findings too; new_delete_type_mismatch:
	# see .ci/run (inside the uninstrumented libxapian)
	ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:new_delete_type_mismatch=0} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1} \
	nice -n 10 "$bin" -max_total_time="$secs" -timeout=10 \
		-rss_limit_mb=1536 -max_len="$(max_len_of "$h")" \
		-print_final_stats=1 \
		${d:+-dict="$src/fuzz/$d.dict"} \
		-artifact_prefix="$dir/artifacts/$h-" \
		${FUZZ_ARGS:-} \
		"$dir/corpus/$h" "$dir/seeds/$h" >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	last=$(grep -E '^#[0-9]+.*cov: [0-9]+' "$log" | tail -1)
	cov=$(printf '%s\n' "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(printf '%s\n' "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	after=$(ls "$dir/artifacts" | grep -Ec "^$h-(crash|leak|timeout|oom)-" || true)
	crashes=$((after - before))
	[ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ] && crashes=1
	corp=$(ls "$dir/corpus/$h" | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$(date -u +%FT%TZ)" "$h" \
		"$secs" "${execs:-0}" "${cov:-0}" "${ft:-0}" "$corp" "$crashes" \
		>> "$stats"
	if [ "$crashes" -gt 0 ]; then
		echo "== $h: crash (exit $rc), see $log" >&2
		grep -E 'ERROR|SUMMARY|fuzz check failed|Test unit written' "$log" | head -8 >&2
	fi
	return 0
}

# run the harnesses, FUZZ_JOBS at a time
set -- "$@"
pids=""
running=0
for h in "$@"; do
	one "$h" &
	pids="$pids $!"
	running=$((running + 1))
	if [ "$running" -ge "$jobs" ]; then
		wait
		running=0
	fi
done
wait

# the table: this run (the last line of each harness) and all runs
printf '%-9s %9s %9s %7s %6s %6s %6s %7s %11s\n' harness seconds execs exec/s \
	cov ft corpus crashes total-execs
bad=0
for h in "$@"; do
	awk -F'\t' -v h="$h" '
		$2 == h { last = $0; total += $4; crashes += $8 }
		END {
			if (last == "") { printf "%-9s %9s\n", h, "not run"; exit }
			split(last, f, "\t")
			printf "%-9s %9d %9d %7d %6d %6d %6d %7d %11d\n", h, f[3], f[4],
				f[3] ? f[4] / f[3] : 0, f[5], f[6], f[7], f[8], total
		}' "$stats"
	c=$(awk -F'\t' -v h="$h" '$2 == h { c = $8 } END { print c + 0 }' "$stats")
	[ "$c" -gt 0 ] && bad=1
done
exit $bad
