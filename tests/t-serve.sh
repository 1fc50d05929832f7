#!/bin/sh
# depeche-serve over the sample archive: options and exit codes, status
# codes, headers, escaping, limits, the JSON API byte for byte against
# depeche-search --json, the base path, following the indexer without a
# restart, 503 without a database.
. "${top_srcdir:-.}/tests/test-lib.sh"
. "$top_srcdir/tests/serve-lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is needed to ask the server"

plan 159

DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }

# ---- options ------------------------------------------------------------
run "$SERVE" --help
is "$rc" 0 "--help exits 0"
like "$out" "--listen HOST:PORT" "--help lists --listen"
like "$out" "--base-path" "--help lists --base-path"
run "$SERVE" --version
like "$out" "depeche-serve (depeche)" "--version names the program"
run "$SERVE" --bogus
is "$rc" 2 "an unknown option exits 2"
like "$err" "Try 'depeche-serve --help'" "and says where to look"
run "$SERVE" --db "$DB" --listen 127.0.0.1:99999
is "$rc" 2 "a port out of range exits 2"
run "$SERVE" --db "$DB" --threads 0
is "$rc" 2 "--threads 0 exits 2"
run "$SERVE" --db "$DB" --base-path 'x"y'
is "$rc" 2 "a base path with a quote exits 2"
run "$SERVE" --db "$DB" extra
is "$rc" 2 "an operand exits 2"
run "$SERVE" --db "$DB" --ranking "$T/none.yaml"
is "$rc" 78 "a missing ranking file exits 78"

# ---- a server over the sample -------------------------------------------
start_serve --db "$DB" --threads 4 || { echo "Bail out! depeche-serve did not start"; exit 1; }
ok 0 "depeche-serve starts on a free loopback port"

run "$SERVE" --db "$DB" --listen "127.0.0.1:$PORT"
is "$rc" 71 "a port in use exits 71"
like "$err" "cannot listen" "and says so"

fetch /
is "$status" 200 "the search page answers 200"
is "$(header content-type)" "text/html; charset=utf-8" "as HTML in UTF-8"
csp=$(header content-security-policy)
like "$csp" "default-src 'none'" "a Content-Security-Policy denies by default"
like "$csp" "style-src 'self'" "and allows our stylesheet"
unlike "$csp" "unsafe-inline" "and no inline script or style"
is "$(header x-content-type-options)" "nosniff" "X-Content-Type-Options: nosniff"
unlike "$body" "<script" "no script on the page"
unlike "$body" "style=" "no inline style on the page"
like "$body" '<html lang="fr">' "the page is in French"
like "$body" "dépêches indexées" "and counts the dispatches"

fetch /style.css
is "$status" 200 "the stylesheet answers 200"
is "$(header content-type)" "text/css; charset=utf-8" "as CSS"
like "$(header cache-control)" "max-age" "and may be cached"

fetch / q=Bout
is "$status" 200 "a search answers 200"
like "$body" "<mark>Viktor Bout</mark>" "the matched name is highlighted"
like "$body" 'href="/dispatch?id=' "hits link to their dispatch"
unlike "$body" "au bout de" "Bout is the name, not 'au bout de'"
like "$body" "<h3>Sources</h3>" "facets are shown"
like "$body" 'href="/?q=Bout&amp;source=AFP"' "a facet links to the filtered search"
like "$body" 'rel="next"' "results are paginated"
fetch / q=Bout source=Belga
like "$body" "1 dépêche" "the source filter narrows the search"
fetch / q=Bout page=2
like "$body" "11 à" "page 2 starts at result 11"
fetch / q=Bout all=1
unlike "$body" "une par sujet" "all=1 shows every version"
fetch / q=Elysee
like "$body" "<mark>" "Elysee finds Élysée, highlighted"
fetch / q=Griner since=2022-12-01 until=2022-12-31
like "$body" "déc. 2022" "since/until limit the dates"
unlike "$body" "juil. 2022" "and leave the others out"
fetch / q=Lavorv
like "$body" "Vouliez-vous dire" "a misspelling gets a 'did you mean'"
fetch / q=Lavorv source=AFP
like "$body" 'href="/?q=Lavrov&amp;source=AFP">Lavrov</a>' "with a filter, it suggests the words alone"
fetch / q=zorglubzorglub
is "$status" 200 "no match is still a page"
like "$body" "Aucune dépêche ne correspond" "that says so"

