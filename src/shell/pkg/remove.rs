//! Removing installed packages: which invocation removes which packages (`apt-get purge`,
//! `remove`, `autoremove`, `dpkg -r`/`-P`, `apk del`, `dnf remove`, `zypper rm`), whether it
//! also removes the dependencies nothing needs any more, and the command a fix writes to
//! remove packages elsewhere.

use super::{Family, Invocation, Manager, Package};

/// What one removing invocation takes away.
#[derive(Debug, Clone)]
pub struct Removal {
    /// The packages named (static names without a pin or a path), in operand order; `None`
    /// for an operand that is not such a name (a variable, a pattern, `pkg+`).
    pub packages: Vec<Option<Package>>,
    /// It also removes the automatically installed packages nothing depends on any more
    /// (`autoremove`, `--auto-remove`).
    pub orphans: bool,
}

impl Invocation<'_> {
    /// The packages this invocation installs by name, static names only (a version pin is
    /// dropped: `gcc=12` installs `gcc`): `apt-get install`, `apk add` (with the virtual
    /// package of `--virtual`/`-t`), `dnf`/`yum`/`microdnf`/`tdnf install`, `zypper install`.
    /// Empty for other managers and sub-commands, and for dpkg and rpm, which install files.
    pub fn installed_names(&self) -> Vec<String> {
        if !follows_removals(self.manager)
            || matches!(self.manager, Manager::Dpkg | Manager::Rpm)
            || !self.is_install()
            || matches!(self.sub(), "module" | "group" | "groupinstall")
        {
            return Vec::new();
        }
        let mut names: Vec<String> = Vec::new();
        if self.manager == Manager::Apk
            && let Some(v) = self.value(&["--virtual", "-t"])
            && is_name(self.manager, v)
        {
            names.push(v.to_string());
        }
        for p in self.packages() {
            if p.is_static && !p.is_path && is_name(self.manager, &p.name) {
                names.push(p.name);
            }
        }
        names
    }

    /// What this invocation removes; `None` when it removes nothing or is only simulated:
    /// apt's family (`remove`, `purge`, `autoremove`, with `--purge` / `--auto-remove`), dpkg
    /// (`-r`/`--remove`, `-P`/`--purge`), `apk del`, dnf/yum/microdnf/tdnf (`remove`, `erase`,
    /// `autoremove`) and `zypper rm`/`remove`.
    pub fn removal(&self) -> Option<Removal> {
        let m = self.manager;
        if !follows_removals(m)
            || self.has(&[
                "-s",
                "--simulate",
                "--dry-run",
                "--just-print",
                "--no-act",
                "--recon",
                "-D",
            ])
        {
            return None;
        }
        let sub = self.sub();
        let (orphans, words): (bool, Vec<_>) = match m.family() {
            Family::Apt if m == Manager::Dpkg => {
                // dpkg's action is an option; every operand (the first one too) is a package
                if !self.has(&["-r", "--remove", "-P", "--purge"]) {
                    return None;
                }
                (false, self.sub.iter().chain(&self.operands).collect())
            }
            Family::Apt => match sub {
                "remove" | "purge" => (
                    self.has(&["--auto-remove", "--autoremove"]),
                    self.operands.iter().collect(),
                ),
                "autoremove" | "auto-remove" => (true, self.operands.iter().collect()),
                _ => return None,
            },
            // apk takes away the dependencies nothing else needs with the package
            Family::Apk if sub == "del" => (true, self.operands.iter().collect()),
            // dnf (and yum, which is dnf on current systems) removes the unneeded
            // dependencies with the package (`clean_requirements_on_remove`)
            Family::Rpm if m != Manager::Rpm => match sub {
                "remove" | "erase" | "rm" => (true, self.operands.iter().collect()),
                "autoremove" => (true, self.operands.iter().collect()),
                _ => return None,
            },
            Family::Zypper => match sub {
                "remove" | "rm" => (
                    self.has(&["-u", "--clean-deps"]),
                    self.operands.iter().collect(),
                ),
                _ => return None,
            },
            _ => return None,
        };
        let packages = words
            .into_iter()
            .map(|w| {
                let mut p = super::package(m, w);
                if m == Manager::Apk && is_name(m, &p.raw) {
                    // `.build-deps`: a virtual package's name, not a path
                    p.is_path = false;
                }
                (p.is_static && !p.is_path && p.version.is_none() && is_name(m, &p.name))
                    .then_some(p)
            })
            .collect();
        Some(Removal { packages, orphans })
    }

    /// The command that removes `names` the way this invocation does, non-interactively
    /// (`apt-get purge -y gcc`, `dpkg --purge gcc`, `apk del gcc`, `dnf remove -y gcc`,
    /// `zypper --non-interactive rm gcc`), keeping the options that change what is removed
    /// (`--purge`, `--auto-remove`, `--clean-deps`). `None` for an invocation that is not a
    /// [`Invocation::removal`].
    pub fn removal_command(&self, names: &[&str]) -> Option<String> {
        self.removal()?;
        let m = self.manager;
        let mut out = match m.family() {
            Family::Apt if m == Manager::Dpkg => {
                let purge = self.has(&["-P", "--purge"]);
                format!("dpkg {}", if purge { "--purge" } else { "--remove" })
            }
            Family::Apt => {
                let mut out = format!("{} {} -y", m.as_str(), self.sub());
                if self.has(&["--purge"]) {
                    out.push_str(" --purge");
                }
                if self.sub() != "autoremove" && self.has(&["--auto-remove", "--autoremove"]) {
                    out.push_str(" --auto-remove");
                }
                out
            }
            Family::Apk if self.has(&["--purge"]) => "apk del --purge".to_string(),
            Family::Apk => "apk del".to_string(),
            Family::Rpm => format!("{} {} -y", m.as_str(), self.sub()),
            Family::Zypper => format!(
                "zypper --non-interactive {}{}",
                self.sub(),
                if self.has(&["-u", "--clean-deps"]) {
                    " --clean-deps"
                } else {
                    ""
                }
            ),
            _ => return None,
        };
        for n in names {
            out.push(' ');
            out.push_str(n);
        }
        Some(out)
    }
}

