//! `dlint optimize` on images built in code, where every saving is known in advance.
//!
//! This module holds the shared image builders (`write`, `run`, `priced`, `caches_image`) and the
//! savings priced from layers: caches (also in users' homes), deleted and overwritten files,
//! multi-stage builds, history fallback, build outputs copied with the context, and the JSON
//! fields' documentation. Packages are in `optimize_packages`, the command line in
//! `optimize_cli`, the real image in `optimize_real_image`.

use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{self, Compression, OpenOptions};
use dlint::optimize::{self, OptimizeReport, Options, Status};
use std::path::{Path, PathBuf};

pub(crate) const BASE: &str = "/bin/sh -c #(nop) ADD file:0123abcd in / ";

pub(crate) fn write(dir: &Path, name: &str, spec: &ImageSpec) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        testkit::to_tar(&testkit::oci(std::slice::from_ref(spec), false)),
    )
    .unwrap();
    p
}

pub(crate) fn run(dockerfile: &str, image: &Path, target: Option<&str>) -> OptimizeReport {
    let df = dlint::dockerfile::parse(dockerfile);
    let img = image::open(image, &OpenOptions::default()).unwrap();
    let opts = Options {
        target: target.map(str::to_string),
        ..Options::default()
    };
    optimize::run(&df, "Dockerfile", Some(&img), &opts).unwrap()
}

/// (rule, line) -> bytes of the measured findings.
pub(crate) fn priced(r: &OptimizeReport) -> Vec<(String, usize, u64)> {
    let mut v: Vec<(String, usize, u64)> = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Measured)
        .map(|f| (f.rule.clone(), f.line.unwrap_or(0), f.bytes.unwrap_or(0)))
        .collect();
    v.sort();
    v
}

pub(crate) const CACHES: &str = "FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN pip install flask
RUN npm install -g left-pad@1.3.0
COPY . /app
RUN rm -rf /tmp/big && chmod 600 /app/data
";

/// Caches of three managers, a `.git` copied in, a file deleted by a later RUN, a file
/// overwritten by a later RUN, and a pip cache file hard-linked from site-packages (its bytes
/// cannot go with the cache).
pub(crate) fn caches_image() -> ImageSpec {
    let c = Compression::Gzip;
    ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("etc/os-release", 100)
                .build(),
            BASE,
        )
        .empty("/bin/sh -c #(nop)  CMD [\"bash\"]")
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("var/lib/apt/lists/deb_Packages", 1000)
                .file_size("var/lib/apt/lists/deb_Translation-en", 2000)
                .file_size("var/cache/apt/pkgcache.bin", 3000)
                .file_size("usr/bin/curl", 500)
                .file_size("tmp/big", 4000)
                .build(),
            "RUN /bin/sh -c apt-get update && apt-get install -y curl # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .compress(Compression::Zstd)
                .file_size("root/.cache/pip/http/x", 700)
                .file_size("usr/lib/python3/site-packages/flask/__init__.py", 300)
                .file_size("root/.cache/pip/wheels/w", 50)
                .hardlink(
                    "usr/lib/python3/site-packages/flask/w",
                    "root/.cache/pip/wheels/w",
                )
                .build(),
            "RUN /bin/sh -c pip install flask # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("root/.npm/_cacache/content/y", 900)
                .build(),
            "RUN /bin/sh -c npm install -g left-pad@1.3.0 # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .compress(Compression::None)
                .file_size("app/.git/objects/o", 1200)
                .file_size("app/data", 400)
                .file_size("app/app.py", 10)
                .build(),
            "COPY . /app # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .compress(c)
                .whiteout("tmp/big")
                .file_size("app/data", 400)
                .build(),
            "RUN /bin/sh -c rm -rf /tmp/big && chmod 600 /app/data # buildkit",
        )
}

