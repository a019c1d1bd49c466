#!/usr/bin/env python3
"""Compare dlint with tally, per tally rule, by the set of files each flags.

Usage:
    scripts/compare-tally.py [--dlint PATH] [--tally PATH] [--jobs N] [--batch N] [--timeout S]
                             [--list RULE:only-tally|only-dlint] [CORPUS_DIR]

CORPUS_DIR defaults to $DLINT_SHARED/corpus/dockerfiles (../shared beside the repository).

tally (`pip install tally-cli`) stops at the first file it cannot parse, so it runs on batches of
files (`tally lint --no-config -f json FILE...`, --batch at a time, default 40), N batches at a
time (default 2); a batch it aborts on is halved until the file it cannot parse runs alone.
Its output is cached in target/tally-corpus.json (delete it to re-run tally). dlint runs once
over the whole corpus (`--no-config -f json`, every rule enabled with the mapped rules named
with `--warning` so that opt-in ones count), and `dlint fmt -` once per file.

Prints a Markdown table: for every tally rule (its own `tally/` rules; hadolint's and
BuildKit's are left to the other parity pages), the files it flags, its mapping from
docs/parity/tally.tsv, and for rules mapped to dlint ids the files where any mapped dlint rule
fires too, their share of tally's files, and the files only dlint flags. For rules mapped to
`fmt`, a file counts when `dlint fmt` changes it in that rule's respect (FMT_MEASURES, printed
under the table).
"""

import argparse
import concurrent.futures
import json
import os
import re
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


def tally_batch(tally, paths, timeout):
    """The tally rules firing in each of `paths` (basename -> sorted rules), or None when tally
    failed on the batch (it aborts the whole run at the first file it cannot parse)."""
    try:
        p = subprocess.run(
            [tally, "lint", "--no-config", "-f", "json", *paths],
            capture_output=True,
            text=True,
            timeout=timeout * len(paths),
        )
    except subprocess.TimeoutExpired:
        return None
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None
    out = {os.path.basename(x): [] for x in paths}
    for f in doc.get("files") or []:
        rules = set(out.get(os.path.basename(f.get("file", "")), []))
        for v in f.get("violations") or []:
            rules.add(v.get("rule", ""))
        out[os.path.basename(f.get("file", ""))] = sorted(rules)
    return out


def tally_split(tally, paths, timeout):
    """tally on a batch, halving it on failure down to single files (None for those)."""
    got = tally_batch(tally, paths, timeout)
    if got is not None:
        return got
    if len(paths) == 1:
        return {os.path.basename(paths[0]): None}
    half = len(paths) // 2
    return {**tally_split(tally, paths[:half], timeout), **tally_split(tally, paths[half:], timeout)}


