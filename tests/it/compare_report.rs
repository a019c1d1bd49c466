//! Golden tests of every `dlint compare` format on a comparison built from hand-made sides
//! (package databases parsed from real-format text), plus explicit checks of the figures.

use dlint::image::compare::{
    CompareOptions, Growth, GrowthCheck, Side, SideCache, SideLayer, compare,
};
use dlint::image::packages::Inventory;
use dlint::report::compare::{CompareFormat, render};
use std::collections::BTreeMap;

const DPKG: &str = "Package: base-files\nStatus: install ok installed\nVersion: 12.4+deb12u5\nInstalled-Size: 347\n\n\
Package: libc6\nStatus: install ok installed\nVersion: 2.36-9+deb12u4\nInstalled-Size: 12985\n\n\
Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nInstalled-Size: 168\n\n\
Package: old\nStatus: deinstall ok config-files\nVersion: 1\n";

const APK: &str = "P:musl\nV:1.2.5-r10\nI:696320\n\nP:zlib1g\nV:1.3.1-r2\nI:102400\n\n\
P:busybox\nV:1.37.0-r12\nI:798720\n";

fn layer(id: &str, compressed: u64, size: u64, files: u64, by: &str) -> SideLayer {
    SideLayer {
        diff_id: format!("sha256:{id}"),
        compressed,
        uncompressed: size,
        files,
        created_by: by.into(),
    }
}

fn side(
    label: &str,
    layers: Vec<SideLayer>,
    files: &[(&str, u64, usize)],
    db: (&str, &str),
) -> Side {
    let captured: BTreeMap<String, Vec<u8>> = [(db.0.to_string(), db.1.as_bytes().to_vec())].into();
    let files: BTreeMap<String, (u64, usize)> = files
        .iter()
        .map(|(p, s, l)| (p.to_string(), (*s, *l)))
        .collect();
    let sizes: BTreeMap<String, u64> = files.iter().map(|(p, (s, _))| (p.clone(), *s)).collect();
    Side {
        label: label.into(),
        compressed: layers.iter().map(|l| l.compressed).sum(),
        uncompressed: layers.iter().map(|l| l.uncompressed).sum(),
        layers,
        visible: files.values().map(|(s, _)| s).sum(),
        file_count: files.len() as u64,
        wasted: 0,
        efficiency: 1.0,
        files,
        caches: Vec::new(),
        packages: Inventory::from_files(&captured, &sizes),
        base: Default::default(),
    }
}

fn fixture() -> (Side, Side) {
    let shared = "1111111111111111111111111111111111111111111111111111111111111111";
    let mut a = side(
        "debian.tar",
        vec![
            layer(shared, 400, 2048, 2, "COPY app /app"),
            layer(
                "aaaa000000000000000000000000000000000000000000000000000000000000",
                9000,
                30_720,
                5,
                "RUN /bin/sh -c apt-get update && apt-get install -y libc6",
            ),
        ],
        &[
            ("app/main.py", 1000, 0),
            ("usr/lib/libc.so.6", 20_000, 1),
            ("var/lib/dpkg/status", 300, 1),
            ("var/lib/apt/lists/deb_Packages", 5000, 1),
            ("etc/os-release", 200, 1),
        ],
        ("var/lib/dpkg/status", DPKG),
    );
    a.wasted = 1234;
    a.efficiency = 0.95;
    a.caches = vec![SideCache {
        path: "/var/lib/apt/lists".into(),
        bytes: 5000,
        layer: Some(1),
    }];
    let mut b = side(
        "alpine.tar",
        vec![
            layer(shared, 400, 2048, 2, "COPY app /app"),
            layer(
                "bbbb000000000000000000000000000000000000000000000000000000000000",
                3000,
                10_240,
                4,
                "RUN apk add --no-cache musl",
            ),
        ],
        &[
            ("app/main.py", 1000, 0),
            ("lib/ld-musl-x86_64.so.1", 6000, 1),
            ("lib/apk/db/installed", 150, 1),
            ("etc/os-release", 180, 1),
        ],
        ("lib/apk/db/installed", APK),
    );
    b.efficiency = 1.0;
    (a, b)
}

