# serve-lib.sh: starting depeche-serve for a test, and asking it.
#
# Sourced after test-lib.sh by t-serve.sh and t-browser.sh.  start_serve
# starts the server on a free loopback port (port 0: it prints the one it
# got); the server is stopped when the test exits, however it exits.

SERVE="$top_builddir/serve/depeche-serve"
HTTP="$top_srcdir/tests/http-get.py"
SERVE_PID=

stop_serve() {
	if [ -n "$SERVE_PID" ]; then
		kill "$SERVE_PID" 2>/dev/null
		wait "$SERVE_PID" 2>/dev/null
		SERVE_PID=
	fi
}
trap 'stop_serve; chmod -R u+w "$T" 2>/dev/null; rm -rf "$T"' EXIT
# killed (or our reader gone: SIGPIPE), stop the server all the same
trap 'exit 1' HUP INT PIPE TERM

# start_serve ARG...: starts depeche-serve ARG... on 127.0.0.1, a free
# port; sets PORT and URL.  Returns 1 when it did not start in 10 s.
start_serve() {
	: > "$T/serve.err"
	"$SERVE" --listen 127.0.0.1:0 "$@" 2>"$T/serve.err" &
	SERVE_PID=$!
	PORT=
	i=0
	while [ "$i" -lt 100 ]; do
		PORT=$(sed -n 's|.*listening on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' \
		       "$T/serve.err")
		[ -n "$PORT" ] && break
		kill -0 "$SERVE_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	if [ -z "$PORT" ]; then
		cat "$T/serve.err" | sed 's/^/# /'
		stop_serve
		return 1
	fi
	URL="http://127.0.0.1:$PORT"
}

# fetch [-X METHOD ...] PATH [NAME=VALUE]...: asks the server; sets
# $status, $body and $headers ("" status when no answer came).
fetch() {
	opts=
	while [ $# -gt 0 ]; do
		case $1 in
		-X|-d|-H) opts="$opts $1"; shift ;;
		*) break ;;
		esac
		opts="$opts $(printf '%s' "$1" | sed "s/'/'\\\\''/g; s/^/'/; s/\$/'/")"
		shift
	done
	path=$1
	shift
	mkdir -p "$T/http"
	rm -f "$T/http/status" "$T/http/headers" "$T/http/body"
	eval "python3 \"\$HTTP\" $opts \"\$T/http\" \"\$URL\$path\" \"\$@\"" 2>/dev/null
	status=$(cat "$T/http/status" 2>/dev/null)
	headers=$(cat "$T/http/headers" 2>/dev/null)
	body=$(cat "$T/http/body" 2>/dev/null)
}

# header NAME: the value of a header of the last fetch
header() {
	printf '%s\n' "$headers" | sed -n "s/^$1: //p" | head -1
}
