//! `dlint optimize` prices of the ecosystem rules on images built in code: a second Bundler
//! (DL5159), a toolchain image as the final base (DL5160), development dependencies (DL5158)
//! from npm's hidden lockfile (a real npm tree, `testdata/optimize/npm-dev`) and Composer's
//! installed.json, and the findings the image cannot price (Bundler's development
//! dependencies, DL5160 on a JDK), which say why.

use dlint::image::testkit::{self, ImageSpec, LayerBuilder};
use dlint::image::{self, OpenOptions};
use dlint::optimize::{self, Finding, OptimizeReport, Options, Status};
use std::path::Path;

fn run(dockerfile: &str, spec: &ImageSpec, dir: &Path) -> OptimizeReport {
    let p = dir.join("img.tar");
    std::fs::write(
        &p,
        testkit::to_tar(&testkit::oci(std::slice::from_ref(spec), false)),
    )
    .unwrap();
    let df = dlint::dockerfile::parse(dockerfile);
    let img = image::open(&p, &OpenOptions::default()).unwrap();
    optimize::run(&df, "Dockerfile", Some(&img), &Options::default()).unwrap()
}

fn finding<'a>(r: &'a OptimizeReport, rule: &str) -> &'a Finding {
    r.findings
        .iter()
        .find(|f| f.rule == rule)
        .unwrap_or_else(|| panic!("no {rule} in {:#?}", r.findings))
}

const RUBY: &str = "FROM ruby:3.3-slim
RUN gem install bundler
COPY Gemfile Gemfile.lock ./
RUN bundle install
";

#[test]
fn second_bundler_priced_at_its_gem_files_and_dev_dependencies_unpriced() {
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/lib/ruby/3.3.0/bundler/cli.rb", 5000)
                .build(),
            "/bin/sh -c #(nop) ADD file:ruby in / ",
        )
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bundle/gems/bundler-2.5.9/lib/bundler.rb", 3000)
                .file_size("usr/local/bundle/specifications/bundler-2.5.9.gemspec", 200)
                .file_size("usr/local/bundle/cache/bundler-2.5.9.gem", 4000)
                .file_size("usr/local/bundle/bin/bundle", 100)
                .build(),
            "RUN /bin/sh -c gem install bundler # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .file_size("Gemfile", 10)
                .file_size("Gemfile.lock", 20)
                .build(),
            "COPY Gemfile Gemfile.lock ./ # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bundle/gems/rack-3.0.0/lib/rack.rb", 700)
                .build(),
            "RUN /bin/sh -c bundle install # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let r = run(RUBY, &spec, d.path());
    assert_eq!(r.image.as_ref().unwrap().attribution.status, "matched");
    let b = finding(&r, "DL5159");
    assert_eq!((b.status, b.line), (Status::Measured, Some(2)));
    // the gem's files and gemspec; its .gem under the bundler cache goes to cache-left, once
    assert_eq!(b.bytes, Some(3000 + 200));
    let cache = finding(&r, "cache-left");
    assert_eq!((cache.line, cache.bytes), (Some(2), Some(4000)));
    let dev = finding(&r, "DL5158");
    assert_eq!(
        (dev.status, dev.line, dev.bytes),
        (Status::NotMeasured, Some(4), None)
    );
    assert!(
        dev.note
            .as_deref()
            .is_some_and(|n| n.starts_with("unpriced: ")),
        "{:?}",
        dev.note
    );
    assert_eq!(r.total_saved, 3200 + 4000);
}

#[test]
fn toolchain_base_priced_at_its_layers_and_a_jdk_unpriced() {
    let go = "FROM golang:1.22
WORKDIR /src
COPY . .
RUN go build -o /usr/local/bin/api . && go clean -cache
CMD [\"api\"]
";
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("usr/bin/gcc-12", 2000)
                .build(),
            "/bin/sh -c #(nop) ADD file:debian in / ",
        )
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/go/bin/go", 5000)
                .file_size("usr/local/go/src/net/net.go", 700)
                .build(),
            "RUN /bin/sh -c set -eux; curl -fsSL go.tgz | tar -C /usr/local -xz # buildkit",
        )
        .empty("WORKDIR /src")
        .layer(
            LayerBuilder::new().file_size("src/main.go", 30).build(),
            "COPY . . # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bin/api", 400)
                .build(),
            "RUN /bin/sh -c go build -o /usr/local/bin/api . && go clean -cache # buildkit",
        )
        .empty("CMD [\"api\"]");
    let d = tempfile::tempdir().unwrap();
    let r = run(go, &spec, d.path());
    assert_eq!(r.image.as_ref().unwrap().attribution.status, "matched");
    let t = finding(&r, "DL5160");
    assert_eq!((t.status, t.line), (Status::Measured, Some(1)));
    assert_eq!(t.bytes, Some(2000 + 5000 + 700));
    assert!(t.note.as_deref().is_some_and(|n| n.contains("scratch")));

    let jdk = "FROM maven:3.9-eclipse-temurin-21
