#!/bin/sh
# seeds.sh HARNESS DIR: fills DIR with the seed inputs of one fuzz
# harness, taken from the test fixtures, the sample archive, the shipped
# configuration and (when present, never committed) the shared wire
# feeds beside the clone ($DP_SHARED/feeds).  Nothing is copied into the
# repository: the seeds are assembled at fuzz time.
set -eu
h=$1
out=$2
src=$(cd "$(dirname "$0")/.." && pwd)
shared=${DP_SHARED:-$src/../shared}
rm -rf "$out"
mkdir -p "$out"
n=0

add() {  # add FILE...: one seed each
	for f in "$@"; do
		[ -f "$f" ] || continue
		n=$((n + 1))
		cp "$f" "$out/seed-$n"
	done
}

# xml FORMAT ROOT...: fixture and sample files whose root element is one
# of ROOT (a name as the readers detect it), and the shared feeds whose
# format in feeds/INDEX.tsv matches the regular expression FORMAT
xml() {
	fmt=$1
	shift
	pat=$(printf '%s\n' "$@" | sed 's/^/<\\([A-Za-z0-9]*:\\)\\{0,1\\}/; s/$/[ >\/]/' | paste -sd'|' - | sed 's/|/\\|/g')
	for f in $(find "$src/tests/fixtures" "$src/sample" -name '*.xml' | sort); do
		grep -q "$pat" "$f" && add "$f"
	done
	if [ -f "$shared/feeds/INDEX.tsv" ]; then
		awk -F'\t' -v r="$fmt" '$2 ~ r { print $1 }' "$shared/feeds/INDEX.tsv" |
		sort -u | while read -r f; do
			echo "$shared/feeds/$f"
		done > "$out/.list"
		while read -r f; do add "$f"; done < "$out/.list"
		rm -f "$out/.list"
	fi
}

files() {  # files GLOB...: fixture and sample files by name
	for g in "$@"; do
		add $(find "$src/tests/fixtures" "$src/sample" -name "$g" | sort)
	done
}

lines() {  # lines FILE: one seed per line
	while IFS= read -r l; do
		n=$((n + 1))
		printf '%s' "$l" > "$out/seed-$n"
	done < "$1"
}

case $h in
newsml12) xml '^NewsML 1[.]2' NewsML ;;
g2) xml '^NewsML-G2' newsItem newsMessage packageItem conceptItem \
	knowledgeItem planningItem catalogItem ;;
nitf) xml '^NITF' nitf ;;
ninjs)
	files '*.json'
	[ -d "$shared/feeds" ] && add $(find "$shared/feeds" -name '*.json' | sort | head -40)
	;;
jsonl) files '*.jsonl' '*.jsonl.gz' ;;
text) files '*.txt' ;;
input)
	files '*.xml' '*.json' '*.jsonl' '*.txt' '*.gz' '*.dat'
	;;
ranking) add "$src/config/ranking.yaml" $(find "$src/tests/fixtures/config" -name '*.yaml' | sort) ;;
entities) add "$src/config/entities.yaml" ;;
meetings) add "$src/config/meetings.yaml" ;;
query)
	lines "$src/fuzz/query-seeds.txt"
	lines "$src/bench/queries-names.txt"
	;;
analyzer)
	files '*.txt'
	lines "$src/fuzz/query-seeds.txt"
	;;
snippet)
	# a query line, then a dispatch's text
	i=0
	for f in $(find "$src/sample" "$src/tests/fixtures" -name '*.txt' | sort); do
		q=$(sed -n "$((i % 40 + 1))p" "$src/fuzz/query-seeds.txt")
		i=$((i + 1))
		n=$((n + 1))
		{ printf '%s\n' "$q"; cat "$f"; } > "$out/seed-$n"
	done
	;;
sentences)
	# the actors' names, then a dispatch's headline and text
	for f in $(find "$src/sample" "$src/tests/fixtures" -name '*.txt' | sort); do
		for pair in "Blinken Lavrov" "Griner Bout" "Macron Poutine"; do
			n=$((n + 1))
			{ printf '%s\n' "$pair"; cat "$f"; } > "$out/seed-$n"
		done
	done
	;;
*) echo "seeds.sh: no harness '$h'" >&2; exit 2 ;;
esac
echo "$n"
