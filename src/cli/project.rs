//! The compose and bake files of a `dlint lint` run: loaded, their notes printed, and the
//! Dockerfiles they build taken out of the plain list (they are linted once per build).

use crate::lint::discover::Discovered;
use crate::lint::project::{self, Project};
use std::path::{Path, PathBuf};

/// Loads `found.build_files`; a file named on the command line that cannot be read is an
/// error of the run, one a directory walk found gets a warning and is left out (a file named
/// `docker-compose.yml` need not be one). Dockerfiles a build lints leave `found.files` unless
/// named on the command line.
pub(crate) fn load_all(args: &[PathBuf], found: &mut Discovered) -> Vec<Project> {
    let named = |p: &Path| {
        args.iter()
            .any(|a| a.components().eq(p.components()) || a == p)
    };
    let mut projects = Vec::new();
    for file in &found.build_files {
        match project::load(file) {
            Ok(p) => {
                for note in &p.notes {
                    eprintln!("dlint: note: {note}");
                }
                projects.push(p);
            }
            Err(e) if !named(file) => {
                eprintln!("dlint: warning: {e}; not linted as a build file");
            }
            Err(e) => found.errors.push(e),
        }
    }
    let built: Vec<PathBuf> = project::build_dockerfiles(&projects)
        .iter()
        .map(|p| same_file_key(p))
        .collect();
    found
        .files
        .retain(|f| named(f) || !built.contains(&same_file_key(f)));
    projects
}

/// A path compared for "same file": canonical when it exists.
fn same_file_key(p: &Path) -> PathBuf {
    std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
