#!/usr/bin/env python3
"""Compare dlint with tally, per tally rule, by the set of files each flags.

Usage:
    scripts/compare-tally.py [--dlint PATH] [--tally PATH] [--jobs N] [--timeout S]
                             [--list RULE:only-tally|only-dlint] [CORPUS_DIR]

CORPUS_DIR defaults to $DLINT_SHARED/corpus/dockerfiles (../shared beside the repository).

tally (`pip install tally-cli`) stops at the first file it cannot parse, so it runs once per
file (`tally lint --no-config -f json FILE`), N at a time (default 2), each with a timeout
(default 30 s). Its output is cached in target/tally-corpus.json (delete it to re-run tally).
dlint runs once over the whole corpus (`--no-config -f json`, every rule enabled with
the mapped rules named with `--warning` so that opt-in ones count).

Prints a Markdown table: for every tally rule (its own `tally/` rules; hadolint's and
BuildKit's are left to the other parity pages), the files it flags, its mapping from
docs/parity/tally.tsv, and for rules mapped to dlint ids the files where any mapped dlint rule
fires too, their share of tally's files, and the files only dlint flags.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "docs", "parity", "tally.tsv")


def corpus_files(corpus):
    return sorted(
        os.path.join(corpus, f)
        for f in os.listdir(corpus)
        if os.path.isfile(os.path.join(corpus, f)) and not f.endswith(".txt")
    )


def tally_one(tally, path, timeout):
    """The tally rules firing in one file, or None when tally failed on it."""
    try:
        p = subprocess.run(
            [tally, "lint", "--no-config", "-f", "json", path],
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return None
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None
    rules = set()
    for f in doc.get("files") or []:
        for v in f.get("violations") or []:
            rules.add(v.get("rule", ""))
    return sorted(rules)


def run_tally(tally, files, jobs, timeout, cache):
    if os.path.exists(cache):
        with open(cache) as f:
            return json.load(f)
    out = {}
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futs = {pool.submit(tally_one, tally, p, timeout): p for p in files}
        for fut in concurrent.futures.as_completed(futs):
            out[os.path.basename(futs[fut])] = fut.result()
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        json.dump(out, f, indent=0, sort_keys=True)
    return out


def run_dlint(dlint, corpus, ids):
    # Naming a rule in a severity override enables it when it is opt-in.
    enable = [a for i in sorted(ids) for a in ("--warning", i)]
    p = subprocess.run(
        [dlint, "lint", "--no-config", "--no-fail", *enable, "-f", "json", corpus],
        capture_output=True,
        text=True,
    )
    if p.returncode not in (0, 1):
        sys.exit(f"dlint exited {p.returncode}: {p.stderr}")
    by_rule = {}
    for x in json.loads(p.stdout)["findings"]:
        by_rule.setdefault(x["rule"], set()).add(os.path.basename(x["file"]))
    return by_rule


def read_mapping():
    m = {}
    if not os.path.exists(TSV):
        return m
    with open(TSV) as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            cols = line.split("\t")
            m[cols[0]] = cols[1] if len(cols) > 1 else ""
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    shared = os.environ.get("DLINT_SHARED") or os.path.join(ROOT, "..", "shared")
    ap.add_argument("corpus", nargs="?", default=os.path.join(shared, "corpus", "dockerfiles"))
    ap.add_argument("--dlint", default=os.path.join(ROOT, "target", "debug", "dlint"))
    ap.add_argument("--tally", default="tally")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=float, default=30.0)
    ap.add_argument("--cache", default=os.path.join(ROOT, "target", "tally-corpus.json"))
    ap.add_argument("--list", help="RULE:only-tally or RULE:only-dlint: print those files")
    args = ap.parse_args()

    files = corpus_files(args.corpus)
    t = run_tally(args.tally, files, args.jobs, args.timeout, args.cache)
    mapping = read_mapping()
    ids = {i for v in mapping.values() if v not in ("fmt", "-", "") for i in v.split(",")}
    d = run_dlint(args.dlint, args.corpus, ids)

    ok = {f: r for f, r in t.items() if r is not None}
    tally_rules = {}
    for f, rules in ok.items():
        for r in rules:
            tally_rules.setdefault(r, set()).add(f)

    def dlint_files(ids):
        s = set()
        for i in ids:
            s |= d.get(i, set())
        return s & set(ok)

    if args.list:
        rule, which = args.list.split(":")
        tf = tally_rules.get(rule, set())
        df = dlint_files(mapping.get(rule.removeprefix("tally/"), "").split(","))
        for f in sorted(tf - df if which == "only-tally" else df - tf):
            print(f)
        return

    print(f"tally ran on {len(ok)} of {len(files)} files ({len(files) - len(ok)} failed or timed out).\n")
    print("| tally rule | files | maps to | both | share | only dlint |")
    print("|---|---:|---|---:|---:|---:|")
    own = sorted(
        (r for r in tally_rules if r.startswith("tally/")),
        key=lambda r: (-len(tally_rules[r]), r),
    )
    for r in own:
        name = r.removeprefix("tally/")
        tf = tally_rules[r]
        target = mapping.get(name, "?")
        if target in ("fmt", "-", "?", ""):
            print(f"| {name} | {len(tf)} | {target or '?'} | | | |")
            continue
        df = dlint_files(target.split(","))
        both = len(tf & df)
        print(f"| {name} | {len(tf)} | {target} | {both} | {100 * both / len(tf):.0f}% | {len(df - tf)} |")


if __name__ == "__main__":
    main()
