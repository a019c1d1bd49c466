//! `dlint optimize --suggest`: the multi-stage Dockerfile proposed for a single-stage build
//! whose image keeps a toolchain, on images built in code where every output and byte is
//! known. (`scripts/rebuild-check --suggest` builds the proposal for real.)

use assert_cmd::Command;
use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{self, OpenOptions};
use dlint::optimize::{self, FixKind, Options};
use std::path::{Path, PathBuf};

const BASE: &str = "/bin/sh -c #(nop) ADD file:0123abcd in / ";

const DOCKERFILE: &str = "FROM debian:bookworm-slim\n\
ENV LANG=C.UTF-8\n\
# the source\n\
COPY hello.c /src/hello.c\n\
RUN apt-get update && apt-get install -y --no-install-recommends gcc libc6-dev libssl-dev ca-certificates \\\n\
 && gcc -o /usr/local/bin/greet /src/hello.c && mkdir -p /app/out && echo > /app/out/data.bin\n\
WORKDIR /app\n\
CMD [\"greet\"]\n";

const STATUS: &str = "Package: libc6\nStatus: install ok installed\nPriority: required\n\
Architecture: amd64\nInstalled-Size: 100\n\n\
Package: gcc\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 5\n\
Depends: cpp, libc6\n\n\
Package: cpp\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 2\n\n\
Package: libc6-dev\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 1\n\
Depends: libc6\n\n\
Package: libssl-dev\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 1\n\
Depends: libssl3 (= 3.0.15)\n\n\
Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nInstalled-Size: 1\n\n\
Package: ca-certificates\nStatus: install ok installed\nArchitecture: all\nInstalled-Size: 1\n";

const STATES: &str = "Package: cpp\nArchitecture: amd64\nAuto-Installed: 1\n\n\
Package: libssl3\nArchitecture: amd64\nAuto-Installed: 1\n";

fn list(files: &[&str]) -> Vec<u8> {
    files.join("\n").into_bytes()
}

/// base (libc6, the directories base-files owns), the COPY of the source, the RUN that
/// installs the toolchain and builds; `outputs` false leaves the build's outputs out.
fn image(dir: &Path, outputs: bool) -> (PathBuf, u64) {
    let l0 = LayerBuilder::new()
        .symlink("bin", "usr/bin")
        .file_size("usr/lib/x86_64-linux-gnu/libc.so.6", 2000)
        .file(
            "var/lib/dpkg/info/libc6:amd64.list",
            &list(&["/usr/lib/x86_64-linux-gnu/libc.so.6"]),
        )
        .file(
            "var/lib/dpkg/info/base-files.list",
            &list(&["/usr", "/usr/local", "/usr/local/bin", "/etc"]),
        )
        .file(
            "var/lib/dpkg/status",
            b"Package: libc6\nStatus: install ok installed\n",
        )
        .build();
    let l1 = LayerBuilder::new().file_size("src/hello.c", 60).build();
    let mut l2 = LayerBuilder::new()
        .file("var/lib/dpkg/status", STATUS.as_bytes())
        .file("var/lib/apt/extended_states", STATES.as_bytes())
        .file_size("usr/bin/gcc-12", 5000)
        .symlink("usr/bin/cc", "/etc/alternatives/cc")
        .symlink("etc/alternatives/cc", "/usr/bin/gcc-12")
        .file_size("usr/bin/cpp-12", 2000)
        .file_size("usr/include/stdio.h", 300)
        .file_size("usr/include/openssl/ssl.h", 100)
        .file_size("usr/lib/x86_64-linux-gnu/libssl.so.3", 800)
        .file_size("usr/share/ca-certificates/a.crt", 200)
        .file_size("etc/ssl/certs/ca-certificates.crt", 300)
        .file_size("etc/ld.so.cache", 40)
        .file_size("var/cache/apt/pkgcache.bin", 9000)
        .file("var/lib/dpkg/info/gcc.list", &list(&["/usr/bin/gcc-12"]))
        .file("var/lib/dpkg/info/cpp.list", &list(&["/usr/bin/cpp-12"]))
        .file(
            "var/lib/dpkg/info/libc6-dev:amd64.list",
            &list(&["/usr/include", "/usr/include/stdio.h"]),
        )
        .file(
            "var/lib/dpkg/info/libssl-dev:amd64.list",
            &list(&["/usr/include/openssl", "/usr/include/openssl/ssl.h"]),
        )
        .file(
            "var/lib/dpkg/info/libssl3:amd64.list",
            &list(&["/usr/lib/x86_64-linux-gnu/libssl.so.3"]),
        )
        .file(
            "var/lib/dpkg/info/ca-certificates.list",
            &list(&["/usr/share/ca-certificates/a.crt"]),
        );
    if outputs {
        l2 = l2
            .file_size("usr/local/bin/greet", 50)
            .file_size("app/out/data.bin", 70)
            .file_size("app/out/sub/x", 30);
    }
    let l2 = l2.build();
    let run = "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends gcc \
               libc6-dev libssl-dev ca-certificates  && gcc -o /usr/local/bin/greet /src/hello.c \
               && mkdir -p /app/out && echo > /app/out/data.bin # buildkit";
    let spec = ImageSpec::new()
        .layer(l0, BASE)
        .layer(l1, "COPY hello.c /src/hello.c # buildkit")
        .layer(l2, run);
    let p = dir.join("tool.tar");
    std::fs::write(
        &p,
        testkit::to_tar(&testkit::oci(std::slice::from_ref(&spec), false)),
    )
    .unwrap();
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    let report = image::analyze(&img, &Default::default()).unwrap();
    let own: u64 = report.layers[1..].iter().map(|l| l.bytes_added).sum();
    (p, own)
}

