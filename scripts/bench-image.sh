#!/usr/bin/env bash
# Times `dlint image` against dive and against the gzip floor (two `gzip -dc` in parallel over
# the layer blobs), reporting wall time and peak RSS.
# Usage: scripts/bench-image.sh ARCHIVE.tar [OCI_DIR_WITH_BLOBS] [--no-dive]
#   ARCHIVE.tar  any archive dlint reads (dive needs a docker-archive)
#   OCI_DIR      directory whose blobs/sha256/* are the same layers (for the gzip floor);
#                default: ARCHIVE.tar is unpacked into a temporary directory (not timed)
# Env: DLINT (default target/release/dlint), JOBS (default: all CPUs), RUNS (default 3).
set -euo pipefail
DLINT=${DLINT:-target/release/dlint}
RUNS=${RUNS:-3}
img=$1; dir=${2:-}; nodive=${3:-}
[ "$dir" = --no-dive ] && { dir=; nodive=--no-dive; }
tmp=
if [ -z "$dir" ]; then
  tmp=$(mktemp -d); dir=$tmp
  tar -xf "$img" -C "$tmp" blobs 2>/dev/null || tar -xf "$img" -C "$tmp"
fi
trap '[ -n "$tmp" ] && rm -rf "$tmp"' EXIT
t() { # label cmd...  -> best wall time and its peak RSS over $RUNS runs
  local label=$1; shift; local best= rss=
  for _ in $(seq "$RUNS"); do
    local out f; f=$(mktemp)
    /usr/bin/time -o "$f" -f "%e %M" "$@" >/dev/null 2>&1 || true
    out=$(tail -1 "$f"); rm -f "$f"
    local w=${out% *} m=${out#* }
    if [ -z "$best" ] || awk "BEGIN{exit !($w < $best)}"; then best=$w; rss=$m; fi
  done
  printf '%-28s %8.2f s  %7d MiB peak RSS\n' "$label" "$best" $((rss / 1024))
}
layers() { # gzip-compressed layer blobs
  for f in "$dir"/blobs/sha256/*; do
    [ "$(head -c2 "$f" | od -An -tx1 | tr -d ' \n')" = 1f8b ] && echo "$f"
  done
}
echo "# $(basename "$img"): $(du -h "$img" | cut -f1) on disk, $(nproc) CPUs"
t "dlint image${JOBS:+ -j$JOBS}" "$DLINT" image --no-config ${JOBS:+-j "$JOBS"} "$img"
t "dlint image --no-verify" "$DLINT" image --no-config --no-verify "$img"
if [ -n "$(layers | head -1)" ]; then
  t "gzip -dc x2 (floor)" sh -c "$(declare -f layers); dir='$dir'; layers | xargs -P2 -n1 sh -c 'gzip -dc \"\$0\" > /dev/null'"
fi
if [ "$nodive" != --no-dive ] && command -v dive >/dev/null; then
  RUNS=1 t "dive --ci" dive --ci --source docker-archive "$img"
fi
