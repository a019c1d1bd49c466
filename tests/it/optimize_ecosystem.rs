//! `dlint optimize` prices of the ecosystem rules on images built in code: a second Bundler
//! (DL5159), a toolchain image as the final base (DL5160), and the findings the image cannot
//! price (DL5158's development dependencies, DL5160 on a JDK), which say why.

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