fn suggest(p: &Path) -> optimize::OptimizeReport {
    let df = dlint::dockerfile::parse(DOCKERFILE);
    let img = image::open(p, &OpenOptions::default()).unwrap();
    let opts = Options {
        suggest: true,
        ..Options::default()
    };
    optimize::run(&df, "Dockerfile", Some(&img), &opts).unwrap()
}

/// The outputs are the files the RUN made outside the packages and apt's state, each copied
/// from its first directory no package owns; the runtime packages are the ones asked for that
/// are no toolchain and the library of the `-dev` package; the saving is the build's layers
/// less what the final stage adds again.
#[test]
fn proposes_a_multi_stage_build_that_copies_the_outputs() {
    let d = tempfile::tempdir().unwrap();
    let (p, own) = image(d.path(), true);
    let r = suggest(&p);
    assert_eq!(r.suggestions.len(), 1, "{:?}", r.notes);
    let s = &r.suggestions[0];
    assert_eq!(s.fix, FixKind::Manual);
    assert_eq!(s.outputs, ["/app", "/usr/local/bin/greet"]);
    assert_eq!(s.output_bytes, 150);
    assert_eq!(s.runtime_packages, ["ca-certificates", "libssl3"]);
    for t in ["gcc", "cpp", "libc6-dev", "libssl-dev"] {
        assert!(s.toolchain.iter().any(|x| x == t), "{:?}", s.toolchain);
    }
    assert!(
        !s.toolchain
            .iter()
            .any(|x| x == "libssl3" || x == "ca-certificates")
    );
    // the runtime packages' files and dpkg's lists of them, as this image has them
    let runtime = 200
        + 800
        + list(&["/usr/share/ca-certificates/a.crt"]).len() as u64
        + list(&["/usr/lib/x86_64-linux-gnu/libssl.so.3"]).len() as u64;
    assert_eq!(s.bytes, Some(own - 150 - runtime));
    assert!(s.toolchain_bytes > 0 && s.toolchain_bytes < own);
    // not a saving to add to the others
    let sum: u64 = r.findings.iter().filter_map(|f| f.bytes).sum();
    assert_eq!(r.total_saved, sum);

    let text = s.dockerfile.as_deref().unwrap();
    let df = dlint::dockerfile::parse(text);
    assert_eq!(df.stages.len(), 2, "{text}");
    assert_eq!(df.stages[0].name.as_deref(), Some("build"));
    let final_stage = &text[text.rfind("FROM debian:bookworm-slim\n").unwrap()..];
    let pos = |needle: &str| {
        final_stage
            .find(needle)
            .unwrap_or_else(|| panic!("{needle:?} not in\n{final_stage}"))
    };
    assert!(pos("ENV LANG=C.UTF-8") < pos("RUN apt-get update"));
    assert!(pos("--no-install-recommends ca-certificates libssl3") < pos("COPY --from=build"));
    assert!(pos("COPY --from=build /app /app") < pos("WORKDIR /app"));
    assert!(pos("COPY --from=build /usr/local/bin/greet /usr/local/bin/greet") < pos("CMD"));
    assert!(!final_stage.contains("gcc"), "{final_stage}");
    assert!(
        s.notes.iter().any(|n| n.contains("COPY/ADD of line 4 ")),
        "{:?}",
        s.notes
    );
    let diff = s.diff.as_deref().unwrap();
    assert!(
        diff.starts_with("--- a/Dockerfile\n+++ b/Dockerfile\n"),
        "{diff}"
    );
    assert!(
        diff.contains("+FROM debian:bookworm-slim AS build"),
        "{diff}"
    );
    // the proposal introduces no cache or recommendation finding of its own
    let diags = dlint::lint::lint_with(dlint::rules::registry(), &df, &Default::default());
    let size_rules: Vec<&str> = diags
        .iter()
        .map(|d| d.rule)
        .filter(|r| ["DL3009", "DL3015", "DL5005"].contains(r))
        .collect();
    assert!(size_rules.is_empty(), "{size_rules:?}");
}

