#!/usr/bin/env bash
# Peak RSS of `dlint image` and `dlint compare` on images with many paths: two docker-save
# archives of one layer with N empty files under /m/ (scripts/gen-many-paths.py; the second is
# the "next build": every 10th file renamed, every 7th one byte long), and `big` when
# $IMAGES/big.docker.tar exists. Prints peak RSS and bytes per path of the final filesystem.
# Usage: scripts/bench-memory.sh [N]      (default N = 1000000)
# Env: DLINT (default target/release/dlint), IMAGES (default images), KEEP=dir to reuse the
#      generated archives (written there once).
set -euo pipefail
N=${1:-1000000}
DLINT=${DLINT:-target/release/dlint}
IMAGES=${IMAGES:-images}
here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${KEEP:-}" ]; then dir=$KEEP; mkdir -p "$dir"; else dir=$(mktemp -d); trap 'rm -rf "$dir"' EXIT; fi
a=$dir/many-$N-a.tar b=$dir/many-$N-b.tar
[ -s "$a" ] || python3 "$here/gen-many-paths.py" "$a" --paths "$N"
[ -s "$b" ] || python3 "$here/gen-many-paths.py" "$b" --paths "$N" --variant b
rss() { # label paths cmd... -> peak RSS in MiB and bytes per path
  local label=$1 paths=$2; shift 2
  local f; f=$(mktemp)
  /usr/bin/time -o "$f" -f "%M %e" "$@" >/dev/null
  read -r kib secs <"$f"; rm -f "$f"
  printf '%-34s %7d MiB peak RSS  %6.1f B per path (peak / paths)  %6.2f s\n' "$label" $((kib / 1024)) \
    "$(awk "BEGIN{print $kib * 1024 / $paths}")" "$secs"
}
paths() { "$DLINT" image "$1" --format json | python3 -c 'import json,sys; print(json.load(sys.stdin)["totals"]["paths"])'; }
pa=$(paths "$a") pb=$(paths "$b")
rss "image ($pa paths)" "$pa" "$DLINT" image "$a"
rss "compare ($pa + $pb paths)" $((pa + pb)) "$DLINT" compare "$a" "$b"
if [ -s "$IMAGES/big.docker.tar" ]; then
  pbig=$(paths "$IMAGES/big.docker.tar")
  rss "image big ($pbig paths)" "$pbig" "$DLINT" image "$IMAGES/big.docker.tar"
  rss "compare big big" $((2 * pbig)) "$DLINT" compare "$IMAGES/big.docker.tar" "$IMAGES/big.docker.tar"
fi
