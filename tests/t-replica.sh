#!/bin/sh
# Read replicas: each shard of a sharded database (and its state) copied
# by xapian-replicate from a xapian-replicate-server on 127.0.0.1; the
# replica searches as the master does, and after the master changes, a
# search of the replica sees the old revision or the new one, never a
# half-applied update (the client builds the new copy aside and swaps
# its stub).
. "${top_srcdir:-.}/tests/test-lib.sh"

command -v xapian-replicate-server >/dev/null 2>&1 \
	&& command -v xapian-replicate >/dev/null 2>&1 \
	|| skip_all "xapian-replicate is not installed (Debian package xapian-tools)"
command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"

plan 15

PIDS=""
cleanup() {
	for p in $PIDS; do kill "$p" 2>/dev/null; done
	for p in $PIDS; do wait "$p" 2>/dev/null; done
	chmod -R u+w "$T" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
MASTER="$T/master/db"
REPLICA="$T/replica"
# changesets let a replica catch up with what changed, not a full copy
XAPIAN_MAX_CHANGESETS=10
export XAPIAN_MAX_CHANGESETS

run "$INDEX" --db "$MASTER" --shards month --no-compact "$SAMPLE"
is "$rc" 0 "the master: the sample as monthly shards"

timeout 300 xapian-replicate-server -I 127.0.0.1 -p "$PORT" "$T/master" \
	>"$T/server.log" 2>&1 &
PIDS="$PIDS $!"
sleep 0.3

# one replica per shard, and the stub that lists them
replicate() {
	fails=0
	for name in state $(sed -n 's/^glass //p' "$MASTER/XAPIANDB"); do
		timeout 60 xapian-replicate -h 127.0.0.1 -p "$PORT" -m "db/$name" \
			-o -q -t 10 "$REPLICA/$name" >>"$T/replicate.log" 2>&1 \
			|| fails=$((fails + 1))
	done
	return "$fails"
}
mkdir -p "$REPLICA"
i=0
until replicate || [ "$i" -ge 20 ]; do   # the server may still be starting
	sleep 0.2
	i=$((i + 1))
done
ok "$([ "$i" -lt 20 ]; echo $?)" "every shard replicated"
sed 's/^glass /auto /' "$MASTER/XAPIANDB" >"$REPLICA/XAPIANDB.tmp"
mv "$REPLICA/XAPIANDB.tmp" "$REPLICA/XAPIANDB"
ok "$([ -f "$REPLICA/2022-12/XAPIANDB" ]; echo $?)" \
	"a replicated shard is a stub over the copy xapian-replicate swaps in"

for q in Bout 'Blinken Lavrov' '"Viktor Bout"' 'date:..9999'; do
	"$SEARCH" --db "$MASTER" --json -n 20 "$q" >"$T/a.out"
	"$SEARCH" --db "$REPLICA" --json -n 20 "$q" >"$T/b.out"
	cmp -s "$T/a.out" "$T/b.out"
	ok $? "the replica answers as the master: $q"
done
before=$("$SEARCH" --db "$REPLICA" --count 'date:..9999')

# the master changes: many new dispatches in one shard
mkdir -p "$T/new"
python3 - "$T/new/more.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(400):
        f.write(json.dumps({"id": "repl-%d" % i, "version": 1,
            "date": "2022-12-%02dT10:%02d:00+01:00" % (1 + i % 28, i % 60),
            "headline": "Réplique numéro %d" % i,
            "body": "Une dépêche de plus pour la réplique, numéro %d, assez longue pour compter." % i,
            "source": "AFP", "lang": "fr"}) + "\n")
PY
run "$INDEX" --db "$MASTER" --no-compact "$T/new"
is "$rc" 0 "the master indexes 400 more dispatches"
after=$("$SEARCH" --db "$MASTER" --count 'date:..9999')
is "$after" "$((before + 400))" "the master has them"

# searches of the replica while it is updated: the old count or the new
( while :; do
	"$SEARCH" --db "$REPLICA" --count 'date:..9999' 2>&1
	sleep 0.02
  done ) >"$T/counts" &
reader=$!
PIDS="$PIDS $reader"
sleep 0.2
replicate
ok $? "the replica catches up"
sleep 0.3
kill "$reader" 2>/dev/null
wait "$reader" 2>/dev/null
seen=$(sort -u "$T/counts" | tr '\n' ' ')
is "$(grep -cv "^\\($before\\|$after\\)\$" "$T/counts")" 0 \
	"searches during the update saw $before or $after, nothing else ($seen)"
ok "$([ "$(wc -l <"$T/counts")" -ge 3 ]; echo $?)" "several searches ran meanwhile"
is "$("$SEARCH" --db "$REPLICA" --count 'date:..9999')" "$after" \
	"the replica now has the new revision"
"$SEARCH" --db "$MASTER" --json -n 50 'réplique' >"$T/a.out"
"$SEARCH" --db "$REPLICA" --json -n 50 'réplique' >"$T/b.out"
cmp -s "$T/a.out" "$T/b.out"
ok $? "and answers as the master"
run "$INDEX" --db "$REPLICA" --status
like "$out" "by month" "--status reads the replicated state"

done_testing