COPY . .
RUN mvn -B package
CMD [\"java\", \"-jar\", \"target/app.jar\"]
";
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("opt/java/openjdk/jmods/java.base.jmod", 9000)
                .build(),
            "/bin/sh -c #(nop) ADD file:jdk in / ",
        )
        .layer(
            LayerBuilder::new().file_size("pom.xml", 10).build(),
            "COPY . . # buildkit",
        )
        .layer(
            LayerBuilder::new().file_size("target/app.jar", 800).build(),
            "RUN /bin/sh -c mvn -B package # buildkit",
        )
        .empty("CMD [\"java\", \"-jar\", \"target/app.jar\"]");
    let r = run(jdk, &spec, d.path());
    let t = finding(&r, "DL5160");
    assert_eq!((t.status, t.bytes), (Status::NotMeasured, None));
    assert!(
        t.note
            .as_deref()
            .is_some_and(|n| n.starts_with("unpriced: ")),
        "{:?}",
        t.note
    );
}

/// Every regular file below `dir`, as (path relative to `dir`, bytes).
fn tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                out.push((rel, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort();
    out
}

const NODE: &str = "FROM node:20-slim
WORKDIR /app
COPY package.json ./
RUN npm install
COPY . .
CMD [\"node\", \"index.js\"]
";

fn node_image(install: LayerBuilder) -> ImageSpec {
    ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bin/node", 9000)
                .build(),
            "/bin/sh -c #(nop) ADD file:node in / ",
        )
        .empty("WORKDIR /app")
        .layer(
            LayerBuilder::new()
                .file_size("app/package.json", 120)
                .build(),
            "COPY package.json ./ # buildkit",
        )
        .layer(install.build(), "RUN /bin/sh -c npm install # buildkit")
        .layer(
            LayerBuilder::new().file_size("app/index.js", 50).build(),
            "COPY . . # buildkit",
        )
        .empty("CMD [\"node\", \"index.js\"]")
}

#[test]
fn npm_dev_dependencies_priced_from_the_hidden_lockfile_of_a_real_npm_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/optimize/npm-dev");
    let files = tree(&root.join("node_modules"));
    let mut install = LayerBuilder::new().file_size("root/.npm/_cacache/content-v2/x", 700);
    for (rel, data) in &files {
        install = install.file(&format!("app/node_modules/{rel}"), data);
    }
    // what `npm prune --omit=dev` removes from this tree: the development packages' folders
    // (package.json lists them; the nested ms 2.1.2 lies inside debug's)
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(root.join("package.json")).unwrap()).unwrap();
    let dev: Vec<String> = manifest["devDependencies"]
        .as_object()
        .unwrap()
        .keys()
        .map(|k| format!("{k}/"))
        .collect();
    let dev_bytes: u64 = files
        .iter()
        .filter(|(rel, _)| dev.iter().any(|d| rel.starts_with(d.as_str())))
        .map(|(_, data)| data.len() as u64)
        .sum();
    assert!(dev_bytes > 0);
    let d = tempfile::tempdir().unwrap();
    let r = run(NODE, &node_image(install), d.path());
    assert_eq!(r.image.as_ref().unwrap().attribution.status, "matched");
    let f = finding(&r, "DL5158");
    assert_eq!((f.status, f.line), (Status::Measured, Some(4)));
    assert_eq!(f.bytes, Some(dev_bytes));
    assert!(f.what.starts_with("3 development packages"), "{}", f.what);
    assert!(
        f.examples
            .iter()
            .all(|(p, _)| p.starts_with("/app/node_modules/debug/")
                || p.starts_with("/app/node_modules/is-number/")),
        "{:?}",
        f.examples
    );
    // the npm cache of the same RUN is the cache finding's, not this one's
    let cache = finding(&r, "DL5003");
    assert_eq!(cache.bytes, Some(700));
}

