//! `dlint optimize` on images built in code, where every saving is known in advance, and on
//! the real `debian-slim` image when it exists (`../images/` or `$DLINT_IMAGES`).

use assert_cmd::Command;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{self, Compression, OpenOptions};
use dlint::optimize::{self, OptimizeReport, Options, Status};
use std::path::{Path, PathBuf};

const BASE: &str = "/bin/sh -c #(nop) ADD file:0123abcd in / ";

fn write(dir: &Path, name: &str, spec: &ImageSpec) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(
        &p,
        testkit::to_tar(&testkit::oci(std::slice::from_ref(spec), false)),
    )
    .unwrap();
    p
}

fn run(dockerfile: &str, image: &Path, target: Option<&str>) -> OptimizeReport {
    let df = dlint::dockerfile::parse(dockerfile);
    let img = image::open(image, &OpenOptions::default()).unwrap();
    let opts = Options {
        target: target.map(str::to_string),
        ..Options::default()
    };
    optimize::run(&df, "Dockerfile", Some(&img), &opts).unwrap()
}

/// (rule, line) -> bytes of the measured findings.
fn priced(r: &OptimizeReport) -> Vec<(String, usize, u64)> {
    let mut v: Vec<(String, usize, u64)> = r
        .findings
        .iter()
        .filter(|f| f.status == Status::Measured)
        .map(|f| (f.rule.clone(), f.line.unwrap_or(0), f.bytes.unwrap_or(0)))
        .collect();
    v.sort();
    v
}

const CACHES: &str = "FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y curl
RUN pip install flask
RUN npm install -g left-pad@1.3.0
COPY . /app
RUN rm -rf /tmp/big && chmod 600 /app/data
";