# ---- escaping -----------------------------------------------------------
for v in '<script>alert(1)</script>' '"><img src=x onerror=alert(1)>'; do
	for page in / /about /dispatch /meetings; do
		case $page in
		/) fetch / "q=$v" "source=$v" "place=$v" ;;
		/about) fetch /about "name=$v" ;;
		/dispatch) fetch /dispatch "id=x$v" "q=$v" ;;
		/meetings) fetch /meetings "p=$v" "p=Lavrov" ;;
		esac
		unlike "$body" "$v" "$page holds '$v' only escaped"
		case $v in
		'<script>'*) like "$body" "&lt;script&gt;alert(1)&lt;/script&gt;" "$page shows it escaped" ;;
		*) like "$body" "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;" "$page shows it escaped" ;;
		esac
	done
done
fetch / "q=<b>Bout</b>"
unlike "$body" "<b>Bout</b>" "markup in a query is never markup on the page"

# ---- the JSON API against depeche-search --json ---------------------------
# api_same NAME PATH ARGS -- CLI_ARGS: the API's body is the CLI's output
api_same() {
	name=$1 path=$2
	shift 2
	n=0
	for a in "$@"; do
		[ "$a" = -- ] && break
		n=$((n + 1))
	done
	i=0
	set -- "$@"
	apiargs=
	while [ "$i" -lt "$n" ]; do
		apiargs="$apiargs $(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
		shift
		i=$((i + 1))
	done
	shift  # --
	"$SEARCH" --db "$DB" --json "$@" > "$T/cli.json" 2>/dev/null
	eval "fetch \"\$path\" $apiargs"
	printf '%s' "$body" > "$T/api.json"
	# $(...) drops the last newline of both alike
	if [ "$status" = 200 ] && [ "$body" = "$(cat "$T/cli.json")" ] \
	   && [ -s "$T/cli.json" -o "$status" = 200 ]; then
		ok 0 "API = CLI: $name"
	else
		ok 1 "API = CLI: $name"
		echo "#   status $status"
		diff "$T/cli.json" "$T/api.json" | head -5 | sed 's/^/#   /'
	fi
}
for q in 'Bout' 'Blinken Lavrov' 'Etats-Unis' '"au bout de"' 'Griner OR Whelan' \
         'titre:Griner' 'source:Reuters' 'lieu:"Abou Dhabi"' 'Griner -Whelan' \
         "l'annexion" 'date:2022-07 prisonniers' 'Lavorv' 'zorglubzorglub' \
         'Viktor Bout accueilli héros Moscou' 'sujet:diplomatie' 'urgence:2'; do
	api_same "$q" /api/search "q=$q" -- "$q"
done
api_same "limit and offset" /api/search q=Griner limit=3 offset=2 -- -n 3 --offset 2 Griner
api_same "collapse" /api/search q=Griner collapse=1 -- -c Griner
api_same "facets" /api/search q=Bout facets=source,place,month,person -- --facets source,place,month,person Bout
api_same "since alone" /api/search since=2022-12 -- --since 2022-12
api_same "sort by date" /api/search q=Griner sort=date -- --sort date Griner
api_same "profile" /api/search q=Griner profile=archive -- -p archive Griner
api_same "explain" /api/search q=Griner explain=1 -- --explain Griner
api_same "literal" /api/search 'q=Blinken AND' literal=1 -- --literal 'Blinken AND'
api_same "count" /api/search q=Griner count=1 -- --count Griner
api_same "count and facets" /api/search q=Bout count=1 facets=source,person -- --count --facets source,person Bout
api_same "like" /api/search like=afp-20221209-griner-san-antonio -- --like afp-20221209-griner-san-antonio
api_same "meetings" /api/meetings p=Blinken p=Lavrov -- --meetings Blinken Lavrov
api_same "meetings, since" /api/meetings p=Blinken p=Lavrov since=2022-06 -- --meetings --since 2022-06 Blinken Lavrov
api_same "about" /api/about 'name=Viktor Bout' -- --about 'Viktor Bout'
api_same "about, limit" /api/about 'name=Brittney Griner' limit=2 -- --about -n 2 'Brittney Griner'
api_same "dispatch" /api/dispatch id=afp-20221208-bout-retour-moscou -- id:afp-20221208-bout-retour-moscou
api_same "dispatch by urn" /api/dispatch 'id=urn:newsml:afp.com:20221208:221208121402.v6k3tq8m' -- 'id:urn:newsml:afp.com:20221208:221208121402.v6k3tq8m'
fetch /api/search q=Bout
is "$(header content-type)" "application/x-ndjson; charset=utf-8" "the API answers JSON lines"
like "$(header content-security-policy)" "default-src 'none'" "with the same headers"

