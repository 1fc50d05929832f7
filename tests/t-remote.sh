#!/bin/sh
# Remote shards: two shards of the sample archive served by real
# xapian-tcpsrv processes on 127.0.0.1; the set searched through the stub
# gives the results of the all-local set; what a stock server cannot run
# is done on the client and named; a server that is down is an error that
# names it, and --allow-partial searches the others, saying so.
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v xapian-tcpsrv >/dev/null 2>&1 \
	|| skip_all "xapian-tcpsrv is not installed (Debian package xapian-tools)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

plan 43

# the servers: bounded in time, and killed at the end whatever happens
PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

LOCAL="$T/local"
MIXED="$T/mixed"
run "$INDEX" --db "$LOCAL" --shards month "$SAMPLE"
is "$rc" 0 "the sample indexed as monthly shards"
cp -r "$LOCAL" "$MIXED"
mkdir -p "$T/srv"
mv "$MIXED/2022-07" "$MIXED/2022-12" "$T/srv/"

start_server() {  # port shard
	timeout 300 xapian-tcpsrv --interface 127.0.0.1 --port "$1" --quiet \
		--timeout 20000 "$2" >"$T/srv/log.$1" 2>&1 &
	last_pid=$!
	PIDS="$PIDS $last_pid"
}
P1=$(free_port)
start_server "$P1" "$T/srv/2022-07"
PID1=$last_pid
P2=$(free_port)
while [ "$P2" = "$P1" ]; do P2=$(free_port); done
start_server "$P2" "$T/srv/2022-12"
sed -e "s/^glass 2022-07\$/remote 127.0.0.1:$P1/" \
    -e "s/^glass 2022-12\$/remote 127.0.0.1:$P2/" "$LOCAL/XAPIANDB" >"$MIXED/XAPIANDB"
is "$(grep -c '^remote 127.0.0.1:' "$MIXED/XAPIANDB")" 2 "two stub lines name the servers"

# wait (5 s at most) for both to answer
i=0
until "$SEARCH" --db "$MIXED" --count Griner >/dev/null 2>&1 || [ "$i" -ge 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
run "$SEARCH" --db "$MIXED" --count Griner
is "$rc" 0 "the servers answer"

same() {
	"$SEARCH" --db "$LOCAL" "$@" >"$T/a.out" 2>"$T/a.err"
	a=$?
	"$SEARCH" --db "$MIXED" "$@" >"$T/b.out" 2>"$T/b.err"
	b=$?
	if [ "$a" = "$b" ] && cmp -s "$T/a.out" "$T/b.out"; then
		ok 0 "remote as local: $*"
	else
		ok 1 "remote as local: $*"
		echo "#   exit $a / $b"
		diff "$T/a.out" "$T/b.out" | head -5 | sed 's/^/#   /'
		head -3 "$T/b.err" | sed 's/^/#   /'
	fi
}
while IFS= read -r q; do
	same --json -n 10 "$q"
done <<'QUERIES'
Bout
Griner
Whelan
Blinken Lavrov
"Viktor Bout"
Griner OR Whelan
titre:Griner
date:2022-12
QUERIES
same --count Bout
same --count 'date:..9999'
same --json --collapse Bout
same --json --sort date Griner
same --json --explain Bout
same --facets source,place,month,person Bout
same --about Bout
same --meetings Blinken Lavrov
same --json --like afp-20221210-bout-entretien-tv
same --json Grinner
is "$(cat "$T/b.err")" "" "nothing degraded for these"

# what a stock server cannot run: done on the client, and named
same --json 'Bout mardi'
like "$(cat "$T/b.err")" "degraded: weekday boost applied on the client" \
	"a weekday boost over remote shards is named on standard error"
same --json --profile recent --as-of 2022-12-09 Bout
like "$(cat "$T/b.err")" "degraded: recency boost" "so is the recency boost"
run "$SEARCH" --db "$MIXED" --json --explain 'Bout mardi'
like "$out" '"degraded":"weekday boost applied on the client to the best 100 matches' \
	"and in --explain"
run "$SEARCH" --db "$MIXED" --explain 'Bout mardi'
like "$out" "degraded: weekday boost" "in the text --explain too"
run "$SEARCH" --db "$LOCAL" 'Bout mardi'
is "$err" "" "nothing is degraded on local shards"

# --status lists the remote shards
run "$INDEX" --db "$MIXED" --status
is "$rc" 0 "--status with remote shards"
like "$out" "30 local, 2 remote" "counts them"
printf '%s\n' "$out" | grep -q "^  remote 127.0.0.1:$P2  *8 .* remote\$"
ok $? "and lists each, with its dispatches"

# Xapian's stub syntax: ':' after 'remote' is a program to run
sed "s/^remote 127.0.0.1:$P1\$/remote :127.0.0.1:$P1/" "$MIXED/XAPIANDB" >"$T/stub"
mkdir -p "$T/badstub"
cp "$T/stub" "$T/badstub/XAPIANDB"
for d in "$MIXED"/[0-9]*; do ln -s "$d" "$T/badstub/"; done
run "$SEARCH" --db "$T/badstub" Bout
is "$rc" 78 "'remote :HOST:PORT' is a configuration error"
like "$err" "a shard served by xapian-tcpsrv is 'remote 127.0.0.1:$P1'" \
	"that says how to write it"

# a server that is down
n_all=$("$SEARCH" --db "$LOCAL" --count Bout)
n_gone=$("$SEARCH" --db "$T/srv/2022-07" --count Bout)
kill "$PID1"
wait "$PID1" 2>/dev/null
run "$SEARCH" --db "$MIXED" Bout
is "$rc" 69 "a shard server down: exit status 69"
like "$err" "shard 'remote 127.0.0.1:$P1'" "the error names the shard"
like "$err" "does not answer" "and says what is wrong"
is "$out" "" "and nothing is shown"
run "$SEARCH" --db "$MIXED" --allow-partial --count Bout
is "$rc" 0 "--allow-partial searches the others"
is "$out" "$((n_all - n_gone))" "all but the missing shard's dispatches"
like "$err" "searching without the shards that do not answer: remote 127.0.0.1:$P1" \
	"and says which shard was left out"
run "$INDEX" --db "$MIXED" --status
is "$rc" 69 "--status: exit status 69 when a server is down"
like "$out" "unavailable" "and marks it"

done_testing
