//! The ecosystem rules' prices: a Bundler installed again over the ruby image's own (DL5159),
//! a toolchain image as the final base (DL5160); development dependencies (DL5158) are priced in
//! `dev_deps`.

use super::Pricer;
use crate::image::FileKind;
use crate::image::ledger::PathClass;
use crate::lint::Diagnostic;
use crate::optimize::{Finding, FixKind, Status, line_of};
use crate::rules::packages::dl5159_redundant_bundler_install::root_image;
use crate::shell::pkg::{Toolchain, image_toolchain};

/// Why DL5160 on a JDK is not priced.
const JDK_UNPRICED: &str = "the JRE that would replace the JDK is another image, whose size is \
    not in this one";

/// True for a path of the Bundler gem a `gem install bundler` stores: `gems/bundler-*/…`,
/// `specifications/bundler-*.gemspec` and `cache/bundler-*.gem` under a gem directory.
fn is_bundler_gem_path(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.windows(2).any(|w| {
        matches!(w[0], "gems" | "specifications" | "cache") && w[1].starts_with("bundler-")
    })
}

/// True for bytecode pip writes: `__pycache__/*.pyc` (or a legacy `*.pyc` beside its source)
/// under a `site-packages` or `dist-packages` directory, except the distribution's own
/// `usr/lib/python3*/dist-packages`, which apt's `py3compile` fills.
fn is_pip_bytecode(path: &str) -> bool {
    if !path.ends_with(".pyc") || path.starts_with("usr/lib/python3") {
        return false;
    }
    path.split('/')
        .any(|c| c == "site-packages" || c == "dist-packages")
}

