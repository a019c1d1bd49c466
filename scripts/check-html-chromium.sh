#!/usr/bin/env bash
# check-html-chromium.sh - the check shared by check-image-html.sh and check-compare-html.sh:
# render one HTML file in headless Chromium from a file:// URL with the network disabled, fail on
# any console/JS/resource error, on a DOM lacking what the CHECKs ask for, or on a screenshot
# that is blank or not 1200x1600.
#
# Usage: scripts/check-html-chromium.sh [--self-contained] HTML PNG 'label@@python expr on dom'...
#   --self-contained: also fail when the file holds a script or references an external resource.
# Needs: chromium (Debian: apt-get install -y chromium), python3. Exits non-zero on any failure.
set -euo pipefail
SELF=0
if [ "${1:-}" = "--self-contained" ]; then SELF=1; shift; fi
HTML=${1:?usage: check-html-chromium.sh [--self-contained] HTML PNG CHECK...}
PNG=${2:?usage: check-html-chromium.sh [--self-contained] HTML PNG CHECK...}
shift 2
command -v chromium >/dev/null || { echo "chromium not installed (apt-get install -y chromium)" >&2; exit 2; }
if [ "$SELF" = 1 ] && grep -Eiq '<script|<link[^>]+href=|src="(https?:)?//|url\((https?:)?//|@import' "$HTML"; then
  echo "FAIL: report references scripts or external resources" >&2; exit 1
fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FLAGS=(--headless --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run
       --proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' --user-data-dir="$TMP/profile"
       --enable-logging=stderr --v=0 --window-size=1200,1600)
chromium "${FLAGS[@]}" --dump-dom "file://$HTML" >"$TMP/dom.html" 2>"$TMP/dom.log" || {
  echo "FAIL: chromium --dump-dom exited $?" >&2; cat "$TMP/dom.log" >&2; exit 1; }
mkdir -p "$(dirname "$PNG")"
chromium "${FLAGS[@]}" --hide-scrollbars --screenshot="$PNG" "file://$HTML" >"$TMP/shot.log" 2>&1 || {
  echo "FAIL: chromium --screenshot exited $?" >&2; cat "$TMP/shot.log" >&2; exit 1; }
# Console messages, uncaught errors and failed loads show up in Chromium's log as CONSOLE(...) /
# "Uncaught" / net::ERR_ lines.
if grep -Eh 'CONSOLE|Uncaught|net::ERR_|Failed to load' "$TMP/dom.log" "$TMP/shot.log"; then
  echo "FAIL: chromium reported errors while rendering" >&2; exit 1
fi
python3 - "$TMP/dom.html" "$PNG" "$HTML" "$@" <<'PY'
import os, sys, struct, zlib
dom = open(sys.argv[1], encoding="utf-8").read()
checks = [a.split("@@", 1) for a in sys.argv[4:]]
bad = [label for label, expr in checks if not eval(expr, {"dom": dom})]
if bad:
    sys.exit(f"FAIL: rendered DOM lacks: {', '.join(bad)}")
# PNG sanity: right size, and not one flat colour (decode the first IDAT rows cheaply).
data = open(sys.argv[2], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit("FAIL: screenshot is not a PNG")
w, h = struct.unpack(">II", data[16:24])
if (w, h) != (1200, 1600):
    sys.exit(f"FAIL: screenshot is {w}x{h}, expected 1200x1600")
idat, i = b"", 8
while i < len(data):
    n, = struct.unpack(">I", data[i:i+4]); kind = data[i+4:i+8]
    if kind == b"IDAT": idat += data[i+8:i+8+n]
    i += 12 + n
raw = zlib.decompress(idat)
if len(set(raw[: len(raw) // 2])) < 8:
    sys.exit("FAIL: screenshot looks blank")
size = os.path.getsize(sys.argv[3])
print(f"ok: {size} bytes of HTML; {sys.argv[2]} {w}x{h}, {len(data)} bytes; DOM has {', '.join(l for l, _ in checks)}")
PY