def run_tally(tally, files, jobs, timeout, cache, batch):
    if os.path.exists(cache):
        with open(cache) as f:
            return json.load(f)
    out = {}
    batches = [files[i : i + batch] for i in range(0, len(files), batch)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        for got in pool.map(lambda b: tally_split(tally, b, timeout), batches):
            out.update(got)
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


def dlint_fmt(dlint, path):
    """The file as `dlint fmt` writes it, or None when it does not format (does not parse)."""
    with open(path, "rb") as f:
        text = f.read()
    p = subprocess.run([dlint, "fmt", "-"], input=text, capture_output=True)
    if p.returncode != 0:
        return None
    return text.decode("utf-8", "replace"), p.stdout.decode("utf-8", "replace")


def _lines(text):
    return text.replace("\r\n", "\n").split("\n")


def _trailing(text):
    return sum(1 for line in _lines(text) if line != line.rstrip(" \t"))


def _empty_runs(text):
    """Runs of two or more blank lines, and blank lines at the start or the end of the file."""
    lines = _lines(text)
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line
    runs, run = 0, 0
    for line in lines:
        if line.strip():
            runs += run >= 2
            run = 0
        else:
            run += 1
    leading = bool(lines) and not lines[0].strip()
    trailing = bool(lines) and not lines[-1].strip()
    return runs + leading + trailing


KEYWORDS = {
    "from", "run", "cmd", "label", "maintainer", "expose", "env", "add", "copy", "entrypoint",
    "volume", "user", "workdir", "arg", "onbuild", "stopsignal", "healthcheck", "shell",
}


def _blank_before_instructions(text):
    """For each instruction in order: is there a blank line between it (its comments included)
    and the previous instruction? Continuation lines and heredoc bodies are skipped."""
    escape = "`" if re.match(r"(?i)\s*#\s*escape\s*=\s*`", text) else "\\"
    out, blank, continued, heredoc = [], False, False, None
    for line in _lines(text):
        s = line.strip()
        if heredoc is not None:
            if s == heredoc:
                heredoc = None
            continue
        if not s:
            blank = True
            continue
        if s.startswith("#"):
            continue
        if not continued and s.split()[0].lower() in KEYWORDS:
            out.append(blank)
            blank = False
        m = re.search(r"<<-?[\"']?([A-Za-z_][A-Za-z0-9_]*)", s)
        if m and not s.endswith(escape):
            heredoc = m.group(1)
        continued = s.endswith(escape)
    return out


def _inner_spaces(text):
    return sum(len(re.findall(r"\S(?: {2,}|\t)\S", line)) for line in _lines(text))


def _nonblank(text):
    return sum(1 for line in _lines(text) if line.strip())


def _tokens(text):
    """Words (`;` split off, line continuations dropped, lower-cased), to see reordering apart
    from whitespace and keyword-case changes."""
    return [t.lower() for t in re.findall(r"[^\s;]+|;", text) if t != "\\"]


def _indent_changed(before, after):
    indent = {}
    for line in _lines(after):
        if line.strip():
            indent.setdefault(line.strip(), set()).add(line[: len(line) - len(line.lstrip())])
    for line in _lines(before):
        s = line.strip()
        if s and s in indent and line[: len(line) - len(line.lstrip())] not in indent[s]:
            return True
    return False


# For each tally rule mapped to `fmt`: does `dlint fmt` change the file in that respect?
FMT_MEASURES = {
    "eol-last": lambda b, a: not b.endswith("\n") and a.endswith("\n"),
    "no-trailing-spaces": lambda b, a: _trailing(a) < _trailing(b),
    "no-multiple-empty-lines": lambda b, a: _empty_runs(a) < _empty_runs(b),
    "newline-between-instructions": lambda b, a: _blank_before_instructions(a) != _blank_before_instructions(b),
    "no-multi-spaces": lambda b, a: _inner_spaces(a) < _inner_spaces(b),
    "newline-per-chained-call": lambda b, a: _nonblank(a) > _nonblank(b),
    "sort-packages": lambda b, a: sorted(_tokens(a)) == sorted(_tokens(b)) and _tokens(a) != _tokens(b),
    "consistent-indentation": _indent_changed,
}
FMT_MEASURE_DOC = {
    "eol-last": "the file lacks a final newline and fmt adds it",
    "no-trailing-spaces": "fmt leaves fewer lines ending in a space or tab",
    "no-multiple-empty-lines": "fmt leaves fewer runs of 2+ blank lines (or blank lines at the start or end)",
    "newline-between-instructions": "fmt adds or removes the blank line between two instructions",
    "no-multi-spaces": "fmt leaves fewer runs of 2+ spaces (or a tab) between two words",
    "newline-per-chained-call": "fmt's output has more non-blank lines (a chain split)",
    "sort-packages": "fmt's output has the same words in another order (a list sorted)",
    "consistent-indentation": "a line fmt keeps comes out with another indentation",
}


def run_fmt(dlint, files, jobs):
    """basename -> the `fmt` measures the file meets (None when fmt fails on it)."""

    def one(path):
        got = dlint_fmt(dlint, path)
        if got is None:
            return os.path.basename(path), None
        b, a = got
        return os.path.basename(path), {r for r, m in FMT_MEASURES.items() if m(b, a)}

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        return dict(pool.map(one, files))


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
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds per file")
    ap.add_argument("--batch", type=int, default=40, help="files per tally run")
    ap.add_argument("--cache", default=os.path.join(ROOT, "target", "tally-corpus.json"))
    ap.add_argument("--list", help="RULE:only-tally or RULE:only-dlint: print those files")
    args = ap.parse_args()

    files = corpus_files(args.corpus)
    t = run_tally(args.tally, files, args.jobs, args.timeout, args.cache, args.batch)
    fm = run_fmt(args.dlint, files, args.jobs)
    mapping = read_mapping()
    ids = {i for v in mapping.values() if v not in ("fmt", "-", "") for i in v.split(",")}
    d = run_dlint(args.dlint, args.corpus, ids)

    ok = {f: r for f, r in t.items() if r is not None}
    tally_rules = {}
    for f, rules in ok.items():
        for r in rules:
            tally_rules.setdefault(r, set()).add(f)

    def dlint_files(ids, rule=""):
        if ids == ["fmt"]:
            # Files `dlint fmt` changes in the rule's respect (any change when no measure is known).
            return {f for f, m in fm.items() if m is not None and (rule in m or (rule not in FMT_MEASURES and m))} & set(ok)
        s = set()
        for i in ids:
            s |= d.get(i, set())
        return s & set(ok)

    if args.list:
        rule, which = args.list.split(":")
        tf = tally_rules.get(rule, set())
        name = rule.removeprefix("tally/")
        df = dlint_files(mapping.get(name, "").split(","), name)
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
        if target in ("-", "?", ""):
            print(f"| {name} | {len(tf)} | {target or '?'} | | | |")
            continue
        df = dlint_files(target.split(","), name)
        both = len(tf & df)
        print(f"| {name} | {len(tf)} | {target} | {both} | {100 * both / len(tf):.0f}% | {len(df - tf)} |")
    unformatted = sorted(f for f, m in fm.items() if m is None)
    print(f"\n`fmt` rows count a file when `dlint fmt` changes it in the rule's respect ({len(unformatted)} files do not format):")
    for r, doc in FMT_MEASURE_DOC.items():
        print(f"- {r}: {doc}")


if __name__ == "__main__":
    main()