#[test]
fn caches_deletes_and_hard_links_priced_exactly() {
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "caches.tar", &caches_image());
    let r = run(CACHES, &p, None);
    let img = r.image.as_ref().unwrap();
    assert_eq!(img.attribution.status, "matched", "{:?}", img.attribution);
    assert_eq!(
        img.attribution
            .layers
            .iter()
            .map(|l| l.line)
            .collect::<Vec<_>>(),
        vec![None, Some(2), Some(3), Some(4), Some(5), Some(6)]
    );
    let s = |r: &str, l: usize, b: u64| (r.to_string(), l, b);
    assert_eq!(
        priced(&r),
        vec![
            s("DL3009", 2, 3000),
            // the hard-linked 50 bytes stay reachable from site-packages: not priced
            s("DL3042", 3, 700),
            s("DL5003", 4, 900),
            s("cache-left", 2, 3000),
            s("context-not-ignored", 5, 1200),
            s("deleted-later", 2, 4000),
            s("deleted-later", 5, 400),
        ]
    );
    // stored: 100 + 10500 + 1050 + 900 + 1610 + 400
    assert_eq!(r.size, Some(14_560));
    assert_eq!(r.total_saved, 13_200);
    assert_eq!(r.size_after, Some(1_360));
    // ranked biggest first
    assert_eq!(r.findings[0].bytes, Some(4000));
    // DL3015 cannot be measured without a dpkg database
    let rec = r.findings.iter().find(|f| f.rule == "DL3015").unwrap();
    assert_eq!(rec.status, Status::NotMeasured);
    assert!(
        rec.note.as_deref().unwrap().contains("not measurable"),
        "{rec:?}"
    );
    let share = r.findings[0].share.unwrap();
    assert!((share - 4000.0 * 100.0 / 14_560.0).abs() < 1e-9);
}

/// Caches a non-root user fills are in its home: `npm install` as `node` leaves
/// /home/node/.npm, `pip install --user` as `app` /home/app/.cache/pip; each is priced to its
/// finding, and the same cache in another user's home is not claimed.
#[test]
fn per_user_caches_priced_in_the_users_home() {
    const DF: &str = "FROM node:20
RUN useradd -m app
USER app
RUN pip install --user flask
USER node
RUN npm install left-pad
";
    let c = Compression::Gzip;
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("etc/os-release", 100)
                .file_size("home/node/.npm/_cacache/old", 77)
                .build(),
            BASE,
        )
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("home/app/.bashrc", 10)
                .build(),
            "RUN /bin/sh -c useradd -m app # buildkit",
        )
        .empty("USER app")
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("home/app/.cache/pip/http/x", 600)
                .file_size("home/app/.local/lib/flask.py", 40)
                .build(),
            "RUN /bin/sh -c pip install --user flask # buildkit",
        )
        .empty("USER node")
        .layer(
            LayerBuilder::new()
                .compress(c)
                .file_size("home/node/.npm/_cacache/content/y", 800)
                .file_size("home/node/node_modules/left-pad/index.js", 5)
                .build(),
            "RUN /bin/sh -c npm install left-pad # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "users.tar", &spec);
    let r = run(DF, &p, None);
    let s = |r: &str, l: usize, b: u64| (r.to_string(), l, b);
    let got: Vec<_> = priced(&r)
        .into_iter()
        .filter(|(rule, _, _)| rule == "DL3042" || rule == "DL5003")
        .collect();
    // the base image's 77 bytes in /home/node/.npm are not the RUN's
    assert_eq!(got, vec![s("DL3042", 4, 600), s("DL5003", 6, 800)]);
    // `dlint image` lists both as caches left
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let rep = image::analyze(&img, &image::AnalyzeOptions::default()).unwrap();
    let caches: Vec<(&str, u64)> = rep
        .caches
        .iter()
        .map(|c| (c.path.as_str(), c.bytes))
        .collect();
    assert_eq!(
        caches,
        vec![("home/app/.cache/pip", 600), ("home/node/.npm", 877)]
    );
}

