#!/usr/bin/env python3
"""http-get.py: a small HTTP client for the depeche-serve tests.

    http-get.py [-X METHOD] [-d DATA] [-H 'Name: value'] OUTDIR URL [NAME=VALUE]...

Requests URL with the arguments NAME=VALUE percent-encoded into its query
(repeat a NAME for several values), and writes OUTDIR/status (the status
code), OUTDIR/headers (one "name: value" a line, names in lower case) and
OUTDIR/body.  Exits 0 when a response came, whatever its status; 1 when
no response came within 20 seconds."""
import sys
import urllib.error
import urllib.parse
import urllib.request

args = sys.argv[1:]
method, data, headers = "GET", None, {}
while args and args[0] in ("-X", "-d", "-H"):
    opt, val = args[0], args[1]
    args = args[2:]
    if opt == "-X":
        method = val
    elif opt == "-d":
        data = val.encode()
    else:
        k, v = val.split(":", 1)
        headers[k.strip()] = v.strip()
outdir, url = args[0], args[1]
pairs = [tuple(a.split("=", 1)) for a in args[2:]]
if pairs:
    url += ("&" if "?" in url else "?") + urllib.parse.urlencode(pairs)
req = urllib.request.Request(url, data=data, method=method, headers=headers)
try:
    resp = urllib.request.urlopen(req, timeout=20)
    status, hdrs, body = resp.status, resp.headers, resp.read()
except urllib.error.HTTPError as e:
    status, hdrs, body = e.code, e.headers, e.read()
except Exception as e:  # no answer: refused, reset, timed out
    sys.stderr.write("http-get.py: %s: %s\n" % (url, e))
    sys.exit(1)
with open(outdir + "/status", "w") as f:
    f.write("%d\n" % status)
with open(outdir + "/headers", "w") as f:
    for k, v in hdrs.items():
        f.write("%s: %s\n" % (k.lower(), v))
with open(outdir + "/body", "wb") as f:
    f.write(body)