# ---- bad requests -----------------------------------------------------------
fetch /api/search
is "$status" 400 "/api/search without q is 400"
like "$body" '"error":' "with a JSON error"
fetch /api/search q=Bout limit=abc
is "$status" 400 "a limit that is no number is 400"
fetch /api/search q=Bout limit=101
is "$status" 400 "a limit above 100 is 400"
fetch /api/search q=Bout offset=10001
is "$status" 400 "an offset above 10000 is 400"
fetch /api/search "q=$(printf '%01100d' 0)"
is "$status" 400 "a query over 1024 bytes is 400"
fetch /api/search q=Bout since=2022-13
is "$status" 400 "a bad date is 400"
fetch /api/search q=Bout profile=nope
is "$status" 400 "an unknown profile is 400"
fetch /api/search q=Bout facets=colour
is "$status" 400 "an unknown facet is 400"
fetch /api/search 'q=Blinken AND'
is "$status" 400 "a query syntax error is 400"
like "$body" "column 9" "and names the column"
fetch / 'q=(Blinken'
is "$status" 400 "the page answers a syntax error with 400"
like "$body" "missing" "and says what is wrong"
fetch '/?q=%FF'
is "$status" 400 "a query that is not UTF-8 is 400"
fetch / q=Bout page=0
is "$status" 400 "page 0 is 400"
fetch /api/meetings p=Blinken
is "$status" 400 "meetings of one person is 400"
fetch /meetings p=Blinken
is "$status" 400 "the meetings page too"
fetch /meetings p=A p=B p=C p=D p=E
is "$status" 400 "five people are too many"
fetch /api/about
is "$status" 400 "/api/about without a name is 400"
fetch /dispatch
is "$status" 400 "a dispatch without id is 400"
fetch /dispatch id=nope-nope
is "$status" 404 "an unknown dispatch is 404"
fetch /api/dispatch id=nope-nope
is "$status" 404 "in the API too"
fetch /nowhere
is "$status" 404 "an unknown page is 404"
is "$(header content-type)" "text/html; charset=utf-8" "as a page"
fetch /api/nowhere
is "$status" 404 "an unknown API is 404"
fetch -X POST -d x=1 /
is "$status" 405 "POST is 405"
is "$(header allow)" "GET, HEAD" "with Allow: GET, HEAD"
fetch -X HEAD / q=Bout
is "$status" 200 "HEAD answers 200"
is "$body" "" "without a body"
fetch -H "X-Big: $(printf '%040000d' 0)" /
ok "$([ "$status" != 200 ]; echo $?)" "a 40 KB request header is refused ($status)"

# ---- the pages --------------------------------------------------------------
fetch /dispatch id=afp-20221208-bout-retour-moscou q=Bout
is "$status" 200 "a dispatch page answers 200"
like "$body" '<article class="dispatch">' "with the dispatch"
like "$body" "<mark>Viktor Bout</mark>" "its matched words highlighted"
like "$body" "Dépêches proches" "and more like it"
fetch /dispatch id=afp-20221210-bout-entretien-tv
unlike "$body" 'id="versions"' "a story of one dispatch lists no versions"
fetch /meetings p=Blinken p=Lavrov
is "$status" 200 "the meetings page answers 200"
like "$body" "Antony Blinken + Sergueï Lavrov" "for both people"
like "$body" '<p class="evidence">' "with the evidence sentences"
fetch /meetings
is "$status" 200 "the meetings form answers 200"
fetch /about 'name=Viktor Bout'
is "$status" 200 "the dossier answers 200"
like "$body" "<svg" "with an SVG chart"
like "$body" 'class="bar"' "of bars"
like "$body" 'href="/about?name=Brittney%20Griner"' "co-mentioned people are links"

# ---- requests at once ----------------------------------------------------------
# 8 clients, 10 requests each, over keep-alive connections: every answer
# is the one a single request got
fetch /api/search q=Griner
printf '%s\n' "$body" > "$T/one.json"
python3 - "$PORT" "$T/one.json" > "$T/many.out" 2>&1 <<'EOD'
import http.client, sys, threading
port, want = int(sys.argv[1]), open(sys.argv[2], "rb").read()
bad = []
def client():
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    for _ in range(10):
        c.request("GET", "/api/search?q=Griner")
        r = c.getresponse()
        body = r.read()
        if r.status != 200 or body != want:
            bad.append(r.status)
