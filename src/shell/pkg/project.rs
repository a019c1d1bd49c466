//! Project-dependency facts of the JavaScript, PHP and Ruby managers: which installs write into
//! the project directory, which lockfile each reads, and which leave the development
//! dependencies out. Read by the ecosystem rules (DL5156-DL5160).

use super::{Invocation, Manager};

/// The lockfiles a manager installs from, by file name.
pub fn lockfiles(manager: Manager) -> &'static [&'static str] {
    match manager {
        Manager::Npm => &["package-lock.json", "npm-shrinkwrap.json"],
        Manager::Yarn => &["yarn.lock"],
        Manager::Pnpm => &["pnpm-lock.yaml"],
        Manager::Composer => &["composer.lock"],
        Manager::Bundle => &["Gemfile.lock"],
        _ => &[],
    }
}

/// True when a COPY source (`package-lock.json`, `./package*.json`, `app/yarn.lock`) names
/// one of `manager`'s lockfiles. `.` and directories do not: whether they hold one is not in
/// the Dockerfile.
pub fn names_lockfile(manager: Manager, source: &str) -> bool {
    let base = source.rsplit('/').next().unwrap_or(source);
    lockfiles(manager)
        .iter()
        .any(|l| glob_match(base.as_bytes(), l.as_bytes()))
}

/// `*` and `?` glob matching of one path component (greedy with one backtrack point, so
/// linear in practice and never exponential on hostile patterns).
fn glob_match(g: &[u8], s: &[u8]) -> bool {
    let (mut gi, mut si) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while si < s.len() {
        match g.get(gi) {
            Some(b'*') => {
                star = Some((gi, si));
                gi += 1;
            }
            Some(&c) if c == b'?' || c == s[si] => {
                gi += 1;
                si += 1;
            }
            _ => match star {
                Some((sg, ss)) => {
                    gi = sg + 1;
                    si = ss + 1;
                    star = Some((sg, ss + 1));
                }
                None => return false,
            },
        }
    }
    g[gi.min(g.len())..].iter().all(|&c| c == b'*')
}

/// The variables that, set to the given value (compared case-insensitively, `None`: any
/// non-empty value), make an install of `manager` leave the development dependencies out.
pub fn omit_dev_vars(manager: Manager) -> &'static [(&'static str, Option<&'static str>)] {
    match manager {
        Manager::Npm => &[
            ("NODE_ENV", Some("production")),
            ("NPM_CONFIG_PRODUCTION", Some("true")),
            ("npm_config_production", Some("true")),
            ("NPM_CONFIG_OMIT", Some("dev")),
            ("npm_config_omit", Some("dev")),
        ],
        Manager::Yarn | Manager::Pnpm => &[("NODE_ENV", Some("production"))],
        Manager::Composer => &[("COMPOSER_NO_DEV", None)],
        Manager::Uv => &[("UV_NO_DEV", None)],
        Manager::Bundle => &[
            ("BUNDLE_WITHOUT", None),
            ("BUNDLE_ONLY", None),
            ("BUNDLE_DEPLOYMENT", None),
        ],
        _ => &[],
    }
}

/// Words that name a development or test requirements file (`requirements-dev.txt`,
/// `requirements/test.txt`, `dev-requirements.txt`).
const DEV_WORDS: &[&str] = &[
    "dev",
    "develop",
    "development",
    "test",
    "tests",
    "testing",
    "lint",
];