/// Caches of three managers, a `.git` copied in, a file deleted by a later RUN, a file
/// overwritten by a later RUN, and a pip cache file hard-linked from site-packages (its bytes
/// cannot go with the cache).
fn caches_image() -> ImageSpec {
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

const STATUS: &str = "Package: libc6\nStatus: install ok installed\nPriority: required\n\
Architecture: amd64\nInstalled-Size: 100\n\n\
Package: build-essential\nStatus: install ok installed\nArchitecture: amd64\n\
Installed-Size: 1\nDepends: gcc, make\n\n\
Package: gcc\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 5\n\
Depends: cpp (>= 4), libc6\n\n\
Package: cpp\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 2\n\n\
Package: make\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 1\n\n\
Package: curl\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 1\n\
Depends: libcurl4\nRecommends: ca-certificates\n\n\
Package: libcurl4\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 1\n\n\
Package: ca-certificates\nStatus: install ok installed\nArchitecture: all\n\
Installed-Size: 1\n";

const STATES: &str = "Package: gcc\nArchitecture: amd64\nAuto-Installed: 1\n\n\
Package: cpp\nArchitecture: amd64\nAuto-Installed: 1\n\n\
Package: make\nArchitecture: amd64\nAuto-Installed: 1\n\n\
Package: libcurl4\nArchitecture: amd64\nAuto-Installed: 1\n\n\
Package: ca-certificates\nArchitecture: all\nAuto-Installed: 1\n";

/// apt's log of the same install: what `Install:` marks `automatic` came as a dependency or
/// recommendation (curl was asked for; a later explicit install makes a package manual).
const HISTORY: &str = "\nStart-Date: 2026-12-06  17:57:49\n\
Commandline: apt-get install -y build-essential curl\n\
Install: gcc:amd64 (12.2.0-14, automatic), cpp:amd64 (4:12.2.0-3, automatic), \
make:amd64 (4.3-4.1, automatic), build-essential:amd64 (12.9), curl:amd64 (7.88.1-10), \
libcurl4:amd64 (7.88.1-10, automatic), ca-certificates:amd64 (20230311, automatic)\n\
End-Date: 2026-12-06  17:57:56\n";

/// A single-stage build that installs build-essential (the toolchain a multi-stage build would
/// drop) and curl without `--no-install-recommends` (ca-certificates only came as a
/// recommendation), with dpkg's database, file lists and apt's extended_states.
#[test]
fn toolchain_and_recommends_from_dpkg() {
    toolchain_and_recommends("var/lib/apt/extended_states", STATES);
}

/// The same when the image has apt's log but not its extended_states.
#[test]
fn toolchain_and_recommends_from_apt_history_log() {
    toolchain_and_recommends("var/log/apt/history.log", HISTORY);
}

fn toolchain_and_recommends(apt_state_path: &str, apt_state: &str) {
    let list = |files: &[&str]| files.join("\n").into_bytes();
    let l0 = LayerBuilder::new()
        .symlink("bin", "usr/bin")
        .file_size("usr/lib/x86_64-linux-gnu/libc.so.6", 2000)
        .file(
            "var/lib/dpkg/info/libc6:amd64.list",
            &list(&["/usr/lib/x86_64-linux-gnu/libc.so.6"]),
        )
        .file(
            "var/lib/dpkg/status",
            b"Package: libc6\nStatus: install ok installed\n",
        )
        .build();
    let l1 = LayerBuilder::new()
        .file("var/lib/dpkg/status", STATUS.as_bytes())
        .file(apt_state_path, apt_state.as_bytes())
        .file_size("usr/bin/gcc-12", 5000)
        .symlink("usr/bin/gcc", "gcc-12")
        .file_size("usr/bin/cpp-12", 2000)
        .file_size("usr/bin/make", 1000)
        .file_size("usr/share/doc/build-essential/copyright", 10)
        .file_size("usr/bin/curl", 700)
        .file_size("usr/lib/x86_64-linux-gnu/libcurl.so.4", 800)
        .file_size("etc/ssl/certs/ca-certificates.crt", 300)
        .file_size("usr/share/ca-certificates/a.crt", 200)
        .file(
            "var/lib/dpkg/info/gcc.list",
            &list(&["/usr", "/usr/bin", "/usr/bin/gcc-12", "/usr/bin/gcc"]),
        )
        .file("var/lib/dpkg/info/cpp.list", &list(&["/usr/bin/cpp-12"]))
        // listed through the /bin -> usr/bin symlink, as merged-/usr systems do
        .file("var/lib/dpkg/info/make.list", &list(&["/bin/make"]))
        .file(
            "var/lib/dpkg/info/build-essential.list",
            &list(&["/usr/share/doc/build-essential/copyright"]),
        )
        .file("var/lib/dpkg/info/curl.list", &list(&["/usr/bin/curl"]))
        .file(
            "var/lib/dpkg/info/libcurl4:amd64.list",
            &list(&["/usr/lib/x86_64-linux-gnu/libcurl.so.4"]),
        )
        .file(
            "var/lib/dpkg/info/ca-certificates.list",
            &list(&[
                "/etc/ssl/certs/ca-certificates.crt",
                "/usr/share/ca-certificates/a.crt",
            ]),
        )
        .build();
    let spec = ImageSpec::new().layer(l0, BASE).layer(
        l1,
        "RUN /bin/sh -c apt-get update && apt-get install -y build-essential curl && rm -rf /var/lib/apt/lists/* # buildkit",
    );
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "tool.tar", &spec);
    let df = "FROM debian\nRUN apt-get update && apt-get install -y build-essential curl && rm -rf /var/lib/apt/lists/*\n";
    let r = run(df, &p, None);
    // a package's files, and dpkg's own files for it (its `.list` here)
    let list_len = |files: &[&str]| list(files).len() as u64;
    let ca_list = list_len(&[
        "/etc/ssl/certs/ca-certificates.crt",
        "/usr/share/ca-certificates/a.crt",
    ]);
    let tool_lists = list_len(&["/usr", "/usr/bin", "/usr/bin/gcc-12", "/usr/bin/gcc"])
        + list_len(&["/usr/bin/cpp-12"])
        + list_len(&["/bin/make"])
        + list_len(&["/usr/share/doc/build-essential/copyright"]);
    assert_eq!(
        priced(&r),
        vec![
            ("DL3015".to_string(), 2, 500 + ca_list),
            (
                "build-toolchain".to_string(),
                2,
                5000 + 2000 + 1000 + 10 + tool_lists
            ),
        ]
    );
    let tc = r
        .findings
        .iter()
        .find(|f| f.rule == "build-toolchain")
        .unwrap();
    for n in ["build-essential", "gcc", "cpp", "make"] {
        assert!(tc.what.contains(n), "{}", tc.what);
    }
    assert!(!tc.what.contains("curl"), "{}", tc.what);
    let rec = r.findings.iter().find(|f| f.rule == "DL3015").unwrap();
    assert!(rec.what.contains("ca-certificates"), "{}", rec.what);
    assert!(
        rec.note.is_none(),
        "measured from file lists, not estimated"
    );
}

