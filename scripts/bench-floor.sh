#!/usr/bin/env bash
# `dlint image --no-cache` against the reading floor (benches/floor.rs: read, sha256, decompress,
# sha256 of every layer, scheduled as dlint schedules them, nothing else), side by side.
# Prints per image the best and the median CPU time (user+sys) and wall time of each over RUNS
# alternating runs, and the ratios dlint / floor. With CALLGRIND=1 it also counts the
# instructions of one run of each under valgrind (all threads; slow: ~50x), which does not
# depend on the load of the machine.
# Usage: scripts/bench-floor.sh IMAGE...
# Env: DLINT (default target/release/dlint), FLOOR (default: built by `cargo bench --no-run`),
#      RUNS (default 5), JOBS (default: all CPUs), CALLGRIND (default 0).
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 IMAGE..." >&2; exit 2; }
DLINT=${DLINT:-target/release/dlint}
RUNS=${RUNS:-5}
if [ -z "${FLOOR:-}" ]; then
  FLOOR=$(cargo bench --bench floor --no-run --message-format=json 2>/dev/null |
    python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "floor" and m.get("executable"):
        print(m["executable"])')
fi
[ -x "$FLOOR" ] || { echo "no floor binary (cargo bench --bench floor --no-run)" >&2; exit 2; }
[ -x "$DLINT" ] || { echo "no dlint binary at $DLINT (cargo build --release)" >&2; exit 2; }
j=()
[ -n "${JOBS:-}" ] && j=(-j "$JOBS")
floor_cmd=("$FLOOR" "${j[@]}")
dlint_cmd=("$DLINT" image --no-config --no-cache "${j[@]}")
once() { # cmd... image -> "wall cpu" in seconds
  local f; f=$(mktemp)
  /usr/bin/time -o "$f" -f "%e %U %S" "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; rm -f "$f"; exit 1; }
  tail -1 "$f" | awk '{printf "%.2f %.2f\n", $1, $2 + $3}'; rm -f "$f"
}
stats() { # file of "wall cpu" lines -> best and median CPU, best and median wall
  local m c w
  m=$(( ($(wc -l <"$1") + 1) / 2 ))
  c=$(cut -d' ' -f2 "$1" | sort -g); w=$(cut -d' ' -f1 "$1" | sort -g)
  echo "$(sed -n 1p <<<"$c") $(sed -n "${m}p" <<<"$c") $(sed -n 1p <<<"$w") $(sed -n "${m}p" <<<"$w")"
}
calls() { # cmd... image -> instructions (Ir) of all threads
  local out; out=$(mktemp -d)
  valgrind --tool=callgrind --dump-instr=no --callgrind-out-file="$out/cg.%p" "$@" >/dev/null 2>&1
  cat "$out"/cg.* | awk '/^summary:/ {s += $2} END {print s}'; rm -rf "$out"
}
echo "# $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), RUNS=$RUNS, dlint $DLINT"
printf '%-28s %-6s %17s %17s\n' image prog "CPU best/median" "wall best/median"
for img in "$@"; do
  name=$(basename "$img")
  fl=$(mktemp); dl=$(mktemp)
  for _ in $(seq "$RUNS"); do
    once "${floor_cmd[@]}" "$img" >>"$fl"
    once "${dlint_cmd[@]}" "$img" >>"$dl"
  done
  read -r fcb fcm fwb fwm < <(stats "$fl")
  read -r dcb dcm dwb dwm < <(stats "$dl")
  rm -f "$fl" "$dl"
  printf '%-28s %-6s %7.2f / %5.2f s %7.2f / %5.2f s\n' "$name" floor "$fcb" "$fcm" "$fwb" "$fwm"
  printf '%-28s %-6s %7.2f / %5.2f s %7.2f / %5.2f s\n' "" dlint "$dcb" "$dcm" "$dwb" "$dwm"
  printf '%-28s %-6s %7.2fx/ %5.2fx  %7.2fx/ %5.2fx\n' "" ratio \
    "$(awk "BEGIN{print $dcb/$fcb}")" "$(awk "BEGIN{print $dcm/$fcm}")" \
    "$(awk "BEGIN{print $dwb/$fwb}")" "$(awk "BEGIN{print $dwm/$fwm}")"
  if [ "${CALLGRIND:-0}" = 1 ]; then
    fi_=$(calls "${floor_cmd[@]}" "$img"); di=$(calls "${dlint_cmd[@]}" "$img")
    printf '%-28s instructions: floor %d, dlint %d, ratio %.3fx\n' "" "$fi_" "$di" \
      "$(awk "BEGIN{print $di/$fi_}")"
  fi
done
