#!/usr/bin/env bash
# check-compare-html.sh - render `dlint compare --format html` in headless Chromium and check that
# it renders without errors: the page loads from a file:// URL with the network disabled, the
# DOM after rendering still holds the charts (two treemaps, the layer bars, all tables), Chromium
# logs no console/JS/resource errors, and the screenshot is a real picture (not blank).
#
# Usage: scripts/check-compare-html.sh A B [screenshot.png]
#   default A/B: /work/images/alpine.docker.tar /work/images/debian-slim.docker.tar
#   The browser part is scripts/check-html-chromium.sh (shared with check-image-html.sh).
#   (build them with OUT=/work/images ONLY="alpine debian" ../shared/tools/make-images.sh)
# Needs: chromium (Debian: apt-get install -y chromium), python3. Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:-/work/images/alpine.docker.tar}
B=${2:-/work/images/debian-slim.docker.tar}
PNG=${3:-docs/compare.png}
DLINT=${DLINT:-target/debug/dlint}
[ -x "$DLINT" ] || cargo build -q
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
HTML="$TMP/compare.html"
"$DLINT" compare "$A" "$B" --format html --depth 2 -o "$HTML"

scripts/check-html-chromium.sh --self-contained "$HTML" "$PNG" \
  "two treemaps@@dom.count('aria-label=\"sizes by directory of') == 2" \
  "layer bars@@'aria-label=\"layers of both images\"' in dom" \
  "tables@@dom.count('<table') >= 6"