/// The same on Alpine: apk's database (sizes, dependencies through `so:` providers, file
/// lists) and `etc/apk/world`. build-base (no files of its own) pulls in gcc, make and
/// musl-dev; curl was asked for and stays, with musl from the base image.
#[test]
fn toolchain_from_apk() {
    let base_db = "P:musl\nV:1.2.5-r9\nA:x86_64\nI:600000\np:so:libc.musl-x86_64.so.1=1\nF:lib\nR:ld-musl-x86_64.so.1\n";
    let db = format!(
        "{base_db}\n\
P:build-base\nA:x86_64\nI:0\nD:gcc make musl-dev\n\n\
P:gcc\nA:x86_64\nI:90000000\nD:so:libc.musl-x86_64.so.1 binutils\nF:usr/bin\nR:gcc\nF:usr/libexec/gcc\nR:cc1\n\n\
P:binutils\nA:x86_64\nI:8000000\nD:so:libc.musl-x86_64.so.1\nF:usr/bin\nR:ld\n\n\
P:make\nA:x86_64\nI:300000\nD:so:libc.musl-x86_64.so.1\nF:usr/bin\nR:make\n\n\
P:musl-dev\nA:x86_64\nI:4000000\nD:musl=1.2.5-r9\nF:usr/include\nR:stdio.h\n\n\
P:curl\nA:x86_64\nI:400000\nD:so:libc.musl-x86_64.so.1\nF:usr/bin\nR:curl\n"
    );
    let l0 = LayerBuilder::new()
        .file_size("lib/ld-musl-x86_64.so.1", 600)
        .file("lib/apk/db/installed", base_db.as_bytes())
        .file("etc/apk/world", b"alpine-baselayout\n")
        .build();
    let l1 = LayerBuilder::new()
        .file("lib/apk/db/installed", db.as_bytes())
        .file("etc/apk/world", b"alpine-baselayout\nbuild-base\ncurl\n")
        .file_size("usr/bin/gcc", 5000)
        .file_size("usr/libexec/gcc/cc1", 7000)
        .file_size("usr/bin/ld", 900)
        .file_size("usr/bin/make", 1000)
        .file_size("usr/include/stdio.h", 40)
        .file_size("usr/bin/curl", 700)
        .build();
    let spec = ImageSpec::new().layer(l0, BASE).layer(
        l1,
        "RUN /bin/sh -c apk add --no-cache build-base curl # buildkit",
    );
    let d = tempfile::tempdir().unwrap();
    let p = write(d.path(), "apk.tar", &spec);
    let r = run(
        "FROM alpine\nRUN apk add --no-cache build-base curl\n",
        &p,
        None,
    );
    assert_eq!(
        priced(&r),
        vec![(
            "build-toolchain".to_string(),
            2,
            5000 + 7000 + 900 + 1000 + 40
        )]
    );
    let tc = r
        .findings
        .iter()
        .find(|f| f.rule == "build-toolchain")
        .unwrap();
    for n in ["build-base", "gcc", "binutils", "make", "musl-dev"] {
        assert!(tc.what.contains(n), "{}", tc.what);
    }
    assert!(
        !tc.what.contains("curl") && !tc.what.contains("musl,"),
        "{}",
        tc.what
    );
    assert!(tc.note.is_none(), "measured from apk's file lists");
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

fn dlint(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("dlint").unwrap();
    // no registry lookup of the base image (the base-variant finding is tested in image_registry)
    c.current_dir(dir)
        .env("NO_COLOR", "1")
        .env("DLINT_BASE_FACTS", "off");
    c
}

#[test]
fn cli_formats_gate_and_no_image() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "caches.tar", &caches_image());
    std::fs::write(d.path().join("Dockerfile"), CACHES).unwrap();
    let ok = |args: &[&str], code: i32| {
        let out = dlint(d.path()).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(code), "{args:?}: {out:?}");
        String::from_utf8(out.stdout).unwrap()
    };
    let base = [
        "optimize",
        "Dockerfile",
        "--image",
        "caches.tar",
        "--no-config",
    ];
    let text = ok(&base, 0);
    assert!(text.contains("could be saved"), "{text}");
    assert!(text.contains("deleted-later"), "{text}");
    let json: serde_json::Value =
        serde_json::from_str(&ok(&[&base[..], &["-f", "json"]].concat(), 0)).unwrap();
    assert_eq!(json["schema"], "dlint-optimize/1");
    assert_eq!(json["total_saved"], 13_200);
    assert_eq!(json["size_after"], 1_360);
    assert_eq!(json["findings"][0]["status"], "measured");
    let md = ok(&[&base[..], &["-f", "markdown"]].concat(), 0);
    assert!(md.contains("| line | rule | saved |"), "{md}");
    // gate: 13,200 bytes could go, 90.7% of the image
    ok(&[&base[..], &["--max-savings", "10KB"]].concat(), 1);
    ok(&[&base[..], &["--max-savings", "20KB"]].concat(), 0);
    ok(&[&base[..], &["--max-savings", "50%"]].concat(), 1);
    ok(&[&base[..], &["--max-savings", "95%"]].concat(), 0);
    // no image: the size findings, unmeasured
    let json: serde_json::Value = serde_json::from_str(&ok(
        &["optimize", "Dockerfile", "--no-config", "-f", "json"],
        0,
    ))
    .unwrap();
    let f = json["findings"].as_array().unwrap();
    assert!(f.len() >= 4, "{f:?}");
    assert!(f.iter().all(|f| f["status"] == "not-measured"), "{f:?}");
    assert!(json["size"].is_null());
    // --context: a .git on disk not in .dockerignore
    std::fs::create_dir_all(d.path().join("ctx/.git")).unwrap();
    std::fs::write(d.path().join("ctx/.git/HEAD"), "ref: x\n").unwrap();
    let text = ok(
        &["optimize", "Dockerfile", "--no-config", "--context", "ctx"],
        0,
    );
    assert!(text.contains("build context has .git/"), "{text}");
    std::fs::write(d.path().join("ctx/.dockerignore"), ".git\n").unwrap();
    let text = ok(
        &["optimize", "Dockerfile", "--no-config", "--context", "ctx"],
        0,
    );
    assert!(!text.contains("build context has .git/"), "{text}");
    // bad --target: usage error
    ok(&[&base[..], &["--target", "nope"]].concat(), 2);
}

