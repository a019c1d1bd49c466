//! Removing installed packages: which invocation removes which packages (`apt-get purge`,
//! `remove`, `autoremove`), whether it also removes the dependencies nothing needs any more,
//! and the command a fix writes to remove packages elsewhere.

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
    /// The packages this invocation installs by name (apt's family: `apt-get install`), static
    /// names only; empty for other managers and sub-commands.
    pub fn installed_names(&self) -> Vec<String> {
        if self.manager.family() != Family::Apt || !self.is_install() {
            return Vec::new();
        }
        self.packages()
            .into_iter()
            .filter_map(|p| plain_name(&p).map(str::to_string))
            .collect()
    }

    /// What this invocation removes (apt's family: `remove`, `purge`, `autoremove`, with
    /// `--purge` / `--auto-remove`); `None` when it removes nothing or is only simulated.
    pub fn removal(&self) -> Option<Removal> {
        if !matches!(
            self.manager,
            Manager::AptGet | Manager::Apt | Manager::Aptitude
        ) {
            return None;
        }
        let auto = match self.sub() {
            "remove" | "purge" => self.has(&["--auto-remove", "--autoremove"]),
            "autoremove" | "auto-remove" => true,
            _ => return None,
        };
        if self.has(&["-s", "--simulate", "--dry-run", "--just-print", "--no-act"]) {
            return None;
        }
        let packages = self
            .packages()
            .into_iter()
            .map(|p| plain_name(&p).is_some().then_some(p))
            .collect();
        Some(Removal {
            packages,
            orphans: auto,
        })
    }

    /// The command that removes `names` the way this invocation does, non-interactively
    /// (`apt-get purge -y gcc`): its manager and sub-command, `--purge` and `--auto-remove`
    /// when given. `None` for an invocation that is not a [`Invocation::removal`].
    pub fn removal_command(&self, names: &[&str]) -> Option<String> {
        self.removal()?;
        let mut out = format!("{} {} -y", self.manager.as_str(), self.sub());
        if self.has(&["--purge"]) {
            out.push_str(" --purge");
        }
        if self.sub() != "autoremove" && self.has(&["--auto-remove", "--autoremove"]) {
            out.push_str(" --auto-remove");
        }
        for n in names {
            out.push(' ');
            out.push_str(n);
        }
        Some(out)
    }
}

/// A package operand that is a plain repository package name: static, no pin, no path, no
/// apt action suffix (`pkg+`, `pkg-`) nor pattern.
fn plain_name(p: &Package) -> Option<&str> {
    let ok = p.is_static
        && !p.is_path
        && p.version.is_none()
        && !p.name.is_empty()
        && p.name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".+-:".contains(c))
        && p.name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && !p.name.ends_with(['+', '-']);
    ok.then_some(p.name.as_str())
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
        assert_eq!(inv.installed_names(), ["gcc"]);
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
            "apk del gcc",
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
}
