#!/bin/sh
# depeche-serve in headless Chromium (tests/browser/browse.js, with
# playwright-core from npm): a search for Bout, a dispatch, the meetings
# of Blinken and Lavrov, the dossier on Viktor Bout and its chart.
#
# Skips when Chromium, node or tests/browser/node_modules is missing
# (scripts/install-deps installs them), unless DP_REQUIRE_BROWSER=1 (set
# by .ci/run), which makes a skip a failure.  With DP_SCREENSHOTS=DIR,
# the four pages are saved there as PNG (make screenshots).
#
# Makefile.am runs it after t-crash.sh: with Chromium on the CPUs, a kill
# of t-crash.sh can land while depeche-index is creating its database,
# and a database killed then (tables but no iamglass yet) is refused by
# every later run ("Failed to open glass revision file"): an indexer bug
# of its own, not this test's.
. "${top_srcdir:-.}/tests/test-lib.sh"
. "$top_srcdir/tests/serve-lib.sh"

CHROMIUM=${DP_CHROMIUM:-/usr/bin/chromium}
MODULES="$top_srcdir/tests/browser/node_modules"

cannot() {
	if [ "${DP_REQUIRE_BROWSER:-0}" = 1 ]; then
		echo "1..1"
		echo "not ok 1 - the browser test runs (DP_REQUIRE_BROWSER=1): $1"
		exit 1
	fi
	skip_all "$1"
}

[ -x "$CHROMIUM" ] || cannot "no Chromium at $CHROMIUM (apt-get install chromium, or set DP_CHROMIUM)"
command -v node >/dev/null 2>&1 || cannot "no node (apt-get install nodejs npm)"
[ -d "$MODULES/playwright-core" ] || cannot "no tests/browser/node_modules (cd tests/browser && npm ci)"

DB="$T/db"
"$INDEX" -q --db "$DB" "$SAMPLE" || { echo "Bail out! cannot index the sample"; exit 1; }
start_serve --db "$DB" --threads 2 || { echo "Bail out! depeche-serve did not start"; exit 1; }

shots=
if [ -n "${DP_SCREENSHOTS:-}" ]; then
	mkdir -p "$DP_SCREENSHOTS" && shots=$(cd "$DP_SCREENSHOTS" && pwd)
fi
export DP_CHROMIUM="$CHROMIUM"
# the browser's own profile and cache stay in the test's directory
NODE_PATH="$MODULES" timeout 180 node "$top_srcdir/tests/browser/browse.js" "$URL" $shots
rc=$?
stop_serve
exit $rc
