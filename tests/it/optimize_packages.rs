//! `dlint optimize` on package databases built in code: a build toolchain and packages that only
//! came as recommendations, found from dpkg's database with apt's extended_states or its history
//! log, and from apk's database and world file on Alpine.

use crate::optimize::{BASE, priced, run, write};
use dlint::image::testkit::{ImageSpec, LayerBuilder};

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
