//! DL5179's price: the files of the build tool's distribution, as its `*.dist-info/RECORD`
//! lists them, that the installing RUN's layer stored and the image still shows.

use super::Pricer;
use crate::image::FileKind;
use crate::lint::Diagnostic;
use crate::rules::packages::dl5179_pip_build_tool_in_image::normalize;

/// The distribution a `*.dist-info/RECORD` path belongs to (normalised) and its
/// `site-packages` directory: `usr/lib/python3.12/site-packages/Cython-3.0.10.dist-info/RECORD`
/// -> (`cython`, `usr/lib/python3.12/site-packages`).
fn record_owner(path: &str) -> Option<(String, &str)> {
    let dist_info = path.strip_suffix("/RECORD")?;
    let (site, dir) = dist_info.rsplit_once('/')?;
    let stem = dir.strip_suffix(".dist-info")?;
    // `name-version`: the name has no `-` (wheels escape it as `_`)
    let (name, _) = stem.split_once('-')?;
    Some((normalize(name), site))
}

/// The paths (image-relative) a RECORD lists, resolved against its `site-packages` directory.
fn record_paths(site: &str, record: &str) -> Vec<String> {
    record
        .lines()
        .filter_map(|line| {
            // `path,hash,size`: the path is what precedes the last two fields
            let mut parts = line.rsplitn(3, ',');
            let (_size, _hash, path) = (parts.next()?, parts.next()?, parts.next()?);
            let path = path.trim_matches('"');
            resolve(site, path)
        })
        .collect()
}

/// `site` joined with a relative `path` (`../../../bin/cython`); `None` above the root.
fn resolve(site: &str, path: &str) -> Option<String> {
    let mut parts: Vec<&str> = site.split('/').filter(|c| !c.is_empty()).collect();
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            c => parts.push(c),
        }
    }
    Some(parts.join("/"))
}

/// The distribution name of a `pip install` operand as written (`'Cython<3'`,
/// `scikit_build==0.17`, `cython[extra]`).
fn operand_name(operand: &str) -> String {
    let op = operand.trim_matches(['"', '\'']);
    let end = op
        .find(['<', '>', '=', '!', '~', '[', ';', '@', ' '])
        .unwrap_or(op.len());
    normalize(op.get(..end).unwrap_or(op))
}

impl Pricer<'_> {
    /// DL5179: the visible files of the tool's distribution stored by the RUN's layer.
    pub(super) fn pip_build_tool(&mut self, d: &Diagnostic, layer: Option<usize>) -> bool {
        let Some(layer) = layer else {
            return false;
        };
        let operand = self.df.source.get(d.span.start..d.span.end).unwrap_or("");
        let name = operand_name(operand);
        let report = self.report;
        let Some((record, paths)) = report
            .captured
            .iter()
            .filter(|(_, c)| c.layer == layer)
            .find_map(|(p, c)| {
                let (owner, site) = record_owner(p)?;
                (owner == name).then(|| (p.clone(), record_paths(site, &c.content)))
            })
        else {
            return false;
        };
        if !self.claimed_records.insert(record) {
            return false;
        }
        let mut files: Vec<(String, u64)> = paths
            .iter()
            .filter_map(|p| report.files.get(p).map(|f| (p, f)))
            .filter(|(p, f)| {
                f.layer == layer
                    && f.kind == FileKind::File
                    && !self.claimed_files.contains(p.as_str())
            })
            .map(|(p, f)| (p.clone(), f.size))
            .collect();
        files.sort();
        files.dedup();
        self.claimed_files
            .extend(files.iter().map(|(p, _)| p.clone()));
        for f in &mut files {
            f.0.insert(0, '/');
        }
        self.push_measured_files(d, layer, files, |n| {
            format!("{n} files of {name} installed by this RUN ({})", d.message)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_name_their_distribution_and_files() {
        let p = "usr/local/lib/python3.12/site-packages/Cython-3.0.10.dist-info/RECORD";
        let (name, site) = record_owner(p).unwrap();
        assert_eq!(
            (name.as_str(), site),
            ("cython", "usr/local/lib/python3.12/site-packages")
        );
        let record = "../../../bin/cython,sha256=abc,300\n\
                      Cython/Compiler/Main.py,sha256=def,9000\n\
                      Cython-3.0.10.dist-info/RECORD,,\n\
                      \"odd,name.py\",sha256=x,1\n";
        assert_eq!(
            record_paths(site, record),
            [
                "usr/local/bin/cython",
                "usr/local/lib/python3.12/site-packages/Cython/Compiler/Main.py",
                "usr/local/lib/python3.12/site-packages/Cython-3.0.10.dist-info/RECORD",
                "usr/local/lib/python3.12/site-packages/odd,name.py",
            ]
        );
        assert!(record_owner("usr/lib/x/RECORD").is_none());
    }

    #[test]
    fn every_build_tool_record_is_captured() {
        use crate::rules::packages::dl5179_pip_build_tool_in_image::BUILD_TOOLS;
        // as the image reader builds them (`image::read::globs_of`)
        let mut b = globset::GlobSetBuilder::new();
        for g in crate::optimize::CAPTURE_GLOBS {
            b.add(
                globset::GlobBuilder::new(g)
                    .literal_separator(true)
                    .build()
                    .unwrap(),
            );
        }
        let set = b.build().unwrap();
        for (name, _) in BUILD_TOOLS {
            let wheel_name = name.replace('-', "_");
            let p =
                format!("usr/local/lib/python3.12/site-packages/{wheel_name}-1.0.dist-info/RECORD");
            assert!(set.is_match(&p), "{p}");
            assert_eq!(record_owner(&p).map(|o| o.0).as_deref(), Some(*name));
        }
        assert!(
            set.is_match("usr/local/lib/python3.8/site-packages/Cython-0.29.36.dist-info/RECORD")
        );
        assert!(!set.is_match("usr/local/lib/python3.8/site-packages/numpy-1.26.dist-info/RECORD"));
    }

    #[test]
    fn operand_names() {
        assert_eq!(operand_name("'Cython<3'"), "cython");
        assert_eq!(operand_name("scikit_build==0.17"), "scikit-build");
        assert_eq!(operand_name("\"maturin[zig]>=1\""), "maturin");
    }
}