#[test]
fn npm_without_a_hidden_lockfile_is_unpriced_with_the_reason() {
    let install = LayerBuilder::new().file_size("app/node_modules/debug/index.js", 300);
    let d = tempfile::tempdir().unwrap();
    let r = run(NODE, &node_image(install), d.path());
    let f = finding(&r, "DL5158");
    assert_eq!((f.status, f.bytes), (Status::NotMeasured, None));
    let note = f.note.as_deref().unwrap_or("");
    assert!(
        note.starts_with("unpriced: no readable node_modules/.package-lock.json"),
        "{note}"
    );
}

#[test]
fn composer_dev_packages_priced_from_installed_json() {
    // Composer 2's vendor/composer/installed.json, as `composer install` writes it
    let installed = r#"{
    "packages": [
        {"name": "monolog/monolog", "version": "3.5.0", "type": "library",
         "install-path": "../monolog/monolog"},
        {"name": "phpunit/phpunit", "version": "10.5.9", "type": "library",
         "install-path": "../phpunit/phpunit"},
        {"name": "sebastian/diff", "version": "5.1.0", "type": "library",
         "install-path": "../sebastian/diff"}
    ],
    "dev": true,
    "dev-package-names": ["phpunit/phpunit", "sebastian/diff"]
}"#;
    let df = "FROM php:8.3-cli
WORKDIR /srv
COPY composer.json composer.lock ./
RUN composer install --no-interaction
";
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bin/php", 5000)
                .build(),
            "/bin/sh -c #(nop) ADD file:php in / ",
        )
        .empty("WORKDIR /srv")
        .layer(
            LayerBuilder::new()
                .file_size("srv/composer.json", 60)
                .file_size("srv/composer.lock", 90)
                .build(),
            "COPY composer.json composer.lock ./ # buildkit",
        )
        .layer(
            LayerBuilder::new()
                .file("srv/vendor/composer/installed.json", installed.as_bytes())
                .file_size("srv/vendor/monolog/monolog/src/Logger.php", 400)
                .file_size("srv/vendor/phpunit/phpunit/src/TestCase.php", 2000)
                .file_size("srv/vendor/phpunit/phpunit-extra/x.php", 8)
                .file_size("srv/vendor/sebastian/diff/src/Differ.php", 300)
                .build(),
            "RUN /bin/sh -c composer install --no-interaction # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let r = run(df, &spec, d.path());
    let f = finding(&r, "DL5158");
    assert_eq!((f.status, f.line), (Status::Measured, Some(4)));
    assert_eq!(f.bytes, Some(2000 + 300));
}

#[test]
fn pip_bytecode_priced_at_the_pyc_files_of_the_installing_layer() {
    let df = "FROM python:3.12-slim
ENV PYTHONDONTWRITEBYTECODE=1
RUN pip install --no-cache-dir idna
";
    // what `pip install idna` stores: sources and their bytecode (pip 26.3 compiles it whatever
    // PYTHONDONTWRITEBYTECODE says); the apt-compiled module is not pip's
    let site = "usr/local/lib/python3.12/site-packages";
    let layer: Vec<(String, usize)> = vec![
        (format!("{site}/idna/core.py"), 12_000),
        (
            format!("{site}/idna/__pycache__/core.cpython-312.pyc"),
            15_000,
        ),
        (format!("{site}/idna/idnadata.py"), 80_000),
        (
            format!("{site}/idna/__pycache__/idnadata.cpython-312.pyc"),
            95_000,
        ),
        (format!("{site}/idna-3.6.dist-info/RECORD"), 1_000),
        (
            "usr/lib/python3/dist-packages/apt/__pycache__/x.cpython-311.pyc".to_string(),
            7_000,
        ),
    ];
    let pyc: u64 = layer
        .iter()
        .filter(|(p, _)| p.starts_with(site) && p.ends_with(".pyc"))
        .map(|(_, s)| *s as u64)
        .sum();
    let mut b = LayerBuilder::new();
    for (p, s) in &layer {
        b = b.file_size(p, *s);
    }
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bin/python3.12", 9000)
                .build(),
            "/bin/sh -c #(nop) ADD file:python in / ",
        )
        .empty("ENV PYTHONDONTWRITEBYTECODE=1")
        .layer(
            b.build(),
            "RUN /bin/sh -c pip install --no-cache-dir idna # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let r = run(df, &spec, d.path());
    assert_eq!(r.image.as_ref().unwrap().attribution.status, "matched");
    let f = finding(&r, "DL5178");
    assert_eq!(
        (f.status, f.line, f.bytes),
        (Status::Measured, Some(3), Some(pyc))
    );
    assert!(f.what.starts_with("2 .pyc files"), "{}", f.what);
}

