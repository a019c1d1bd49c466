#!/usr/bin/env python3
"""Measure `dlint fmt` against tally's layout rules, line by line.

Usage:
    scripts/compare-tally-fmt.py [--dlint PATH] [--tally PATH] [--batch N] [--cache FILE]
                                 [--list RULE] [CORPUS_DIR]

CORPUS_DIR defaults to $DLINT_SHARED/corpus/dockerfiles (../shared beside the repository).

For every tally rule mapped to `fmt` in docs/parity/tally.tsv, tally's findings on the corpus
(`tally lint --no-config -f json`, run on batches of N files; a batch tally cannot finish is
run again file by file) are compared with what `dlint fmt -` does to the same file: a finding
is *met* when the formatted file changes a line of the finding's span (its start line to its
end line). Lines are matched across the two texts by their words; a line is changed when its
match differs in text (line terminator included, so a missing final newline changes the last
line) or, for the two blank-line rules (newline-between-instructions, no-multiple-empty-lines),
in the blank and comment lines above it (so a blank line added or removed above an instruction,
or above the comments attached to it, changes that instruction's line); a blank line is changed
when the line below it is, or when it holds blanks that no line of the output has. The
findings of sort-packages and newline-per-chained-call are about a whole instruction and tally
reports them at its first line: their span is the whole instruction (its continuation lines
included).

Prints a Markdown table per rule: tally's files and findings, the files where dlint fmt meets
every finding of the rule, its share of tally's files, and the findings met. `--list RULE`
prints, for one rule, the findings dlint fmt does not meet (file:line). tally's output is
cached in FILE (default target/tally-fmt-corpus.json; delete it to run tally again).
"""

import argparse
import difflib
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TSV = os.path.join(ROOT, "docs", "parity", "tally.tsv")


def fmt_rules():
    """The tally rules mapped to `fmt`, with the `tally/` prefix."""
    rules = []
    with open(TSV) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            cols = line.rstrip("\n").split("\t")
            if len(cols) >= 2 and cols[1].strip() == "fmt":
                rules.append("tally/" + cols[0].strip())
    return rules


def corpus_files(corpus):
    return sorted(
        os.path.join(corpus, f)
        for f in os.listdir(corpus)
        if os.path.isfile(os.path.join(corpus, f)) and not f.endswith(".txt")
    )


def tally_run(tally, paths, rules):
    """{path: [(rule, start, end)]} for the files tally reported, or None when its output
    is not JSON (it stops at a file it cannot parse)."""
    p = subprocess.run(
        [tally, "lint", "--no-config", "-f", "json", *paths],
        capture_output=True,
        text=True,
        cwd=os.path.dirname(paths[0]),
    )
    try:
        doc = json.loads(p.stdout)
    except json.JSONDecodeError:
        return None
    base = os.path.dirname(paths[0])
    out = {}
    for f in doc.get("files") or []:
        path = os.path.join(base, os.path.basename(f.get("file", "")))
        found = out.setdefault(path, [])
        for v in f.get("violations") or []:
            rule = v.get("rule", "")
            if rule not in rules:
                continue
            loc = v.get("location") or {}
            start = (loc.get("start") or {}).get("line", -1)
            end = (loc.get("end") or {}).get("line", -1)
            found.append((rule, start, end if end >= start else start))
    # a file without findings may be missing from the output: count it as clean when the
    # batch as a whole was reported
    for path in paths:
        out.setdefault(path, [])
    return out


def tally_corpus(tally, files, batch, rules, cache):
    if os.path.exists(cache):
        with open(cache) as f:
            data = json.load(f)
        known = set(data["files"]) | set(data.get("failed", []))
        if set(data.get("rules", [])) == set(rules) and known >= set(files):
            return {k: [tuple(x) for x in v] for k, v in data["files"].items()}
    found = {}
    failed = []
    for i in range(0, len(files), batch):
        chunk = files[i : i + batch]
        got = tally_run(tally, chunk, rules)
        if got is None:
            for path in chunk:
                one = tally_run(tally, [path], rules)
                if one is None:
                    failed.append(path)
                else:
                    found.update(one)
        else:
            found.update(got)
        print(f"tally: {min(i + batch, len(files))}/{len(files)}", file=sys.stderr)
    os.makedirs(os.path.dirname(cache), exist_ok=True)
    with open(cache, "w") as f:
        json.dump({"rules": rules, "files": found, "failed": failed}, f)
    if failed:
        print(f"tally failed on {len(failed)} files", file=sys.stderr)
    return found


def _key(line):
    """A line's words (for matching lines across the formatting), continuation mark dropped."""
    t = " ".join(line.split())
    return t[:-1].rstrip() if t.endswith(("\\", "`")) else t


def _above(lines, i):
    """What is above line i (0-based) up to the previous instruction line: the blank-line counts
    and comment lines in between, so that a blank line added or removed above an instruction
    (or above its comments) counts as a change of it."""
    sig, blanks, k = [], 0, i - 1
    while k >= 0:
        t = lines[k].strip()
        if not t:
            blanks += 1
        elif t.startswith("#"):
            sig += [blanks, t]
            blanks = 0
        else:
            break
        k -= 1
    return sig + [blanks, k < 0]


