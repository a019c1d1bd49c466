#!/usr/bin/env python3
"""gen-many-paths.py - a docker-save archive whose one layer holds N empty files /m/0 ... /m/N-1.

Used by scripts/bench-memory.sh to measure the memory `dlint image` and `dlint compare` need per
path of the final filesystem. The layer is gzip (level 1) so the archive stays small.

Usage: scripts/gen-many-paths.py OUT.tar [--paths N] [--variant b]
  --paths N     files in the layer (default 1,000,000)
  --variant b   the "next build": every 10th file renamed (/m/b<i>), every 7th one byte long,
                so `dlint compare` of the two has added, removed and resized paths
"""
import argparse, gzip, hashlib, io, json, os, tarfile, time


class Hashing(io.RawIOBase):
    """Write-through file object that hashes what goes through it."""

    def __init__(self, inner):
        self.inner, self.h = inner, hashlib.sha256()

    def writable(self):
        return True

    def write(self, b):
        self.h.update(b)
        return self.inner.write(b)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--paths", type=int, default=1_000_000)
    ap.add_argument("--variant", choices=["a", "b"], default="a")
    a = ap.parse_args()
    out_dir = os.path.dirname(os.path.abspath(a.out))
    layer_path = os.path.join(out_dir, f".layer-{os.getpid()}.tar.gz")
    with open(layer_path, "wb") as raw:
        blob = Hashing(raw)
        with gzip.GzipFile(fileobj=blob, mode="wb", compresslevel=1, mtime=0) as gz:
            diff = Hashing(gz)
            with tarfile.open(fileobj=diff, mode="w|", format=tarfile.GNU_FORMAT) as t:
                d = tarfile.TarInfo("m")
                d.type, d.mode, d.mtime = tarfile.DIRTYPE, 0o755, 0
                t.addfile(d)
                one = b"x"
                for i in range(a.paths):
                    name = f"m/{i}"
                    size = 0
                    if a.variant == "b":
                        if i % 10 == 0:
                            name = f"m/b{i}"
                        if i % 7 == 0:
                            size = 1
                    ti = tarfile.TarInfo(name)
                    ti.size, ti.mode, ti.mtime = size, 0o644, 0
                    t.addfile(ti, io.BytesIO(one) if size else None)
    diff_id = "sha256:" + diff.h.hexdigest()
    blob_hex = blob.h.hexdigest()
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": "2024-01-01T00:00:00Z",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": [diff_id]},
            "history": [{"created_by": f"/bin/sh -c gen-many-paths {a.paths} {a.variant}"}],
        }
    ).encode()
    cfg_hex = hashlib.sha256(config).hexdigest()
    manifest = json.dumps(
        [{"Config": f"{cfg_hex}.json", "RepoTags": [f"many-paths:{a.variant}"], "Layers": [f"{blob_hex}/layer.tar"]}]
    ).encode()
    with tarfile.open(a.out, "w") as t:
        for name, data in [(f"{cfg_hex}.json", config), ("manifest.json", manifest)]:
            ti = tarfile.TarInfo(name)
            ti.size, ti.mtime = len(data), 0
            t.addfile(ti, io.BytesIO(data))
        t.add(layer_path, arcname=f"{blob_hex}/layer.tar")
    os.remove(layer_path)


if __name__ == "__main__":
    t0 = time.time()
    main()