ts = [threading.Thread(target=client) for _ in range(8)]
for t in ts: t.start()
for t in ts: t.join()
print("bad", len(bad))
EOD
is "$(cat "$T/many.out")" "bad 0" "80 requests from 8 clients at once all get the same answer"

# ---- the base path -----------------------------------------------------------
stop_serve
start_serve --db "$DB" --base-path /depeche/ || { echo "Bail out! no restart"; exit 1; }
fetch /depeche/ q=Bout
is "$status" 200 "with --base-path the pages are under it"
like "$body" 'href="/depeche/style.css"' "the stylesheet link has the prefix"
like "$body" 'href="/depeche/dispatch?id=' "and the dispatch links"
fetch / q=Bout
is "$status" 200 "a proxy that strips the prefix is served too"
fetch /depeche/api/search q=Bout
is "$status" 200 "the API is under the prefix"

# ---- following the indexer -------------------------------------------------------
mkdir -p "$T/extra"
cat > "$T/extra/zz.txt" <<'EOD'
Id: test-20240801-zanzibar
Date: 2024-08-01T10:00:00+02:00
Source: AFP
Lang: fr
Dateline: Zanzibar
Headline: Un quokkazorg observé à Zanzibar

Zanzibar, 1er août 2024 (AFP) - Un quokkazorg a été observé jeudi sur une plage de Zanzibar.
EOD
# the same slug on the same day: the same story as a sample dispatch
cat > "$T/extra/bout2.txt" <<'EOD'
Id: test-20221210-bout-suite
Date: 2022-12-10T18:30:00+01:00
Source: AFP
Lang: fr
Dateline: Moscou
Slug: Russie-USA-prisonniers-Bout
Headline: Viktor Bout reçu par des députés nationalistes

Moscou, 10 déc 2022 (AFP) - Le marchand d'armes Viktor Bout a été reçu samedi par des députés nationalistes russes.
EOD
fetch /api/search q=quokkazorg
is "$body" "" "a word not yet indexed finds nothing"
"$INDEX" -q --db "$DB" "$T/extra"
fetch /api/search q=quokkazorg
like "$body" "test-20240801-zanzibar" "after the indexer commits, the server finds it without a restart"
fetch / q=Bout
like "$body" "+1 autre version ou copie" "two dispatches of a story are folded into one hit"
fetch /dispatch id=afp-20221210-bout-entretien-tv
like "$body" 'id="versions"' "the dispatch page lists its story"
like "$body" "reçu par des députés" "with the other dispatch"

# ---- no database --------------------------------------------------------------------
stop_serve
start_serve --db "$T/later" || { echo "Bail out! no start without a database"; exit 1; }
like "$(cat "$T/serve.err")" "warning" "a missing database is a warning at the start"
fetch / q=Bout
is "$status" 503 "then pages answer 503"
like "$body" "introuvable" "saying the database is missing"
fetch /api/search q=Bout
is "$status" 503 "and the API too"
is "$(header retry-after)" 5 "with Retry-After"
"$INDEX" -q --db "$T/later" "$SAMPLE"
fetch /api/search q=Bout
is "$status" 200 "once the database exists it is served, without a restart"

# ---- stopping ------------------------------------------------------------------------
kill -0 "$SERVE_PID" 2>/dev/null
ok $? "the server is still running after all of that"
kill -TERM "$SERVE_PID"
wait "$SERVE_PID"
is "$?" 0 "SIGTERM stops it with status 0"
SERVE_PID=
# SIGINT too (the server un-ignores it: a shell may start background jobs
# with SIGINT ignored)
start_serve --db "$DB" || { echo "Bail out! no restart"; exit 1; }
kill -INT "$SERVE_PID"
i=0
while kill -0 "$SERVE_PID" 2>/dev/null && [ "$i" -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
if kill -0 "$SERVE_PID" 2>/dev/null; then
	ok 1 "SIGINT stops it with status 0 too"
	stop_serve
else
	wait "$SERVE_PID"
	is "$?" 0 "SIGINT stops it with status 0 too"
	SERVE_PID=
fi

done_testing