/// The same image as every container format `dlint image` reads gives the same prices.
#[test]
fn every_archive_format() {
    let d = tempfile::tempdir().unwrap();
    let spec = caches_image();
    let specs = std::slice::from_ref(&spec);
    let want = priced(&run(CACHES, &write(d.path(), "caches.tar", &spec), None));
    let classic = d.path().join("classic.tar");
    std::fs::write(&classic, testkit::to_tar(&testkit::docker_classic(specs))).unwrap();
    let blobs = d.path().join("blobs.tar");
    std::fs::write(&blobs, testkit::to_tar(&testkit::docker_blobs(specs))).unwrap();
    let dir = d.path().join("layout");
    testkit::to_dir(&testkit::oci(specs, true), &dir).unwrap();
    for p in [classic, blobs, dir] {
        assert_eq!(priced(&run(CACHES, &p, None)), want, "{}", p.display());
    }
}

/// Every field the JSON output writes is documented in docs/optimize-schema.md.
#[test]
fn json_fields_are_documented() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/optimize-schema.md"),
    )
    .unwrap();
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "caches.tar", &caches_image());
    let mismatch = run("FROM x\nRUN other\n", &p, None);
    let mut keys = std::collections::BTreeSet::new();
    fn walk(v: &serde_json::Value, keys: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(m) => {
                for (k, v) in m {
                    keys.insert(k.clone());
                    walk(v, keys);
                }
            }
            serde_json::Value::Array(a) => a.iter().for_each(|v| walk(v, keys)),
            _ => {}
        }
    }
    for r in [run(CACHES, &p, None), mismatch] {
        walk(&serde_json::to_value(&r).unwrap(), &mut keys);
    }
    assert!(keys.len() > 20, "{keys:?}");
    let missing: Vec<&String> = keys
        .iter()
        .filter(|k| !doc.contains(&format!("\"{k}\":")))
        .collect();
    assert!(missing.is_empty(), "undocumented: {missing:?}");
}

#[test]
fn multi_stage_prices_only_the_built_stage() {
    let dockerfile = "FROM golang:1.22 AS build
RUN apt-get update && apt-get install -y gcc
RUN go build -o /out/app .
FROM debian:bookworm-slim
COPY --from=build /out/app /usr/local/bin/app
RUN pip install requests
";
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new().file_size("etc/os-release", 100).build(),
            BASE,
        )
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bin/app", 5000)
                .build(),
            "COPY /out/app /usr/local/bin/app # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .file_size("root/.cache/pip/http/r", 640)
                .file_size("usr/lib/python3/site-packages/requests/api.py", 60)
                .build(),
            "RUN /bin/sh -c pip install requests # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "multi.tar", &spec);
    let r = run(dockerfile, &p, None);
    assert_eq!(priced(&r), vec![("DL3042".to_string(), 6, 640)]);
    let other = r.findings.iter().find(|f| f.rule == "DL3015").unwrap();
    assert_eq!(other.status, Status::NotInImage);
    assert_eq!(other.line, Some(2));
    assert_eq!(r.total_saved, 640);
    assert_eq!(r.size_after, Some(5800 - 640));
    // the builder stage was not built into this image: its history does not match
    let r = run(dockerfile, &p, Some("build"));
    assert_eq!(r.image.unwrap().attribution.status, "mismatch");
}

