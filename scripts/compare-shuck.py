#!/usr/bin/env python3
"""Evaluate the `shuck` shell linter (crate shuck-linter, CLI shuck-cli) against a real ShellCheck
and dlint's built-in checks, on the RUN bodies of the corpus.

Usage:
    scripts/compare-shuck.py --shuck PATH --shuck-rules DIR [--dlint PATH] [--shellcheck PATH]
                             [CORPUS_DIR]

Every shell-form RUN of every Dockerfile is extracted as `scripts/compare-shellcheck.py` does
(continuations joined, comment lines dropped, ARG/ENV names exported first, PowerShell/cmd files
skipped) and written to its own script, with a `#!/bin/sh` or `#!/bin/bash` line for the stage's
SHELL. `shellcheck -f json` checks each script; `shuck check --select ALL -f json` checks them all in
one run; DIR is shuck-linter's `rules/` folder (in the cargo registry after `cargo install
shuck-cli`), whose YAML files map shuck's codes (`S001`) to ShellCheck's (`SC2086`). dlint lints
the Dockerfiles themselves. Prints, per SC code ShellCheck reports, the files each tool agrees on
(a file counts when any of its RUNs has the code), and the time each tool took.
"""
import argparse
import collections
import glob
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("cmp", os.path.join(ROOT, "scripts", "compare-shellcheck.py"))
cmp = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cmp)


def shuck_map(rules_dir):
    m = {}
    for f in glob.glob(os.path.join(rules_dir, "*.yaml")):
        t = open(f, encoding="utf-8").read()
        code = re.search(r"^new_code:\s*(\S+)", t, re.M)
        sc = re.search(r"^shellcheck_code:\s*(SC\d+)", t, re.M)
        if code and sc:
            m[code.group(1)] = sc.group(1)
    return m


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    ap.add_argument("--shuck", required=True)
    ap.add_argument("--shuck-rules", required=True)
    ap.add_argument("--dlint", default=os.path.join(ROOT, "target/release/dlint"))
    ap.add_argument("--shellcheck", default="shellcheck")
    ap.add_argument("corpus", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus", "dockerfiles"))
    a = ap.parse_args()
    sc_of = shuck_map(a.shuck_rules)
    files = sorted(os.path.join(a.corpus, f) for f in os.listdir(a.corpus))
    owner = {}  # script path -> Dockerfile name
    sc = collections.defaultdict(set)
    sh = collections.defaultdict(set)
    unmapped = collections.Counter()
    with tempfile.TemporaryDirectory() as tmp:
        n = 0
        for f in files:
            if re.search(r'SHELL\s*\[\s*"(powershell|pwsh|cmd)', open(f, errors="replace").read(), re.I):
                continue
            for shell, names, body in cmp.runs(f):
                script = os.path.join(tmp, f"{n:06d}.sh")
                n += 1
                with open(script, "w") as fh:
                    fh.write(f"#!/bin/{shell}\n" + "".join(f"export {v}=1\n" for v in names) + body + "\n")
                owner[script] = os.path.basename(f)
        scripts = sorted(owner)
        t0 = time.monotonic()
        for s in scripts:
            p = subprocess.run([a.shellcheck, "-f", "json", s], capture_output=True, text=True)
            for d in json.loads(p.stdout or "[]"):
                sc[f"SC{d['code']}"].add(owner[s])
        t_sc = time.monotonic() - t0
        t0 = time.monotonic()
        p = subprocess.run([a.shuck, "check", "--isolated", "--no-cache", "--select", "ALL",
                            "--output-format", "json", tmp], capture_output=True, text=True)
        if p.returncode not in (0, 1) or not p.stdout.strip().startswith("["):
            p = subprocess.run([a.shuck, "check", "--isolated", "--select", "ALL",
                                "--output-format", "json", tmp], capture_output=True, text=True)
        t_shuck = time.monotonic() - t0
        for d in json.loads(p.stdout or "[]"):
            code = sc_of.get(d["code"])
            path = os.path.join(tmp, os.path.basename(d["filename"]))
            if code and path in owner:
                sh[code].add(owner[path])
            elif not code:
                unmapped[d["code"]] += 1
    t0 = time.monotonic()
    p = subprocess.run([a.dlint, "lint", "--no-config", "-f", "json", "--info", "SC1091"] + files,
                       capture_output=True, text=True)
    t_dl = time.monotonic() - t0
    dl = collections.defaultdict(set)
    for d in json.loads(p.stdout)["findings"]:
        if d["rule"].startswith("SC"):
            dl[d["rule"]].add(os.path.basename(d["file"]))

    print(f"{len(files)} files, {len(owner)} RUN scripts\n")
    print("| code | shellcheck files | shuck: both / only shuck | dlint: both / only dlint |")
    print("|---|--:|--:|--:|")
    tot = collections.Counter()
    for c in sorted(sc, key=lambda c: -len(sc[c])):
        b_sh, o_sh = len(sc[c] & sh[c]), len(sh[c] - sc[c])
        b_dl, o_dl = len(sc[c] & dl[c]), len(dl[c] - sc[c])
        tot.update(sc=len(sc[c]), b_sh=b_sh, o_sh=o_sh, b_dl=b_dl, o_dl=o_dl)
        print(f"| {c} | {len(sc[c])} | {b_sh} / {o_sh} | {b_dl} / {o_dl} |")
    print(f"| all | {tot['sc']} | {tot['b_sh']} / {tot['o_sh']} | {tot['b_dl']} / {tot['o_dl']} |")
    extra = sorted((c for c in sh if c not in sc), key=lambda c: -len(sh[c]))
    print("\ncodes only shuck reports (files):", ", ".join(f"{c} {len(sh[c])}" for c in extra[:15]))
    print("shuck findings without a ShellCheck code:", sum(unmapped.values()),
          "(" + ", ".join(f"{c} {k}" for c, k in unmapped.most_common(8)) + ")")
    print(f"\ntime: shellcheck {t_sc:.1f} s (one process per script), shuck {t_shuck:.2f} s (one run), "
          f"dlint {t_dl:.2f} s (the whole lint, one run)")


if __name__ == "__main__":
    main()
