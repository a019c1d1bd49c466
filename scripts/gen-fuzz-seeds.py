#!/usr/bin/env python3
"""Writes seed inputs for the fuzz targets into fuzz/corpus/TARGET (the `image` seeds into the
directory given, if any):

- image: see below;
- parse, lint, fix: Dockerfiles: the Bad/Good/fixed examples of every rule page (rules/*.md),
  testdata/*.Dockerfile, and small hostile shapes (deep nesting, heredocs, CRLF, NUL);
- config: `.dlint.yaml` / `.hadolint.yaml` texts using every key;
- registry: WWW-Authenticate challenges, token bodies, Retry-After, Content-Type and image
  references (fuzz/fuzz_targets/registry.rs);
- manifest: a mode byte (0 index.json, 1 manifest, 2 config, 3 docker manifest.json, as in
  fuzz/fuzz_targets/manifest.rs) followed by that JSON document.

The first byte of an input picks its meaning (see fuzz/fuzz_targets/image.rs): even = two layer
blobs split at the second byte's share, odd = a whole archive. Seeds: plain and gzip layers with
a directory, files, a hard link chain, a symlink, file/opaque whiteouts; an OCI archive and a
`docker save`-style archive holding the same two layers.

  python3 scripts/gen-fuzz-seeds.py && cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run image corpus/image
"""
import glob
import re
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
corpus = os.path.join(root, "fuzz", "corpus")
out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(corpus, "image")
os.makedirs(out, exist_ok=True)