#[test]
fn figures() {
    let (a, b) = fixture();
    let c = compare(&a, &b, &CompareOptions::default());
    assert_eq!(
        (
            c.totals.uncompressed.a,
            c.totals.uncompressed.b,
            c.totals.uncompressed.diff
        ),
        (32_768, 12_288, -20_480)
    );
    assert_eq!(c.totals.uncompressed.ratio, Some(0.375));
    assert_eq!((c.totals.compressed.a, c.totals.compressed.b), (9400, 3400));
    assert_eq!((c.totals.files.a, c.totals.files.b), (5, 4));
    assert_eq!(c.totals.wasted.diff, -1234);
    assert!((c.totals.efficiency.diff - 0.05).abs() < 1e-12);
    assert_eq!(
        (
            c.layers.shared,
            c.layers.shared_bytes,
            c.layers.common_prefix
        ),
        (1, 2048, 1)
    );
    assert!(!c.identical_content);
    // Directories: /usr -20000, /var -5300 vs +0, /lib +6150, /etc -20, /app 0.
    let dirs: Vec<_> = c
        .directories
        .iter()
        .map(|d| (d.path.as_str(), d.size.a, d.size.b))
        .collect();
    assert_eq!(
        dirs,
        vec![
            ("/usr", 20_000, 0),
            ("/lib", 0, 6150),
            ("/var", 5300, 0),
            ("/etc", 200, 180),
            ("/app", 1000, 1000)
        ]
    );
    let o = &c.os_packages;
    assert_eq!((o.count.a, o.count.b), (3, 3));
    assert_eq!(o.size.a, (347 + 12_985 + 168) * 1024);
    assert_eq!(o.size.b, 696_320 + 102_400 + 798_720);
    let names = |v: &[dlint::image::compare::PackageRow]| {
        v.iter().map(|p| p.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(names(&o.only_a), ["base-files", "libc6"]);
    assert_eq!(names(&o.only_b), ["busybox", "musl"]);
    assert_eq!(o.changed.len(), 1);
    assert_eq!(
        (
            o.changed[0].a_version.as_str(),
            o.changed[0].b_version.as_str()
        ),
        ("1:1.2.13.dfsg-1", "1.3.1-r2")
    );
    assert_eq!((c.files.only_a_count, c.files.only_a_bytes), (3, 25_300));
    assert_eq!((c.files.only_b_count, c.files.only_b_bytes), (2, 6150));
    assert_eq!((c.files.changed_count, c.files.same_count), (1, 1));
    assert_eq!(c.caches.bytes.a, 5000);
    let g = GrowthCheck::check(&c, Growth::Percent(0.0));
    assert!(!g.exceeded, "shrinking never fails the gate");
    let g = GrowthCheck::check(
        &compare(&b, &a, &CompareOptions::default()),
        Growth::Bytes(20_000),
    );
    assert!(g.exceeded);
    assert_eq!(g.size.diff, 20_480);
}

fn rendered(format: CompareFormat, gate: bool) -> String {
    let (a, b) = fixture();
    // Candidate = debian, baseline = alpine: it grows.
    let c = compare(&b, &a, &CompareOptions { depth: 2, top: 5 });
    let g = gate.then(|| GrowthCheck::check(&c, "5%".parse().unwrap()));
    let mut out = Vec::new();
    render(format, &c, g.as_ref(), &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn text_golden() {
    insta::assert_snapshot!(rendered(CompareFormat::Text, true));
}

#[test]
fn json_golden() {
    let s = rendered(CompareFormat::Json, true);
    let v: serde_json::Value = serde_json::from_str(&s).unwrap();
    assert_eq!(v["version"], 1);
    assert_eq!(v["max_growth"]["exceeded"], true);
    assert_eq!(v["totals"]["uncompressed"]["diff"], 20_480);
    insta::assert_snapshot!(s);
}

#[test]
fn markdown_golden() {
    insta::assert_snapshot!(rendered(CompareFormat::Markdown, true));
}

#[test]
fn html_golden() {
    let s = rendered(CompareFormat::Html, false);
    assert!(!s.contains("<script"), "no scripts");
    assert!(
        !s.contains("src=\"http") && !s.contains("href=\"http"),
        "no network resources"
    );
    assert!(s.contains("<svg") && s.trim_end().ends_with("</html>"));
    // SVG shapes must be closed, or the HTML parser nests everything after them inside.
    let rects = s.matches("<rect").count();
    assert!(rects > 10);
    assert_eq!(
        rects,
        s.matches("</rect>").count() + s.matches("\"/>").count()
    );
    assert!(!s.contains("=#"), "unquoted colour attribute");
    insta::assert_snapshot!(s);
}