/// The managers whose installs and removals DL5004 follows: the system package managers.
fn follows_removals(m: Manager) -> bool {
    matches!(
        m.family(),
        Family::Apt | Family::Apk | Family::Rpm | Family::Zypper
    ) && m != Manager::AptCache
}

/// A plain repository package name for `manager`: alphanumerics and `.+-_:`, starting with an
/// alphanumeric (apk's virtual packages with a `.`: `.build-deps`); for apt's family without
/// an action suffix (`pkg+`, `pkg-`) or a pattern.
fn is_name(manager: Manager, name: &str) -> bool {
    let body = match manager {
        Manager::Apk => name.strip_prefix('.').unwrap_or(name),
        _ => name,
    };
    let apt = manager.family() == Family::Apt;
    !body.is_empty()
        && body
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-:_".contains(c))
        && body.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !(apt && body.ends_with(['+', '-']))
}

#[cfg(test)]
mod tests {
    use crate::shell::pkg::invocations;

    fn parse(src: &str) -> crate::shell::Script {
        let map = crate::dockerfile::SourceMap::identity(0, src.len());
        crate::shell::parse_script(src, crate::shell::Mapping::Map { map: &map, base: 0 })
    }

    #[test]
    fn installs_and_removals() {
        let s = parse("apt-get install -y --no-install-recommends gcc libc6-dev=2.36 $X ./a.deb");
        let inv = &invocations(&s)[0];
        // a pin is dropped: the package is installed under its name
        assert_eq!(inv.installed_names(), ["gcc", "libc6-dev"]);
        assert!(inv.removal().is_none());
        for (src, names, orphans) in [
            (
                "apt-get purge -y gcc libc6-dev",
                vec![Some("gcc"), Some("libc6-dev")],
                false,
            ),
            (
                "sudo apt-get -o X=1 remove --purge -y gcc $P",
                vec![Some("gcc"), None],
                false,
            ),
            ("apt purge --auto-remove -y gcc", vec![Some("gcc")], true),
            ("apt-get autoremove -y", vec![], true),
            ("apt-get purge -y 'lib*-dev' make+", vec![None, None], false),
        ] {
            let s = parse(src);
            let r = invocations(&s)[0].removal().expect(src);
            let got: Vec<Option<&str>> = r
                .packages
                .iter()
                .map(|p| p.as_ref().map(|p| p.name.as_str()))
                .collect();
            assert_eq!(got, names, "{src}");
            assert_eq!(r.orphans, orphans, "{src}");
        }
        for src in [
            "apt-get install -y gcc",
            "apt-get -s purge gcc",
            "apk add gcc",
            "dpkg -i gcc.deb",
            "dpkg --no-act -r gcc",
            "dnf install -y gcc",
            "yum clean all",
            "zypper rm --dry-run gcc",
            "rpm -e gcc",
            "pip uninstall -y flask",
        ] {
            let s = parse(src);
            assert!(invocations(&s)[0].removal().is_none(), "{src}");
        }
    }