#[test]
fn image_with_dockerfile_shows_lines() {
    let d = tempfile::tempdir().unwrap();
    write(d.path(), "caches.tar", &caches_image());
    std::fs::write(d.path().join("Dockerfile"), CACHES).unwrap();
    let out = dlint(d.path())
        .args([
            "image",
            "caches.tar",
            "--dockerfile",
            "Dockerfile",
            "--no-config",
            "-f",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = v["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["line"].clone())
        .collect();
    assert_eq!(
        lines,
        serde_json::json!([null, 2, 3, 4, 5, 6])
            .as_array()
            .unwrap()
            .clone()
    );
    let out = dlint(d.path())
        .args([
            "image",
            "caches.tar",
            "--dockerfile",
            "Dockerfile",
            "--no-config",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("line 5: COPY . /app"), "{text}");
}

/// Sums of the regular files of layer `layer` of an OCI archive whose path starts with each
/// prefix, read straight from the gzipped layer blob (not through dlint's image walker), so the
/// expected figures follow the image when `make-images.sh` rebuilds it.
fn layer_file_bytes(oci_tar: &Path, layer: usize, prefixes: &[&str]) -> Vec<u64> {
    use std::io::Read;
    let mut blobs = std::collections::HashMap::new();
    let mut index = Vec::new();
    let mut ar = tar::Archive::new(std::fs::File::open(oci_tar).unwrap());
    for e in ar.entries().unwrap() {
        let mut e = e.unwrap();
        let name = e
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        if name == "index.json" {
            index = data;
        } else if let Some(d) = name.strip_prefix("blobs/sha256/") {
            blobs.insert(format!("sha256:{d}"), data);
        }
    }
    let json = |b: &[u8]| serde_json::from_slice::<serde_json::Value>(b).unwrap();
    let mut doc = json(&index);
    while doc.get("layers").is_none() {
        let digest = doc["manifests"][0]["digest"].as_str().unwrap().to_string();
        doc = json(&blobs[&digest]);
    }
    let digest = doc["layers"][layer]["digest"].as_str().unwrap();
    let gz = flate2::read::GzDecoder::new(&blobs[digest][..]);
    let mut sums = vec![0; prefixes.len()];
    for e in tar::Archive::new(gz).entries().unwrap() {
        let e = e.unwrap();
        if !e.header().entry_type().is_file() {
            continue;
        }
        let path = e
            .path()
            .unwrap()
            .to_string_lossy()
            .trim_start_matches("./")
            .to_string();
        for (sum, p) in sums.iter_mut().zip(prefixes) {
            if path.starts_with(p) {
                *sum += e.size();
            }
        }
    }
    sums
}

/// The real image from `make-images.sh`: the apt lists of layer 1 priced to the byte (the sum
/// of the regular files under var/lib/apt/lists in that layer's blob; 87,325,647 bytes in the
/// first build, it changes with the Debian mirror when the image is rebuilt).
#[test]
fn real_debian_slim_apt_lists() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let img = std::env::var_os("DLINT_IMAGES")
        .map(PathBuf::from)
        .into_iter()
        .chain([root.join("../images"), root.join("../../images")])
        .map(|d| d.join("debian-slim.oci.tar"))
        .find(|p| p.exists())
        .unwrap_or_else(|| root.join("../images/debian-slim.oci.tar"));
    if !img.exists() {
        eprintln!(
            "skipped: {} not found (built by make-images.sh; set DLINT_IMAGES)",
            img.display()
        );
        return;
    }
    let df = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/optimize/debian-slim.Dockerfile"),
    )
    .unwrap();
    let r = run(&df, &img, None);
    let a = &r.image.as_ref().unwrap().attribution;
    assert_eq!(a.status, "matched", "{a:?}");
    let expected = layer_file_bytes(&img, 1, &["var/lib/apt/lists/", "var/cache/apt/"]);
    assert!(expected.iter().all(|&b| b > 1_000_000), "{expected:?}");
    let lists = r.findings.iter().find(|f| f.rule == "DL3009").unwrap();
    assert_eq!(lists.bytes, Some(expected[0]));
    assert_eq!(lists.layer, Some(1));
    // line 7 deletes /var/cache/apt, which line 5's apt-get install filled (DL5004)
    let archives = r.findings.iter().find(|f| f.rule == "DL5004").unwrap();
    assert_eq!(archives.bytes, Some(expected[1]));
    assert_eq!(archives.layer, Some(1));
    assert!(!r.findings.iter().any(|f| f.rule == "cache-left"));
    assert_eq!(r.size_after, Some(r.size.unwrap() - r.total_saved));
}