impl Invocation<'_> {
    /// The development requirements a pip install names: a `-r` file whose name says `dev` or
    /// `test` (`requirements-dev.txt`, `requirements/test.txt`), or a project with a `dev`/`test`
    /// extra (`-e .[dev]`).
    pub fn dev_requirements(&self) -> Option<&str> {
        if self.manager != Manager::Pip || self.sub() != "install" {
            return None;
        }
        let args = self.cmd.args();
        let files = args.windows(2).filter_map(|w| {
            matches!(w[0].value.as_str(), "-r" | "--requirement").then_some(w[1].value.as_str())
        });
        let inline = args.iter().filter_map(|w| {
            w.value
                .strip_prefix("--requirement=")
                .or_else(|| w.value.strip_prefix("-r").filter(|r| !r.is_empty()))
        });
        let dev_file = files.chain(inline).find(|f| {
            let name = f.rsplit('/').next().unwrap_or(f);
            let stem = name
                .strip_suffix(".txt")
                .or_else(|| name.strip_suffix(".in"));
            // `requirements/dev.txt` names the file by its folder's convention
            let folder =
                f.contains("requirements/") && stem.is_some_and(|s| DEV_WORDS.contains(&s));
            folder
                || stem.is_some_and(|s| {
                    s.contains("requirements")
                        && s.split(['-', '_', '.']).any(|t| DEV_WORDS.contains(&t))
                })
        });
        dev_file.or_else(|| {
            args.iter().map(|w| w.value.as_str()).find(|v| {
                v.split_once('[').is_some_and(|(_, extras)| {
                    extras
                        .trim_end_matches(']')
                        .split(',')
                        .any(|e| DEV_WORDS.contains(&e.trim()))
                })
            })
        })
    }

    /// True for an install of a project's dependencies into its directory (`npm ci`,
    /// `yarn install`, `composer install`, `bundle install`): an install without package operands
    /// that is not global.
    pub fn installs_project(&self) -> bool {
        let project_sub = match self.manager {
            Manager::Npm => matches!(self.sub(), "install" | "i" | "ci" | "in" | "isntall"),
            Manager::Yarn => matches!(self.sub(), "" | "install"),
            Manager::Pnpm => matches!(self.sub(), "install" | "i"),
            Manager::Composer => matches!(self.sub(), "install" | "i"),
            Manager::Bundle => matches!(self.sub(), "" | "install"),
            // Poetry and uv install the `dev` dependency group unless told not to
            Manager::Poetry => matches!(self.sub(), "install" | "sync"),
            Manager::Uv => self.sub() == "sync",
            _ => false,
        };
        // npm, yarn and pnpm take package names; the others' operands are option values
        // (`bundle install --without development test`)
        let named = self.manager.family() == super::Family::Npm && !self.operands.is_empty();
        // `bundle --version`, `yarn -v`: the bare command with an informational option
        let informational =
            self.sub.is_none() && self.has(&["--version", "-v", "-V", "--help", "-h"]);
        let global = self.has(&["-g", "--global", "--location"]);
        project_sub && !named && !informational && !global
    }

    /// True when the command line itself leaves the development dependencies out
    /// (`--omit=dev`, `--production`, `--only=prod`, `--no-dev`, `--without development`,
    /// `--prod`).
    pub fn omits_dev(&self) -> bool {
        match self.manager {
            Manager::Npm => {
                self.value(&["--omit"]).is_some_and(|v| v == "dev")
                    || self.has(&["--production"])
                    || self
                        .value(&["--only"])
                        .is_some_and(|v| v.starts_with("prod"))
                    || self
                        .options
                        .iter()
                        .any(|o| o.name == "--omit" && o.value.as_deref() == Some("dev"))
                    || self.cmd.args().windows(2).any(|w| {
                        w[0].value == "--omit" && w[1].value == "dev"
                            || w[0].value == "--only" && w[1].value.starts_with("prod")
                    })
            }
            Manager::Yarn => {
                self.has(&["--production", "--prod"])
                    || self.options.iter().any(|o| o.name == "--production")
            }
            Manager::Pnpm => self.has(&["--prod", "-P", "--production"]),
            Manager::Composer => self.has(&["--no-dev"]),
            Manager::Poetry => {
                self.has(&["--no-dev", "--only", "--only-root"])
                    || self.options.iter().any(|o| o.name == "--only")
                    || self.cmd.args().windows(2).any(|w| {
                        w[0].value == "--without" && w[1].value.split(',').any(|g| g == "dev")
                    })
                    || self
                        .value(&["--without"])
                        .is_some_and(|v| v.split(',').any(|g| g == "dev"))
            }
            Manager::Uv => self.has(&["--no-dev", "--only-group", "--no-default-groups"]),
            Manager::Bundle => {
                self.has(&["--without", "--deployment", "--only"])
                    || self.options.iter().any(|o| o.name == "--without")
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::shell::parse_script;
    use crate::shell::pkg::invocations;

    fn first(src: &str) -> (bool, bool) {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        let s = parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
        let inv = invocations(&s);
        let i = inv.first().expect("an invocation");
        (i.installs_project(), i.omits_dev())
    }

    #[test]
    fn dev_requirement_files() {
        let dev = |src: &str| {
            let map = crate::dockerfile::SourceMap::identity(0, src.len());
            let s = parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 });
            invocations(&s)
                .first()
                .and_then(|i| i.dev_requirements().map(str::to_string))
        };
        assert_eq!(
            dev("pip install -r requirements-dev.txt").as_deref(),
            Some("requirements-dev.txt")
        );
        assert_eq!(
            dev("pip install -r requirements/test.txt").as_deref(),
            Some("requirements/test.txt")
        );
        assert_eq!(
            dev("pip3 install --no-cache-dir -e .[dev,docs]").as_deref(),
            Some(".[dev,docs]")
        );
        assert_eq!(
            dev("pip install -rdev-requirements.txt").as_deref(),
            Some("dev-requirements.txt")
        );
        assert_eq!(dev("pip install -r requirements.txt"), None);
        assert_eq!(
            dev("pip install -r requirements/prod.txt uvicorn[standard]"),
            None
        );
        assert_eq!(dev("pip install -r devices.txt"), None);
    }

    #[test]
    fn lockfile_sources() {
        use super::{Manager, names_lockfile};
        assert!(names_lockfile(Manager::Npm, "package*.json"));
        assert!(names_lockfile(Manager::Npm, "./app/package-lock.json"));
        assert!(!names_lockfile(Manager::Npm, "package.json"));
        assert!(!names_lockfile(Manager::Npm, "."));
        assert!(names_lockfile(Manager::Yarn, "yarn.lock"));
        assert!(names_lockfile(Manager::Composer, "composer.*"));
    }

    #[test]
    fn project_installs_and_dev_omission() {
        assert_eq!(first("npm ci"), (true, false));
        assert_eq!(first("npm ci --omit=dev"), (true, true));
        assert_eq!(first("npm ci --omit dev"), (true, true));
        assert_eq!(first("npm install --production"), (true, true));
        assert_eq!(first("npm install -g pm2"), (false, false));
        assert_eq!(first("npm install express"), (false, false));
        assert_eq!(
            first("yarn install --frozen-lockfile --production"),
            (true, true)
        );
        assert_eq!(first("yarn global add x"), (false, false));
        assert_eq!(first("composer install --no-dev -o"), (true, true));
        assert_eq!(
            first("bundle install --without development test"),
            (true, true)
        );
        assert_eq!(first("bundle install -j4"), (true, false));
        assert_eq!(first("bundle --version"), (false, false));
        assert_eq!(first("poetry install --no-root"), (true, false));
        assert_eq!(first("poetry install --without dev,test"), (true, true));
        assert_eq!(first("poetry install --only main"), (true, true));
        assert_eq!(first("uv sync --frozen --no-dev"), (true, true));
        assert_eq!(first("uv sync --locked"), (true, false));
        assert_eq!(first("yarn -v"), (false, false));
    }
}