    #[test]
    fn removal_commands() {
        for (src, want) in [
            ("apt-get purge gcc make", "apt-get purge -y gcc"),
            (
                "apt remove --purge --auto-remove -qq gcc",
                "apt remove -y --purge --auto-remove gcc",
            ),
            (
                "apt-get autoremove -y --purge",
                "apt-get autoremove -y --purge gcc",
            ),
        ] {
            let s = parse(src);
            assert_eq!(
                invocations(&s)[0].removal_command(&["gcc"]).as_deref(),
                Some(want),
                "{src}"
            );
        }
    }

    fn removed(src: &str) -> (Vec<Option<String>>, bool) {
        let s = parse(src);
        let r = invocations(&s)[0].removal().expect(src);
        let names = r
            .packages
            .iter()
            .map(|p| p.as_ref().map(|p| p.name.clone()))
            .collect();
        (names, r.orphans)
    }

    #[test]
    fn removals_of_the_other_system_managers() {
        let some = |v: &[&str]| -> Vec<Option<String>> {
            v.iter().map(|n| Some((*n).to_string())).collect()
        };
        // dpkg: the action is an option, the first operand is a package too
        for src in [
            "dpkg -r gcc make",
            "dpkg -P gcc make",
            "dpkg --remove gcc make",
            "dpkg --purge --force-depends gcc make",
            "sudo dpkg -P gcc make",
        ] {
            assert_eq!(removed(src), (some(&["gcc", "make"]), false), "{src}");
        }
        // apk: a virtual package's name is a name, not a path; the dependencies go with it
        assert_eq!(
            removed("apk del --no-cache .build-deps gcc"),
            (some(&[".build-deps", "gcc"]), true)
        );
        assert_eq!(removed("apk del $DEPS"), (vec![None], true));
        // the rpm family (gcc-c++ is a name, the `+` is not apt's install suffix)
        for src in [
            "dnf remove -y gcc gcc-c++",
            "yum erase -y gcc gcc-c++",
            "microdnf remove gcc gcc-c++",
            "tdnf remove -y gcc gcc-c++",
            "dnf5 rm -y gcc gcc-c++",
        ] {
            assert_eq!(removed(src), (some(&["gcc", "gcc-c++"]), true), "{src}");
        }
        assert_eq!(removed("dnf autoremove -y"), (vec![], true));
        assert_eq!(removed("zypper -n rm gcc"), (some(&["gcc"]), false));
        assert_eq!(
            removed("zypper remove --clean-deps gcc"),
            (some(&["gcc"]), true)
        );
    }

    #[test]
    fn installed_names_of_the_other_system_managers() {
        for (src, want) in [
            (
                "apk add --no-cache --virtual .build-deps gcc musl-dev=1.2 $X",
                vec![".build-deps", "gcc", "musl-dev"],
            ),
            ("apk add -t .deps gcc", vec![".deps", "gcc"]),
            (
                "dnf install -y gcc-c++ make-4.3 ./x.rpm @dev",
                vec!["gcc-c++", "make"],
            ),
            ("zypper -n in gcc", vec!["gcc"]),
            ("apt-get install -y gcc=4:12.2.0-3", vec!["gcc"]),
            ("dpkg -i gcc.deb", vec![]),
            ("dnf group install -y 'Development Tools'", vec![]),
            ("dnf module install -y nodejs:18", vec![]),
            ("pip install flask", vec![]),
        ] {
            let s = parse(src);
            assert_eq!(invocations(&s)[0].installed_names(), want, "{src}");
        }
    }

    #[test]
    fn removal_commands_of_the_other_system_managers() {
        for (src, want) in [
            ("dpkg -P --force-depends gcc make", "dpkg --purge gcc"),
            ("dpkg -r gcc", "dpkg --remove gcc"),
            ("apk del --purge .build-deps", "apk del --purge gcc"),
            ("apk --no-cache del x", "apk del gcc"),
            ("yum erase gcc", "yum erase -y gcc"),
            ("microdnf remove gcc", "microdnf remove -y gcc"),
            (
                "zypper -n rm -u gcc",
                "zypper --non-interactive rm --clean-deps gcc",
            ),
            ("zypper remove gcc", "zypper --non-interactive remove gcc"),
        ] {
            let s = parse(src);
            assert_eq!(
                invocations(&s)[0].removal_command(&["gcc"]).as_deref(),
                Some(want),
                "{src}"
            );
        }
    }
}