impl Pricer<'_> {
    /// Prices a finding of the ecosystem rules; `None` when `d` is not one of them.
    pub(super) fn ecosystem_finding(
        &mut self,
        d: &Diagnostic,
        layer: Option<usize>,
    ) -> Option<bool> {
        match d.rule {
            "DL5158" => Some(self.dev_dependencies(d, layer)),
            "DL5159" => Some(self.bundler_gem(d, layer)),
            "DL5178" => Some(self.bytecode(d, layer)),
            "DL5179" => Some(self.pip_build_tool(d, layer)),
            "DL5160" => Some(self.toolchain_base(d)),
            _ => None,
        }
    }

    /// DL5159: the visible files of the Bundler gem the RUN's layer stored, outside the cache
    /// directories the cache findings price.
    fn bundler_gem(&mut self, d: &Diagnostic, layer: Option<usize>) -> bool {
        let Some(layer) = layer else {
            return false;
        };
        let files: Vec<(String, u64)> = self
            .report
            .files
            .iter()
            .filter(|(p, f)| {
                f.kind == FileKind::File
                    && f.layer == layer
                    && is_bundler_gem_path(p)
                    && !matches!(PathClass::of(p), PathClass::Cache(_))
            })
            .map(|(p, f)| (format!("/{p}"), f.size))
            .collect();
        self.push_measured_files(d, layer, files, |n| {
            format!(
                "{n} files of a second Bundler stored by this RUN ({})",
                d.message
            )
        })
    }

    /// Pushes a measured finding for `files` (image paths with a leading `/`, and sizes) that
    /// the RUN of `d` stored in `layer`: their total, `what(count)` and the three largest as
    /// examples. False when they hold no bytes.
    pub(super) fn push_measured_files(
        &mut self,
        d: &Diagnostic,
        layer: usize,
        mut files: Vec<(String, u64)>,
        what: impl FnOnce(usize) -> String,
    ) -> bool {
        let bytes: u64 = files.iter().map(|f| f.1).sum();
        if bytes == 0 {
            return false;
        }
        let what = what(files.len());
        files.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        files.truncate(3);
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what,
            bytes: Some(bytes),
            share: None,
            status: Status::Measured,
            note: None,
            layer: Some(layer),
            fix: FixKind::of(d),
            examples: files,
        });
        true
    }

    /// DL5178: the `.pyc` files the RUN's layer stored where pip installs (`site-packages`,
    /// `dist-packages` outside the distribution's `/usr/lib/python3*`, whose bytecode its
    /// package manager compiled), visible in the image; claimed once per layer.
    fn bytecode(&mut self, d: &Diagnostic, layer: Option<usize>) -> bool {
        let Some(layer) = layer else {
            return false;
        };
        if !self.claimed_records.insert(format!("pyc:{layer}")) {
            return false;
        }
        let mut files: Vec<(String, u64)> = self
            .report
            .files
            .iter()
            .filter(|(p, f)| {
                f.kind == FileKind::File
                    && f.layer == layer
                    && is_pip_bytecode(p)
                    && !self.claimed_files.contains(p.as_str())
            })
            .map(|(p, f)| (p.clone(), f.size))
            .collect();
        self.claimed_files
            .extend(files.iter().map(|(p, _)| p.clone()));
        for f in &mut files {
            f.0.insert(0, '/');
        }
        self.push_measured_files(d, layer, files, |n| {
            format!("{n} .pyc files pip compiled in this RUN ({})", d.message)
        })
    }

    /// DL5160: the base image's layers (the toolchain), which a `scratch` final stage leaves
    /// out; a JDK is unpriced.
    fn toolchain_base(&mut self, d: &Diagnostic) -> bool {
        // the stage the finding is on made a layer of this image (it is the built one)
        let stage = crate::optimize::instruction_at(self.df, d.span.start)
            .and_then(|i| self.df.instructions.get(i))
            .and_then(|i| i.stage);
        let built = self.a.layers.iter().flatten().any(|&i| {
            let s = self.df.instructions.get(i).and_then(|x| x.stage);
            s.is_some() && s == stage
        });
        if !built {
            return false;
        }
        // the toolchain from the stage's base image, as the rule found it
        let model = crate::lint::SemanticModel::new(self.df);
        let toolchain = stage
            .and_then(|s| root_image(&model, s))
            .and_then(image_toolchain);
        if toolchain == Some(Toolchain::Jdk) {
            self.unpriced(d, None, JDK_UNPRICED);
            return true;
        }
        let first = self.a.first_own_layer.min(self.report.layers.len());
        let base = self.report.layers.get(..first).unwrap_or(&[]);
        let bytes: u64 = base.iter().map(|l| l.bytes_added).sum();
        if bytes == 0 {
            return false;
        }
        self.findings.push(Finding {
            line: Some(line_of(self.df, d.span.start)),
            rule: d.rule.to_string(),
            what: format!(
                "the base image's {} layers, the toolchain, which a build stage keeps out of \
                 the image ({})",
                base.len(),
                d.message
            ),
            bytes: Some(bytes),
            share: None,
            status: Status::Measured,
            note: Some(
                "priced against `scratch`: a distroless or slim runtime base adds its own size \
                 back"
                    .to_string(),
            ),
            layer: None,
            fix: FixKind::of(d),
            examples: Vec::new(),
        });
        true
    }

    /// A finding whose bytes cannot be known from the image, with the reason.
    pub(super) fn unpriced(&mut self, d: &Diagnostic, layer: Option<usize>, why: &str) {
        self.without_bytes(d, layer, format!("unpriced: {why}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pip_bytecode_paths() {
        for p in [
            "usr/local/lib/python3.12/site-packages/__pycache__/six.cpython-312.pyc",
            "opt/venv/lib/python3.12/site-packages/idna/__pycache__/core.cpython-312.pyc",
            "usr/local/lib/python3.11/dist-packages/yaml/__pycache__/x.cpython-311.pyc",
        ] {
            assert!(is_pip_bytecode(p), "{p}");
        }
        for p in [
            "usr/lib/python3/dist-packages/apt/__pycache__/x.cpython-311.pyc",
            "usr/local/lib/python3.12/__pycache__/os.cpython-312.pyc",
            "usr/local/lib/python3.12/site-packages/six.py",
        ] {
            assert!(!is_pip_bytecode(p), "{p}");
        }
    }

    #[test]
    fn bundler_gem_paths() {
        for p in [
            "usr/local/bundle/gems/bundler-2.5.9/lib/bundler.rb",
            "usr/local/bundle/specifications/bundler-2.5.9.gemspec",
            "usr/local/bundle/cache/bundler-2.5.9.gem",
        ] {
            assert!(is_bundler_gem_path(p), "{p}");
        }
        for p in [
            "usr/local/bundle/gems/rails-7.1.0/lib/rails.rb",
            "usr/local/lib/ruby/3.3.0/bundler/cli.rb",
            "usr/local/bundle/bin/bundle",
        ] {
            assert!(!is_bundler_gem_path(p), "{p}");
        }
    }
}