#[test]
fn a_real_pip_install_of_a_build_tool_is_priced_once_between_its_bytecode_and_its_files() {
    let df = "FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1
RUN pip install --no-cache-dir build
";
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/optimize/pip-build");
    let files: Vec<(String, Vec<u8>)> = tree(&root.join("usr"))
        .into_iter()
        .map(|(rel, data)| (format!("usr/{rel}"), data))
        .collect();
    let mut install = LayerBuilder::new();
    for (p, data) in &files {
        install = install.file(p, data);
    }
    let size = |keep: &dyn Fn(&str) -> bool| -> u64 {
        files
            .iter()
            .filter(|(p, _)| keep(p))
            .map(|(_, d)| d.len() as u64)
            .sum()
    };
    let pyc = size(&|p| p.ends_with(".pyc"));
    let all = size(&|_| true);
    assert!(pyc > 0 && all > pyc);
    let spec = ImageSpec::new()
        .layer(
            LayerBuilder::new()
                .file_size("usr/local/bin/python3.11", 9000)
                .build(),
            "/bin/sh -c #(nop) ADD file:python in / ",
        )
        .empty("ENV PYTHONDONTWRITEBYTECODE=1")
        .layer(
            install.build(),
            "RUN /bin/sh -c pip install --no-cache-dir build # buildkit",
        );
    let d = tempfile::tempdir().unwrap();
    let r = run(df, &spec, d.path());
    assert_eq!(r.image.as_ref().unwrap().attribution.status, "matched");
    let bytecode = finding(&r, "DL5178");
    let tool = finding(&r, "DL5179");
    assert_eq!((bytecode.line, tool.line), (Some(3), Some(3)));
    // every file the install stored is listed in build's RECORD: the two findings share them,
    // each file priced once
    let (b, t) = (bytecode.bytes.unwrap(), tool.bytes.unwrap());
    assert!(b > 0 && t > 0 && b <= pyc, "{b} {t} {pyc}");
    assert_eq!(b + t, all);
    assert_eq!(r.total_saved, all);
}

#[test]
fn node_gyp_headers_are_a_cache_the_image_lists_and_the_optimizer_prices() {
    // an install that compiled a native addon as root: the npm cache (DL5003's) and the Node
    // headers node-gyp downloaded (no rule's: `cache-left`)
    let install = LayerBuilder::new()
        .file_size("root/.npm/_cacache/content-v2/sha512/ab/cd", 500)
        .file_size("root/.cache/node-gyp/20.20.2/include/node/v8.h", 4000)
        .file_size("root/.cache/node-gyp/20.20.2/include/node/node.h", 3000)
        .file_size("app/node_modules/bcrypt/build/Release/bcrypt_lib.node", 900)
        .file_size("app/node_modules/.package-lock.json", 2);
    let spec = node_image(install);
    let d = tempfile::tempdir().unwrap();
    let r = run(NODE, &spec, d.path());
    let gyp = r
        .findings
        .iter()
        .find(|f| f.rule == "cache-left" && f.what.contains("node-gyp"))
        .unwrap_or_else(|| panic!("{:#?}", r.findings));
    assert_eq!((gyp.line, gyp.bytes), (Some(4), Some(7000)));
    assert_eq!(finding(&r, "DL5003").bytes, Some(500));
    // `dlint image` lists the directory among the caches
    let img = image::open(&d.path().join("img.tar"), &OpenOptions::default()).unwrap();
    let report = image::analyze(&img, &Default::default()).unwrap();
    let c = report
        .caches
        .iter()
        .find(|c| c.tool == "node-gyp")
        .unwrap_or_else(|| panic!("{:?}", report.caches));
    assert_eq!(
        (c.path.as_str(), c.bytes, c.files),
        ("root/.cache/node-gyp", 7000, 2)
    );
}