/// A build whose RUN left nothing outside the packages: the outputs cannot be told, so there
/// is no proposed file and no price, only the toolchain's bytes and a note.
#[test]
fn says_so_when_the_outputs_cannot_be_told() {
    let d = tempfile::tempdir().unwrap();
    let (p, _) = image(d.path(), false);
    let r = suggest(&p);
    let s = &r.suggestions[0];
    assert_eq!(
        (s.bytes, s.diff.as_ref(), s.dockerfile.as_ref()),
        (None, None, None)
    );
    assert!(s.outputs.is_empty() && s.toolchain_bytes > 0);
    assert!(s.notes[0].contains("cannot be told"), "{:?}", s.notes);
}

/// The CLI: the diff in text and markdown, the suggestion in JSON; nothing without the flag.
#[test]
fn cli_prints_the_diff_in_every_format() {
    let d = tempfile::tempdir().unwrap();
    let (p, _) = image(d.path(), true);
    let df = d.path().join("Dockerfile");
    std::fs::write(&df, DOCKERFILE).unwrap();
    let out = |extra: &[&str]| {
        let o = Command::cargo_bin("dlint")
            .unwrap()
            .args(["optimize", "--base-facts", "off", "--no-config"])
            .arg(&df)
            .arg("--image")
            .arg(&p)
            .args(extra)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8(o.stdout).unwrap()
    };
    let text = out(&["--suggest"]);
    assert!(
        text.contains("suggestion (manual): a multi-stage build"),
        "{text}"
    );
    assert!(text.contains("+COPY --from=build /app /app"), "{text}");
    let md = out(&["--suggest", "-f", "markdown"]);
    assert!(md.contains("#### suggestion (manual)") && md.contains("```diff\n--- a/Dockerfile"));
    let json: serde_json::Value = serde_json::from_str(&out(&["--suggest", "-f", "json"])).unwrap();
    assert_eq!(json["suggestions"][0]["kind"], "multi-stage");
    assert_eq!(json["suggestions"][0]["fix"], "manual");
    assert!(json["suggestions"][0]["bytes"].as_u64().unwrap() > 0);
    assert!(!out(&[]).contains("suggestion"));
}
