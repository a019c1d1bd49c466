#!/usr/bin/env bash
# Times the layer cache: `dlint image` without the cache, cold (first run, fills the cache) and
# warm (second run); `dlint compare MAIN MR` without the cache and with MAIN already analysed
# (the merge-request case: MR shares all but its top layer with MAIN).
# Usage: scripts/bench-cache.sh IMAGE [MAIN MR]
#   IMAGE      any archive or layout dlint reads (e.g. images/big.oci.tar)
#   MAIN, MR   two images sharing layers (scripts/gen-compare-pair.py makes big-a, big-b-new)
# Env: DLINT (default target/release/dlint), RUNS (default 3; best wall time is kept).
# The cache directory is a temporary one, removed on exit.
set -euo pipefail
DLINT=${DLINT:-target/release/dlint}
RUNS=${RUNS:-3}
img=$1; main=${2:-}; mr=${3:-}
cache=$(mktemp -d)
trap 'rm -rf "$cache"' EXIT
best() { # cmd... -> best wall time in seconds over $RUNS runs (prints it)
  local b=
  for _ in $(seq "$RUNS"); do
    local f w; f=$(mktemp)
    /usr/bin/time -o "$f" -f "%e" "$@" >/dev/null 2>&1
    w=$(tail -1 "$f"); rm -f "$f"
    if [ -z "$b" ] || awk "BEGIN{exit !($w < $b)}"; then b=$w; fi
  done
  echo "$b"
}
once() { # cmd... -> wall time of one run
  local f; f=$(mktemp)
  /usr/bin/time -o "$f" -f "%e" "$@" >/dev/null 2>&1
  tail -1 "$f"; rm -f "$f"
}
row() { printf '%-46s %8.2f s  %5.1f %%\n' "$1" "$2" "$(awk "BEGIN{print 100*$2/$3}")"; }
echo "# $(basename "$img"): $(du -sh "$img" | cut -f1) on disk, $(nproc) CPUs"
plain=$(best "$DLINT" image --no-config --no-cache "$img")
rm -rf "$cache"/*
cold=$(once "$DLINT" image --no-config --cache-dir "$cache" "$img")
warm=$(best "$DLINT" image --no-config --cache-dir "$cache" "$img")
row "dlint image --no-cache" "$plain" "$plain"
row "dlint image, cold cache (first run)" "$cold" "$plain"
row "dlint image, warm cache (second run)" "$warm" "$plain"
echo "cache: $(du -sh "$cache" | cut -f1) in $(find "$cache" -name '*.dlc' | wc -l) entries"
if [ -n "$main" ] && [ -n "$mr" ]; then
  echo "# compare $(basename "$main") $(basename "$mr")"
  cplain=$(best "$DLINT" compare --no-cache "$main" "$mr")
  rm -rf "$cache"/*
  "$DLINT" image --no-config --cache-dir "$cache" "$main" >/dev/null
  keep=$(ls "$cache")
  # each run starts from the cache holding MAIN only (MR's top layer not yet cached)
  cwarm=
  for _ in $(seq "$RUNS"); do
    for f in $(ls "$cache"); do
      grep -qxF "$f" <<<"$keep" || rm -f "$cache/$f"
    done
    w=$(once "$DLINT" compare --cache-dir "$cache" "$main" "$mr")
    if [ -z "$cwarm" ] || awk "BEGIN{exit !($w < $cwarm)}"; then cwarm=$w; fi
  done
  row "dlint compare --no-cache" "$cplain" "$cplain"
  row "dlint compare, MAIN cached, MR's top layer not" "$cwarm" "$cplain"
fi
