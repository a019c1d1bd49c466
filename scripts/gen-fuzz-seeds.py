#!/usr/bin/env python3
"""Writes seed inputs for the `image` fuzz target into fuzz/corpus/image (or the directory given).

The first byte of an input picks its meaning (see fuzz/fuzz_targets/image.rs): even = two layer
blobs split at the second byte's share, odd = a whole archive. Seeds: plain and gzip layers with
a directory, files, a hard link chain, a symlink, file/opaque whiteouts; an OCI archive and a
`docker save`-style archive holding the same two layers.

  python3 scripts/gen-fuzz-seeds.py && cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run image corpus/image
"""
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "fuzz", "corpus", "image")
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
