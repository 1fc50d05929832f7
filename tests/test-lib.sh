# test-lib.sh: shared setup for depeche's shell tests (TAP output).
#
# Sourced by tests/t-*.sh, which run from the build directory under
# `make check` with top_srcdir and top_builddir set.  Pins the locale and
# time zone, isolates HOME and the XDG directories in a temporary
# directory removed on exit, and offers small TAP helpers.

set -u

: "${top_srcdir:?run through make check (top_srcdir unset)}"
: "${top_builddir:?run through make check (top_builddir unset)}"

LC_ALL=C.UTF-8
TZ=UTC
export LC_ALL TZ
unset DEPECHE_DB DEPECHE_CONFIG XDG_CONFIG_HOME XDG_DATA_HOME NO_COLOR

INDEX="$top_builddir/indexer/depeche-index"
SEARCH="$top_builddir/query/depeche-search"
SAMPLE="$top_srcdir/sample"
FIXTURES="$top_srcdir/tests/fixtures"

T=$(mktemp -d "${TMPDIR:-/tmp}/depeche-test.XXXXXX") || exit 99
trap 'chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
HOME="$T/home"
mkdir -p "$HOME"
export HOME

tap_n=0
tap_failed=0

plan() {
	echo "1..$1"
}

skip_all() {
	echo "1..0 # SKIP $1"
	exit 0
}

# ok STATUS NAME: passes when STATUS is 0
ok() {
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_failed=$((tap_failed + 1))
	fi
}

# is GOT WANT NAME
is() {
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		echo "#   got: '$1'"
		echo "#  want: '$2'"
	fi
}

# like TEXT PATTERN NAME: TEXT contains the fixed string PATTERN
like() {
	case "$1" in
	*"$2"*) ok 0 "$3" ;;
	*)
		ok 1 "$3"
		echo "#   '$1'"
		echo "#   does not contain '$2'"
		;;
	esac
}

# unlike TEXT PATTERN NAME
unlike() {
	case "$1" in
	*"$2"*)
		ok 1 "$3"
		echo "#   '$1'"
		echo "#   contains '$2'"
		;;
	*) ok 0 "$3" ;;
	esac
}

skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n # SKIP $1"
}

# run CMD...: runs a command, keeping its stdout in $out, stderr in $err
# and exit status in $rc.
run() {
	"$@" >"$T/.out" 2>"$T/.err"
	rc=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
}

# The shared data (../shared beside the project), or empty when absent.
shared_dir() {
	d="${DP_SHARED:-$top_srcdir/../shared}"
	if [ -f "$d/DESIGN.md" ]; then
		echo "$d"
	fi
}

done_testing() {
	if [ "$tap_failed" -ne 0 ]; then
		exit 1
	fi
	exit 0
}