const LATER_RM: &str = "FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
RUN curl -fsSL -o /tmp/x.tar.gz https://example.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt
RUN rm /tmp/x.tar.gz && rm -rf /var/lib/apt/lists/* && chmod 600 /opt/x/data
";

/// DL5004: the download deleted one RUN later is priced at what its layer stored under the
/// path, the same layer's other overwritten file stays a `deleted-later` finding, and the apt
/// lists are not priced twice (DL3009 on the RUN that filled them has them).
#[test]
fn removed_in_later_run_priced_by_path() {
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new().file_size("etc/os-release", 100).build(),
            BASE,
        )
        .layer(
            LayerBuilder::new()
                .file_size("var/lib/apt/lists/deb_Packages", 1000)
                .file_size("var/lib/apt/lists/deb_Release", 2000)
                .file_size("usr/bin/curl", 500)
                .build(),
            "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends curl # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .file_size("tmp/x.tar.gz", 4000)
                .file_size("tmp/x.tar.gz.sig", 70)
                .file_size("opt/x/data", 300)
                .build(),
            "RUN /bin/sh -c curl -fsSL -o /tmp/x.tar.gz https://example.com/x.tar.gz && tar -xzf /tmp/x.tar.gz -C /opt # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .whiteout("tmp/x.tar.gz")
                .whiteout("tmp/x.tar.gz.sig")
                .whiteout("var/lib/apt/lists/deb_Packages")
                .whiteout("var/lib/apt/lists/deb_Release")
                .file_size("opt/x/data", 300)
                .build(),
            "RUN /bin/sh -c rm /tmp/x.tar.gz && rm -rf /var/lib/apt/lists/* && chmod 600 /opt/x/data # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "later-rm.tar", &spec);
    let r = run(LATER_RM, &p, None);
    assert_eq!(r.image.as_ref().unwrap().attribution.status, "matched");
    let s = |r: &str, l: usize, b: u64| (r.to_string(), l, b);
    assert_eq!(
        priced(&r),
        vec![
            s("DL3009", 2, 3000),
            // /tmp/x.tar.gz only: the .sig next to it is another path
            s("DL5004", 4, 4000),
            s("deleted-later", 3, 370),
        ]
    );
    let f = r
        .findings
        .iter()
        .find(|f| f.rule == "DL5004" && f.status == Status::Measured)
        .unwrap();
    assert_eq!(f.layer, Some(2));
    assert_eq!(f.examples, vec![("/tmp/x.tar.gz".to_string(), 4000)]);
    // the lists delete is a finding too, but its bytes are DL3009's
    let lists = r
        .findings
        .iter()
        .filter(|f| f.rule == "DL5004" && f.status == Status::NotMeasured)
        .count();
    assert_eq!(lists, 1);
    assert_eq!(r.total_saved, 3000 + 4000 + 370);
}

#[test]
fn unmatched_history_falls_back_to_layers() {
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new().file_size("etc/os-release", 100).build(),
            BASE,
        )
        .layer(
            LayerBuilder::new()
                .file_size("var/lib/apt/lists/x", 999)
                .build(),
            "generated by image_gen",
        );
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "other.tar", &spec);
    let r = run(
        "FROM debian\nRUN apt-get update && apt-get install -y curl\n",
        &p,
        None,
    );
    let img = r.image.as_ref().unwrap();
    assert_eq!(img.attribution.status, "mismatch");
    assert!(
        img.attribution
            .reason
            .as_deref()
            .unwrap()
            .contains("line 2")
    );
    assert_eq!(img.attribution.layers.len(), 2);
    assert!(img.attribution.layers.iter().all(|l| l.line.is_none()));
    assert_eq!(r.total_saved, 0);
    assert_eq!(r.size_after, Some(1099));
    let f = r.findings.iter().find(|f| f.rule == "DL3009").unwrap();
    assert_eq!(f.status, Status::NotMeasured);
    assert!(r.notes.iter().any(|n| n.contains("does not match")));
}

/// A `COPY . /app` that brings a local build's output (`target/`, `dist/`) along with the
/// sources: each priced at the bytes the COPY stored under it, with a hint that the image may
/// mean to use it.
#[test]
fn build_outputs_copied_with_the_context() {
    let l1 = LayerBuilder::new()
        .file_size("app/src/main.rs", 10)
        .file_size("app/target/debug/app", 3000)
        .file_size("app/target/debug/deps/libx.rlib", 400)
        .file_size("app/web/dist/bundle.js", 250)
        .build();
    let spec = ImageSpec::new()
        .layer(LayerBuilder::new().file_size("bin/sh", 5).build(), BASE)
        .layer(l1, "COPY . /app # buildkit");
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "ctx.tar", &spec);
    let r = run("FROM rust:1\nCOPY . /app\n", &p, None);
    assert_eq!(
        priced(&r),
        vec![
            ("context-not-ignored".to_string(), 2, 250),
            ("context-not-ignored".to_string(), 2, 3400),
        ]
    );
    assert!(
        r.findings
            .iter()
            .all(|f| f.what.contains("local build's output")),
        "{:?}",
        r.findings
    );
}