def changed_lines(before, after, context):
    """1-based lines of `before` that the formatted text changes. Non-blank lines are matched
    across the two texts by their words (difflib); a line is unchanged when its match has the
    same text (line terminator included, so a missing final newline is a change) and, with
    `context`, the same blank and comment lines above it. A blank line is changed when the line
    below it is."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    ia = [i for i, l in enumerate(a) if l.strip()]
    ib = [j for j, l in enumerate(b) if l.strip()]
    sm = difflib.SequenceMatcher(None, [_key(a[i]) for i in ia], [_key(b[j]) for j in ib], autojunk=False)
    match = {}
    for blk in sm.get_matching_blocks():
        for d in range(blk.size):
            match[ia[blk.a + d]] = ib[blk.b + d]
    changed = set()
    for i in ia:
        j = match.get(i)
        if j is None or a[i] != b[j] or (context and _above(a, i) != _above(b, j)):
            changed.add(i + 1)
    # a blank line: changed with the next non-blank line (or when the file's end changed)
    nxt = None
    blanks_b = {l for l in b if not l.strip()}
    tail_changed = len(a) and (a[-1] if a else "") != (b[-1] if b else "")
    for i in range(len(a) - 1, -1, -1):
        if a[i].strip():
            nxt = i
        elif (nxt is None and tail_changed) or (nxt is not None and nxt + 1 in changed):
            changed.add(i + 1)
        elif a[i].strip("\r\n") and a[i] not in blanks_b:
            # a line of blanks that the output has nowhere any more
            changed.add(i + 1)
    return changed


# rules about the blank lines between instructions: a line also changes when the blank and
# comment lines above it do (for the other rules only its own text counts)
BLANK_LINE_RULES = {"tally/newline-between-instructions", "tally/no-multiple-empty-lines"}

# rules whose finding is about a whole instruction (tally reports its first line): the span
# checked is the instruction, continuation lines included
WHOLE_INSTRUCTION = {"tally/sort-packages", "tally/newline-per-chained-call"}


def instruction_end(lines, start):
    """The last line (1-based) of the instruction starting at line `start`: continued while a
    line ends with a backslash or backtick, comment and blank lines inside skipped."""
    n = start
    while n <= len(lines):
        t = lines[n - 1].rstrip()
        inside = n > start and (t.lstrip().startswith("#") or not t)
        if not (t.endswith("\\") or t.endswith("`") or inside):
            return n
        n += 1
    return len(lines)


def dlint_fmt(dlint, path):
    with open(path, "rb") as f:
        src = f.read()
    p = subprocess.run([dlint, "fmt", "-"], input=src, capture_output=True)
    if p.returncode != 0:
        return None
    return src.decode("utf-8", "replace"), p.stdout.decode("utf-8", "replace")


def main():
    shared = os.environ.get("DLINT_SHARED", os.path.join(os.path.dirname(ROOT), "shared"))
    ap = argparse.ArgumentParser()
    ap.add_argument("corpus", nargs="?", default=os.path.join(shared, "corpus", "dockerfiles"))
    ap.add_argument("--dlint", default=os.path.join(ROOT, "target", "debug", "dlint"))
    ap.add_argument("--tally", default="tally")
    ap.add_argument("--batch", type=int, default=40)
    ap.add_argument("--cache", default=os.path.join(ROOT, "target", "tally-fmt-corpus.json"))
    ap.add_argument("--list", metavar="RULE")
    args = ap.parse_args()

    rules = fmt_rules()
    files = corpus_files(args.corpus)
    found = tally_corpus(args.tally, files, args.batch, rules, args.cache)

    stats = {r: {"files": 0, "findings": 0, "met_files": 0, "met": 0} for r in rules}
    missed = []
    unformatted = 0
    for path in files:
        findings = found.get(path)
        if not findings:
            continue
        res = dlint_fmt(args.dlint, path)
        if res is None:
            unformatted += 1
            changed = {True: set(), False: set()}
        else:
            changed = {c: changed_lines(*res, c) for c in (True, False)}
        lines = res[0].splitlines() if res else []
        by_rule = {}
        for rule, start, end in findings:
            if rule in WHOLE_INSTRUCTION:
                end = max(end, instruction_end(lines, start))
            by_rule.setdefault(rule, []).append((start, end))
        for rule, spans in by_rule.items():
            s = stats[rule]
            s["files"] += 1
            s["findings"] += len(spans)
            lines_changed = changed[rule in BLANK_LINE_RULES]
            ok = [any(n in lines_changed for n in range(a, b + 1)) for a, b in spans]
            s["met"] += sum(ok)
            s["met_files"] += all(ok)
            if args.list and rule.endswith(args.list):
                missed += [f"{path}:{a}" for (a, _), m in zip(spans, ok) if not m]

    if args.list:
        print("\n".join(missed))
        return
    print(f"corpus: {len(files)} files; tally reported {len(found)}; "
          f"dlint fmt refused {unformatted} of the files tally flags\n")
    print("| tally rule | tally's files | findings | files where fmt meets every finding | share | findings met |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rules:
        s = stats[r]
        share = f"{100 * s['met_files'] / s['files']:.1f}%" if s["files"] else "-"
        print(f"| {r.removeprefix('tally/')} | {s['files']} | {s['findings']} | "
              f"{s['met_files']} | {share} | {s['met']} |")


if __name__ == "__main__":
    main()