def layer(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, kind, data, link in entries:
            ti = tarfile.TarInfo(name)
            if kind == "f":
                ti.size = len(data)
                t.addfile(ti, io.BytesIO(data))
                continue
            ti.type = {"d": tarfile.DIRTYPE, "l": tarfile.LNKTYPE, "s": tarfile.SYMTYPE}[kind]
            ti.linkname = link or ""
            t.addfile(ti)
    return b.getvalue()


def sha(x):
    return "sha256:" + hashlib.sha256(x).hexdigest()


def archive(files):
    o = io.BytesIO()
    with tarfile.open(fileobj=o, mode="w") as t:
        for n, d in files:
            ti = tarfile.TarInfo(n)
            ti.size = len(d)
            t.addfile(ti, io.BytesIO(d))
    return o.getvalue()


a = layer([("etc", "d", b"", None), ("etc/a", "f", b"x" * 100, None), ("etc/b", "f", b"y" * 50, None),
           ("etc/h", "l", b"", "etc/a"), ("bin", "s", b"", "usr/bin"), ("opt/sub/o", "f", b"z" * 30, None),
           ("var/lib/dpkg/status", "f", b"Package: a\n", None)])
b = layer([("etc/.wh.a", "f", b"", None), ("opt/.wh..wh..opq", "f", b"", None), ("opt/new", "f", b"n" * 10, None),
           ("etc/b", "f", b"q" * 60, None), ("etc/h2", "l", b"", "etc/h"), (".wh.bin", "f", b"", None)])
ga, gb = gzip.compress(a, mtime=0), gzip.compress(b, mtime=0)
seeds = {
    "layers-plain": bytes([0, 128]) + a + b,
    "layers-gzip": bytes([2, 256 * len(ga) // (len(ga) + len(gb))]) + ga + gb,
}
cfg = json.dumps({"architecture": "amd64", "os": "linux",
                  "rootfs": {"type": "layers", "diff_ids": [sha(a), sha(b)]},
                  "history": [{"created_by": "ADD a /"}, {"created_by": "RUN b"}]}).encode()
man = json.dumps({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": sha(cfg), "size": len(cfg)},
                  "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": sha(ga), "size": len(ga)},
                             {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": sha(b), "size": len(b)}]}).encode()
idx = json.dumps({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
                  "digest": sha(man), "size": len(man),
                  "annotations": {"org.opencontainers.image.ref.name": "latest"}}]}).encode()
files = [("oci-layout", b'{"imageLayoutVersion":"1.0.0"}'), ("index.json", idx)]
files += [("blobs/sha256/" + sha(x)[7:], x) for x in (cfg, man, ga, b)]
seeds["archive-oci"] = bytes([1]) + archive(files)
dm = json.dumps([{"Config": "blobs/sha256/" + sha(cfg)[7:], "RepoTags": ["x:1"],
                  "Layers": ["blobs/sha256/" + sha(ga)[7:], "blobs/sha256/" + sha(b)[7:]]}]).encode()
seeds["archive-docker"] = bytes([3]) + archive(files + [("manifest.json", dm)])
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
print(f"{len(seeds)} seeds in {out}")


def write(target, named):
    d = os.path.join(corpus, target)
    os.makedirs(d, exist_ok=True)
    for name, data in named.items():
        with open(os.path.join(d, name), "wb") as f:
            f.write(data if isinstance(data, bytes) else data.encode())
    print(f"{len(named)} seeds in {d}")


# Dockerfiles: every code block of the rule pages, the test data, hostile shapes.
dockerfiles = {}
for page in sorted(glob.glob(os.path.join(root, "rules", "*.md"))):
    stem = os.path.basename(page)[:-3]
    text = open(page, encoding="utf-8").read()
    for i, block in enumerate(re.findall(r"```dockerfile\n(.*?)```", text, re.S)):
        dockerfiles[f"{stem}-{i}"] = block
for path in sorted(glob.glob(os.path.join(root, "testdata", "*.Dockerfile"))):
    dockerfiles[os.path.basename(path)] = open(path, "rb").read()
dockerfiles.update({
    "deep-subst": "FROM a\nRUN " + "echo $(" * 300 + "x" + ")" * 300 + "\n",
    "deep-subshell": "FROM a\nRUN " + "( " * 300 + "true" + " )" * 300 + "\n",
    "deep-expand": "ARG a\nFROM " + "${a:-" * 100 + "alpine" + "}" * 100 + "\n",
    "sh-c": "FROM a\nRUN sh -c 'bash -c \"apt-get install -y x && rm -rf /var/lib/apt/lists/*\"'\n",
    "heredocs": "FROM a\nRUN <<EOF bash\nset -e\napt-get update\nEOF\nCOPY <<A <<B /x/\na\nA\nb\nB\n",
    "heredoc-open": "FROM a\nRUN <<EOF\necho\n",
    "crlf-bom": "\ufeffFROM a:1\r\nRUN echo a \\\r\n  && echo b\r\n",
    "nul": b"FROM a\nRUN echo \0x\n\0\n",
    "onbuild-json": 'FROM a\nONBUILD RUN ["sh", "-c", "echo $(date)"]\nCMD [[[["x"]]]]\n',
    # DL3021's fix on a destination with an unbalanced quote adds `/` on every run: the `fix`
    # target fails on it until that is fixed
    "dl3021-unbalanced-quote": 'FROM alpine:3.20\nCOPY a b /dest"\n',
    "ignores": "# hadolint global ignore=DL3008\nFROM a\n# dlint ignore=DL3059,DL3009\nRUN apt-get update\n",
})
for target in ("parse", "lint", "fix"):
    write(target, dockerfiles)

write("config", {
    "hadolint": "failure-threshold: warning\nignored: [DL3008, SC2086]\noverride:\n  error: [DL3001]\n"
                "  info: [DL3032]\ntrustedRegistries: [docker.io, ghcr.io]\nlabel-schema:\n  author: text\n"
                "  url: url\nstrict-labels: true\nno-fail: false\nno-color: true\nformat: json\n",
    "dlint": "ignore: [DL3059]\nreport-unused-ignores: true\ndisable-ignore-pragma: false\n",
    "empty": "",
    "anchors": "a: &x [DL3008]\nignored: *x\n",
    "bad": "ignored: {DL3008: 1}\nfailure-threshold: [x]\n",
})

write("manifest", {
    "index": bytes([0]) + idx,
    "manifest": bytes([1]) + man,
    "config": bytes([2]) + cfg,
    "docker": bytes([3]) + dm,
    "nested-index": bytes([0]) + json.dumps({"schemaVersion": 2, "manifests": [
        {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": sha(idx), "size": len(idx)}]}).encode(),
})
write("registry", {
    "bearer": b'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull"',
    "basic": b'Basic realm="Registry Realm"',
    "token": b'{"token":"abc.def.ghi","access_token":"abc","expires_in":300}',
    "retry-after": b"120",
    "content-type": b"application/vnd.oci.image.index.v1+json; charset=utf-8",
    "reference": b"docker://registry.example.com:5000/team/app@sha256:" + b"a" * 64,
    "short-name": b"alpine:3.20",
})
