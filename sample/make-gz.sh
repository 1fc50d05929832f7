#!/bin/sh
# Regenerates sample/gz/ from the readable sources in sample/gz-src/.
#
#   gz-src/NAME.in  ->  gz/NAME.gz   (e.g. 2023-politique.jsonl.in -> gz/2023-politique.jsonl.gz)
#
# Exception, on purpose: archive-2019.jsonl.in -> gz/archive-2019.jsonl
# (gzip bytes WITHOUT a .gz extension: the reader must detect gzip by its
# magic bytes 1f 8b, not by the file name).
#
# gzip -n -9: no original name and no timestamp in the header, so the output
# is byte-for-byte reproducible. Run from anywhere: sh sample/make-gz.sh
set -eu

here=$(cd "$(dirname "$0")" && pwd)
src="$here/gz-src"
out="$here/gz"
no_ext="archive-2019.jsonl"

mkdir -p "$out"
for f in "$src"/*.in; do
    name=$(basename "$f" .in)
    if [ "$name" = "$no_ext" ]; then
        dest="$out/$name"
    else
        dest="$out/$name.gz"
    fi
    gzip -n -9 -c "$f" > "$dest"
    echo "$dest"
done
