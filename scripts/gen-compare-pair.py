#!/usr/bin/env python3
"""gen-compare-pair.py - build ~1 GiB image pairs (OCI layout directories) for timing `dlint compare`.

Starts from the debian-slim OCI layout made by ../shared/tools/make-images.sh and stacks big
layers of real file content on it (copies of the debian-slim package layer's files under
/opt/copyN/, gzip via pigz):

  OUT/big-a      debian-slim + copies 1-3                       (~1.0 GiB uncompressed)
  OUT/big-b-new  debian-slim + copies 1-3 + a 60 MB layer       (before/after of one app:
                                                                 all of A's layers shared)
  OUT/big-c      debian-slim + copies 4-6                       (~1.0 GiB, only the base shared)

Usage: scripts/gen-compare-pair.py [SRC_OCI_DIR] [OUT]
  defaults: /work/images/debian-slim.oci-dir /work/images-compare
"""
import gzip, hashlib, io, json, os, shutil, subprocess, sys, tarfile

SRC = sys.argv[1] if len(sys.argv) > 1 else "/work/images/debian-slim.oci-dir"
OUT = sys.argv[2] if len(sys.argv) > 2 else "/work/images-compare"


def blob(d, digest):
    return os.path.join(d, "blobs", "sha256", digest.split(":", 1)[1])


def load(d):
    index = json.load(open(os.path.join(d, "index.json")))
    man = json.load(open(blob(d, index["manifests"][0]["digest"])))
    cfg = json.load(open(blob(d, man["config"]["digest"])))
    return man, cfg


def make_layer(src_layer_gz, copies, work):
    """Tar of the regular files of a layer, re-rooted under opt/copyN/ for each N; returns
    (path of the gzip blob, diff_id, blob digest, blob size)."""
    tar_path = os.path.join(work, "layer.tar")
    with gzip.open(src_layer_gz) as src, tarfile.open(tar_path, "w", format=tarfile.PAX_FORMAT) as out:
        members = []
        with tarfile.open(fileobj=src, mode="r|") as t:
            for m in t:
                if m.isfile():
                    members.append((m, t.extractfile(m).read()))
        for n in copies:
            for m, data in members:
                m2 = tarfile.TarInfo(f"opt/copy{n}/{m.name.lstrip('./')}")
                m2.size, m2.mode, m2.mtime = len(data), m.mode, m.mtime
                out.addfile(m2, io.BytesIO(data))
    return finish_layer(tar_path, work)


def extra_layer(size, work):
    tar_path = os.path.join(work, "layer.tar")
    with tarfile.open(tar_path, "w") as out:
        chunk = bytes(range(256)) * 4096  # 1 MiB, compressible
        for i in range(size // len(chunk)):
            ti = tarfile.TarInfo(f"srv/app/data{i:03d}.bin")
            ti.size = len(chunk) - i
            out.addfile(ti, io.BytesIO(chunk[: ti.size]))
    return finish_layer(tar_path, work)


def sha_file(p):
    h = hashlib.sha256()
    with open(p, "rb") as f:
        while b := f.read(1 << 20):
            h.update(b)
    return "sha256:" + h.hexdigest()


def finish_layer(tar_path, work):
    diff_id = sha_file(tar_path)
    gz = os.path.join(work, "layer.tar.gz")
    with open(gz, "wb") as f:
        subprocess.run(["pigz", "-n", "-c", tar_path], stdout=f, check=True)
    os.remove(tar_path)
    digest = sha_file(gz)
    return gz, diff_id, digest, os.path.getsize(gz)


def write_image(name, base_dir, base_man, base_cfg, layers):
    """layers: list of (gz path or None if blob already in OUT/_blobs, diff_id, digest, size, created_by)."""
    d = os.path.join(OUT, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "blobs", "sha256"))
    for l in base_man["layers"]:
        os.link(blob(base_dir, l["digest"]), blob(d, l["digest"]))
    man = json.loads(json.dumps(base_man))
    cfg = json.loads(json.dumps(base_cfg))
    for gz, diff_id, digest, size, by in layers:
        os.link(gz, blob(d, digest))
        man["layers"].append({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "digest": digest, "size": size})
        cfg["rootfs"]["diff_ids"].append(diff_id)
        cfg.setdefault("history", []).append({"created": "2025-01-01T00:00:00Z", "created_by": by})

    def put(obj):
        data = json.dumps(obj).encode()
        dg = "sha256:" + hashlib.sha256(data).hexdigest()
        open(blob(d, dg), "wb").write(data)
        return dg, len(data)

    cdg, csz = put(cfg)
    man["config"] = {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cdg, "size": csz}
    mdg, msz = put(man)
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json",
               "digest": mdg, "size": msz, "annotations": {"org.opencontainers.image.ref.name": "latest"}}]},
              open(os.path.join(d, "index.json"), "w"))
    open(os.path.join(d, "oci-layout"), "w").write('{"imageLayoutVersion":"1.0.0"}')
    print(name, sum(l["size"] for l in man["layers"]), "bytes compressed", flush=True)


def main():
    os.makedirs(os.path.join(OUT, "_blobs"), exist_ok=True)
    man, cfg = load(SRC)
    big_src = max(man["layers"], key=lambda l: l["size"])["digest"]

    def keep(res, tag):
        gz, diff_id, digest, size = res
        dst = os.path.join(OUT, "_blobs", tag)
        os.replace(gz, dst)
        return dst, diff_id, digest, size

    work = os.path.join(OUT, "_work")
    os.makedirs(work, exist_ok=True)
    l123 = keep(make_layer(blob(SRC, big_src), [1, 2, 3], work), "l123")
    l456 = keep(make_layer(blob(SRC, big_src), [4, 5, 6], work), "l456")
    lnew = keep(extra_layer(60 << 20, work), "lnew")
    write_image("big-a", SRC, man, cfg, [(*l123, "COPY opt/ copies 1-3")])
    write_image("big-b-new", SRC, man, cfg, [(*l123, "COPY opt/ copies 1-3"), (*lnew, "COPY srv/app")])
    write_image("big-c", SRC, man, cfg, [(*l456, "COPY opt/ copies 4-6")])


if __name__ == "__main__":
    main()
