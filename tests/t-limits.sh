#!/bin/sh
# Limits that hold under attack (depeche-index(1) and depeche-search(1),
# LIMITS): each is refused with its message and exit code, without
# reading a huge input into memory whole.
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
plan 26
DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE/text" || { echo "Bail out! cannot index"; exit 1; }

# a record (a whole XML, JSON or text file) of more than 16 MiB
python3 -c "
import sys
sys.stdout.write('PARIS, 1 juil 2022 (AFP) - ' + 'mot ' * (4 << 20) + '\n')" > "$T/huge.txt"
run "$INDEX" --db "$DB" "$T/huge.txt"
is "$rc" 1 "a 16 MiB text file is a bad input (exit 1)"
like "$err" "huge.txt: larger than 16777216 bytes, skipped" "and says the limit"
# the same inside gzip, 20 MB from a few kilobytes: read up to the limit only
python3 -c "
import gzip
with gzip.open('$T/bomb.txt.gz', 'wb') as f:
    f.write(b'PARIS, 1 juil 2022 (AFP) - ' + b'a' * (20 << 20))"
ok "$([ "$(wc -c < "$T/bomb.txt.gz")" -lt 100000 ]; echo $?)" "a gzip bomb of $(wc -c < "$T/bomb.txt.gz") bytes"
if [ "${DP_SANITIZED:-no}" = yes ]; then
	# AddressSanitizer reserves terabytes of shadow memory: no ulimit -v
	skip "address-space limit under AddressSanitizer"
	skip "address-space limit under AddressSanitizer"
else
	run sh -c "ulimit -v 1000000 2>/dev/null; exec \"\$@\"" sh "$INDEX" --db "$DB" "$T/bomb.txt.gz"
	is "$rc" 1 "is refused (exit 1), within 1 GB of address space"
	like "$err" "bomb.txt.gz: larger than 16777216 bytes, skipped" "with the same message"
fi
# a JSON Lines record of more than 16 MiB: that line only
python3 -c "
import json
print(json.dumps({'id': 'a1', 'date': '2022-07-01', 'headline': 'Court', 'body': 'Bref.'}))
print(json.dumps({'id': 'a2', 'date': '2022-07-01', 'headline': 'Long', 'body': 'x ' * (9 << 20)}))
print(json.dumps({'id': 'a3', 'date': '2022-07-01', 'headline': 'Court', 'body': 'Bref.'}))" > "$T/long.jsonl"
run "$INDEX" --db "$DB" "$T/long.jsonl"
is "$rc" 1 "a JSON line of 18 MB is a bad record (exit 1)"
like "$err" "long.jsonl:2: line longer than 16777216 bytes" "named by its line"
like "$out" "2 indexed" "the lines around it are indexed"

# XML: elements nested more than 256 deep (libxml2's limit)
python3 -c "
d = 300
print('<?xml version=\"1.0\"?><nitf><head><title>t</title></head><body><body.head><hedline><hl1>Titre</hl1></hedline></body.head><body.content>' + '<div>' * d + '<p>profond</p>' + '</div>' * d + '</body.content></body></nitf>')" > "$T/deep.xml"
run "$INDEX" --db "$DB" "$T/deep.xml"
is "$rc" 1 "XML nested 300 deep is a bad input (exit 1)"
like "$err" "deep.xml:1: malformed XML: excessive depth in document: 256" "and says the depth"
unlike "$err" "XML_PARSE_HUGE" "without advice about a parser option"
# entities: never loaded from outside, never amplified
run "$INDEX" --db "$DB" "$FIXTURES/feeds/xxe.xml"
is "$rc" 0 "an external entity is not an error (exit 0)"
run "$SEARCH" --db "$DB" --json root
unlike "$out" "root:x:0:0" "and /etc/passwd is never read"
run "$INDEX" --db "$DB" "$FIXTURES/feeds/laughs.xml"
is "$rc" 1 "a billion laughs is a bad input (exit 1)"
like "$err" "laughs.xml:1: malformed XML: detected an entity reference loop" "refused by name"

# YAML: nesting deeper than 64, anchors and aliases, files over 8 MiB
python3 -c "
d = 70
print(''.join('  ' * i + 'k%d:\n' % i for i in range(d)) + '  ' * d + 'v')" > "$T/deep.yaml"
run "$SEARCH" --db "$DB" --ranking "$T/deep.yaml" Griner
is "$rc" 78 "a ranking file nested 70 deep is a configuration error (exit 78)"
like "$err" "deep.yaml:65:" "at the line where it is too deep"
like "$err" "nesting is too deep" "and says so"
printf 'profiles:\n  a: &x\n    recency: {weight: 1}\n  b: *x\n' > "$T/alias.yaml"
run "$SEARCH" --db "$DB" --ranking "$T/alias.yaml" Griner
is "$rc" 78 "an alias is a configuration error (exit 78)"
like "$err" "alias.yaml:4:6: aliases ('*x') are not supported" "named, with its place"
python3 -c "
import sys
sys.stdout.write('# ' + 'x' * (9 << 20) + '\n')" > "$T/big.yaml"
run "$SEARCH" --db "$DB" --ranking "$T/big.yaml" Griner
is "$rc" 78 "a 9 MiB ranking file is refused (exit 78)"
like "$err" "big.yaml: larger than 8 MiB" "and says the limit"

# queries: 4096 bytes, 256 words
q=$(python3 -c "print('a' * 4097)")
run "$SEARCH" --db "$DB" "$q"
is "$rc" 2 "a query of 4097 bytes is a usage error (exit 2)"
like "$err" "the query is too long (4097 bytes, at most 4096)" "and says the limit"
q=$(python3 -c "print(' '.join('mot%d' % i for i in range(257)))")
run "$SEARCH" --db "$DB" "$q"
is "$rc" 2 "a query of 257 words is a usage error (exit 2)"
like "$err" "the query has too many words (at most 256)" "and says the limit"
exit 0
