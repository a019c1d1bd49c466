#!/usr/bin/env python3
"""Compare dlint's built-in ShellCheck rules with a real `shellcheck` binary, per file and code.

Usage:
    scripts/compare-shellcheck.py [--dlint PATH] [--shellcheck PATH] [--list CODE:only-dlint|only-shellcheck]
                                  [CORPUS_DIR]

Every shell-form RUN of every Dockerfile (continuations joined, comment lines dropped, no
heredocs, files whose SHELL is PowerShell or cmd skipped) is written to a script and checked
with `shellcheck -s sh` (`-s bash` after `SHELL ["/bin/bash", ...]`), with the Dockerfile's
ARG/ENV names declared first (`export NAME=1`, as hadolint does), restricted to the codes dlint
implements. Prints, per code, the files both flag, only dlint, only shellcheck. `--coverage`
checks every code instead and prints the share of ShellCheck's findings whose code dlint builds in.
Files for PowerShell or cmd (a `SHELL` or the `# hadolint shell=` pragma) and templates (lines
starting with `{{`) are skipped; blanks after a continuation `\` are dropped, as BuildKit does. Needs Debian's
`shellcheck` (`apt-get install shellcheck`); defaults: target/release/dlint,
../shared/corpus/dockerfiles.
"""
import argparse, collections, json, os, re, subprocess, sys, tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def runs(path):
    """(shell, names, body) for every shell-form RUN of the file."""
    lines = open(path, encoding="utf-8", errors="replace").read().split("\n")
    shell, names, out, i = "sh", [], [], 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"\s*(\w+)\s*(.*)", line)
        kw = m.group(1).upper() if m else ""
        if kw == "FROM":
            names = []
        if kw == "SHELL" and m:
            s = m.group(2)
            shell = "bash" if "bash" in s else ("sh" if re.search(r'"/bin/(sh|ash|dash)"', s) else None)
        body = [m.group(2)] if m else []
        while line.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            line = lines[i]
            if kw == "RUN" and line.lstrip().startswith("#"):
                line = "\\"
                continue
            # BuildKit ends a continuation at `\` followed by blanks too; ShellCheck would not
            if body and body[-1].rstrip().endswith("\\"):
                body[-1] = body[-1].rstrip()
            body.append(line)
        if kw in ("ARG", "ENV"):
            joined = " ".join(b.rstrip("\\") for b in body)
            names += re.findall(r"^\s*([A-Za-z_][A-Za-z0-9_]*)", joined)[:1]
            names += re.findall(r"\s([A-Za-z_][A-Za-z0-9_]*)=", " " + joined)
        if kw == "RUN" and shell:
            text = "\n".join(body)
            text = re.sub(r"^(--\S+\s+)+", "", text)
            if not text.startswith("[") and "<<" not in text:
                out.append((shell, sorted(set(names)), text))
        i += 1
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--dlint", default=os.path.join(ROOT, "target/release/dlint"))
    ap.add_argument("--shellcheck", default="shellcheck")
    ap.add_argument("--list")
    ap.add_argument("--coverage", action="store_true",
                    help="run shellcheck with every code and print the share of its findings whose code is built in")
    ap.add_argument("corpus", nargs="?", default=os.path.join(ROOT, "..", "shared", "corpus", "dockerfiles"))
    a = ap.parse_args()
    codes = sorted(p[:-3] for p in os.listdir(os.path.join(ROOT, "rules")) if p.startswith("SC"))
    files = sorted(os.path.join(a.corpus, f) for f in os.listdir(a.corpus))
    sc = collections.defaultdict(set)
    every = collections.Counter()  # --coverage: findings per code, all codes
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            text = open(f, errors="replace").read()
            if re.search(r'SHELL\s*\[\s*"(powershell|pwsh|cmd)', text, re.I):
                continue
            # the `# hadolint shell=` pragma of a Windows file; a template (`{{ ... }}` lines) is
            # no Dockerfile (dlint reports DL1000 and checks none of its RUNs)
            if re.search(r"^#\s*hadolint\s+shell=(powershell|pwsh|cmd)", text, re.I | re.M) or \
                    re.search(r"^\s*\{\{", text, re.M):
                continue
            for k, (shell, names, body) in enumerate(runs(f)):
                script = os.path.join(tmp, "run.sh")
                with open(script, "w") as fh:
                    fh.write("".join(f"export {n}=1\n" for n in names) + body + "\n")
                only = [] if a.coverage else ["--include=" + ",".join(codes)]
                p = subprocess.run([a.shellcheck, "-s", shell, "-f", "json"] + only + [script],
                                   capture_output=True, text=True)
                for d in json.loads(p.stdout or "[]"):
                    sc[f"SC{d['code']}"].add(os.path.basename(f))
                    every[f"SC{d['code']}"] += 1
    if a.coverage:
        coverage(codes, sc, every)
        return
    p = subprocess.run([a.dlint, "lint", "--no-config", "-f", "json", "--info", "SC1091", "--info", "SC1090"] + files,
                       capture_output=True, text=True)
    dl = collections.defaultdict(set)
    for d in json.loads(p.stdout)["findings"]:
        if d["rule"] in codes:
            dl[d["rule"]].add(os.path.basename(d["file"]))
    if a.list:
        code, which = a.list.split(":")
        s = dl[code] - sc[code] if which == "only-dlint" else sc[code] - dl[code]
        print("\n".join(sorted(s)))
        return
    print(f"{len(files)} files\n\n| code | both | only dlint | only shellcheck |\n|---|---|---|---|")
    for c in codes:
        if dl[c] or sc[c]:
            print(f"| {c} | {len(dl[c] & sc[c])} | {len(dl[c] - sc[c])} | {len(sc[c] - dl[c])} |")


def coverage(codes, sc, every):
    """The share of a real ShellCheck's findings (all codes) whose code dlint builds in."""
    built = set(codes)
    total, pairs = sum(every.values()), sum(len(v) for v in sc.values())
    have = sum(n for c, n in every.items() if c in built)
    have_pairs = sum(len(v) for c, v in sc.items() if c in built)
    print(f"findings: {have}/{total} = {100 * have / max(total, 1):.1f}% with a built-in code")
    print(f"file/code pairs: {have_pairs}/{pairs} = {100 * have_pairs / max(pairs, 1):.1f}% with a built-in code")
    print("\n| code | findings | files | built in |\n|---|---|---|---|")
    for c, n in every.most_common():
        print(f"| {c} | {n} | {len(sc[c])} | {'yes' if c in built else 'no'} |")


if __name__ == "__main__":
    main()
